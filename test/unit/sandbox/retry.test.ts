import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_ENTERPRISE_PROJECTS } from '../../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, type FakeClock, fakeClock, hssPath, type Reply, retryBody } from './helpers.js';

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

const ALL_FAILED = retryBody({ range_type: 'all_failed_cluster' });

function retry(taskId: string, body: unknown, query = ''): Promise<Reply> {
  return call(sandbox, 'PUT', hssPath(`/common/tasks/${taskId}/retry${query}`), { body });
}

function specific(list: unknown): Record<string, unknown> {
  return retryBody({ range_type: 'specific_cluster', cluster_info_list: list });
}

function expectHssError(reply: Reply, code: string, detail?: RegExp): void {
  expect(reply.status).toBe(400);
  expect(reply.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  const body = reply.json as { error_code: string; error_msg: string; error_description: string };
  expect(Object.keys(body)).toEqual(['error_code', 'error_msg', 'error_description']);
  expect(body.error_code).toBe(code);
  if (detail) expect(body.error_description).toMatch(detail);
  expect(body.error_msg).toContain(body.error_description);
}

async function task(taskId: string) {
  const reply = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
    body: { task_type: 'cluster_scan', task_id: taskId },
  });
  const body = reply.json as { data_list: Array<Record<string, unknown>> };
  return body.data_list[0] as {
    task_status: string;
    start_time: number;
    end_time: number;
    estimated_time: number;
    cluster_scan_info: {
      scanning_cluster_num: number;
      success_cluster_num: number;
      failed_cluster_num: number;
    };
  };
}

interface ClusterResult {
  cluster_id: string;
  scan_status: string;
  start_time: number;
  end_time: number;
  scan_detail_list: Array<{ scan_type: string; status: string; failed_reason?: string }>;
}

async function clusters(taskId: string): Promise<Map<string, ClusterResult>> {
  const all: ClusterResult[] = [];
  for (let offset = 0; ; offset += 200) {
    const path = hssPath(`/common/tasks/${taskId}/resources/batch-query?offset=${offset}&limit=200`);
    const body = (await call(sandbox, 'POST', path)).json as {
      total_num: number;
      cluster_scan_data_list: ClusterResult[];
    };
    all.push(...body.cluster_scan_data_list);
    if (all.length >= body.total_num) break;
  }
  return new Map(all.map((cluster) => [cluster.cluster_id, cluster]));
}

function failedIds(results: Map<string, ClusterResult>): string[] {
  return [...results.values()].filter((c) => c.scan_status === 'failed').map((c) => c.cluster_id);
}

describe('RetryTask success', () => {
  it('answers 200 with an empty body and a request id', async () => {
    const reply = await retry('task-0001', ALL_FAILED);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(reply.headers.get('content-length')).toBe('0');
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts the documented example bodies and enterprise projects', async () => {
    for (const ep of SANDBOX_ENTERPRISE_PROJECTS) {
      sandbox.reset();
      const reply = await retry('task-0001', ALL_FAILED, `?enterprise_project_id=${ep}`);
      expect(reply.status).toBe(200);
    }
    sandbox.reset();
    const reply = await retry(
      'task-0001',
      specific([{ cluster_id: 'cce-prod-02', scan_type_list: ['benchmark'] }, { cluster_id: 'aws-eks-01' }]),
    );
    expect(reply.status).toBe(200);
  });

  it('percent-decodes the task id in the path', async () => {
    expect((await retry('task%2D0001', ALL_FAILED)).status).toBe(200);
  });

  it('accepts a JSON Content-Type with parameters', async () => {
    const reply = await call(sandbox, 'PUT', hssPath('/common/tasks/task-0001/retry'), {
      body: ALL_FAILED,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(reply.status).toBe(200);
  });

  it('treats a null cluster_info_list as absent with all_failed_cluster', async () => {
    const reply = await retry(
      'task-0001',
      retryBody({ range_type: 'all_failed_cluster', cluster_info_list: null }),
    );
    expect(reply.status).toBe(200);
  });
});

describe('RetryTask: bodies the API documents as valid', () => {
  it('reads an omitted body as a retry of every failed cluster', async () => {
    const reply = await fetch(`${sandbox.url}${hssPath('/common/tasks/task-0001/retry')}`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'hss-sandbox-token' },
    });
    expect(reply.status).toBe(200);
    expect((await task('task-0001')).task_status).toBe('running');
    expect(failedIds(await clusters('task-0001'))).toEqual([]);
  });

  it('reads an empty JSON body as a retry of every failed cluster', async () => {
    expect((await retry('task-0001', '')).status).toBe(200);
    expect((await task('task-0001')).cluster_scan_info.scanning_cluster_num).toBe(2);
  });

  it('reads a body without cluster_scan_info as a retry of every failed cluster', async () => {
    expect((await retry('task-0001', { task_type: 'cluster_scan' })).status).toBe(200);
    expect((await task('task-0001')).cluster_scan_info.scanning_cluster_num).toBe(2);
    expectHssError(await retry('task-0003', { task_type: 'cluster_scan' }), 'HSS.1302', /no failed cluster/);
  });

  it('takes a cluster_info_list beside all_failed_cluster, and retries every failed cluster', async () => {
    const reply = await retry(
      'task-0001',
      retryBody({ range_type: 'all_failed_cluster', cluster_info_list: [{ cluster_id: 'cce-prod-02' }] }),
    );
    expect(reply.status).toBe(200);
    const after = await clusters('task-0001');
    expect(after.get('cce-prod-02')?.scan_status).toBe('scanning');
    expect(after.get('aws-eks-01')?.scan_status).toBe('scanning');
  });

  it('passes over cluster_info_list items without a cluster_id', async () => {
    const reply = await retry(
      'task-0001',
      specific([{ scan_type_list: ['benchmark'] }, { cluster_id: 'cce-prod-02' }]),
    );
    expect(reply.status).toBe(200);
    const after = await clusters('task-0001');
    expect(after.get('cce-prod-02')?.scan_status).toBe('scanning');
    expect(after.get('aws-eks-01')?.scan_status).toBe('failed');
  });
});

describe('RetryTask validation', () => {
  it('task_type is required and must be cluster_scan', async () => {
    expectHssError(
      await retry('task-0001', { cluster_scan_info: { range_type: 'all_failed_cluster' } }),
      'HSS.0001',
      /task_type is required/,
    );
    expectHssError(
      await retry('task-0001', { ...ALL_FAILED, task_type: 'vul_scan' }),
      'HSS.0001',
      /task_type/,
    );
  });

  it('range_type is required in a cluster_scan_info, from the enum', async () => {
    expectHssError(
      await retry('task-0001', retryBody('all')),
      'HSS.0001',
      /cluster_scan_info must be an object/,
    );
    expectHssError(await retry('task-0001', retryBody({})), 'HSS.0001', /range_type is required/);
    expectHssError(
      await retry('task-0001', retryBody({ range_type: 'all_cluster' })),
      'HSS.0001',
      /range_type must be/,
    );
  });

  it('cluster_info_list is required with specific_cluster, and checked wherever it is given', async () => {
    expectHssError(
      await retry('task-0001', retryBody({ range_type: 'specific_cluster' })),
      'HSS.0001',
      /is required/,
    );
    expectHssError(await retry('task-0001', specific([])), 'HSS.0001', /1 to 200 items/);
    expectHssError(
      await retry('task-0001', specific({ cluster_id: 'cce-prod-02' })),
      'HSS.0001',
      /must be an array/,
    );
    expectHssError(
      await retry('task-0001', retryBody({ range_type: 'all_failed_cluster', cluster_info_list: [] })),
      'HSS.0001',
      /1 to 200 items/,
    );
  });

  it('takes 200 clusters but not 201', async () => {
    const failed = failedIds(await clusters('task-0004'));
    expect(failed.length).toBe(210);
    const list = failed.map((id) => ({ cluster_id: id }));
    expectHssError(await retry('task-0004', specific(list.slice(0, 201))), 'HSS.0001', /1 to 200 items/);
    expect((await retry('task-0004', specific(list.slice(0, 200)))).status).toBe(200);
  });

  it('takes a 64-character cluster id but not 65, and not an empty one, nor a list that names none', async () => {
    // 64 characters passes validation and then is not part of the task.
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'c'.repeat(64) }])),
      'HSS.0011',
      /not part of task/,
    );
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'c'.repeat(65) }])),
      'HSS.0001',
      /1 to 64 characters/,
    );
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: '' }])),
      'HSS.0001',
      /1 to 64 characters/,
    );
    expectHssError(
      await retry('task-0001', specific([{ scan_type_list: ['benchmark'] }])),
      'HSS.0001',
      /names no cluster/,
    );
    expectHssError(await retry('task-0001', specific([{ cluster_id: 42 }])), 'HSS.0001', /must be a string/);
  });

  it('refuses duplicate cluster ids', async () => {
    const list = [{ cluster_id: 'cce-prod-02' }, { cluster_id: 'aws-eks-01' }, { cluster_id: 'cce-prod-02' }];
    expectHssError(await retry('task-0001', specific(list)), 'HSS.0001', /cce-prod-02 more than once/);
  });

  it('takes 1 to 3 distinct scan types from the enum', async () => {
    const three = ['cluster_vul', 'risk_assessment', 'benchmark'];
    const four = [...three, 'benchmark'];
    expect(
      (await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: three }]))).status,
    ).toBe(200);
    sandbox.reset();
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: four }])),
      'HSS.0001',
      /1 to 3 items/,
    );
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: [] }])),
      'HSS.0001',
      /1 to 3 items/,
    );
    expectHssError(
      await retry(
        'task-0001',
        specific([{ cluster_id: 'aws-eks-01', scan_type_list: ['benchmark', 'benchmark'] }]),
      ),
      'HSS.0001',
      /benchmark more than once/,
    );
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: ['malware'] }])),
      'HSS.0001',
      /scan_type_list\[0\] must be one of cluster_vul, risk_assessment, benchmark/,
    );
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: 'benchmark' }])),
      'HSS.0001',
      /must be an array/,
    );
  });

  it('takes a 64-character task id but not 65 (after percent-decoding)', async () => {
    expectHssError(await retry('t'.repeat(64), ALL_FAILED), 'HSS.0011', /does not exist/);
    expectHssError(await retry(`${'t'.repeat(63)}%41`, ALL_FAILED), 'HSS.0011', /does not exist/);
    expectHssError(await retry('t'.repeat(65), ALL_FAILED), 'HSS.0001', /task_id must be 1 to 64/);
    expectHssError(await retry('%E0%A4%A', ALL_FAILED), 'HSS.0001', /percent-encoded/);
  });

  it('checks enterprise_project_id: 1 to 256 characters, one of the account', async () => {
    expectHssError(await retry('task-0001', ALL_FAILED, '?enterprise_project_id='), 'HSS.0001', /1 to 256/);
    expectHssError(
      await retry('task-0001', ALL_FAILED, `?enterprise_project_id=${'e'.repeat(257)}`),
      'HSS.0001',
      /1 to 256/,
    );
    expectHssError(
      await retry('task-0001', ALL_FAILED, `?enterprise_project_id=${'e'.repeat(256)}`),
      'HSS.0010',
      /not available/,
    );
  });

  it('needs a JSON Content-Type and a JSON object body when a body is given', async () => {
    const path = hssPath('/common/tasks/task-0001/retry');
    const text = JSON.stringify(ALL_FAILED);
    expectHssError(
      await call(sandbox, 'PUT', path, { body: text, headers: { 'Content-Type': 'text/plain' } }),
      'HSS.0002',
      /Content-Type/,
    );
    const noType = await fetch(`${sandbox.url}${path}`, {
      method: 'PUT',
      headers: { 'X-Auth-Token': 'hss-sandbox-token' },
      body: text,
    });
    expect(((await noType.json()) as { error_code: string }).error_code).toBe('HSS.0002');
    expectHssError(await retry('task-0001', '{"task_type":'), 'HSS.0002', /not valid JSON/);
    expectHssError(await retry('task-0001', '[1,2]'), 'HSS.0002', /JSON object/);
  });

  it('refuses an unknown task with 400 HSS.0011', async () => {
    expectHssError(await retry('task-9999', ALL_FAILED), 'HSS.0011', /task task-9999 does not exist/);
  });

  it('refuses a running task and a task that has not started', async () => {
    expectHssError(await retry('task-0002', ALL_FAILED), 'HSS.1301', /running/);
    expect((await task('task-0100')).task_status).toBe('ready');
    expectHssError(await retry('task-0100', ALL_FAILED), 'HSS.1301', /not started/);
  });

  it('refuses a retry with nothing failed to rescan', async () => {
    expectHssError(await retry('task-0003', ALL_FAILED), 'HSS.1302', /no failed cluster/);
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'cce-prod-01' }])),
      'HSS.1302',
      /no failed scan item/,
    );
  });

  it('refuses a cluster that is not part of the task, and a scan type the task did not run', async () => {
    expectHssError(
      await retry('task-0001', specific([{ cluster_id: 'hw-k8s-01' }])),
      'HSS.0011',
      /hw-k8s-01 is not part of task task-0001/,
    );
    expectHssError(
      await retry(
        'task-0003',
        specific([{ cluster_id: 'cce-prod-01', scan_type_list: ['risk_assessment'] }]),
      ),
      'HSS.0001',
      /risk_assessment is not part of task task-0003/,
    );
  });

  it('changes nothing when refused', async () => {
    await retry('task-0001', specific([{ cluster_id: 'cce-prod-02' }, { cluster_id: 'nope' }]));
    expect((await task('task-0001')).task_status).toBe('finished');
    expect(failedIds(await clusters('task-0001'))).toEqual(['cce-prod-02', 'aws-eks-01']);
  });
});

describe('RetryTask effect over time', () => {
  it('runs task-0001 for progressMs, then finishes it with both failed clusters fixed', async () => {
    const before = await task('task-0001');
    expect(before.task_status).toBe('finished');
    expect(before.cluster_scan_info).toEqual({
      scan_type_list: ['cluster_vul', 'risk_assessment', 'benchmark'],
      scanning_cluster_num: 0,
      success_cluster_num: 3,
      failed_cluster_num: 2,
    });
    const start = clock.now();
    expect((await retry('task-0001', ALL_FAILED)).status).toBe(200);

    const running = await task('task-0001');
    expect(running).toMatchObject({
      task_status: 'running',
      start_time: start,
      end_time: 0,
      estimated_time: 1,
    });
    expect(running.cluster_scan_info).toMatchObject({
      scanning_cluster_num: 2,
      success_cluster_num: 3,
      failed_cluster_num: 0,
    });
    const during = await clusters('task-0001');
    expect(during.get('cce-prod-02')).toMatchObject({
      scan_status: 'scanning',
      start_time: start,
      end_time: 0,
    });
    expect(during.get('cce-prod-02')?.scan_detail_list).toEqual([
      { scan_type: 'cluster_vul', status: 'success' },
      { scan_type: 'risk_assessment', status: 'success' },
      { scan_type: 'benchmark', status: 'scanning' },
    ]);
    expect(during.get('cce-prod-01')?.start_time).toBeLessThan(start);
    expectHssError(await retry('task-0001', ALL_FAILED), 'HSS.1301');

    clock.advance(PROGRESS_MS - 1);
    expect((await task('task-0001')).task_status).toBe('running');
    clock.advance(1);
    const after = await task('task-0001');
    expect(after).toMatchObject({
      task_status: 'finished',
      start_time: start,
      end_time: start + PROGRESS_MS,
      estimated_time: 0,
    });
    expect(after.cluster_scan_info).toMatchObject({
      scanning_cluster_num: 0,
      success_cluster_num: 5,
      failed_cluster_num: 0,
    });
    const done = await clusters('task-0001');
    expect(done.get('aws-eks-01')).toMatchObject({ scan_status: 'success', end_time: start + PROGRESS_MS });
    expect(failedIds(done)).toEqual([]);
    expectHssError(await retry('task-0001', ALL_FAILED), 'HSS.1302');
  });

  it('finishes the retried clusters one after another over the progress time', async () => {
    const start = clock.now();
    await retry('task-0001', ALL_FAILED);
    clock.advance(PROGRESS_MS / 2 - 1);
    expect((await task('task-0001')).cluster_scan_info).toMatchObject({
      scanning_cluster_num: 2,
      success_cluster_num: 3,
    });
    clock.advance(1);
    const half = await task('task-0001');
    expect(half.task_status).toBe('running');
    expect(half.cluster_scan_info).toMatchObject({ scanning_cluster_num: 1, success_cluster_num: 4 });
    const midway = await clusters('task-0001');
    expect(midway.get('cce-prod-02')).toMatchObject({
      scan_status: 'success',
      end_time: start + PROGRESS_MS / 2,
    });
    expect(midway.get('aws-eks-01')).toMatchObject({ scan_status: 'scanning', end_time: 0 });
    clock.advance(PROGRESS_MS / 2);
    expect(await task('task-0001')).toMatchObject({
      task_status: 'finished',
      cluster_scan_info: { scanning_cluster_num: 0, success_cluster_num: 5 },
    });
  });

  it('shows the failed reasons before a retry', async () => {
    const results = await clusters('task-0001');
    expect(results.get('cce-prod-02')?.scan_detail_list).toContainEqual({
      scan_type: 'benchmark',
      status: 'failed',
      failed_reason: 'benchmark check timed out',
    });
    expect(results.get('aws-eks-01')?.scan_detail_list).toEqual([
      { scan_type: 'cluster_vul', status: 'failed', failed_reason: 'failed to pull scanner image' },
      { scan_type: 'risk_assessment', status: 'failed', failed_reason: 'failed to pull scanner image' },
      { scan_type: 'benchmark', status: 'success' },
    ]);
  });

  it('rescans only the listed scan types of a specific cluster', async () => {
    await retry('task-0001', specific([{ cluster_id: 'aws-eks-01', scan_type_list: ['cluster_vul'] }]));
    clock.advance(PROGRESS_MS);
    const results = await clusters('task-0001');
    expect(results.get('aws-eks-01')?.scan_detail_list).toEqual([
      { scan_type: 'cluster_vul', status: 'success' },
      { scan_type: 'risk_assessment', status: 'failed', failed_reason: 'failed to pull scanner image' },
      { scan_type: 'benchmark', status: 'success' },
    ]);
    expect(failedIds(results)).toEqual(['cce-prod-02', 'aws-eks-01']);
  });

  it('keeps task-0005 failing: no agent, no retry fixes it', async () => {
    for (let round = 0; round < 2; round += 1) {
      expect((await retry('task-0005', ALL_FAILED)).status).toBe(200);
      clock.advance(PROGRESS_MS);
      const after = await task('task-0005');
      expect(after.cluster_scan_info.failed_cluster_num).toBe(1);
      const edge = (await clusters('task-0005')).get('idc-edge-01');
      expect(
        edge?.scan_detail_list.every((d) => d.failed_reason === 'agent not installed on cluster nodes'),
      ).toBe(true);
    }
  });

  it('needs two retries for task-0006', async () => {
    await retry('task-0006', ALL_FAILED);
    clock.advance(PROGRESS_MS);
    expect((await task('task-0006')).cluster_scan_info.failed_cluster_num).toBe(2);
    await retry('task-0006', ALL_FAILED);
    clock.advance(PROGRESS_MS);
    expect((await task('task-0006')).cluster_scan_info).toMatchObject({
      success_cluster_num: 3,
      failed_cluster_num: 0,
    });
  });

  it('leaves task-0004 with only its two-retry clusters failed after one full retry', async () => {
    await retry('task-0004', ALL_FAILED);
    clock.advance(PROGRESS_MS);
    const info = (await task('task-0004')).cluster_scan_info;
    expect(info.failed_cluster_num).toBe(70);
    await retry('task-0004', ALL_FAILED);
    clock.advance(PROGRESS_MS);
    expect((await task('task-0004')).cluster_scan_info.failed_cluster_num).toBe(0);
  });

  it('counts the retried task as running; the latest creation time stays', async () => {
    const stats = async () =>
      (await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=cluster_scan'))).json as {
        running_num: number;
        last_task_start_time: number;
      };
    const before = await stats();
    await retry('task-0001', ALL_FAILED);
    expect(await stats()).toMatchObject({
      running_num: before.running_num + 1,
      last_task_start_time: before.last_task_start_time,
    });
    clock.advance(PROGRESS_MS);
    expect((await stats()).running_num).toBe(before.running_num);
  });

  it('reset() restores the seed', async () => {
    await retry('task-0001', ALL_FAILED);
    clock.advance(PROGRESS_MS);
    sandbox.reset();
    expect(failedIds(await clusters('task-0001'))).toEqual(['cce-prod-02', 'aws-eks-01']);
  });
});
