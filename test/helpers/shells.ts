/**
 * Real shells for the completion tests: which are installed, a PATH on which `hss` is the CLI under
 * test, and drivers that ask bash and fish what they would complete for a command line.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { BIN, baseEnv, tempDir } from './cli.js';

export function installed(shell: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' }).status === 0;
}

/** A folder with an `hss` launcher for the given entry point (the built bin unless told). */
export function hssOnPath(bin = BIN): string {
  const dir = tempDir('hss-path-');
  const launcher = path.join(dir, 'hss');
  writeFileSync(
    launcher,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} "$@"\n`,
  );
  chmodSync(launcher, 0o755);
  return dir;
}

export interface ShellEnv {
  configDir: string;
  /** Folder put first on PATH. */
  binDir: string;
  /** More variables of the user's environment. */
  extra?: Record<string, string>;
}

function env({ configDir, binDir, extra }: ShellEnv): Record<string, string> {
  const base = baseEnv(configDir);
  return { ...base, ...extra, PATH: `${binDir}${path.delimiter}${base.PATH}` };
}

/**
 * What bash completes for each line (the cursor at its end): the script is sourced into a clean bash,
 * COMP_LINE/COMP_POINT/COMP_WORDS/COMP_CWORD are set as readline sets them, and the completion function
 * registered for `hss` (read back with `complete -p hss`) is called. Returns COMPREPLY per line.
 */
export async function bashComplete(script: string, lines: string[], shellEnv: ShellEnv): Promise<string[][]> {
  const file = path.join(tempDir('hss-bash-'), 'hss.bash');
  writeFileSync(file, script);
  const driver = `
source ${JSON.stringify(file)}
spec=$(complete -p hss) || exit 3
fn=\${spec#*-F }; fn=\${fn%% *}
while IFS= read -r line; do
  COMP_LINE="$line"; COMP_POINT=\${#line}
  read -r -a COMP_WORDS <<<"$line"
  [[ "$line" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  "$fn" hss "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\\x1f' "\${COMPREPLY[@]}"
  printf '\\n'
done
`;
  const result = await execa('bash', ['--norc', '--noprofile', '-c', driver], {
    env: env(shellEnv),
    extendEnv: false,
    input: `${lines.join('\n')}\n`,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`bash driver failed (${result.exitCode}): ${result.stderr}`);
  return String(result.stdout)
    .split('\n')
    .slice(0, lines.length)
    .map((l) => l.split('\x1f').filter((w) => w !== ''));
}

/** What fish completes for each line, from `complete -C`: candidates without their descriptions. */
export async function fishComplete(script: string, lines: string[], shellEnv: ShellEnv): Promise<string[][]> {
  const file = path.join(tempDir('hss-fish-'), 'hss.fish');
  writeFileSync(file, script);
  const results: string[][] = [];
  for (const line of lines) {
    const r = await execa(
      'fish',
      ['--no-config', '-c', `source ${JSON.stringify(file)}; complete -C $argv[1]`, line],
      {
        env: env(shellEnv),
        extendEnv: false,
        reject: false,
      },
    );
    if (r.exitCode !== 0) throw new Error(`fish failed (${r.exitCode}): ${r.stderr}`);
    results.push(
      String(r.stdout)
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t')[0] ?? ''),
    );
  }
  return results;
}

const ZSH_DRIVER = path.join(path.dirname(BIN), '..', 'test', 'helpers', 'zsh-complete.zsh');

/** What zsh completes for each line, captured in a pseudo-terminal (see zsh-complete.zsh). */
export async function zshComplete(script: string, lines: string[], shellEnv: ShellEnv): Promise<string[][]> {
  const file = path.join(tempDir('hss-zsh-'), 'hss.zsh');
  writeFileSync(file, script);
  const results: string[][] = [];
  for (const line of lines) {
    const r = await execa('zsh', ['-f', ZSH_DRIVER, file, line], {
      env: env(shellEnv),
      extendEnv: false,
      reject: false,
      timeout: 15_000,
    });
    if (r.exitCode !== 0) throw new Error(`zsh failed (${r.exitCode}): ${r.stderr}`);
    results.push(
      String(r.stdout)
        .split('\n')
        .filter((l) => l !== ''),
    );
  }
  return results;
}
