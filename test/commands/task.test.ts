/**
 * The task commands in-process against a sandbox: the documents they print, the requests they send
 * (the sandbox records them), and their exit codes. The built CLI is driven by test/e2e/.
 */
import { describe, expect, it } from 'vitest';
import { hssInProcess } from '../helpers/in-process.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const run = (args: string[], input?: string) =>
  hssInProcess(args, { env: sb.env(), ...(input === undefined ? {} : { input }) });
const requests = () => sb.sandbox.requests.map((r) => `${r.method} ${r.path}`);

describe('task list', () => {
  it('one ListTasks page, newest first, with the filters in the body', async () => {
    const r = await run([
      'task',
      'list',
      '--status',
      'finished',
      '--trigger',
      'manual',
      '--limit',
      '3',
      '--json',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tasks).toHaveLength(3);
    expect(doc.tasks.every((t: { task_status: string }) => t.task_status === 'finished')).toBe(true);
    expect(requests()).toEqual([`POST /v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query?offset=0&limit=10`]);
    expect(JSON.parse(sb.sandbox.requests[0]?.body ?? '')).toEqual({
      task_type: 'cluster_scan',
      trigger_type: 'manual',
      task_status: 'finished',
      sort_key: 'start_time',
      sort_dir: 'desc',
    });
  });

  it('--limit 0 is exit 2 and sends nothing', async () => {
    const r = await run(['task', 'list', '--limit', '0']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --limit "0": /);
    expect(requests()).toEqual([]);
  });
});

describe('task show', () => {
  it('--failed: the failed clusters only, each with its failed reason', async () => {
    const r = await run(['task', 'show', 'task-0001', '--failed', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.task.task_id).toBe('task-0001');
    expect(doc.clusters.map((c: { cluster_id: string }) => c.cluster_id).sort()).toEqual([
      'aws-eks-01',
      'cce-prod-02',
    ]);
    expect(r.stdout).toContain('benchmark check timed out');
  });

  it('an unknown task is exit 5, the API having answered with no such task', async () => {
    const r = await run(['task', 'show', 'task-9999']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/^error: task "task-9999" was not found in this project\n/);
  });
});

describe('task retry', () => {
  it('--all-failed: one PUT with the documented body; the request id in the document', async () => {
    const r = await run(['task', 'retry', 'task-0001', '--all-failed', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    const [put] = sb.sandbox.requests;
    expect(doc).toEqual({
      ok: true,
      results: [
        {
          task_id: 'task-0001',
          ok: true,
          http_status: 200,
          request_id: put?.requestId,
          body: { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } },
        },
      ],
    });
    expect(requests()).toEqual([`PUT /v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`]);
  });

  it('task IDs from standard input: one PUT each, results in input order', async () => {
    const r = await run(['task', 'retry', '-', '--all-failed', '--json'], 'task-0006 task-0001\n');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results.map((i: { task_id: string }) => i.task_id)).toEqual([
      'task-0006',
      'task-0001',
    ]);
    expect(requests().sort()).toEqual([
      `PUT /v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`,
      `PUT /v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0006/retry`,
    ]);
  });

  it('--cluster specs: a specific_cluster body; a bad scan type is exit 2 and sends nothing', async () => {
    const ok = await run([
      'task',
      'retry',
      'task-0001',
      '--cluster',
      'cce-prod-02:benchmark',
      '--dry-run',
      '--json',
    ]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).requests[0].body).toEqual({
      task_type: 'cluster_scan',
      cluster_scan_info: {
        range_type: 'specific_cluster',
        cluster_info_list: [{ cluster_id: 'cce-prod-02', scan_type_list: ['benchmark'] }],
      },
    });
    const bad = await run(['task', 'retry', 'task-0001', '--cluster', 'c-1:nope']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/scan type "nope" is not one of cluster_vul, risk_assessment, benchmark/);
    expect(requests()).toEqual([]);
  });

  it('a running task: exit 5 with the result line on stdout and the error on stderr', async () => {
    const r = await run(['task', 'retry', 'task-0002', '--all-failed']);
    expect(r.exitCode).toBe(5);
    expect(r.stdout).toMatch(/^✖ task-0002: /);
    expect(r.stderr).toMatch(/^error: /);
  });
});

describe('task wait', () => {
  it('a finished task with failed clusters: exit 7 at once, the failed clusters named', async () => {
    const r = await run(['task', 'wait', 'task-0005', '--json']);
    expect(r.exitCode).toBe(7);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe('WAIT_FAILED');
    expect(doc.failed_clusters.map((c: { cluster_id: string }) => c.cluster_id)).toEqual(['idc-edge-01']);
  });
});
