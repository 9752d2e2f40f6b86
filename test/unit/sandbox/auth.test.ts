import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/auth/signer.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_DOMAIN_ID,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECT_ID,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
  SANDBOX_USER_ID,
} from '../../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, type FakeClock, fakeClock, hssPath, type Reply, rawRequest } from './helpers.js';

const TTL_MS = 60 * 60 * 1000;
const LIST_BODY = { task_type: 'cluster_scan' };
let sandbox: Sandbox;
let clock: FakeClock;

beforeAll(async () => {
  clock = fakeClock();
  sandbox = await startSandbox({ now: clock.now, tokenTtlMs: TTL_MS });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  clock.set(fakeClock().now());
});

function loginBody(overrides: { user?: string; password?: string; domain?: unknown; scope?: unknown } = {}) {
  return {
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: {
            name: overrides.user ?? SANDBOX_USER,
            password: overrides.password ?? SANDBOX_PASSWORD,
            domain: overrides.domain ?? { name: SANDBOX_DOMAIN },
          },
        },
      },
      scope: overrides.scope ?? { project: { name: SANDBOX_REGION } },
    },
  };
}

function login(body: unknown, query = '?nocatalog=true'): Promise<Reply> {
  return call(sandbox, 'POST', `/v3/auth/tokens${query}`, { body, token: null });
}

function listWith(token: string | null): Promise<Reply> {
  return call(sandbox, 'POST', hssPath('/common/tasks/batch-query'), { body: LIST_BODY, token });
}

describe('X-Auth-Token', () => {
  it('refuses a request without a token', async () => {
    const reply = await listWith(null);
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      error_code: 'APIGW.0301',
      error_msg: 'Incorrect IAM authentication information: x-auth-token not found',
    });
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
    expect((await listWith('')).status).toBe(401);
  });

  it('refuses an unknown token', async () => {
    const reply = await listWith('MIIforged');
    expect(reply.status).toBe(401);
    expect(reply.json).toEqual({
      error_code: 'APIGW.0301',
      error_msg: 'Incorrect IAM authentication information: verify token fail',
    });
  });

  it('accepts the static sandbox token', async () => {
    expect((await listWith('hss-sandbox-token')).status).toBe(200);
  });

  it('refuses another project in the path with 403', async () => {
    const reply = await call(sandbox, 'POST', `/v5/${'0'.repeat(32)}/common/tasks/batch-query`, {
      body: LIST_BODY,
    });
    expect(reply.status).toBe(403);
    expect(reply.json).toMatchObject({ error_code: 'APIGW.0302' });
    expect((reply.json as { error_msg: string }).error_msg).toContain('project id mismatch');
  });

  it('checks the token before the project, the route before the token', async () => {
    const wrongProject = await call(sandbox, 'POST', '/v5/other/common/tasks/batch-query', {
      body: LIST_BODY,
      token: null,
    });
    expect(wrongProject.status).toBe(401);
    expect((await call(sandbox, 'GET', '/v5/x/nothing', { token: null })).status).toBe(404);
  });
});

describe('IAM password login', () => {
  it('issues a token in X-Subject-Token that then works, and expires after its lifetime', async () => {
    const issuedAt = clock.now();
    const reply = await login(loginBody());
    expect(reply.status).toBe(201);
    const token = reply.headers.get('x-subject-token') ?? '';
    expect(token).toMatch(/^MII[A-Za-z0-9_-]{100,}$/);
    const expiresAt = new Date(issuedAt + TTL_MS).toISOString().replace('Z', '000Z');
    expect(reply.json).toEqual({
      token: {
        expires_at: expiresAt,
        issued_at: new Date(issuedAt).toISOString().replace('Z', '000Z'),
        methods: ['password'],
        project: {
          id: SANDBOX_PROJECT_ID,
          name: SANDBOX_REGION,
          domain: { id: SANDBOX_DOMAIN_ID, name: SANDBOX_DOMAIN },
        },
        user: {
          id: SANDBOX_USER_ID,
          name: SANDBOX_USER,
          domain: { id: SANDBOX_DOMAIN_ID, name: SANDBOX_DOMAIN },
        },
        roles: [{ id: '0', name: 'te_admin' }],
      },
    });
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    expect((await listWith(token)).status).toBe(200);
    clock.advance(TTL_MS - 1);
    expect((await listWith(token)).status).toBe(200);
    clock.advance(1);
    const expired = await listWith(token);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      error_code: 'APIGW.0301',
      error_msg: `Incorrect IAM authentication information: token expires, expires_at: ${expiresAt}`,
    });
  });

  it('issues a new token on every login; tokens survive reset()', async () => {
    const a = (await login(loginBody())).headers.get('x-subject-token');
    const b = (await login(loginBody())).headers.get('x-subject-token');
    expect(a).not.toBe(b);
    sandbox.reset();
    expect((await listWith(b)).status).toBe(200);
  });

  it('adds a catalog unless nocatalog=true, and accepts a project id scope or a domain id', async () => {
    const withCatalog = (await login(loginBody(), '')).json as {
      token: { catalog?: Array<{ type: string }> };
    };
    expect(withCatalog.token.catalog?.map((entry) => entry.type)).toEqual(['hss', 'identity']);
    const byId = await login(
      loginBody({ scope: { project: { id: SANDBOX_PROJECT_ID } }, domain: { id: SANDBOX_DOMAIN_ID } }),
    );
    expect(byId.status).toBe(201);
    expect((byId.json as { token: Record<string, unknown> }).token.catalog).toBeUndefined();
  });

  it('answers a wrong user, password or domain with IAM 401', async () => {
    const expected = {
      error: { code: 401, message: 'The username or password is wrong.', title: 'Unauthorized' },
    };
    for (const overrides of [
      { password: 'nope' },
      { user: 'someone' },
      { domain: { name: 'other-account' } },
    ]) {
      const reply = await login(loginBody(overrides));
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual(expected);
      expect(reply.headers.get('x-subject-token')).toBeNull();
    }
    const otherRegion = await login(loginBody({ scope: { project: { name: 'cn-north-1' } } }));
    expect(otherRegion.status).toBe(401);
    expect(otherRegion.json).toMatchObject({ error: { code: 401, title: 'Unauthorized' } });
  });

  it('answers a malformed body with IAM 400', async () => {
    for (const body of [
      '{not json',
      { auth: {} },
      loginBody({ scope: {} }),
      { auth: { identity: { methods: ['token'] } } },
    ]) {
      const reply = await login(body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.json).toMatchObject({ error: { code: 400, title: 'Bad Request' } });
    }
  });
});

describe('IAM project lookup', () => {
  it('finds the sandbox project by region name, nothing for another name', async () => {
    const reply = await call(sandbox, 'GET', `/v3/projects?name=${SANDBOX_REGION}`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      projects: [
        {
          id: SANDBOX_PROJECT_ID,
          name: SANDBOX_REGION,
          domain_id: SANDBOX_DOMAIN_ID,
          enabled: true,
          description: '',
          is_domain: false,
          parent_id: SANDBOX_DOMAIN_ID,
        },
      ],
      links: { self: `${sandbox.url}/v3/projects?name=${SANDBOX_REGION}`, previous: null, next: null },
    });
    const none = (await call(sandbox, 'GET', '/v3/projects?name=cn-north-1')).json as { projects: unknown[] };
    expect(none.projects).toEqual([]);
  });

  it('needs authentication', async () => {
    expect((await call(sandbox, 'GET', '/v3/projects?name=cn-north-4', { token: null })).status).toBe(401);
  });
});

describe('AK/SK signatures', () => {
  const listUrl = () =>
    new URL(`${sandbox.url}${hssPath('/common/tasks/batch-query?limit=20&enterprise_project_id=0')}`);
  const body = JSON.stringify(LIST_BODY);

  function signed(
    options: { sk?: string; ak?: string; at?: number; url?: URL; headers?: Record<string, string> } = {},
  ): Record<string, string> {
    return signRequest(
      {
        method: 'POST',
        url: options.url ?? listUrl(),
        headers: {
          'Content-Type': 'application/json',
          'X-Project-Id': SANDBOX_PROJECT_ID,
          ...options.headers,
        },
        body,
      },
      { accessKey: options.ak ?? SANDBOX_ACCESS_KEY, secretKey: options.sk ?? SANDBOX_SECRET_KEY },
      new Date(options.at ?? clock.now()),
    );
  }

  async function send(headers: Record<string, string>, payload = body, url = listUrl()): Promise<Reply> {
    const response = await fetch(url, { method: 'POST', headers, body: payload });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
  }

  const SIGNATURE_FAIL = {
    error_code: 'APIGW.0301',
    error_msg: 'Incorrect IAM authentication information: verify aksk signature fail',
  };

  it('accepts a request signed with the sandbox keys', async () => {
    const reply = await send(signed());
    expect(reply.status).toBe(200);
    expect((reply.json as { data_list: unknown[] }).data_list).toHaveLength(20);
  });

  it('refuses a wrong secret, an unknown access key and a changed body', async () => {
    for (const reply of [
      await send(signed({ sk: 'wrong-secret' })),
      await send(signed({ ak: 'UNKNOWNAK' })),
      await send(signed(), JSON.stringify({ ...LIST_BODY, task_status: 'running' })),
    ]) {
      expect(reply.status).toBe(401);
      expect(reply.json).toEqual(SIGNATURE_FAIL);
    }
  });

  it('accepts X-Sdk-Date up to 15 minutes from the sandbox clock, not more', async () => {
    const minute = 60_000;
    expect((await send(signed({ at: clock.now() - 15 * minute }))).status).toBe(200);
    expect((await send(signed({ at: clock.now() + 15 * minute }))).status).toBe(200);
    expect((await send(signed({ at: clock.now() - 16 * minute }))).json).toEqual(SIGNATURE_FAIL);
    expect((await send(signed({ at: clock.now() + 16 * minute }))).json).toEqual(SIGNATURE_FAIL);
  });

  it('refuses an X-Project-Id that is not the path project', async () => {
    const reply = await send(signed({ headers: { 'X-Project-Id': '0'.repeat(32) } }));
    expect(reply.status).toBe(403);
  });

  it('signs IAM project lookups too', async () => {
    const url = new URL(`${sandbox.url}/v3/projects?name=${SANDBOX_REGION}`);
    const headers = signRequest(
      { method: 'GET', url, headers: {} },
      { accessKey: SANDBOX_ACCESS_KEY, secretKey: SANDBOX_SECRET_KEY },
      new Date(clock.now()),
    );
    const response = await fetch(url, { headers });
    expect(response.status).toBe(200);
  });
});

describe('AK/SK signed by the official Huawei Cloud SDK', () => {
  let realClock: Sandbox;
  beforeAll(async () => {
    realClock = await startSandbox();
  });
  afterAll(() => realClock.close());

  it('is accepted', async () => {
    const data = { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } };
    const path = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`;
    const credentials = new BasicCredentials().withAk(SANDBOX_ACCESS_KEY).withSk(SANDBOX_SECRET_KEY);
    const headers = AKSKSigner.sign(
      {
        endpoint: `${realClock.url}${path}`,
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-Project-Id': SANDBOX_PROJECT_ID },
        queryParams: { enterprise_project_id: 'all_granted_eps' },
        data,
      },
      credentials,
    ) as Record<string, string>;
    const reply = await rawRequest(
      `${realClock.url}${path}?enterprise_project_id=all_granted_eps`,
      'PUT',
      headers,
      JSON.stringify(data),
    );
    expect(reply.text).toBe('');
    expect(reply.status).toBe(200);
    const authorization = headers.Authorization ?? '';
    const flipped = authorization.endsWith('0') ? '1' : '0';
    const forged = { ...headers, Authorization: `${authorization.slice(0, -1)}${flipped}` };
    const refused = await rawRequest(
      `${realClock.url}${path}?enterprise_project_id=all_granted_eps`,
      'PUT',
      forged,
      JSON.stringify(data),
    );
    expect(refused.status).toBe(401);
  });
});
