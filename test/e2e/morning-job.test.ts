/**
 * The morning job in one command, in one project: `task retry --since` selects, `--rounds` retries
 * again what still fails, several tasks are followed with a few ListTasks pages per poll, and the CI
 * reports (--junit, --summary) are written. The sandbox's seed: task-0001 (fixed by one retry),
 * task-0002 (running), task-0003 (clean), task-0004 (250 clusters, some need two retries),
 * task-0005 (never fixed), task-0006 (fixed by the second retry), all within 12 hours; task-0100 and
 * older before that.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const PROGRESS_MS = 700;
const FAST = ['--interval', '150ms'];
const REGION = 'cn-north-4';
const RETRY_PATH = (task: string) => `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/retry`;
const LIST_PREFIX = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query?`;
const SELECTED = ['task-0001', 'task-0006', 'task-0005', 'task-0004'];

describe('task retry --since: the selection', () => {
  const sb = useSandbox({ progressMs: PROGRESS_MS });
  const puts = () => sb.sandbox.requests.filter((r) => r.method === 'PUT').map((r) => r.path);

  it('retries every finished task with failed clusters started since then; running, clean and older ones are skipped', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--all-failed', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('6 tasks since 12h: 4 with failed clusters, 1 still running, 1 clean\n');
    expect(puts()).toEqual(expect.arrayContaining(SELECTED.map(RETRY_PATH)));
    expect(puts()).toHaveLength(4);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.results.map((i: { task_id: string }) => i.task_id)).toEqual(SELECTED);
    // The selection is every page of ListTasks since then; no task is read again before its retry.
    const lists = sb.sandbox.requests.filter((q) => q.path.startsWith(LIST_PREFIX));
    expect(lists).toHaveLength(1);
    expect(lists[0]?.path).toBe(`${LIST_PREFIX}offset=0&limit=200`);
    const body = JSON.parse(lists[0]?.body ?? '{}');
    expect(body).toMatchObject({ task_type: 'cluster_scan', sort_key: 'start_time', sort_dir: 'desc' });
    expect(Date.now() - body.start_create_time).toBeGreaterThanOrEqual(12 * 3600_000);
    expect(Date.now() - body.start_create_time).toBeLessThan(12 * 3600_000 + 60_000);
  });

  it('--name and --trigger narrow the selection (sent as ListTasks filters)', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--trigger', 'schedule', '--all-failed', '-q'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(puts()).toEqual([RETRY_PATH('task-0001'), RETRY_PATH('task-0004')]);
    expect(JSON.parse(sb.sandbox.requests[0]?.body ?? '{}').trigger_type).toBe('schedule');
    sb.sandbox.reset();
    const n = await hss(['task', 'retry', '--since', '12h', '--name', 'MULTICLOUD', '--all-failed'], {
      env: sb.env(),
    });
    expect(n.exitCode, n.stderr).toBe(0);
    expect(n.stderr).toBe('1 task since 12h: 1 with failed clusters, 0 still running, 0 clean\n');
    expect(puts()).toEqual([RETRY_PATH('task-0006')]);
  });

  it('nothing selected: says so, exit 0, no retry', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--name', 'weekly', '--all-failed'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('1 task since 12h: 0 with failed clusters, 0 still running, 1 clean\n');
    expect(r.stdout).toBe('– no task started since 12h has failed clusters; nothing to retry\n');
    expect(puts()).toEqual([]);
  });

  it('nothing selected, reports asked for: they are written all the same, saying so', async () => {
    const dir = tempDir();
    const [junit, summary] = [path.join(dir, 'scans.xml'), path.join(dir, 'summary.md')];
    const r = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--name',
        'weekly',
        '--all-failed',
        '--wait',
        '--junit',
        junit,
        '--summary',
        summary,
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(junit, 'utf8'),
    );
    expect(doc.testsuites).toMatchObject({ tests: '0', failures: '0' });
    expect(readFileSync(summary, 'utf8')).toBe(
      '### hss task retry: no task started since 12h has failed clusters; nothing to retry\n\n',
    );
  });

  it('--dry-run shows the plan and sends no retry', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--all-failed', '--dry-run', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.dry_run).toBe(true);
    expect(
      doc.requests.map((q: { method: string; url: string }) => [q.method, new URL(q.url).pathname]),
    ).toEqual(SELECTED.map((t) => ['PUT', RETRY_PATH(t)]));
    expect(sb.sandbox.requests.map((q) => q.method)).toEqual(['POST']);
  });

  it.each([
    [['task-0001', '--since', '12h', '--all-failed'], /task IDs and --since cannot be combined/],
    [['--since', '12h', '--cluster', 'cce-prod-02'], /--cluster name clusters of one task/],
    [['--since', '12h', '--all-failed', '--only', 'benchmark'], /--only name clusters of one task/],
    [['--since', 'yesterday', '--all-failed'], /--since "yesterday"/],
    [['--since', '12h'], /say what to retry/],
    [['--all-failed'], /say which tasks to retry: task IDs, or --since/],
    [['task-0001', '--all-failed', '--name', 'x'], /--name only apply with --since/],
    [['--since', '12h', '--all-failed', '--rounds', '2'], /--rounds only apply with --wait/],
    [['--since', '12h', '--all-failed', '--junit', 'x.xml'], /--junit only apply with --wait/],
    [['--since', '12h', '--all-failed', '--wait', '--rounds', '0'], /--rounds "0": must be from 1 to 10/],
    [
      ['--since', '12h', '--all-failed', '--wait', '--summary', '/nonexistent/dir/s.md'],
      /folder .* does not exist/,
    ],
  ])('usage %j: exit 2, nothing sent', async (args, message) => {
    const r = await hss(['task', 'retry', ...args], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('--rounds, following many tasks, reports', () => {
  const sb = useSandbox({ progressMs: PROGRESS_MS });

  it('--rounds 2: fixed in round 2 → exit 0, each round reported with its request ID', async () => {
    const r = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--name',
        'multicloud',
        '--all-failed',
        '--wait',
        '--rounds',
        '2',
        ...FAST,
        '--json',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const [item] = JSON.parse(r.stdout).results;
    expect(item).toMatchObject({ task_id: 'task-0006', ok: true, failed_clusters: [] });
    expect(item.rounds).toHaveLength(2);
    expect(item.rounds[0]).toMatchObject({
      round: 1,
      ok: false,
      http_status: 200,
      error: { code: 'WAIT_FAILED' },
    });
    expect(item.rounds[0].failed_clusters).toHaveLength(2);
    expect(item.rounds[1]).toMatchObject({ round: 2, ok: true, http_status: 200, failed_clusters: [] });
    expect(item.rounds[0].request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(item.rounds[1].request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(item.rounds[1].request_id).not.toBe(item.rounds[0].request_id);
    expect(item.request_id).toBe(item.rounds[1].request_id);
    const puts = sb.sandbox.requests.filter((q) => q.method === 'PUT').map((q) => q.requestId);
    expect(puts).toEqual([item.rounds[0].request_id, item.rounds[1].request_id]);
  });

  it('--rounds 2: still failing after the last round → exit 7; text reports each round', async () => {
    const r = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--name',
        'edge',
        '--all-failed',
        '--wait',
        '--rounds',
        '2',
        ...FAST,
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(7);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^✔ task-0005: retry accepted for all failed clusters \(X-Request-Id \w+\)$/);
    expect(lines[1]).toMatch(/^✖ task-0005: still failing after the wait: 1 of 3 clusters failed/);
    expect(lines[2]).toMatch(
      /^✔ task-0005: round 2: retry accepted for all failed clusters \(X-Request-Id \w+\)$/,
    );
    expect(lines[3]).toMatch(/^✖ task-0005: still failing after the wait: 1 of 3 clusters failed/);
    expect(r.stdout).toContain('agent not installed on cluster nodes');
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT')).toHaveLength(2);
  });

  it('several tasks followed: one ListTasks page per poll, no per-task poll; ListTaskResources only for tasks that failed', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--all-failed', '--wait', ...FAST, '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(7);
    const requests = sb.sandbox.requests;
    const polls = requests.filter((q) => q.path.startsWith(LIST_PREFIX)).slice(1);
    expect(polls.length).toBeGreaterThanOrEqual(2);
    for (const poll of polls) {
      // One page covers the 4 tasks followed (⌈4/200⌉ + 1 = 2 would be allowed): never a lookup by ID.
      expect(poll.path).toBe(`${LIST_PREFIX}offset=0&limit=200`);
      expect(JSON.parse(poll.body)).not.toHaveProperty('task_id');
      expect(JSON.parse(poll.body)).toHaveProperty('start_create_time');
    }
    const resources = requests.filter((q) => q.path.includes('/resources/')).map((q) => q.path.split('/')[5]);
    // task-0001 is fixed by its retry: its clusters are not read.
    expect(resources.sort()).toEqual(['task-0004', 'task-0005', 'task-0006']);
  });

  it('task IDs given: their state before the retry read with one ListTasks page, not one request each', async () => {
    const r = await hss(['task', 'retry', '-', '--all-failed', '--wait', ...FAST], {
      env: sb.env(),
      input: 'task-0001\ntask-0005\ntask-0104\n',
    });
    expect(r.exitCode, r.stderr).toBe(7);
    const lists = sb.sandbox.requests.filter((q) => q.path.startsWith(LIST_PREFIX));
    for (const list of lists) expect(JSON.parse(list.body)).not.toHaveProperty('task_id');
    // The first page, before any retry, holds the three tasks' state.
    const firstPut = sb.sandbox.requests.findIndex((q) => q.method === 'PUT');
    expect(sb.sandbox.requests.slice(0, firstPut).map((q) => q.path)).toEqual([
      `${LIST_PREFIX}offset=0&limit=200`,
    ]);
  });

  it('--junit: one testsuite per task (region/task_id), a testcase per cluster and scan type, failures with the reason', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'scans.xml');
    const r = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--name',
        'manual-scan',
        '--all-failed',
        '--wait',
        ...FAST,
        '--junit',
        file,
      ],
      { env: sb.env({ HSS_REGION: REGION }) },
    );
    expect(r.exitCode, r.stderr).toBe(7);
    const xml = readFileSync(file, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(xml);
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual([
      `${REGION}/task-0006`,
      `${REGION}/task-0005`,
    ]);
    const [multicloud, edge] = suites;
    expect(multicloud).toMatchObject({ tests: '9', failures: '3', errors: '0' });
    expect(edge).toMatchObject({ tests: '9', failures: '3', errors: '0' });
    const failing = edge.testcase.filter((c: { failure?: unknown }) => c.failure);
    expect(failing.map((c: { name: string }) => c.name)).toEqual([
      'idc-edge-01 (edge-idc) cluster_vul',
      'idc-edge-01 (edge-idc) risk_assessment',
      'idc-edge-01 (edge-idc) benchmark',
    ]);
    expect(failing[0].failure.message).toBe('agent not installed on cluster nodes');
    expect(doc.testsuites).toMatchObject({ tests: '18', failures: '6' });
    // Written whole, then renamed: no temporary file is left beside it.
    expect(readdirSync(dir)).toEqual(['scans.xml']);
  });

  it('--summary appends: two runs leave both summaries, after what the file had', async () => {
    const file = path.join(tempDir(), 'summary.md');
    writeFileSync(file, '# Nightly\n\n');
    for (const name of ['multicloud', 'edge']) {
      const r = await hss(
        [
          'task',
          'retry',
          '--since',
          '12h',
          '--name',
          name,
          '--all-failed',
          '--wait',
          ...FAST,
          '--summary',
          file,
        ],
        { env: sb.env({ HSS_REGION: REGION }) },
      );
      expect(r.exitCode, r.stderr).toBe(7);
    }
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# Nightly\n\n### hss task retry: 0 of 1 task without failed clusters\n')).toBe(
      true,
    );
    expect(text.match(/^### hss task retry/gm)).toHaveLength(2);
    expect(text).toContain(`- ❌ \`${REGION}/task-0006\`: 2 of 3 clusters still failing`);
    expect(text).toContain(
      `| ${REGION}/task-0005 | idc-edge-01 (edge-idc) | benchmark | agent not installed on cluster nodes |`,
    );
  });

  it('task wait with several task IDs: followed together, an item each, exit the highest; reports too', async () => {
    for (const task of ['task-0001', 'task-0005']) {
      expect((await hss(['task', 'retry', task, '--all-failed', '-q'], { env: sb.env() })).exitCode).toBe(0);
    }
    sb.sandbox.requests.length = 0;
    const junit = path.join(tempDir(), 'wait.xml');
    const r = await hss(['task', 'wait', 'task-0001', 'task-0005', ...FAST, '--json', '--junit', junit], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(7);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.results.map((i: { task_id: string; ok: boolean }) => [i.task_id, i.ok])).toEqual([
      ['task-0001', true],
      ['task-0005', false],
    ]);
    expect(doc.results[1].error).toMatchObject({ code: 'WAIT_FAILED', exit_code: 7 });
    for (const poll of sb.sandbox.requests.filter((q) => q.path.startsWith(LIST_PREFIX))) {
      expect(JSON.parse(poll.body)).not.toHaveProperty('task_id');
    }
    const suites = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (n) => n === 'testsuite',
    }).parse(readFileSync(junit, 'utf8')).testsuites.testsuite;
    expect(suites.map((s: { name: string }) => s.name)).toEqual([
      `${SANDBOX_PROJECT_ID}/task-0001`,
      `${SANDBOX_PROJECT_ID}/task-0005`,
    ]);
    expect(suites[0]).toMatchObject({ tests: '15', failures: '0' });

    const text = await hss(['task', 'wait', 'task-0001', 'task-0003', ...FAST], { env: sb.env() });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^✔ task-0001 finished: 5 clusters, none failed .*\n✔ task-0003 finished: 4 clusters, none failed .*\nall 2 tasks finished without failed clusters\n$/,
    );
  });
});
