/**
 * Every error whose fix is known says it: a `hint:` line under the message (and `error.hint` in JSON).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const busy = useSandbox({ faults: ['503x1000@retry'] });
const throttled = useSandbox({ faults: ['429x1000@retry'] });

function hintOf(stderr: string): string | undefined {
  return /^hint: (.*)$/m.exec(stderr)?.[1];
}

describe('errors carry a hint where the fix is known', () => {
  it('nothing said about what to retry', async () => {
    const r = await hss(['task', 'retry', 'task-0001'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(hintOf(r.stderr)).toBe('e.g. `hss task retry TASK_ID --all-failed`; see `hss task retry --help`');
  });

  it('"-" given with other task IDs', async () => {
    const r = await hss(['task', 'retry', '-', 'task-0002', '--all-failed'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(hintOf(r.stderr)).toBe('put every task ID on standard input, one a line');
  });

  it('--cluster with several task IDs', async () => {
    const r = await hss(['task', 'retry', 'task-0001', 'task-0002', '--cluster', 'c-1'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(hintOf(r.stderr)).toBe('retry the tasks one at a time, or use --all-failed, which takes several');
  });

  it('a cluster file without a cluster', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--cluster-file', '-'], {
      env: sb.env(),
      input: '# nothing\n\n',
    });
    expect(r.exitCode).toBe(2);
    expect(hintOf(r.stderr)).toMatch(/^one cluster a line, e\.g\. "cce-prod-01"/);
  });

  it('standard input claimed twice', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--cluster-file', '-', '--token-stdin'], {
      env: sb.env({ HSS_TOKEN: undefined }),
      input: 'c-1\n',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: standard input can feed only one of/);
    expect(hintOf(r.stderr)).toMatch(/HSS_TOKEN instead of --token-stdin/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('an endpoint that is not a URL, or carries a password', async () => {
    const notUrl = await hss(['task', 'retry', 'task-0001', '--all-failed', '--endpoint', 'hss.example'], {
      env: sb.env(),
    });
    expect(notUrl.exitCode).toBe(2);
    expect(hintOf(notUrl.stderr)).toBe('give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com');
    const withPassword = await hss(
      ['task', 'retry', 'task-0001', '--all-failed', '--endpoint', 'https://u:p@hss.example'],
      { env: sb.env() },
    );
    expect(withPassword.exitCode).toBe(2);
    expect(hintOf(withPassword.stderr)).toMatch(/^remove the user:password@ part/);
  });

  it('a service that keeps failing, or throttling', async () => {
    const failing = await hss(['task', 'retry', 'task-0001', '--all-failed', '--max-attempts', '1'], {
      env: busy.env(),
    });
    expect(failing.exitCode).toBe(6);
    expect(hintOf(failing.stderr)).toBe(
      'the service is failing or busy: try again later; --max-attempts sets how often hss retries',
    );
    const limited = await hss(
      ['task', 'retry', 'task-0001', '--all-failed', '--max-attempts', '1', '--json'],
      {
        env: throttled.env(),
      },
    );
    expect(limited.exitCode).toBe(6);
    expect(JSON.parse(limited.stdout).error.hint).toMatch(/^the API is throttling requests/);
  });

  it('a config folder that cannot be created', async () => {
    const parent = tempDir();
    writeFileSync(path.join(parent, 'file'), '');
    const r = await hss(['profile', 'set', 'lab', '--region', 'cn-north-4'], {
      env: { HSS_CONFIG_DIR: path.join(parent, 'file', 'hss') },
    });
    expect(r.exitCode).toBe(3);
    expect(hintOf(r.stderr)).toBe('point HSS_CONFIG_DIR at a folder you can write');
  });

  it('a profile store that cannot be read', async () => {
    const configDir = tempDir();
    mkdirSync(path.join(configDir, 'config.json'));
    const r = await hss(['profile', 'list'], { configDir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: cannot read the profile store .*config\.json: EISDIR/);
    expect(hintOf(r.stderr)).toMatch(/HSS_CONFIG_DIR/);
  });

  it('--unset of a field the profile does not have lists the fields it has', async () => {
    const configDir = tempDir();
    await hss(['profile', 'set', 'lab', '--region', 'cn-north-4'], { configDir });
    const r = await hss(['profile', 'set', 'lab', '--unset', 'endpoint'], { configDir });
    expect(r.exitCode).toBe(2);
    expect(hintOf(r.stderr)).toBe('its fields: region');
  });
});
