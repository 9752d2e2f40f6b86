/**
 * The start-up shortcuts of bin/hss.js answer exactly as the full CLI does, and --debug stack traces
 * point at src/ through the bundle's source maps (docs/performance.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, ROOT } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;

describe('hss --version and --help answered by bin/hss.js', () => {
  it.each([['--version'], ['-V']])('%s prints the version, as commander does', async (flag) => {
    const fast = await hss([flag]);
    // A second argument takes the normal path through commander.
    const full = await hss(['--no-color', flag]);
    expect(fast).toEqual({ exitCode: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(full).toEqual(fast);
  });

  it.each([['--help'], ['-h']])('%s prints the help commander renders, byte for byte', async (flag) => {
    const fast = await hss([flag]);
    const full = await hss(['--no-color', flag]);
    expect(fast.exitCode).toBe(0);
    expect(fast.stderr).toBe('');
    expect(fast.stdout).toMatch(/^Usage: hss \[options\] \[command\]\n/);
    expect(fast.stdout).toContain('task');
    expect(full).toEqual(fast);
  });
});

/** A bug planted in the run (test/fixtures/internal-error.cjs): `config show --json` then fails inside hss. */
const PLANTED_BUG = {
  NODE_OPTIONS: `--require ${path.join(ROOT, 'test', 'fixtures', 'internal-error.cjs')}`,
};
const INTERNAL = ['config', 'show', '--json'];

describe('--debug', () => {
  const sb = useSandbox();

  it('shows the stack of an internal error (exit 1), pointing at src/, not at the bundle', async () => {
    const r = await hss(['--debug', ...INTERNAL], { env: PLANTED_BUG });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'INTERNAL',
      message: 'internal error: planted bug',
    });
    expect(r.stderr).toContain('error: internal error: planted bug\n');
    expect(r.stderr).toMatch(/\nTypeError: planted bug\n/);
    expect(r.stderr).toMatch(/at \S+ \(\S*src\/output\/renderer\.ts:\d+:\d+\)/);
    expect(r.stderr).not.toContain('dist/');
  });

  it('HSS_DEBUG=1 does the same', async () => {
    const r = await hss(INTERNAL, { env: { ...PLANTED_BUG, HSS_DEBUG: '1' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/src\/output\/renderer\.ts:\d+:\d+/);
  });

  it("never for a user's mistake or a missing setting: those say all there is in their message", async () => {
    for (const [args, code] of [
      [['--debug', 'task', 'retry', 'task-0001'], 2],
      [['--debug', 'task', 'list', '--project-id', 'p1', '--token-stdin'], 3],
    ] as const) {
      const r = await hss([...args], { input: 'a-token\n' });
      expect(r.exitCode, r.stderr).toBe(code);
      expect(r.stderr).toMatch(/^debug: hss-cli\/.*\nerror: /);
      expect(r.stderr).not.toMatch(/\n\s+at |Error: /);
    }
  });

  it('never for an API refusal either (exit 5)', async () => {
    const r = await hss(['--debug', 'task', 'retry', 'task-0002', '--all-failed'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/\nerror: .*\n/);
    expect(r.stderr).not.toMatch(/\n\s+at |Error: /);
  });

  it('without it there is no stack trace at all', async () => {
    const r = await hss(['task', 'retry', 'task-0001']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: say what to retry: --all-failed, --cluster <id[:types]> or --cluster-file <file|->\n' +
        'hint: e.g. `hss task retry TASK_ID --all-failed`; see `hss task retry --help`\n',
    );
    const bug = await hss(INTERNAL, { env: PLANTED_BUG });
    expect(bug.exitCode).toBe(1);
    expect(bug.stderr).toBe(
      'error: internal error: planted bug\n' +
        'hint: this is a bug in hss; please report it at https://github.com/hss-cli/hss-cli/issues with the output of --debug\n',
    );
  });
});
