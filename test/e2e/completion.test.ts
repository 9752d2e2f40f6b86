import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import {
  bashComplete,
  fishComplete,
  hssOnPath,
  installed,
  type ShellEnv,
  zshComplete,
} from '../helpers/shells.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
const SCAN_TYPES = ['cluster_vul', 'risk_assessment', 'benchmark'];
const SECRET = 'profile-secret-token-0123456789';

const scripts: Record<string, string> = {};

beforeAll(async () => {
  for (const shell of SHELLS) {
    const r = await hss(['completion', shell]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    scripts[shell] = r.stdout;
  }
});

/** A config dir with two profiles, one holding a token that completion must never print. */
async function storeWithProfiles(): Promise<ShellEnv> {
  const configDir = tempDir();
  const prod = await hss(['profile', 'set', 'prod', '--region', 'cn-north-4', '--token-stdin'], {
    configDir,
    input: SECRET,
  });
  expect(prod.exitCode, prod.stderr).toBe(0);
  const dev = await hss(['profile', 'set', 'dev-1', '--region', 'cn-east-3'], { configDir });
  expect(dev.exitCode, dev.stderr).toBe(0);
  return { configDir, binDir: hssOnPath() };
}

describe('hss completion', () => {
  for (const shell of SHELLS) {
    const present = installed(shell);
    it.skipIf(!present)(
      `${shell} -n accepts the ${shell} script${present ? '' : ` (skipped: ${shell} is not installed)`}`,
      async () => {
        const file = path.join(tempDir(), `hss.${shell}`);
        writeFileSync(file, scripts[shell] ?? '');
        const r = await execa(shell, ['-n', file], { reject: false });
        expect(r.stderr).toBe('');
        expect(r.exitCode).toBe(0);
      },
    );
  }

  it('each script names every top-level command and scan type, read from the command tree', () => {
    for (const shell of SHELLS) {
      const script = scripts[shell] ?? '';
      for (const word of ['task', 'retry', 'profile', 'sandbox', 'completion', 'all-failed', ...SCAN_TYPES]) {
        expect(script, `${shell}: ${word}`).toContain(word);
      }
      expect(script).toContain('__complete profiles');
    }
  });

  it('an unknown shell is a usage error naming the choices', async () => {
    const r = await hss(['completion', 'tcsh']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/tcsh.*bash, zsh, fish/);
  });

  it('--json wraps the script in one document', async () => {
    const r = await hss(['completion', 'fish', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, shell: 'fish', script: scripts['fish'] });
  });

  it('--help tells how to install it for each shell', async () => {
    const r = await hss(['completion', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('source <(hss completion bash)');
    expect(r.stdout).toContain('_hss');
    expect(r.stdout).toContain('~/.config/fish/completions/hss.fish');
  });
});

describe('hss __complete profiles (what the scripts run at TAB)', () => {
  it('prints the profile names one a line and nothing of their contents', async () => {
    const { configDir } = await storeWithProfiles();
    const r = await hss(['__complete', 'profiles'], { configDir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('dev-1\nprod\n');
    expect(r.stderr).toBe('');
  });

  it('a missing or broken store offers nothing and says nothing', async () => {
    const empty = await hss(['__complete', 'profiles']);
    expect(empty).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const configDir = tempDir();
    writeFileSync(path.join(configDir, 'config.json'), '{ not json');
    const broken = await hss(['__complete', 'profiles'], { configDir });
    expect(broken).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('is not listed in help', async () => {
    const r = await hss(['--help']);
    expect(r.stdout).not.toContain('__complete');
  });
});

describe.skipIf(!installed('bash'))('bash completes from the real script', () => {
  it('commands, options and option values', async () => {
    const env = { configDir: tempDir(), binDir: hssOnPath() };
    const got = await bashComplete(
      scripts['bash'] ?? '',
      [
        'hss task re',
        'hss ta',
        'hss --output ',
        'hss -o j',
        'hss --output=j',
        'hss task retry --cluster c-1:',
        'hss task retry --cluster c-1:cluster_vul,',
        'hss task retry --cluster=c-2:r',
        'hss task retry task-0001 --cl',
        'hss completion ',
        'hss help ',
        'hss help task ',
        'hss profile set prod --auth ',
        'hss -p x task re',
        'hss task retry task-0001 ',
      ],
      env,
    );
    expect(got).toEqual([
      ['retry'],
      ['task'],
      ['text', 'json', 'yaml'],
      ['json'],
      ['json'],
      SCAN_TYPES,
      ['cluster_vul,risk_assessment', 'cluster_vul,benchmark'],
      // bash puts back only what follows the last ":" of the word.
      ['risk_assessment'],
      ['--cluster', '--cluster-file'],
      ['bash', 'zsh', 'fish'],
      [
        'task',
        'api',
        'auth',
        'configure',
        'profile',
        'config',
        'sandbox',
        'completion',
        'version',
        'help',
        'exit-codes',
        'environment',
      ],
      ['retry', 'list', 'show', 'wait', 'create', 'stats'],
      ['token', 'aksk', 'password', 'command'],
      ['retry'],
      [],
    ]);
  });

  it('profile names come from the store at TAB time, and no secret is printed', async () => {
    const env = await storeWithProfiles();
    const script = scripts['bash'] ?? '';
    const before = await bashComplete(
      script,
      ['hss --profile ', 'hss -p d', 'hss profile use ', 'hss profile rm p'],
      env,
    );
    expect(before).toEqual([['dev-1', 'prod'], ['dev-1'], ['dev-1', 'prod'], ['prod']]);
    expect(JSON.stringify(before)).not.toContain(SECRET);
    // The user's own output settings do not leak into the candidates.
    const jsonUser = { ...env, extra: { HSS_OUTPUT: 'json', HSS_DEBUG: '1', FORCE_COLOR: '1' } };
    expect(await bashComplete(script, ['hss -p '], jsonUser)).toEqual([['dev-1', 'prod']]);
    // A profile added after the script was printed is offered at once.
    await hss(['profile', 'set', 'staging'], { configDir: env.configDir });
    expect(await bashComplete(script, ['hss profile use s'], env)).toEqual([['staging']]);
  });
});

describe.skipIf(!installed('fish'))('fish completes from the real script', () => {
  it('commands, option values and profile names', async () => {
    const env = await storeWithProfiles();
    const got = await fishComplete(
      scripts['fish'] ?? '',
      [
        'hss task re',
        'hss --output ',
        'hss task retry --cluster c-1:',
        'hss task retry --cluster c-1:benchmark,',
        'hss profile use ',
        'hss completion ',
      ],
      env,
    );
    expect(got).toEqual([
      ['retry'],
      ['json', 'text', 'yaml'],
      ['c-1:benchmark', 'c-1:cluster_vul', 'c-1:risk_assessment'],
      ['c-1:benchmark,cluster_vul', 'c-1:benchmark,risk_assessment'],
      ['dev-1', 'prod'],
      ['bash', 'fish', 'zsh'],
    ]);
  });
});

describe.skipIf(!installed('zsh'))('zsh completes from the real script', () => {
  it('commands, option values and profile names', async () => {
    const env = await storeWithProfiles();
    const got = await zshComplete(
      scripts['zsh'] ?? '',
      [
        'hss task re',
        'hss --output ',
        'hss task retry --cluster c-1:',
        'hss task retry --cluster c-1:cluster_vul,',
        'hss profile use ',
        'hss completion ',
      ],
      env,
    );
    expect(got).toEqual([
      ['retry'],
      ['text', 'json', 'yaml'],
      SCAN_TYPES,
      ['risk_assessment', 'benchmark'],
      ['dev-1', 'prod'],
      ['bash', 'zsh', 'fish'],
    ]);
  });

  it('sourced after compinit, it registers _hss for hss with one function per command', async () => {
    const file = path.join(tempDir(), 'hss.zsh');
    writeFileSync(file, scripts['zsh'] ?? '');
    const r = await execa(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -Uz compinit && compinit -u -D && source ${JSON.stringify(file)} && print -r -- $_comps[hss] && whence -w _hss_task_retry _hss_profile_use`,
      ],
      { reject: false, env: { HOME: tempDir(), PATH: process.env['PATH'] ?? '' }, extendEnv: false },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('_hss\n_hss_task_retry: function\n_hss_profile_use: function');
  });
});
