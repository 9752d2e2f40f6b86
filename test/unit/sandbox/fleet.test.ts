/**
 * The sandbox as an account with several projects: IAM lists them, each project answers with its own
 * tasks, a token works on the project it is scoped to only, a signature's X-Project-Id must name the
 * path's project, and a fault can hit one project alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signRequest } from '../../../src/auth/signer.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECT_ID,
  SANDBOX_PROJECTS,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/server.js';
import { call, fakeClock, type Reply, withSandbox } from './helpers.js';

const LIST_BODY = { task_type: 'cluster_scan' };
const idOf = (name: string) => SANDBOX_PROJECTS.find((p) => p.name === name)?.id ?? '';
const EAST = idOf('cn-east-3');
const listPath = (project: string) => `/v5/${project}/common/tasks/batch-query?limit=200`;

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ now: fakeClock().now });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

async function loginTo(scope: unknown): Promise<string> {
  const reply = await call(sandbox, 'POST', '/v3/auth/tokens?nocatalog=true', {
    token: null,
    body: {
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: SANDBOX_USER, password: SANDBOX_PASSWORD, domain: { name: SANDBOX_DOMAIN } },
          },
        },
        scope,
      },
    },
  });
  expect(reply.status).toBe(201);
  return reply.headers.get('x-subject-token') ?? '';
}

function taskIds(reply: Reply): string[] {
  return (reply.json as { data_list: Array<{ task_id: string }> }).data_list.map((t) => t.task_id);
}

describe('the sandbox fleet', () => {
  it('lists every project of the account on GET /v3/auth/projects, MOS and a disabled one included', async () => {
    const reply = await call(sandbox, 'GET', '/v3/auth/projects');
    expect(reply.status).toBe(200);
    const projects = (
      reply.json as { projects: Array<{ name: string; enabled: boolean; parent_id: string }> }
    ).projects;
    expect(projects.map((p) => p.name)).toEqual([
      'cn-north-4',
      'cn-north-4_dev',
      'cn-east-3',
      'ap-southeast-1',
      'MOS',
      'la-south-2',
    ]);
    expect(projects.find((p) => p.name === 'cn-north-4_dev')?.parent_id).toBe(SANDBOX_PROJECT_ID);
    expect(projects.find((p) => p.name === 'la-south-2')?.enabled).toBe(false);
  });

  it('answers each project with its own tasks; MOS and unknown projects are refused', async () => {
    const east = await loginTo({ project: { id: EAST } });
    const reply = await call(sandbox, 'POST', listPath(EAST), { body: LIST_BODY, token: east });
    expect(reply.status).toBe(200);
    expect(taskIds(reply)).toEqual(['east-0004', 'east-0003', 'east-0001', 'east-0002', 'east-0005']);
    const mos = await call(sandbox, 'POST', listPath(idOf('MOS')), { body: LIST_BODY });
    expect(mos.status).toBe(403);
  });

  it('refuses a token on another project than the one it is scoped to, as the API gateway does', async () => {
    const east = await loginTo({ project: { name: 'cn-east-3' } });
    const refused = await call(sandbox, 'POST', listPath(SANDBOX_PROJECT_ID), {
      body: LIST_BODY,
      token: east,
    });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({
      error_code: 'APIGW.0302',
      error_msg: 'The IAM user is not authorized to access the API: project id mismatch',
    });
    // The static sandbox token is the main project's.
    expect((await call(sandbox, 'POST', listPath(EAST), { body: LIST_BODY })).status).toBe(403);
    // A token scoped to the account works on no project.
    const domain = await loginTo({ domain: { name: SANDBOX_DOMAIN } });
    expect((await call(sandbox, 'POST', listPath(EAST), { body: LIST_BODY, token: domain })).status).toBe(
      403,
    );
  });

  it("checks a signed request's X-Project-Id against the path's project", async () => {
    const send = async (project: string, header: string) => {
      const url = new URL(`${sandbox.url}${listPath(project)}`);
      const body = JSON.stringify(LIST_BODY);
      const headers = signRequest(
        {
          method: 'POST',
          url,
          headers: { 'Content-Type': 'application/json', 'X-Project-Id': header },
          body,
        },
        { accessKey: SANDBOX_ACCESS_KEY, secretKey: SANDBOX_SECRET_KEY },
        new Date(fakeClock().now()),
      );
      return (await fetch(url, { method: 'POST', headers, body })).status;
    };
    expect(await send(EAST, EAST)).toBe(200);
    expect(await send(EAST, SANDBOX_PROJECT_ID)).toBe(403);
  });

  it('limits a fault to one project by name', async () => {
    await withSandbox({ faults: ['503x9@list@cn-east-3'] }, async (faulty) => {
      const east = await call(faulty, 'POST', listPath(EAST), {
        body: LIST_BODY,
        token: null,
        headers: {},
      });
      expect(east.status).toBe(503);
      expect((await call(faulty, 'POST', listPath(SANDBOX_PROJECT_ID), { body: LIST_BODY })).status).toBe(
        200,
      );
    });
  });
});
