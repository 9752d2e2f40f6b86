/**
 * The conventions a CLI is judged by in shells and CI: NO_COLOR, FORCE_COLOR, TERM=dumb and CI decide
 * colour and spinners; --json everywhere a command prints data.
 */
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';
import { hasScript, hssInTerminal } from '../helpers/terminal.js';

// The sandbox answers slowly enough for a spinner to turn.
const sb = useSandbox({ latencyMs: 300 });

const ANSI = /\u001b\[[0-9;]*m/;
const SPINNER = /\u001b\[\?25l/; // ora hides the cursor while it spins
// Success goes to stdout (a green ✔), a usage error to stderr (a red "error:").
const SUCCESS = ['profile', 'set', 'lab', '--region', 'cn-north-4'];
const FAILURE = ['task', 'retry', 'task-0001'];

describe('colour when the output is not a terminal', () => {
  it('is off by default, on stdout and stderr', async () => {
    const ok = await hss(SUCCESS);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^✔ profile lab created/);
    expect(ok.stdout).not.toMatch(ANSI);
    const bad = await hss(FAILURE);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: say what to retry/);
    expect(bad.stderr).not.toMatch(ANSI);
  });

  it('FORCE_COLOR=1 turns it on, on stdout and stderr', async () => {
    const ok = await hss(SUCCESS, { env: { FORCE_COLOR: '1' } });
    expect(ok.stdout).toMatch(/^\u001b\[32m✔\u001b\[39m profile /);
    const bad = await hss(FAILURE, { env: { FORCE_COLOR: '1' } });
    expect(bad.stderr).toMatch(/^\u001b\[31merror:\u001b\[39m say what to retry/);
  });

  it('NO_COLOR and --no-color win over FORCE_COLOR', async () => {
    for (const [args, env] of [
      [SUCCESS, { FORCE_COLOR: '1', NO_COLOR: '1' }],
      [[...SUCCESS, '--no-color'], { FORCE_COLOR: '1' }],
    ] as const) {
      const ok = await hss([...args], { env });
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).not.toMatch(ANSI);
    }
    const bad = await hss(FAILURE, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(bad.stderr).toMatch(/^error: /);
  });

  it('JSON on stdout never carries colour, even when forced', async () => {
    const r = await hss([...SUCCESS, '--json'], { env: { FORCE_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(ANSI);
    expect(JSON.parse(r.stdout).ok).toBe(true);
  });

  it('no spinner and no progress on a piped stderr, even when the API is slow', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe.skipIf(!hasScript)(
  `in a terminal${hasScript ? '' : ' (skipped: util-linux script is not installed)'}`,
  () => {
    it('colour is on by default', async () => {
      const ok = await hssInTerminal(SUCCESS);
      expect(ok.exitCode).toBe(0);
      expect(ok.output).toMatch(/^\u001b\[32m✔\u001b\[39m profile \u001b\[1mlab\u001b\[22m created/);
      const bad = await hssInTerminal(FAILURE);
      expect(bad.exitCode).toBe(2);
      expect(bad.output).toMatch(/\u001b\[31merror:\u001b\[39m say what to retry/);
    });

    for (const [name, env] of [
      ['NO_COLOR=1', { NO_COLOR: '1' }],
      ['TERM=dumb', { TERM: 'dumb' }],
      ['CI=true', { CI: 'true' }],
      ['FORCE_COLOR=0', { FORCE_COLOR: '0' }],
    ] as const) {
      it(`${name} turns colour off`, async () => {
        const ok = await hssInTerminal(SUCCESS, { env });
        expect(ok.exitCode).toBe(0);
        expect(ok.output).toMatch(/^✔ profile lab created/);
        expect(ok.output).not.toMatch(ANSI);
        const bad = await hssInTerminal(FAILURE, { env });
        expect(bad.output).toMatch(/^error: say what to retry/);
        expect(bad.output).not.toMatch(ANSI);
      });
    }

    it('a slow request shows a spinner', async () => {
      const r = await hssInTerminal(['task', 'retry', 'task-0001', '--all-failed'], { env: sb.env() });
      expect(r.exitCode, r.output).toBe(0);
      expect(r.output).toMatch(SPINNER);
      expect(r.output).toContain('Retrying all failed clusters of task-0001…');
      expect(r.output).toContain('task-0001: retry accepted');
    });

    for (const [name, env] of [
      ['CI=1', { CI: '1' }],
      ['TERM=dumb', { TERM: 'dumb' }],
    ] as const) {
      it(`${name}: no spinner, only the result`, async () => {
        const r = await hssInTerminal(['task', 'retry', 'task-0001', '--all-failed'], { env: sb.env(env) });
        expect(r.exitCode, r.output).toBe(0);
        expect(r.output).not.toMatch(SPINNER);
        expect(r.output).not.toContain('Retrying');
        expect(r.output).toMatch(
          /^✔ task-0001: retry accepted for all failed clusters \(X-Request-Id [0-9a-f]{32}\)\r\n$/,
        );
      });
    }

    it('a terminal of zero columns: no spinner (it would redraw without end)', async () => {
      const r = await hssInTerminal(['task', 'retry', 'task-0001', '--all-failed'], {
        env: sb.env(),
        columns: 0,
      });
      expect(r.exitCode, r.output).toBe(0);
      expect(r.output).not.toMatch(SPINNER);
      expect(r.output).toMatch(/^\u001b\[32m✔\u001b\[39m task-0001: retry accepted/);
    });

    it('--json and -q: no spinner either', async () => {
      for (const [flag, task] of [
        ['--json', 'task-0001'],
        ['-q', 'task-0006'],
      ] as const) {
        const r = await hssInTerminal(['task', 'retry', task, '--all-failed', flag], { env: sb.env() });
        expect(r.exitCode, r.output).toBe(0);
        expect(r.output).not.toMatch(SPINNER);
      }
    });
  },
);

describe('--json on every command that prints data', () => {
  it('profile, config, completion, help topics: one JSON document on stdout', async () => {
    const configDir = tempDir();
    const runs: string[][] = [
      ['profile', 'set', 'lab', '--region', 'cn-north-4'],
      ['profile', 'list'],
      ['profile', 'show', 'lab'],
      ['profile', 'use', 'lab'],
      ['config', 'show'],
      ['completion', 'bash'],
      ['help', 'exit-codes'],
      ['help', 'environment'],
      ['help', 'task'],
      ['profile', 'remove', 'lab', '--yes'],
    ];
    for (const args of runs) {
      const r = await hss([...args, '--json'], { configDir });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).ok, args.join(' ')).toBe(true);
    }
  });
});
