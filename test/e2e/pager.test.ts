/**
 * The pager, on a real pseudo-terminal: text longer than the terminal goes through $HSS_PAGER (else
 * $PAGER, else less -FRX), never off a terminal, under CI or with --no-pager; the pager runs without a
 * shell; a pager that quits early or cannot start loses nothing of the command's exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { hssOnPty } from '../helpers/pty.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
/** task-0004 has 250 clusters: `task show` is 258 lines. */
const LONG = ['task', 'show', 'task-0004'];
const ROWS = 30;

/**
 * What the terminal shows, line by line, with LF line ends and without colour: a line is what was
 * written after its last carriage return or erase (the frames of a spinner on stderr are erased).
 */
function plain(output: string): string {
  return output
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => {
      const parts = line
        .split(/\r|\u001b\[[02]?K|\u001b\[1?G/)
        .map((part) => part.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))
        .filter((part) => part !== '');
      return parts.at(-1) ?? '';
    })
    .join('\n');
}

async function onPty(args: string[], env: Record<string, string | undefined>) {
  const session = hssOnPty(args, { env: { ...sb.env(), ...env }, rows: ROWS });
  const { exitCode, output } = await session.exit;
  return { exitCode, output: plain(output) };
}

describe('the pager', () => {
  it('pages long text on a terminal through $HSS_PAGER', async () => {
    const { exitCode, output } = await onPty(LONG, { HSS_PAGER: 'cat -n', PAGER: 'false' });
    expect(exitCode, output).toBe(0);
    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+1\ttask-0004 {2}fleet-scan-all-regions$/);
    // Every line went through the pager. (A pseudo-terminal may drop the end of what a process
    // wrote just before it ended, when the machine is busy: what arrived is checked, not its count.)
    expect(lines.length).toBeGreaterThan(ROWS);
    expect(lines.every((line, i) => line.startsWith(`${String(i + 1).padStart(6)}\t`))).toBe(true);
  });

  it('else $PAGER', async () => {
    const { exitCode, output } = await onPty(LONG, { PAGER: 'cat -n' });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/^\s+1\ttask-0004 /);
  });

  it('pages JSON and YAML on a terminal too', async () => {
    const { exitCode, output } = await onPty([...LONG, '-o', 'yaml'], { HSS_PAGER: 'cat -n' });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/^\s+1\tok: true\n\s+2\ttask:\n/);
  });

  it.each([
    ['text shorter than the terminal', ['task', 'list', '--limit', '3'], {}],
    ['--no-pager', [...LONG, '--no-pager'], {}],
    ['CI', LONG, { CI: 'true' }],
    ['HSS_PAGER empty', LONG, { HSS_PAGER: '', PAGER: 'cat -n' }],
    ['HSS_PAGER=cat', LONG, { HSS_PAGER: 'cat', PAGER: 'cat -n' }],
  ])('not for %s', async (_name, args, env) => {
    const { exitCode, output } = await onPty(args, { PAGER: 'cat -n', ...env });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/^(TASK ID|task-0004) /);
  });

  it('never off a terminal, JSON included', async () => {
    for (const format of ['text', 'json']) {
      const r = await hss([...LONG, '-o', format], { env: { ...sb.env(), HSS_PAGER: 'cat -n' } });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^(task-0004 |\{)/);
    }
  });

  it('a pager that quits early (q in less): quiet, and the exit code is the command’s own', async () => {
    // task wait of a task that finished with 210 failed clusters: a long table, exit 7.
    const { exitCode, output } = await onPty(['task', 'wait', 'task-0004'], { HSS_PAGER: 'head -n 2' });
    expect(exitCode, output).toBe(7);
    // The pager showed two lines of the result (the outcome and the table's header), then quit.
    expect(output).toMatch(/\nCLUSTER ID +NAME .*\nerror: task task-0004 finished with 210 failed clusters/);
    expect(output).not.toMatch(/^c-0004-\d+ /m);
    expect(output).not.toMatch(/EPIPE|internal error|cannot write/);
  });

  it('a pager that quits before reading 150 KB of JSON: the broken pipe is not an error', async () => {
    const { exitCode, output } = await onPty([...LONG, '-o', 'json'], { HSS_PAGER: 'head -n 2' });
    expect(exitCode, output).toBe(0);
    expect(output.trimEnd()).toBe('{\n  "ok": true,');
  });

  it('runs the pager without a shell: its words are arguments, nothing else runs', async () => {
    const marker = path.join(tempDir(), 'ran');
    const script = 'process.stdin.resume(); console.log(JSON.stringify(process.argv.slice(1)))';
    const pager = `node -e '${script}' "two words" ';' touch ${marker} '$(touch ${marker})'`;
    const { exitCode, output } = await onPty(LONG, { HSS_PAGER: pager });
    expect(exitCode, output).toBe(0);
    expect(JSON.parse(output.trim())).toEqual(['two words', ';', 'touch', marker, `$(touch ${marker})`]);
    expect(existsSync(marker)).toBe(false);
  });

  it('the pager gets the environment of hss without its secrets', async () => {
    const script =
      'process.stdin.resume(); const e = process.env; console.log(JSON.stringify([e.HSS_TOKEN ?? null, e.HSS_PROJECT_ID ?? null]))';
    const { exitCode, output } = await onPty(LONG, { HSS_PAGER: `node -e '${script}'` });
    expect(exitCode, output).toBe(0);
    expect(JSON.parse(output.trim())).toEqual([null, SANDBOX_PROJECT_ID]);
  });

  it('a pager that cannot start: a warning, and the text as it would be without one', async () => {
    const { exitCode, output } = await onPty(LONG, { HSS_PAGER: 'no-such-pager-here --flag' });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(
      /^warning: cannot run the pager "no-such-pager-here --flag" \(ENOENT\); printing without it/,
    );
    const lines = output.trimEnd().split('\n');
    expect(lines[1]).toBe('task-0004  fleet-scan-all-regions');
    expect(lines.length).toBeGreaterThan(ROWS);
  });

  const hasLess = spawnSync('less', ['--version']).status === 0;
  it.skipIf(!hasLess)(
    'the default, less -FRX: q quits it at the first screen, exit 0, nothing more said',
    async () => {
      const session = hssOnPty(LONG, { env: { ...sb.env() }, rows: ROWS });
      // less shows one screen and its prompt, then waits.
      await session.waitFor(':\u001b[K');
      session.type('q');
      const { exitCode, output } = await session.exit;
      expect(exitCode, output).toBe(0);
      expect(plain(output)).toContain('task-0004  fleet-scan-all-regions');
      expect(plain(output)).not.toMatch(/c-0004-0250|EPIPE|error|warning/);
    },
  );

  it('Ctrl-C is the pager’s: hss waits for it to close and keeps its exit code', async () => {
    // A pager that ignores Ctrl-C, as less does, and is still open when it comes.
    const pager = `sh -c 'trap "" INT; cat; sleep 1; echo pager closed'`;
    const session = hssOnPty(LONG, { env: { ...sb.env(), HSS_PAGER: pager }, rows: ROWS });
    await session.waitFor('c-0004-0250');
    session.interrupt();
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(0);
    // The terminal echoes the Ctrl-C (`^C`); the pager went on to close by itself.
    expect(plain(output).trimEnd()).toMatch(/pager closed$/);
  });
});
