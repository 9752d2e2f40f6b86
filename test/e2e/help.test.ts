import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, EXIT_CODES } from '../../src/help/reference.js';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('hss help', () => {
  it('hss help task retry prints what hss task retry --help prints, exit 0', async () => {
    const viaHelp = await hss(['help', 'task', 'retry']);
    const viaFlag = await hss(['task', 'retry', '--help']);
    expect(viaHelp.exitCode).toBe(0);
    expect(viaFlag.exitCode).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: hss task retry \[options\] \[task_id\.\.\.\]/);
    expect(viaHelp.stdout).toContain('Examples:');
    expect(viaHelp.stderr).toBe('');
  });

  it("a group's own help command works and exits 0: hss task help retry", async () => {
    const r = await hss(['task', 'help', 'retry']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hss task retry /);
  });

  it('aliases lead to the same help: hss help profile rm, hss help profile delete', async () => {
    const r = await hss(['help', 'profile', 'rm']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hss profile remove\|rm /);
    expect((await hss(['help', 'profile', 'delete'])).stdout).toBe(r.stdout);
  });

  it('hss help alone is the program help, with the topics, exit 0', async () => {
    const r = await hss(['help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hss \[options\] \[command\]/);
    expect(r.stdout).toContain('hss help exit-codes');
    expect(r.stdout).toContain('hss help environment');
  });

  it.each([['task'], ['auth'], ['profile'], ['config']])(
    'a group without its subcommand prints its help on stdout, exit 0: hss %s',
    async (group) => {
      const r = await hss([group]);
      expect(r).toEqual({ exitCode: 0, stdout: (await hss([group, '--help'])).stdout, stderr: '' });
      expect(r.stdout).toMatch(new RegExp(`^Usage: hss ${group} \\[options\\] \\[command\\]\n`));
    },
  );

  it('hss alone prints the program help on stdout, exit 0', async () => {
    const r = await hss([]);
    expect(r).toEqual({ exitCode: 0, stdout: (await hss(['--help'])).stdout, stderr: '' });
  });

  it('an unknown subcommand of a group is still exit 2', async () => {
    const r = await hss(['task', 'nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: unknown command 'nope'\n/);
  });

  it.each([[[]], [['task']], [['profile']]])(
    'the subcommands come before the options and the global options: hss %j --help',
    async (path) => {
      const r = await hss([...path, '--help']);
      expect(r.exitCode).toBe(0);
      const headings = r.stdout.split('\n').filter((l) => /^[A-Z][A-Za-z ]*:$/.test(l));
      expect(headings).toEqual(
        path.length
          ? ['Commands:', 'Options:', 'Global Options:', 'Examples:']
          : ['Commands:', 'Options:', 'Examples:', 'Help topics:'],
      );
    },
  );

  it('a command without subcommands keeps arguments, then options, then global options', async () => {
    const r = await hss(['task', 'retry', '--help']);
    const headings = r.stdout.split('\n').filter((l) => /^[A-Z][A-Za-z ]*:$/.test(l));
    expect(headings).toEqual(['Arguments:', 'Options:', 'Global Options:', 'Examples:']);
  });

  it('an unknown command or topic is exit 2 with the choices as a hint', async () => {
    const r = await hss(['help', 'nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: no command or help topic "nope"\nhint: commands: task, api, auth, configure, profile, config, sandbox, completion, version, help; topics: exit-codes, environment\n',
    );
    const sub = await hss(['help', 'task', 'nope']);
    expect(sub.exitCode).toBe(2);
    expect(sub.stderr).toContain('`hss task` has no subcommand "nope"');
    expect(sub.stderr).toContain('hint: its subcommands: retry, list, show, wait');
  });

  it('--json gives the help text as data', async () => {
    const r = await hss(['help', 'task', 'retry', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.command).toBe('hss task retry');
    expect(doc.help).toMatch(/^Usage: hss task retry/);
  });
});

describe('help topics', () => {
  it('exit-codes lists every code with its meaning and examples', async () => {
    const r = await hss(['help', 'exit-codes']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^CODE\s+ERROR\s+MEANING$/);
    for (const entry of EXIT_CODES) {
      expect(lines.some((l) => l.startsWith(`${entry.code} `))).toBe(true);
      expect(r.stdout).toContain(entry.meaning.replace(/`/g, '').split(' ').slice(0, 3).join(' '));
    }
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('HSS.1301');
  });

  it('exit-codes --json is the reference data', async () => {
    const r = await hss(['help', 'exit-codes', '--json']);
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.topic).toBe('exit-codes');
    expect(doc.exit_codes).toEqual(JSON.parse(JSON.stringify(EXIT_CODES)));
  });

  it('environment lists every variable with its flag', async () => {
    const r = await hss(['help', 'environment']);
    expect(r.exitCode).toBe(0);
    for (const group of ENVIRONMENT) {
      expect(r.stdout).toContain(`${group.title}:`);
      for (const entry of group.entries) {
        for (const name of entry.names) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
        if (entry.option) expect(r.stdout).toContain(entry.option);
      }
    }
    expect(r.stdout).toContain('flag > environment > profile > default');
  });

  it('environment --json is the reference data', async () => {
    const r = await hss(['help', 'environment', '--json']);
    expect(JSON.parse(r.stdout).environment).toEqual(JSON.parse(JSON.stringify(ENVIRONMENT)));
  });
});

describe('--version', () => {
  it('prints only the version on stdout', async () => {
    const r = await hss(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect(r.stderr).toBe('');
  });

  it('with --debug (or HSS_DEBUG=1) also prints the Node version and platform on stderr', async () => {
    const expected =
      `debug: hss-cli/${pkg.version} node/${process.versions.node} ${process.platform}; signal handlers ready\n` +
      `debug: node ${process.version} ${process.platform} ${process.arch}\n`;
    for (const [args, env] of [
      [['--version', '--debug'], {}],
      [['--debug', '-V'], {}],
      [['--version'], { HSS_DEBUG: '1' }],
    ] as const) {
      const r = await hss([...args], { env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
      expect(r.stderr).toBe(expected);
    }
  });
});

describe('a reader that goes away', () => {
  it('hss … | true: no crash, no stack trace, the exit code of the command', async () => {
    const configDir = tempDir();
    // `true` exits without reading, so hss writes into a closed pipe (EPIPE).
    const r = await execa(
      'bash',
      [
        '-c',
        `set -o pipefail; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} help environment | true`,
      ],
      { env: baseEnv(configDir), extendEnv: false, reject: false },
    );
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
