/**
 * The start-up shortcuts of bin/hss.js answer exactly as the full CLI does, and --debug stack traces
 * point at src/ through the bundle's source maps (docs/performance.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, ROOT } from '../helpers/cli.js';

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

describe('--debug', () => {
  it('shows stack traces that point at src/, not at the bundle', async () => {
    const r = await hss(['--debug', 'task', 'retry', 'task-0001']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: say what to retry');
    expect(r.stderr).toMatch(/at \S+ \(\S*src\/commands\/task-retry\.ts:\d+:\d+\)/);
    expect(r.stderr).not.toContain('dist/');
  });

  it('HSS_DEBUG=1 does the same', async () => {
    const r = await hss(['task', 'retry', 'task-0001'], { env: { HSS_DEBUG: '1' } });
    expect(r.stderr).toMatch(/src\/commands\/task-retry\.ts:\d+:\d+/);
  });

  it('without it there is no stack trace at all', async () => {
    const r = await hss(['task', 'retry', 'task-0001']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: say what to retry: --all-failed, --cluster <id[:types]> or --cluster-file <file|->\n' +
        'hint: e.g. `hss task retry TASK_ID --all-failed`; see `hss task retry --help`\n',
    );
  });
});
