/**
 * Runs the built CLI in a pseudo-terminal (util-linux `script`), so that stdout and stderr are a TTY as
 * in an interactive shell. Both streams arrive mixed in one output, with CRLF line ends.
 */
import { spawnSync } from 'node:child_process';
import { execa } from 'execa';
import { BIN, baseEnv, tempDir } from './cli.js';

/** util-linux `script` (`-q -e -c`); BSD and macOS have another syntax. */
export const hasScript =
  spawnSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function hssInTerminal(
  args: string[],
  options: { env?: Record<string, string | undefined>; configDir?: string; columns?: number } = {},
): Promise<{ exitCode: number; output: string }> {
  const configDir = options.configDir ?? tempDir();
  const env: Record<string, string> = { ...baseEnv(configDir), TERM: 'xterm-256color', SHELL: '/bin/sh' };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // A pty made by `script` has no size unless told; a real terminal has one.
  const command = `stty cols ${options.columns ?? 100} rows 30; exec ${[process.execPath, BIN, ...args].map(shellQuote).join(' ')}`;
  const r = await execa('script', ['-qec', command, '/dev/null'], {
    env,
    extendEnv: false,
    reject: false,
    input: '',
    timeout: 20_000,
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, output: String(r.stdout) };
}
