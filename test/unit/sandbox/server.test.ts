import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_PASSWORD, SANDBOX_PROJECT_ID } from '../../../src/sandbox/constants.js';
import {
  type RecordedRequest,
  SANDBOX_MAX_BODY_BYTES,
  SANDBOX_MAX_RECORDED,
  SANDBOX_MAX_RECORDED_BODY,
} from '../../../src/sandbox/record.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
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

/** A request whose body is sent in chunks without a Content-Length; resolves with the answer's status. */
function streamed(url: string, chunk: Buffer, times: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'PUT', headers: { 'Content-Type': 'application/json' } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
      },
    );
    // The sandbox stops reading and closes: writing on may fail, and that is the point.
    req.on('error', () => {});
    req.on('close', () => reject(new Error('closed without an answer')));
    let sent = 0;
    const more = () => {
      while (sent < times) {
        sent += 1;
        if (!req.write(chunk)) {
          req.once('drain', more);
          return;
        }
      }
      req.end();
    };
    more();
  });
}

describe('bounds', () => {
  it('refuses a declared body over 1 MiB with 413 before reading it, and records no body', async () => {
    const reply = await rawRequest(
      `${sandbox.url}${hssPath('/common/tasks/task-0001/retry')}`,
      'PUT',
      {
        'X-Auth-Token': 'hss-sandbox-token',
        'Content-Type': 'application/json',
        'Content-Length': String(SANDBOX_MAX_BODY_BYTES + 1),
      },
      '{"task_type":',
    );
    expect(reply.status).toBe(413);
    expect(reply.headers['connection']).toBe('close');
    expect(JSON.parse(reply.text)).toEqual({
      error_code: 'APIGW.0201',
      error_msg: 'Request entity too large',
    });
    expect(sandbox.requests.map((r) => [r.status, r.body])).toEqual([[413, '']]);
  });

  it('stops reading a streamed body once it passes 1 MiB, and answers 413', async () => {
    const url = `${sandbox.url}${hssPath('/common/tasks/task-0001/retry')}`;
    const reply = await streamed(url, Buffer.alloc(64 * 1024, 0x20), 64);
    expect(reply.status).toBe(413);
    expect(sandbox.requests.map((r) => r.status)).toEqual([413]);
    // A body at the limit is read.
    const atLimit = `{"task_type":"cluster_scan"${' '.repeat(SANDBOX_MAX_BODY_BYTES - 28)}}`;
    expect(Buffer.byteLength(atLimit)).toBe(SANDBOX_MAX_BODY_BYTES);
    expect(
      (await call(sandbox, 'PUT', hssPath('/common/tasks/task-0001/retry'), { body: atLimit })).status,
    ).toBe(200);
  });

  it('keeps the newest requests only, each body cut short', async () => {
    const big = `{"task_type":"cluster_scan","pad":"${'x'.repeat(SANDBOX_MAX_RECORDED_BODY)}"}`;
    await call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), { body: big });
    expect(sandbox.requests[0]?.body).toBe(
      `${big.slice(0, SANDBOX_MAX_RECORDED_BODY)}…(${Buffer.byteLength(big)} bytes in all)`,
    );
    for (let i = 0; i < SANDBOX_MAX_RECORDED; i += 1) await call(sandbox, 'GET', `/v5/n/${i}`);
    expect(sandbox.requests).toHaveLength(SANDBOX_MAX_RECORDED);
    expect(sandbox.requests[0]?.path).toBe('/v5/n/0');
    expect(sandbox.requests.at(-1)?.path).toBe(`/v5/n/${SANDBOX_MAX_RECORDED - 1}`);
  });
});

describe('control endpoints', () => {
  it('GET /__sandbox/requests masks tokens, signatures and passwords; the in-process record keeps them', async () => {
    const login = {
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'sandbox-user', password: SANDBOX_PASSWORD, domain: { name: 'd' } } },
        },
        scope: { project: { name: 'cn-north-4' } },
      },
    };
    await call(sandbox, 'POST', '/v3/auth/tokens', { body: login, token: null });
    await call(sandbox, 'GET', '/v3/projects', { headers: { 'X-Subject-Token': 'subject-secret-1' } });
    await call(sandbox, 'GET', hssPath('/common/task-statistics?task_type=cluster_scan'), {
      token: null,
      headers: {
        Authorization:
          'SDK-HMAC-SHA256 Access=SANDBOXAK, SignedHeaders=host;x-sdk-date, Signature=0a1b2c3d4e',
        'X-Security-Token': 'security-secret-2',
        'X-Sdk-Date': '20260101T000000Z',
      },
    });
    const served = await (await fetch(`${sandbox.url}/__sandbox/requests`)).text();
    for (const secret of [
      SANDBOX_PASSWORD,
      'hss-sandbox-token',
      'subject-secret-1',
      'security-secret-2',
      '0a1b2c3d4e',
    ]) {
      expect(served).not.toContain(secret);
    }
    const listed = JSON.parse(served) as RecordedRequest[];
    expect(listed.map((r) => r.method)).toEqual(['POST', 'GET', 'GET']);
    expect(JSON.parse(listed[0]!.body).auth.identity.password.user).toEqual({
      name: 'sandbox-user',
      password: '***',
      domain: { name: 'd' },
    });
    expect(listed[1]!.headers).toMatchObject({ 'x-auth-token': '***', 'x-subject-token': '***' });
    expect(listed[2]!.headers).toMatchObject({
      authorization: 'SDK-HMAC-SHA256 Access=SANDBOXAK, SignedHeaders=host;x-sdk-date, Signature=***',
      'x-security-token': '***',
    });
    expect(sandbox.requests[0]?.body).toContain(SANDBOX_PASSWORD);
    expect(sandbox.requests[2]?.headers['x-security-token']).toBe('security-secret-2');
  });

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
      `/v5/${SANDBOX_PROJECT_ID}/common/taskz`,
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
      ['GET', hssPath('/common/task'), 'POST'],
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
