import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, type FakeClock, fakeClock, hssPath, type Reply } from './helpers.js';

const PROGRESS_MS = 5_000;
let sandbox: Sandbox;
let clock: FakeClock;

beforeAll(async () => {
  clock = fakeClock();
  sandbox = await startSandbox({ now: clock.now, progressMs: PROGRESS_MS });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  clock.set(fakeClock().now());
});

const ACCOUNT_CLUSTERS = 17;

function create(body: unknown, query = ''): Promise<Reply> {
  return call(sandbox, 'POST', hssPath(`/common/task${query}`), { body });
}

function clusterScan(info: Record<string, unknown>): Record<string, unknown> {
  return { task_type: 'cluster_scan', cluster_scan_info: info };
}

function expectInvalid(reply: Reply, code: string, detail: RegExp): void {
  expect(reply.status).toBe(400);
  const body = reply.json as { error_code: string; error_description: string };
  expect(body.error_code).toBe(code);
  expect(body.error_description).toMatch(detail);
}

async function listed(taskType: string, taskId: string) {
  const reply = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
    body: { task_type: taskType, task_id: taskId },
  });
  return (reply.json as { data_list: Array<Record<string, unknown>> }).data_list[0];
}

async function stats(taskType = 'cluster_scan') {
  const reply = await call(sandbox, 'GET', hssPath(`/common/task-statistics?task_type=${taskType}`));
  expect(reply.status).toBe(200);
  return reply.json as { total_num: number; running_num: number; last_task_start_time: number };
}

describe('CreateTask', () => {
  it('creates a running cluster scan of every cluster of the account, which then finishes', async () => {
    const before = await stats();
    const reply = await create(clusterScan({ scan_type_list: ['benchmark'], range_type: 'all_cluster' }));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ task_id: 'task-1001' });
    expect(await listed('cluster_scan', 'task-1001')).toMatchObject({
      task_type: 'cluster_scan',
      trigger_type: 'manual',
      task_status: 'running',
      start_time: clock.now(),
      cluster_scan_info: { scan_type_list: ['benchmark'], scanning_cluster_num: ACCOUNT_CLUSTERS },
    });
    expect(await stats()).toEqual({
      total_num: before.total_num + 1,
      running_num: before.running_num + 1,
      last_task_start_time: clock.now(),
    });
    clock.advance(PROGRESS_MS);
    // idc-edge-01 has no agent: every scan of it fails.
    expect(await listed('cluster_scan', 'task-1001')).toMatchObject({
      task_status: 'finished',
      cluster_scan_info: { success_cluster_num: ACCOUNT_CLUSTERS - 1, failed_cluster_num: 1 },
    });
    expect((await stats()).running_num).toBe(before.running_num);
  });

  it('scans only the listed clusters with specific_cluster, and numbers tasks on', async () => {
    const body = clusterScan({
      scan_type_list: ['cluster_vul', 'risk_assessment'],
      range_type: 'specific_cluster',
      cluster_id_list: ['cce-prod-01', 'aws-eks-01'],
    });
    expect((await create(body)).json).toEqual({ task_id: 'task-1001' });
    expect((await create(body)).json).toEqual({ task_id: 'task-1002' });
    const resources = await call(sandbox, 'POST', hssPath('/common/tasks/task-1002/resources/batch-query'), {
      body: { task_type: 'cluster_scan' },
    });
    const list = (resources.json as { cluster_scan_data_list: Array<Record<string, unknown>> })
      .cluster_scan_data_list;
    expect(list.map((c) => [c.cluster_id, c.scan_status])).toEqual([
      ['cce-prod-01', 'scanning'],
      ['aws-eks-01', 'scanning'],
    ]);
  });

  it('checks the body against the documented limits', async () => {
    expectInvalid(await create({}), 'HSS.0001', /task_type is required/);
    expectInvalid(await create({ task_type: 'cluster_scan' }), 'HSS.0001', /cluster_scan_info is required/);
    expectInvalid(
      await create(clusterScan({ range_type: 'all_cluster' })),
      'HSS.0001',
      /scan_type_list is required/,
    );
    expectInvalid(
      await create(clusterScan({ scan_type_list: ['x'], range_type: 'all_cluster' })),
      'HSS.0001',
      /must be one of/,
    );
    expectInvalid(
      await create(clusterScan({ scan_type_list: ['benchmark'], range_type: 'all_failed_cluster' })),
      'HSS.0001',
      /range_type must be one of all_cluster, specific_cluster/,
    );
    expectInvalid(
      await create(clusterScan({ scan_type_list: ['benchmark'], range_type: 'specific_cluster' })),
      'HSS.0001',
      /cluster_id_list is required/,
    );
    const many = Array.from({ length: 201 }, (_, i) => `c-${i}`);
    expectInvalid(
      await create(
        clusterScan({ scan_type_list: ['benchmark'], range_type: 'specific_cluster', cluster_id_list: many }),
      ),
      'HSS.0001',
      /1 to 200 items/,
    );
    expectInvalid(
      await create(
        clusterScan({
          scan_type_list: ['benchmark'],
          range_type: 'specific_cluster',
          cluster_id_list: ['nope'],
        }),
      ),
      'HSS.0011',
      /cluster nope does not exist/,
    );
    expectInvalid(
      await create(
        clusterScan({ scan_type_list: ['benchmark'], range_type: 'all_cluster' }),
        '?enterprise_project_id=zzz',
      ),
      'HSS.0010',
      /./,
    );
    expect((await stats()).total_num).toBe(246);
  });

  it('creates an IaC scan of listed files, which fails again where a file is broken', async () => {
    const reply = await create({
      task_type: 'iac_scan',
      iac_scan_info: { file_type: 'dockerfile', file_id_list: ['df-web-0001', 'df-api-0002'] },
    });
    expect(reply.json).toEqual({ task_id: 'task-1001' });
    expect(await listed('iac_scan', 'task-1001')).toMatchObject({
      task_type: 'iac_scan',
      task_status: 'running',
      iac_scan_info: { file_type: 'dockerfile', scan_file_num: 2, success_file_num: 0, failed_file_num: 0 },
    });
    clock.advance(PROGRESS_MS);
    expect(await listed('iac_scan', 'task-1001')).toMatchObject({
      task_status: 'finished',
      iac_scan_info: { scan_file_num: 2, success_file_num: 1, failed_file_num: 1 },
    });
    expectInvalid(
      await create({
        task_type: 'iac_scan',
        iac_scan_info: { file_type: 'k8s_yaml', file_id_list: ['df-web-0001'] },
      }),
      'HSS.0001',
      /is a dockerfile file, not k8s_yaml/,
    );
  });
});

describe('IaC scan tasks', () => {
  it('lists them only with task_type iac_scan, shaped like the SDK models', async () => {
    const reply = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
      body: { task_type: 'iac_scan' },
    });
    const body = reply.json as { total_num: number; data_list: Array<Record<string, unknown>> };
    expect(body.total_num).toBe(3);
    expect(body.data_list.map((t) => t.task_id)).toEqual(['task-0903', 'task-0901', 'task-0902']);
    expect(body.data_list[1]).toEqual({
      task_id: 'task-0901',
      task_type: 'iac_scan',
      task_name: 'dockerfile-scan-web',
      trigger_type: 'manual',
      task_status: 'finished',
      start_time: expect.any(Number),
      end_time: expect.any(Number),
      estimated_time: 0,
      iac_scan_info: { file_type: 'dockerfile', scan_file_num: 3, success_file_num: 2, failed_file_num: 1 },
    });
    const k8s = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
      body: { task_type: 'iac_scan', iac_scan_info: { file_type: 'k8s_yaml' } },
    });
    expect((k8s.json as { data_list: Array<{ task_id: string }> }).data_list.map((t) => t.task_id)).toEqual([
      'task-0902',
    ]);
    const clusterTasks = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
      body: { task_type: 'cluster_scan', task_id: 'task-0901' },
    });
    expect((clusterTasks.json as { total_num: number }).total_num).toBe(0);
  });

  it('answers their files as iac_scan_data_list, filtered by iac_scan_info', async () => {
    const reply = await call(sandbox, 'POST', hssPath('/common/tasks/task-0902/resources/batch-query'), {
      body: { task_type: 'iac_scan', iac_scan_info: { scan_status: 'failed' } },
    });
    expect(reply.json).toEqual({
      total_num: 1,
      iac_scan_data_list: [
        {
          file_name: 'templates/ingress.yaml',
          file_type: 'k8s_yaml',
          chart_name: 'storefront',
          file_id: 'ky-shop-0003',
          file_size: 1204,
          scan_status: 'failed',
          failed_reason: expect.stringContaining('YAML syntax error'),
          start_time: expect.any(Number),
          end_time: expect.any(Number),
        },
      ],
    });
  });

  it('refuses to retry one: RetryTask takes cluster scans only', async () => {
    const reply = await call(sandbox, 'PUT', hssPath('/common/tasks/task-0901/retry'), {
      body: { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } },
    });
    expectInvalid(reply, 'HSS.0001', /task-0901 is an iac_scan task/);
  });

  it('counts them in the statistics of iac_scan', async () => {
    expect(await stats('iac_scan')).toEqual({
      total_num: 3,
      running_num: 1,
      last_task_start_time: clock.now() - 5 * 60_000,
    });
  });
});

describe('reset', () => {
  it('POST /__sandbox/reset forgets created tasks and restores the seed', async () => {
    await create(clusterScan({ scan_type_list: ['benchmark'], range_type: 'all_cluster' }));
    expect((await stats()).total_num).toBe(247);
    const reply = await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(reply.status).toBe(200);
    expect((await stats()).total_num).toBe(246);
    expect(
      (await create(clusterScan({ scan_type_list: ['benchmark'], range_type: 'all_cluster' }))).json,
    ).toEqual({
      task_id: 'task-1001',
    });
  });
});
