import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_BASE_TIME } from '../../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, hssPath, type Reply } from './helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TOTAL_TASKS = 246;
let sandbox: Sandbox;

beforeAll(async () => {
  // A stopped clock: the seed is laid out before it, and running tasks' estimates stay put.
  sandbox = await startSandbox({ now: () => SANDBOX_BASE_TIME });
});
afterAll(() => sandbox.close());

interface TaskItem {
  task_id: string;
  task_name: string;
  trigger_type: string;
  task_status: string;
  start_time: number;
  cluster_scan_info: { scan_type_list: string[] };
}
interface TaskPage {
  total_num: number;
  data_list: TaskItem[];
}

function listTasks(body: unknown, query = ''): Promise<Reply> {
  return call(sandbox, 'POST', hssPath(`/common/tasks/batch-query${query}`), { body });
}

async function page(body: Record<string, unknown> = {}, query = ''): Promise<TaskPage> {
  const reply = await listTasks({ task_type: 'cluster_scan', ...body }, query);
  expect(reply.status).toBe(200);
  return reply.json as TaskPage;
}

function resources(taskId: string, body?: unknown, query = ''): Promise<Reply> {
  return call(sandbox, 'POST', hssPath(`/common/tasks/${taskId}/resources/batch-query${query}`), { body });
}

function errorCode(reply: Reply): string {
  expect(reply.status).toBe(400);
  return (reply.json as { error_code: string }).error_code;
}

describe('ListTasks', () => {
  it('answers the documented shape, newest first, 10 by default', async () => {
    const reply = await listTasks({ task_type: 'cluster_scan' });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = reply.json as TaskPage;
    expect(Object.keys(body)).toEqual(['total_num', 'data_list']);
    expect(body.total_num).toBe(TOTAL_TASKS);
    expect(body.data_list).toHaveLength(10);
    expect(body.data_list.slice(0, 6).map((t) => t.task_id)).toEqual([
      'task-0002',
      'task-0001',
      'task-0006',
      'task-0005',
      'task-0004',
      'task-0003',
    ]);
    const task1 = body.data_list[1];
    expect(task1).toEqual({
      task_id: 'task-0001',
      task_type: 'cluster_scan',
      task_name: 'nightly-cluster-scan',
      trigger_type: 'schedule',
      task_status: 'finished',
      start_time: SANDBOX_BASE_TIME - 2 * HOUR,
      end_time: SANDBOX_BASE_TIME - 2 * HOUR + 31 * MINUTE,
      estimated_time: 0,
      cluster_scan_info: {
        scan_type_list: ['cluster_vul', 'risk_assessment', 'benchmark'],
        scanning_cluster_num: 0,
        success_cluster_num: 3,
        failed_cluster_num: 2,
      },
    });
    expect(Object.keys(task1 ?? {})).toEqual([
      'task_id',
      'task_type',
      'task_name',
      'trigger_type',
      'task_status',
      'start_time',
      'end_time',
      'estimated_time',
      'cluster_scan_info',
    ]);
    expect(body.data_list[0]).toMatchObject({ task_status: 'running', end_time: 0, estimated_time: 12 });
  });

  it('pages with offset and limit past 200 tasks', async () => {
    const first = await page({}, '?offset=0&limit=200');
    const second = await page({}, '?offset=200&limit=200');
    expect(first.data_list).toHaveLength(200);
    expect(second.data_list).toHaveLength(TOTAL_TASKS - 200);
    expect(second.total_num).toBe(TOTAL_TASKS);
    const ids = new Set([...first.data_list, ...second.data_list].map((t) => t.task_id));
    expect(ids.size).toBe(TOTAL_TASKS);
    expect(ids.has('task-0339')).toBe(true);
    const beyond = await page({}, '?offset=2000000&limit=10');
    expect(beyond).toEqual({ total_num: TOTAL_TASKS, data_list: [] });
  });

  it('spreads the generated tasks over about 30 days', async () => {
    const oldest = (await page({ sort_dir: 'asc' }, '?limit=10')).data_list[0];
    expect(oldest?.task_id).toBe('task-0339');
    const days = (SANDBOX_BASE_TIME - (oldest?.start_time ?? 0)) / (24 * HOUR);
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
  });

  it('keeps limit within 10–200 and offset within 0–2,000,000', async () => {
    const body = { task_type: 'cluster_scan' };
    for (const query of ['?limit=10', '?limit=200', '?offset=0', '?offset=2000000']) {
      expect((await listTasks(body, query)).status).toBe(200);
    }
    for (const query of [
      '?limit=9',
      '?limit=201',
      '?limit=',
      '?limit=ten',
      '?offset=-1',
      '?offset=2000001',
      '?limit=1.5',
    ]) {
      expect(errorCode(await listTasks(body, query)), query).toBe('HSS.0001');
    }
    expect((await page({}, '?limit=200')).data_list).toHaveLength(200);
    expect((await page({}, '?limit=11')).data_list).toHaveLength(11);
  });

  it('filters by name (fuzzy, any case), id, status, trigger, time and scan type', async () => {
    const byName = await page({ task_name: 'NIGHTLY' });
    expect(byName.data_list.map((t) => t.task_id)).toEqual(['task-0001']);
    expect((await page({ task_id: 'task-0004' })).data_list.map((t) => t.task_id)).toEqual(['task-0004']);
    const running = await page({ task_status: 'running' });
    expect(running.total_num).toBe(4);
    expect(running.data_list.every((t) => t.task_status === 'running')).toBe(true);
    expect((await page({ task_status: 'ready' })).total_num).toBe(2);
    const manual = await page({ trigger_type: 'manual' }, '?limit=200');
    expect(manual.total_num).toBeGreaterThan(50);
    expect(manual.data_list.every((t) => t.trigger_type === 'manual')).toBe(true);
    const window = await page({
      start_create_time: SANDBOX_BASE_TIME - 5 * HOUR,
      end_create_time: SANDBOX_BASE_TIME - 2 * HOUR,
    });
    expect(window.data_list.map((t) => t.task_id)).toEqual(['task-0001', 'task-0006', 'task-0005']);
    const riskOnly = await page({ cluster_scan_info: { scan_type_list: ['risk_assessment'] } }, '?limit=200');
    expect(
      riskOnly.data_list.every((t) => t.cluster_scan_info.scan_type_list.includes('risk_assessment')),
    ).toBe(true);
    expect(riskOnly.total_num).toBeLessThan(TOTAL_TASKS);
  });

  it('reads an empty scan_type_list filter as no filter', async () => {
    const all = await page({ cluster_scan_info: { scan_type_list: [] } });
    expect(all.total_num).toBe(TOTAL_TASKS);
  });

  it('validates the body', async () => {
    expect(errorCode(await listTasks({}))).toBe('HSS.0001');
    expect(errorCode(await listTasks({ task_type: 'vul_scan' }))).toBe('HSS.0001');
    for (const bad of [
      { trigger_type: 'cron' },
      { task_status: 'failed' },
      { sort_key: 'end_time' },
      { sort_dir: 'up' },
      { start_create_time: '1' },
      { end_create_time: -5 },
      { task_name: 7 },
      { cluster_scan_info: { scan_type_list: ['x'] } },
    ]) {
      expect(errorCode(await listTasks({ task_type: 'cluster_scan', ...bad })), JSON.stringify(bad)).toBe(
        'HSS.0001',
      );
    }
    const noBody = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'));
    expect(errorCode(noBody)).toBe('HSS.0002');
    expect(errorCode(await listTasks({ task_type: 'cluster_scan' }, '?enterprise_project_id=nope'))).toBe(
      'HSS.0010',
    );
  });
});

describe('ListTaskResources', () => {
  it('answers the documented shape, with failed reasons only on failed items', async () => {
    const reply = await resources('task-0001', {
      task_type: 'cluster_scan',
      cluster_scan_info: { scan_status: 'failed' },
    });
    expect(reply.status).toBe(200);
    const body = reply.json as { total_num: number; cluster_scan_data_list: Array<Record<string, unknown>> };
    expect(Object.keys(body)).toEqual(['total_num', 'cluster_scan_data_list']);
    expect(body.total_num).toBe(2);
    expect(body.cluster_scan_data_list[0]).toEqual({
      cluster_name: 'prod-02',
      cluster_id: 'cce-prod-02',
      cluster_type: 'cce',
      cluster_version: 'v1.28',
      scan_status: 'failed',
      start_time: SANDBOX_BASE_TIME - 2 * HOUR,
      end_time: SANDBOX_BASE_TIME - 2 * HOUR + 31 * MINUTE,
      scan_detail_list: [
        { scan_type: 'cluster_vul', status: 'success' },
        { scan_type: 'risk_assessment', status: 'success' },
        { scan_type: 'benchmark', status: 'failed', failed_reason: 'benchmark check timed out' },
      ],
    });
  });

  it('lists every cluster without a body, and filters by name, id and type', async () => {
    const all = (await resources('task-0001')).json as { total_num: number };
    expect(all.total_num).toBe(5);
    const count = async (info: Record<string, unknown>) =>
      ((await resources('task-0001', { cluster_scan_info: info })).json as { total_num: number }).total_num;
    expect(await count({ cluster_name: 'PROD' })).toBe(2);
    expect(await count({ cluster_id: 'aws-eks-01' })).toBe(1);
    expect(await count({ cluster_type: 'aws' })).toBe(1);
    expect(await count({ scan_status: 'success' })).toBe(3);
    expect(await count({ scan_status: 'scanning' })).toBe(0);
  });

  it('shows a running task with scanning clusters', async () => {
    const body = (await resources('task-0002')).json as {
      cluster_scan_data_list: Array<{ scan_status: string; end_time: number }>;
    };
    const statuses = body.cluster_scan_data_list.map((c) => c.scan_status);
    expect(statuses).toEqual(['success', 'success', 'scanning', 'scanning', 'failed']);
    expect(body.cluster_scan_data_list[2]?.end_time).toBe(0);
  });

  it('pages the 250 clusters of task-0004', async () => {
    const first = (await resources('task-0004', undefined, '?limit=200')).json as {
      total_num: number;
      cluster_scan_data_list: Array<{ cluster_id: string }>;
    };
    expect(first.total_num).toBe(250);
    expect(first.cluster_scan_data_list).toHaveLength(200);
    expect(first.cluster_scan_data_list[122]?.cluster_id).toBe('c-0004-0123');
    const rest = (await resources('task-0004', undefined, '?offset=200&limit=200')).json as {
      cluster_scan_data_list: unknown[];
    };
    expect(rest.cluster_scan_data_list).toHaveLength(50);
    expect(
      ((await resources('task-0004', undefined)).json as { cluster_scan_data_list: unknown[] })
        .cluster_scan_data_list,
    ).toHaveLength(10);
    const failed = (await resources('task-0004', { cluster_scan_info: { scan_status: 'failed' } })).json as {
      total_num: number;
    };
    expect(failed.total_num).toBe(210);
  });

  it('validates the request and refuses an unknown task', async () => {
    expect(errorCode(await resources('task-0001', { cluster_scan_info: { scan_status: 'done' } }))).toBe(
      'HSS.0001',
    );
    expect(errorCode(await resources('task-0001', { cluster_scan_info: { cluster_type: 'gke' } }))).toBe(
      'HSS.0001',
    );
    expect(errorCode(await resources('task-0001', { task_type: 'other' }))).toBe('HSS.0001');
    expect(errorCode(await resources('task-0001', undefined, '?limit=5'))).toBe('HSS.0001');
    expect(errorCode(await resources('task-0001', '{oops'))).toBe('HSS.0002');
    expect(errorCode(await resources('task-9999'))).toBe('HSS.0011');
  });
});

describe('ShowTaskStatistics', () => {
  it('counts the tasks', async () => {
    const reply = await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=cluster_scan'));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      total_num: TOTAL_TASKS,
      running_num: 4,
      last_task_start_time: SANDBOX_BASE_TIME - 10 * MINUTE,
    });
    expect(Object.keys(reply.json as object)).toEqual(['total_num', 'running_num', 'last_task_start_time']);
  });

  it('needs task_type=cluster_scan', async () => {
    expect(errorCode(await call(sandbox, 'GET', hssPath('/common/task-statistics')))).toBe('HSS.0001');
    expect(errorCode(await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=x')))).toBe(
      'HSS.0001',
    );
  });
});
