import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_PROJECT_ID } from '../../../src/sandbox/constants.js';
import { type RecordedRequest, type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, type FakeClock, fakeClock, hssPath, rawRequest } from './helpers.js';

let sandbox: Sandbox;
let clock: FakeClock;

beforeAll(async () => {
  clock = fakeClock();
  sandbox = await startSandbox({ now: clock.now });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('startSandbox', () => {
  it('listens on a free port of 127.0.0.1 by default', () => {
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });
});

describe('seed data', () => {
  async function taskRow(taskId: string) {
    const reply = await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), {
      body: { task_type: 'cluster_scan', task_id: taskId },
    });
    return (reply.json as { data_list: Array<{ start_time: number; estimated_time: number }> }).data_list[0];
  }

  it('is laid out before the clock at start and at each reset', async () => {
    const started = clock.now();
    expect((await taskRow('task-0001'))?.start_time).toBe(started - 2 * 3_600_000);
    clock.advance(3 * 24 * 3_600_000);
    sandbox.reset();
    expect((await taskRow('task-0001'))?.start_time).toBe(clock.now() - 2 * 3_600_000);
    expect((await taskRow('task-0002'))?.start_time).toBe(clock.now() - 10 * 60_000);
  });

  it("counts a running seed task's estimate down, and drops it once that time has passed", async () => {
    clock.set(fakeClock().now());
    sandbox.reset();
    expect((await taskRow('task-0002'))?.estimated_time).toBe(12);
    clock.advance(5 * 60_000);
    expect((await taskRow('task-0002'))?.estimated_time).toBe(7);
    clock.advance(7 * 60_000);
    expect((await taskRow('task-0002'))?.estimated_time).toBe(0);
    clock.advance(60 * 60_000);
    expect((await taskRow('task-0002'))?.estimated_time).toBe(0);
  });
});

describe('recorded requests', () => {
  it('keep the method, raw path and query, lowercased headers and exact body', async () => {
    const body =
      '{ "task_type" : "cluster_scan",\n  "cluster_scan_info": {"range_type":"all_failed_cluster"} }';
    const path = hssPath('/common/tasks/task%2D0001/retry?enterprise_project_id=all_granted_eps&x=%20a+b');
    const reply = await call(sandbox, 'PUT', path, {
      body,
      headers: { 'X-Custom-Thing': 'Value With Case', 'User-Agent': 'hss-cli/0.1.0 node/20 linux' },
    });
    expect(reply.status).toBe(200);
    expect(sandbox.requests).toHaveLength(1);
    const [recorded] = sandbox.requests as [RecordedRequest];
    expect(recorded).toMatchObject({ method: 'PUT', path, body, at: clock.now(), status: 200 });
    expect(recorded.requestId).toBe(reply.headers.get('x-request-id'));
    expect(recorded.headers).toMatchObject({
      'x-auth-token': 'hss-sandbox-token',
      'content-type': 'application/json',
      'x-custom-thing': 'Value With Case',
      'user-agent': 'hss-cli/0.1.0 node/20 linux',
      host: `127.0.0.1:${sandbox.port}`,
    });
    expect(Object.keys(recorded.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  it('keep refused and unknown requests with their status, in order', async () => {
    clock.advance(1000);
    await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), { body: {}, token: null });
    await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), { body: {} });
    await call(sandbox, 'GET', '/v5/nothing/here');
    expect(sandbox.requests.map((r) => [r.method, r.status, r.at])).toEqual([
      ['POST', 401, clock.now()],
      ['POST', 400, clock.now()],
      ['GET', 404, clock.now()],
    ]);
  });

  it('route a proxy-style absolute request target and record it as received', async () => {
    const target = `${sandbox.url}/v3/projects?name=cn-north-4`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: sandbox.port,
          path: target,
          headers: { 'X-Auth-Token': 'hss-sandbox-token' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(sandbox.requests[0]?.path).toBe(target);
  });

  it('join repeated headers', async () => {
    await rawRequest(`${sandbox.url}/v3/projects`, 'GET', {
      'X-Auth-Token': 'hss-sandbox-token',
      'X-Twice': ['a', 'b'],
    });
    expect(sandbox.requests[0]?.headers['x-twice']).toBe('a, b');
  });
});

describe('control endpoints', () => {
  it('GET /__sandbox/requests returns the record without control calls; no auth needed', async () => {
    await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=cluster_scan'));
    const first = await fetch(`${sandbox.url}/__sandbox/requests`);
    expect(first.status).toBe(200);
    const listed = (await first.json()) as RecordedRequest[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      method: 'GET',
      path: hssPath('/common/task-statistics?task_type=cluster_scan'),
      status: 200,
    });
    const again = (await (await fetch(`${sandbox.url}/__sandbox/requests`)).json()) as unknown[];
    expect(again).toHaveLength(1);
  });

  it('POST /__sandbox/reset restores the seed and clears the record', async () => {
    const retry = hssPath('/common/tasks/task-0001/retry');
    const body = { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } };
    expect((await call(sandbox, 'PUT', retry, { body })).status).toBe(200);
    expect((await call(sandbox, 'PUT', retry, { body })).status).toBe(400);
    const reset = await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sandbox.requests).toHaveLength(0);
    expect((await call(sandbox, 'PUT', retry, { body })).status).toBe(200);
  });

  it('answers a wrong method or an unknown control path', async () => {
    expect((await fetch(`${sandbox.url}/__sandbox/reset`)).status).toBe(405);
    expect((await fetch(`${sandbox.url}/__sandbox/requests`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${sandbox.url}/__sandbox/other`)).status).toBe(404);
    expect(sandbox.requests).toHaveLength(0);
  });
});

describe('routing', () => {
  it('answers an unknown route with an APIGW 404', async () => {
    for (const path of [
      '/',
      '/v5',
      `/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001`,
      `/v5/${SANDBOX_PROJECT_ID}/common/task`,
      '/v3/users',
    ]) {
      const reply = await call(sandbox, 'GET', path);
      expect(reply.status, path).toBe(404);
      expect(reply.json).toEqual({
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
      });
    }
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', hssPath('/common/tasks/task-0001/retry'), 'PUT'],
      ['PUT', hssPath('/common/tasks/batch-query'), 'POST'],
      ['GET', hssPath('/common/tasks/task-0001/resources/batch-query'), 'POST'],
      ['POST', hssPath('/common/task-statistics'), 'GET'],
      ['GET', '/v3/auth/tokens', 'POST'],
      ['DELETE', '/v3/projects', 'GET'],
    ];
    for (const [method, path, allowed] of cases) {
      const reply = await call(sandbox, method, path);
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.headers.get('allow')).toBe(allowed);
      expect(reply.json).toMatchObject({ error_code: 'APIGW.0101' });
    }
  });

  it('gives every answer a distinct 32-hex X-Request-Id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const reply = await call(sandbox, 'GET', '/nowhere');
      ids.add(reply.headers.get('x-request-id') ?? '');
    }
    expect(ids.size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });
});
