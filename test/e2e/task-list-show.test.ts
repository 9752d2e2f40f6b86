import { describe, expect, it } from 'vitest';
import { hss } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const LIST_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query`;
const RESOURCES_PATH = (task: string) =>
  `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/resources/batch-query`;
const SORT = { sort_key: 'start_time', sort_dir: 'desc' };
/** Tasks the sandbox seeds: task-0001…0006 and task-0100…0339. */
const SEEDED_TASKS = 246;

function wire() {
  return sb.sandbox.requests.map((r) => ({ method: r.method, path: r.path, body: JSON.parse(r.body) }));
}

describe('hss task list', () => {
  it('shows the newest 20 in an aligned table from one request', async () => {
    const r = await hss(['task', 'list'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(wire()).toEqual([
      {
        method: 'POST',
        path: `${LIST_PATH}?offset=0&limit=20`,
        body: { task_type: 'cluster_scan', ...SORT },
      },
    ]);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[0]).toMatch(/^TASK ID\s+NAME\s+STATUS\s+TRIGGER\s+STARTED\s+OK\s+FAILED\s+SCANNING$/);
    expect(lines[1]).toMatch(
      /^task-0002\s+manual-scan-payments\s+running\s+manual\s+1[01]m ago\s+2\s+1\s+2$/,
    );
    expect(lines[2]).toMatch(/^task-0001\s+nightly-cluster-scan\s+finished\s+schedule\s+.+\s+3\s+2\s+0$/);
    // Aligned: every row's STATUS column starts where the header's does.
    const at = lines[0]!.indexOf('STATUS');
    expect(lines.slice(1, 21).every((l) => /^(running|finished|ready) /.test(l.slice(at)))).toBe(true);
    expect(lines[21]).toBe(`20 of ${SEEDED_TASKS} tasks shown; --limit <n> or --all for more`);
  });

  it('--all pages 200 at a time until total_num and returns every task once, newest first', async () => {
    const r = await hss(['task', 'list', '--all', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.path)).toEqual([
      `${LIST_PATH}?offset=0&limit=200`,
      `${LIST_PATH}?offset=200&limit=200`,
    ]);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.total_num).toBe(SEEDED_TASKS);
    expect(doc.tasks).toHaveLength(SEEDED_TASKS);
    const ids = doc.tasks.map((t: { task_id: string }) => t.task_id);
    expect(new Set(ids).size).toBe(SEEDED_TASKS);
    expect(ids).toContain('task-0339');
    const starts = doc.tasks.map((t: { start_time: number }) => t.start_time);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it('keeps the API field names in JSON', async () => {
    const r = await hss(['task', 'list', '--name', 'nightly', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      total_num: 1,
      tasks: [
        {
          task_id: 'task-0001',
          task_type: 'cluster_scan',
          task_name: 'nightly-cluster-scan',
          trigger_type: 'schedule',
          task_status: 'finished',
          start_time: expect.any(Number),
          end_time: expect.any(Number),
          estimated_time: 0,
          cluster_scan_info: {
            scan_type_list: ['cluster_vul', 'risk_assessment', 'benchmark'],
            scanning_cluster_num: 0,
            success_cluster_num: 3,
            failed_cluster_num: 2,
          },
        },
      ],
    });
  });

  it('sends each filter as its body field', async () => {
    const since = '2026-11-25T00:00:00Z';
    const r = await hss(
      [
        'task',
        'list',
        '--status',
        'finished',
        '--trigger',
        'schedule',
        '--name',
        'Scan',
        '--since',
        since,
        '--json',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(wire()).toEqual([
      {
        method: 'POST',
        path: `${LIST_PATH}?offset=0&limit=20`,
        body: {
          task_type: 'cluster_scan',
          task_name: 'Scan',
          task_status: 'finished',
          trigger_type: 'schedule',
          start_create_time: Date.parse(since),
          ...SORT,
        },
      },
    ]);
    const tasks = JSON.parse(r.stdout).tasks as Array<Record<string, unknown>>;
    expect(tasks.length).toBeGreaterThan(1);
    for (const t of tasks) {
      expect(t).toMatchObject({ task_status: 'finished', trigger_type: 'schedule' });
      expect(t['start_time']).toBeGreaterThanOrEqual(Date.parse(since));
    }
  });

  it('--since with a duration counts back from now; --limit below the API page floor asks 10 and shows n', async () => {
    const hours = 48;
    const before = Date.now();
    const r = await hss(['task', 'list', '--since', `${hours}h`, '--limit', '3'], { env: sb.env() });
    const after = Date.now();
    expect(r.exitCode, r.stderr).toBe(0);
    const [req] = wire();
    expect(req?.path).toBe(`${LIST_PATH}?offset=0&limit=10`);
    expect(req?.body.start_create_time).toBeGreaterThanOrEqual(before - hours * 3_600_000);
    expect(req?.body.start_create_time).toBeLessThanOrEqual(after - hours * 3_600_000);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('task-')),
    ).toHaveLength(3);
  });

  it("--since 12h finds the sandbox's recent tasks, whenever the sandbox was started", async () => {
    const r = await hss(['task', 'list', '--since', '12h', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const ids = (JSON.parse(r.stdout).tasks as Array<{ task_id: string }>).map((t) => t.task_id);
    expect(ids).toEqual(['task-0002', 'task-0001', 'task-0006', 'task-0005', 'task-0004', 'task-0003']);
  });

  it('--limit above one page reads the rest with a smaller last page', async () => {
    const r = await hss(['task', 'list', '--limit', '210', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.path)).toEqual([
      `${LIST_PATH}?offset=0&limit=200`,
      `${LIST_PATH}?offset=200&limit=10`,
    ]);
    expect(JSON.parse(r.stdout).tasks).toHaveLength(210);
  });

  it('says so when nothing matches', async () => {
    const r = await hss(['task', 'list', '--name', 'no-such-name'], { env: sb.env() });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'no tasks match\n', stderr: '' });
  });
});

describe('hss task show', () => {
  it('reads the summary and every page of a task with 250 clusters; JSON keeps API names', async () => {
    const r = await hss(['task', 'show', 'task-0004', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(wire()).toEqual([
      {
        method: 'POST',
        path: `${LIST_PATH}?offset=0&limit=10`,
        body: { task_type: 'cluster_scan', task_id: 'task-0004', ...SORT },
      },
      {
        method: 'POST',
        path: `${RESOURCES_PATH('task-0004')}?offset=0&limit=200`,
        body: { task_type: 'cluster_scan' },
      },
      {
        method: 'POST',
        path: `${RESOURCES_PATH('task-0004')}?offset=200&limit=200`,
        body: { task_type: 'cluster_scan' },
      },
    ]);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['ok', 'task', 'clusters']);
    expect(doc.task).toMatchObject({ task_id: 'task-0004', cluster_scan_info: { failed_cluster_num: 210 } });
    expect(doc.clusters).toHaveLength(250);
    expect(new Set(doc.clusters.map((c: { cluster_id: string }) => c.cluster_id)).size).toBe(250);
    expect(doc.clusters[4]).toEqual({
      cluster_name: 'fleet-0005',
      cluster_id: 'c-0004-0005',
      cluster_type: expect.any(String),
      cluster_version: expect.any(String),
      scan_status: 'failed',
      start_time: expect.any(Number),
      end_time: expect.any(Number),
      scan_detail_list: [
        { scan_type: 'cluster_vul', status: 'success' },
        {
          scan_type: 'risk_assessment',
          status: 'failed',
          failed_reason: 'scan job was evicted from the node',
        },
        { scan_type: 'benchmark', status: 'success' },
      ],
    });
  });

  it('shows failures first, in red, with each scan item and failed reason', async () => {
    const r = await hss(['task', 'show', 'task-0001'], { env: sb.env({ FORCE_COLOR: '1' }) });
    expect(r.exitCode, r.stderr).toBe(0);
    const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/^task-0001 {2}nightly-cluster-scan\n {2}status +finished \(schedule\)\n/);
    expect(plain).toContain('  clusters    5: 3 succeeded, 2 failed, 0 scanning\n');
    const strip = (l: string) => l.replace(/\u001b\[[0-9;]*m/g, '');
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => strip(l).startsWith('CLUSTER ID'));
    const rows = lines.slice(header + 1).filter((l) => l.trim() !== '');
    const ids = rows.map((l) => strip(l).split(/\s+/)[0]);
    expect(ids).toEqual(['cce-prod-02', 'aws-eks-01', 'cce-prod-01', 'cce-staging-01', 'idc-k8s-01']);
    expect(rows[0]).toContain('\u001b[31m');
    expect(rows[1]).toContain('\u001b[31m');
    expect(rows[2]).not.toContain('\u001b[31m');
    expect(plain).toMatch(
      /cce-prod-02 .* failed +benchmark failed: benchmark check timed out; cluster_vul, risk_assessment ok\n/,
    );
    expect(plain).toMatch(
      /aws-eks-01 .* failed +cluster_vul, risk_assessment failed: failed to pull scanner image; benchmark ok\n/,
    );
    expect(plain).toMatch(/cce-prod-01 .* success +cluster_vul, risk_assessment, benchmark ok\n/);
  });

  it('--failed asks the API for failed clusters only', async () => {
    const r = await hss(['task', 'show', 'task-0001', '--failed', '--no-color'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(wire()[1]).toEqual({
      method: 'POST',
      path: `${RESOURCES_PATH('task-0001')}?offset=0&limit=200`,
      body: { task_type: 'cluster_scan', cluster_scan_info: { scan_status: 'failed' } },
    });
    expect(r.stdout).toContain('2 failed clusters:\n');
    expect(r.stdout).toContain('cce-prod-02');
    expect(r.stdout).toContain('aws-eks-01');
    expect(r.stdout).not.toContain('cce-prod-01');
  });

  it('an unknown task is exit 5 with a hint, after looking among cluster scans and IaC scans', async () => {
    const r = await hss(['task', 'show', 'no-such-task'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error: task "no-such-task" was not found in this project\nhint: .*hss task list/,
    );
    expect(sb.sandbox.requests.map((q) => JSON.parse(q.body).task_type)).toEqual([
      'cluster_scan',
      'iac_scan',
    ]);
  });
});

describe('durations in days', () => {
  it('--wait-timeout, --interval and --timeout take `d` as --since does', async () => {
    const r = await hss(
      ['task', 'wait', 'task-0003', '--wait-timeout', '1d', '--interval', '0.0001d', '--timeout', '1d'],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ task-0003 finished/);
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('bad list/show/wait input: exit 2, one line, nothing sent', () => {
  it.each([
    [
      ['task', 'list', '--status', 'done'],
      /argument 'done' is invalid. Allowed choices are ready, running, finished/,
    ],
    [
      ['task', 'list', '--trigger', 'cron'],
      /argument 'cron' is invalid. Allowed choices are manual, schedule/,
    ],
    [['task', 'list', '--since', 'yesterday'], /--since "yesterday": not a duration or a date/],
    [['task', 'list', '--since', '2026-02-30'], /--since "2026-02-30": not a duration or a date/],
    [['task', 'list', '--limit', '0'], /--limit "0": must be from 1 to 2000000/],
    [['task', 'list', '--limit', '5', '--all'], /--limit and --all cannot be combined/],
    [['task', 'list', '--name', ''], /--name "": task name must not be empty/],
    [['task', 'show', 't'.repeat(65)], /task ID "t{48}…": task ID is 65 characters; the limit is 1–64/],
    [['task', 'wait', 'task-0001', '--interval', 'often'], /--interval "often": not a duration/],
    [['task', 'wait', 'task-0001', '--wait-timeout', '0'], /--wait-timeout "0": must be more than zero/],
    [['task', 'wait', 'task-0001', '--wait-timeout', '8d'], /--wait-timeout "8d": must be at most 7 days/],
  ])('%j', async (args, message) => {
    const r = await hss(args, { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^error: /);
    expect(first).toMatch(message);
    expect(rest.every((l) => l.startsWith('hint: '))).toBe(true);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});
