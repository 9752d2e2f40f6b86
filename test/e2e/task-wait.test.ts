import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, sandboxLogin, useSandbox } from '../helpers/sandbox.js';

/** How long a retried task runs in the sandbox: short, so the suite stays fast. */
const PROGRESS_MS = 800;
const FAST = ['--interval', '150ms'];
const LIST_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query?offset=0&limit=10`;
const FAILED_PATH = (task: string) =>
  `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/resources/batch-query?offset=0&limit=200`;
const POLL_BODY = (task: string) =>
  JSON.stringify({ task_type: 'cluster_scan', task_id: task, sort_key: 'start_time', sort_dir: 'desc' });

type Kind = 'list' | 'retry' | 'resources' | 'other';
function kind(path: string): Kind {
  if (path.includes('/resources/')) return 'resources';
  if (path.includes('/retry')) return 'retry';
  if (path.includes('/tasks/batch-query')) return 'list';
  return 'other';
}

describe('waiting', () => {
  const sb = useSandbox({ progressMs: PROGRESS_MS });
  const kinds = () => sb.sandbox.requests.map((r) => kind(r.path));

  it('task wait after a retry: one stderr line per change, exit 0 when no cluster failed', async () => {
    expect(
      (await hss(['task', 'retry', 'task-0001', '--all-failed', '-q'], { env: sb.env() })).exitCode,
    ).toBe(0);
    sb.sandbox.requests.length = 0;
    const r = await hss(['task', 'wait', 'task-0001', ...FAST], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ task-0001 finished: 5 clusters, none failed \(waited [\d.]+m?s\)\n$/);
    // The retried clusters finish one after the other: the counts move, and each change is one line.
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^task-0001: running · [12] scanning, [34] succeeded, 0 failed$/);
    expect(lines.at(-1)).toBe('task-0001: finished · 0 scanning, 5 succeeded, 0 failed');
    expect(new Set(lines).size).toBe(lines.length);
    // Polls are ListTasks by task_id, one for each line at least (how many more depends on how far the
    // task got while the CLI started); nothing failed, so no per-cluster read.
    expect(sb.sandbox.requests.length).toBeGreaterThanOrEqual(lines.length);
    for (const req of sb.sandbox.requests) {
      expect([req.method, req.path, req.body]).toEqual(['POST', LIST_PATH, POLL_BODY('task-0001')]);
    }
  });

  it('exit 7 when the task finishes with failed clusters, listed with their reasons', async () => {
    await hss(['task', 'retry', 'task-0005', '--all-failed', '-q'], { env: sb.env() });
    const r = await hss(['task', 'wait', 'task-0005', ...FAST, '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(7);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: false,
      task: { task_id: 'task-0005', task_status: 'finished', cluster_scan_info: { failed_cluster_num: 1 } },
      failed_clusters: [
        {
          cluster_id: 'idc-edge-01',
          scan_status: 'failed',
          scan_detail_list: [
            {
              scan_type: 'cluster_vul',
              status: 'failed',
              failed_reason: 'agent not installed on cluster nodes',
            },
            { scan_type: 'risk_assessment', status: 'failed' },
            { scan_type: 'benchmark', status: 'failed' },
          ],
        },
      ],
      error: {
        code: 'WAIT_FAILED',
        exit_code: 7,
        message: 'task task-0005 finished with 1 failed cluster: idc-edge-01',
        hint: expect.stringContaining('hss task show task-0005 --failed'),
      },
    });
    const last = sb.sandbox.requests.at(-1)!;
    expect([last.path, last.body]).toEqual([
      FAILED_PATH('task-0005'),
      '{"task_type":"cluster_scan","cluster_scan_info":{"scan_status":"failed"}}',
    ]);
  });

  it('exit 8 after --wait-timeout while the task keeps running', async () => {
    const started = Date.now();
    const r = await hss(['task', 'wait', 'task-0002', '--wait-timeout', '1s', '--interval', '200ms'], {
      env: sb.env(),
    });
    const took = Date.now() - started;
    expect(r.exitCode, r.stderr).toBe(8);
    expect(r.stdout).toBe(
      '✖ task-0002 running after 1s (2 scanning, 2 succeeded, 1 failed); gave up waiting\n',
    );
    // The closing error and its hint go to stderr, after the progress lines.
    expect(r.stderr).toMatch(
      /\nerror: gave up waiting for task task-0002: running after 1s \(2 scanning, 2 succeeded, 1 failed\)\nhint: raise --wait-timeout, or follow it again with `hss task wait task-0002`\n$/,
    );
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(6000);
    expect(new Set(kinds())).toEqual(new Set(['list']));
    expect(sb.sandbox.requests.length).toBeGreaterThanOrEqual(3);
  });

  it('a finished task with no failures returns at once after one poll', async () => {
    const r = await hss(['task', 'wait', 'task-0003'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ task-0003 finished: 4 clusters, none failed/);
    expect(kinds()).toEqual(['list']);
  });

  it('retry --wait: reads the task, retries, follows it; JSON has the task summary in the result', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--wait', ...FAST, '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const k = kinds();
    expect(k.slice(0, 2)).toEqual(['list', 'retry']);
    expect(k.slice(2).every((x) => x === 'list')).toBe(true);
    expect(k.length).toBeGreaterThanOrEqual(4);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      ok: true,
      results: [
        {
          task_id: 'task-0001',
          ok: true,
          http_status: 200,
          request_id: sb.sandbox.requests[1]!.requestId,
          body: { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } },
          task: expect.objectContaining({
            task_id: 'task-0001',
            task_status: 'finished',
            cluster_scan_info: expect.objectContaining({ success_cluster_num: 5, failed_cluster_num: 0 }),
          }),
          failed_clusters: [],
        },
      ],
    });
  });

  it('retry --wait on task-0006: exit 7 after the first retry, 0 after the second', async () => {
    const first = await hss(['task', 'retry', 'task-0006', '--all-failed', '--wait', ...FAST], {
      env: sb.env(),
    });
    expect(first.exitCode, first.stderr).toBe(7);
    // Accepted (a success mark), then still failing (a failure mark): each line's mark is its own.
    expect(first.stdout).toMatch(
      /^✔ task-0006: retry accepted for all failed clusters \(X-Request-Id [0-9a-f]{32}\)\n✖ task-0006: still failing after the wait: 2 of 3 clusters failed \(waited [^)]+\)\n/,
    );
    expect(first.stderr).toMatch(
      /\nerror: task task-0006 finished with 2 failed clusters: ali-ack-01, tencent-tke-01\nhint: see why with `hss task show task-0006 --failed`/,
    );
    expect(first.stdout).toMatch(
      /ali-ack-01 .* failed +cluster_vul failed: scan job was evicted from the node/,
    );
    expect(first.stdout).toMatch(/tencent-tke-01 .* failed +risk_assessment, benchmark failed: /);
    const second = await hss(['task', 'retry', 'task-0006', '--all-failed', '--wait', ...FAST], {
      env: sb.env(),
    });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/\n✔ task-0006: finished: 3 clusters, none failed \(waited [^)]+\)\n$/);
  });

  it('Ctrl-C during the wait stops at once with exit 130', async () => {
    const configDir = tempDir();
    const child = execa(process.execPath, [BIN, 'task', 'wait', 'task-0002', '--interval', '10s'], {
      env: { ...baseEnv(configDir), ...sb.env() } as Record<string, string>,
      extendEnv: false,
      reject: false,
    });
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('task-0002: running')) resolve();
      });
    });
    const signalled = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(Date.now() - signalled).toBeLessThan(2000);
    expect(result.exitCode).toBe(130);
    expect(String(result.stderr)).toContain('error: interrupted by SIGINT');
  });
});

describe('polling survives a transient error through the retry policy', () => {
  const sb = useSandbox({ progressMs: PROGRESS_MS, faults: ['503x1@list'] });

  it('a 503 on a poll is retried and the wait ends normally', async () => {
    await hss(['task', 'retry', 'task-0001', '--all-failed', '-q'], { env: sb.env() });
    const r = await hss(['task', 'wait', 'task-0001', ...FAST], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const polls = sb.sandbox.requests.filter((q) => kind(q.path) === 'list');
    expect(polls[0]?.status).toBe(503);
    expect(polls.slice(1).every((q) => q.status === 200)).toBe(true);
    expect(r.stderr).not.toContain('error');
  });
});

describe('an auth error while waiting is not survived', () => {
  const sb = useSandbox({ progressMs: 60_000, tokenTtlMs: 2500 });

  it('a token that expires mid-wait ends it with exit 4 and no retry of the 401', async () => {
    const { token } = await sandboxLogin(sb.url);
    expect(token).toBeTruthy();
    sb.sandbox.requests.length = 0;
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--wait', '--interval', '200ms'], {
      env: sb.env({ HSS_TOKEN: token! }),
    });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/^error: ListTasks was refused: authentication failed: .*token expires/m);
    expect(r.stderr).toContain('hint: HSS_TOKEN was refused');
    const statuses = sb.sandbox.requests.map((q) => [kind(q.path), q.status]);
    expect(statuses.slice(0, 3)).toEqual([
      ['list', 200],
      ['retry', 200],
      ['list', 200],
    ]);
    expect(statuses.at(-1)).toEqual(['list', 401]);
    expect(statuses.filter(([, status]) => status === 401)).toHaveLength(1);
  });
});

describe('the wait deadline bounds a request in flight', () => {
  const sb = useSandbox({ faults: ['hang@list'] });

  it('a poll that never answers ends at --wait-timeout with exit 8, not at the request timeout', async () => {
    const started = Date.now();
    const r = await hss(['task', 'wait', 'task-0001', '--wait-timeout', '1s', '--json'], { env: sb.env() });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.exitCode, r.stderr).toBe(8);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {
        code: 'WAIT_TIMEOUT',
        exit_code: 8,
        message: 'gave up waiting for task task-0001: no answer from the API within 1s',
        hint: 'raise --wait-timeout, or follow it again with `hss task wait task-0001`',
      },
    });
  });
});

describe('hss sandbox --progress', () => {
  it('sets how long a retried task runs', async () => {
    const configDir = tempDir();
    const env = { ...baseEnv(configDir) };
    const server = execa(process.execPath, [BIN, 'sandbox', '--port', '0', '--progress', '600ms', '--json'], {
      env,
      extendEnv: false,
      reject: false,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n')[0];
          if (out.includes('\n') && line) resolve(JSON.parse(line).url);
        });
        server.catch(reject);
      });
      const started = Date.now();
      const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--wait', '--interval', '100ms'], {
        env: { HSS_ENDPOINT: url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN },
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(600);
      expect(r.stdout).toContain('finished: 5 clusters, none failed');
    } finally {
      server.kill('SIGINT');
      expect((await server).exitCode).toBe(0);
    }
  });
});

describe('a signal during retry --wait still reports the accepted retry', () => {
  // The retried task runs for a minute: the wait is certain to be under way when the signal comes.
  const sb = useSandbox({ progressMs: 60_000 });

  /** Starts `hss task retry … --wait`, and resolves once the sandbox has accepted the retry. */
  async function retryUnderWay(extra: string[]) {
    const configDir = tempDir();
    const child = execa(
      process.execPath,
      [BIN, 'task', 'retry', 'task-0001', '--all-failed', '--wait', '--interval', '200ms', ...extra],
      {
        env: { ...baseEnv(configDir), ...sb.env() } as Record<string, string>,
        extendEnv: false,
        reject: false,
        stripFinalNewline: false,
      },
    );
    const accepted = () => sb.sandbox.requests.find((q) => q.method === 'PUT' && q.status === 200);
    for (const end = Date.now() + 10_000; !accepted(); ) {
      if (Date.now() > end) throw new Error('the retry was not accepted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // At least one poll after the retry: the wait is under way.
    for (const end = Date.now() + 10_000; sb.sandbox.requests.length < 3; ) {
      if (Date.now() > end) throw new Error('no poll after the retry');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { child, requestId: accepted()!.requestId };
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'text, %s: the accepted line on stdout, then the interruption on stderr',
    async (signal, code) => {
      const { child, requestId } = await retryUnderWay([]);
      child.kill(signal);
      const done = await child;
      expect(done.exitCode).toBe(code);
      expect(done.stdout).toBe(
        `✔ task-0001: retry accepted for all failed clusters (X-Request-Id ${requestId})\n`,
      );
      expect(String(done.stderr)).toMatch(new RegExp(`\\nerror: interrupted by ${signal}\\n$`));
    },
  );

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'JSON, %s: one document with the accepted item and the INTERRUPTED error',
    async (signal, code) => {
      const { child, requestId } = await retryUnderWay(['--json']);
      child.kill(signal);
      const done = await child;
      expect(done.exitCode).toBe(code);
      const error = { code: 'INTERRUPTED', message: `interrupted by ${signal}`, exit_code: code };
      expect(JSON.parse(String(done.stdout))).toEqual({
        ok: false,
        results: [
          {
            task_id: 'task-0001',
            ok: false,
            http_status: 200,
            request_id: requestId,
            body: { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } },
            error,
          },
        ],
        error,
      });
    },
  );
});
