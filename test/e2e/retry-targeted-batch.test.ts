import { describe, expect, it } from 'vitest';
import { hss } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const RETRY_PATH = (task: string) => `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/retry`;
const FAILED_PAGE = (task: string, offset: number) =>
  `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/resources/batch-query?offset=${offset}&limit=200`;
const FAILED_FILTER = '{"task_type":"cluster_scan","cluster_scan_info":{"scan_status":"failed"}}';
const LIST_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query`;

function specific(list: unknown[]): string {
  return JSON.stringify({
    task_type: 'cluster_scan',
    cluster_scan_info: { range_type: 'specific_cluster', cluster_info_list: list },
  });
}

describe('--all-failed --only <types>', () => {
  const sb = useSandbox();
  const wire = () => sb.sandbox.requests.map((r) => [r.method, r.path, r.body]);

  it('retries only the listed types, only on the clusters where they failed', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--only', 'benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(wire()).toEqual([
      ['POST', FAILED_PAGE('task-0001', 0), FAILED_FILTER],
      [
        'PUT',
        RETRY_PATH('task-0001'),
        specific([{ cluster_id: 'cce-prod-02', scan_type_list: ['benchmark'] }]),
      ],
    ]);
    expect(r.stdout).toMatch(/^✔ task-0001: retry accepted for 1 cluster \(X-Request-Id [0-9a-f]{32}\)\n$/);
  });

  it('several types: each failed cluster gets the ones that failed there, in the API order', async () => {
    const r = await hss(
      ['task', 'retry', 'task-0001', '--all-failed', '--only', 'benchmark, cluster_vul', '--json'],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests[1]?.body).toBe(
      specific([
        { cluster_id: 'cce-prod-02', scan_type_list: ['benchmark'] },
        { cluster_id: 'aws-eks-01', scan_type_list: ['cluster_vul'] },
      ]),
    );
    expect(JSON.parse(r.stdout).results[0].body.cluster_scan_info.cluster_info_list).toHaveLength(2);
  });

  it('a type that failed nowhere: says so, exit 0, no RetryTask', async () => {
    const r = await hss(['task', 'retry', 'task-0104', '--all-failed', '--only', 'benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '– none of the 1 failed cluster of task task-0104 failed benchmark; nothing to retry\n',
    );
    // The task is read too: a running task would be refused rather than skipped.
    expect(wire()).toEqual([
      ['POST', FAILED_PAGE('task-0104', 0), FAILED_FILTER],
      [
        'POST',
        `${LIST_PATH}?offset=0&limit=10`,
        '{"task_type":"cluster_scan","task_id":"task-0104","sort_key":"start_time","sort_dir":"desc"}',
      ],
    ]);
  });

  it('in JSON the skipped task is an ok result with the reason', async () => {
    const r = await hss(['task', 'retry', 'task-0104', '--all-failed', '--only', 'benchmark', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      results: [
        {
          task_id: 'task-0104',
          ok: true,
          skipped: true,
          message: 'none of the 1 failed cluster of task task-0104 failed benchmark; nothing to retry',
        },
      ],
    });
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT')).toHaveLength(0);
  });

  it.each([
    ['with', ['--only', 'benchmark']],
    ['without', []],
  ])('a task with no failed cluster is exit 5 %s --only, and nothing is retried', async (_name, only) => {
    const r = await hss(['task', 'retry', 'task-0003', '--all-failed', ...only], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toMatch(/^✖ task-0003: .*no failed cluster/);
    expect(r.stderr).toMatch(/^error: .*no failed cluster/);
    const json = await hss(['task', 'retry', 'task-0003', '--all-failed', ...only, '--json'], {
      env: sb.env(),
    });
    expect(json.exitCode).toBe(5);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      ok: false,
      results: [{ task_id: 'task-0003', ok: false }],
      error: { code: 'API' },
    });
    expect(doc.results[0].skipped).toBeUndefined();
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT' && q.status === 200)).toHaveLength(0);
  });

  it.each([
    // task-0002's failed cluster failed risk_assessment: benchmark matches nothing there.
    ['matches nothing', 'benchmark'],
    ['matches a failed cluster', 'risk_assessment'],
  ])('a running task is exit 5 with --only when it %s, and nothing is retried', async (_name, type) => {
    const r = await hss(['task', 'retry', 'task-0002', '--all-failed', '--only', type], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toMatch(/^✖ task-0002: .*running/);
    expect(r.stderr).toMatch(/^error: .*running/);
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT' && q.status === 200)).toHaveLength(0);
  });

  it('more than 200 matching clusters: refused with exit 2 after reading every page; nothing retried', async () => {
    const r = await hss(
      ['task', 'retry', 'task-0004', '--all-failed', '--only', 'benchmark,risk_assessment'],
      {
        env: sb.env(),
      },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: --only benchmark,risk_assessment: 210 failed clusters of task task-0004 match, but one retry takes at most 200; nothing was retried\n' +
        'hint: retry every failed cluster with --all-failed alone, or up to 200 at a time with --cluster-file\n',
    );
    expect(wire()).toEqual([
      ['POST', FAILED_PAGE('task-0004', 0), FAILED_FILTER],
      ['POST', FAILED_PAGE('task-0004', 200), FAILED_FILTER],
    ]);
  });

  it('200 or fewer out of a task with 210 failed clusters fit one request (--dry-run shows it)', async () => {
    const r = await hss(
      ['task', 'retry', 'task-0004', '--all-failed', '--only', 'risk_assessment', '--dry-run', '--json'],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout).requests[0].body;
    expect(body.cluster_scan_info.range_type).toBe('specific_cluster');
    expect(body.cluster_scan_info.cluster_info_list).toHaveLength(140);
    expect(body.cluster_scan_info.cluster_info_list[0]).toEqual({
      cluster_id: 'c-0004-0004',
      scan_type_list: ['risk_assessment'],
    });
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT')).toHaveLength(0);
  });

  it.each([
    [['--cluster', 'c-1', '--only', 'benchmark'], /--only works with --all-failed/],
    [
      ['--all-failed', '--only', 'vuln'],
      /--only "vuln": scan type "vuln" is not one of cluster_vul, risk_assessment, benchmark/,
    ],
    [
      ['--all-failed', '--only', 'benchmark,benchmark'],
      /--only "benchmark,benchmark": names a scan type twice/,
    ],
    [['--all-failed', '--only', ''], /--only "": scan type "" is not one of/],
    [['--all-failed', '--interval', '1s'], /--interval only apply with --wait/],
    [['--all-failed', '--wait', '--dry-run'], /--wait and --dry-run cannot be combined/],
    [['--all-failed', '--wait', '--wait-timeout', '200h'], /--wait-timeout "200h": must be at most 7 days/],
  ])('bad input %j: exit 2, one line, nothing sent', async (args, message) => {
    const r = await hss(['task', 'retry', 'task-0001', ...args], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('--only takes exactly one task ID', async () => {
    const r = await hss(['task', 'retry', 'task-0001', 'task-0005', '--all-failed', '--only', 'benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --only takes exactly one task ID; 2 were given\n/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('batch retry', () => {
  const sb = useSandbox({ progressMs: 800 });

  it('with --wait: each task followed, results in input order with the task summary, exit the highest', async () => {
    const r = await hss(
      ['task', 'retry', '-', '--all-failed', '--wait', '--interval', '150ms', '--concurrency', '2', '--json'],
      { env: sb.env(), input: 'task-0005\n# refused: nothing failed\ntask-0003\ntask-0001\n\ntask-0005\n' },
    );
    expect(r.exitCode, r.stderr).toBe(7);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.results.map((i: { task_id: string }) => i.task_id)).toEqual([
      'task-0005',
      'task-0003',
      'task-0001',
    ]);
    const [edge, refused, nightly] = doc.results;
    expect(edge).toMatchObject({
      ok: false,
      http_status: 200,
      task: { task_id: 'task-0005', task_status: 'finished' },
      failed_clusters: [{ cluster_id: 'idc-edge-01' }],
      error: { code: 'WAIT_FAILED', exit_code: 7 },
    });
    expect(refused).toMatchObject({
      ok: false,
      http_status: 400,
      error: { code: 'API', exit_code: 5, api_error_code: 'HSS.1302' },
    });
    expect(refused.task).toBeUndefined();
    expect(nightly).toMatchObject({
      ok: true,
      http_status: 200,
      task: { task_id: 'task-0001', task_status: 'finished', cluster_scan_info: { failed_cluster_num: 0 } },
      failed_clusters: [],
    });
    expect(nightly.error).toBeUndefined();
    // One credential for the whole batch: every request carries the same token and project.
    expect(new Set(sb.sandbox.requests.map((q) => q.headers['x-auth-token']))).toEqual(
      new Set([SANDBOX_TOKEN]),
    );
    expect(sb.sandbox.requests.every((q) => q.path.startsWith(`/v5/${SANDBOX_PROJECT_ID}/`))).toBe(true);
    expect(
      sb.sandbox.requests
        .filter((q) => q.method === 'PUT')
        .map((q) => q.path)
        .sort(),
    ).toEqual([RETRY_PATH('task-0001'), RETRY_PATH('task-0003'), RETRY_PATH('task-0005')]);
  });

  it('text: one line per task on stdout, the closing error on stderr; exit the highest of the items', async () => {
    const r = await hss(['task', 'retry', 'task-0002', 'task-0001', 'no-such-task', '--all-failed'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(5);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^✖ task-0002: RetryTask task-0002 was refused by the API: .*running/);
    expect(lines[1]).toMatch(/^✔ task-0001: retry accepted for all failed clusters/);
    expect(lines[2]).toMatch(
      /^✖ no-such-task: RetryTask no-such-task was refused by the API: .*does not exist/,
    );
    expect(r.stderr).toBe('error: 2 tasks of 3 failed\n');
  });

  it('text: one task or several, the same lines on the same streams', async () => {
    const one = await hss(['task', 'retry', 'task-0002', '--all-failed'], { env: sb.env() });
    const two = await hss(['task', 'retry', 'task-0002', 'task-0003', '--all-failed'], { env: sb.env() });
    const line = (r: { stdout: string }) => r.stdout.split('\n')[0]?.replace(/X-Request-Id [0-9a-f]+/, 'X');
    expect(line(one)).toMatch(/^✖ task-0002: /);
    expect(line(two)).toBe(line(one));
    expect(one.stderr).toMatch(/^error: RetryTask task-0002 was refused by the API: /);
    expect(two.stderr).toBe('error: 2 tasks of 2 failed\n');
  });
});

describe('batch concurrency', () => {
  const SLOW_MS = 600;
  const sb = useSandbox({ faults: [`slow:${SLOW_MS}@retry`] });

  it('--concurrency 2 keeps at most two RetryTask requests in flight', async () => {
    const r = await hss(['task', 'retry', '-', '--all-failed', '--concurrency', '2', '--json'], {
      env: sb.env(),
      input: 'task-0001\ntask-0004\ntask-0005\ntask-0006\n',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const arrivals = sb.sandbox.requests.map((q) => q.at).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(4);
    // The first two go out together; each later one only after an earlier answer (≥ SLOW_MS later).
    expect(arrivals[1]! - arrivals[0]!).toBeLessThan(SLOW_MS);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(arrivals[3]! - arrivals[1]!).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(JSON.parse(r.stdout).results.map((i: { task_id: string }) => i.task_id)).toEqual([
      'task-0001',
      'task-0004',
      'task-0005',
      'task-0006',
    ]);
  });

  it('the default of 4 sends four at once', async () => {
    const r = await hss(
      ['task', 'retry', 'task-0001', 'task-0004', 'task-0005', 'task-0006', '--all-failed'],
      {
        env: sb.env(),
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const arrivals = sb.sandbox.requests.map((q) => q.at).sort((a, b) => a - b);
    expect(arrivals[3]! - arrivals[0]!).toBeLessThan(SLOW_MS);
  });
});
