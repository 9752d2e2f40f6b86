/**
 * `hss api METHOD PATH` against the sandbox, with every kind of credential: the exact request on the
 * wire (path, query, body, credentials; AK/SK signatures checked by the sandbox's verifier), the
 * answer printed as JSON, errors and retries as for every command, and what it refuses before sending.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { hss, tempDir } from '../helpers/cli.js';
import { commandLine, credentialScript, writeStore } from '../helpers/credentials.js';
import { hssInProcess } from '../helpers/in-process.js';
import { startProxy } from '../helpers/network.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const STATS = ['api', 'GET', '/v5/{project_id}/common/task-statistics', '--param', 'task_type=cluster_scan'];
const STATS_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/task-statistics?task_type=cluster_scan`;
const LIST_BODY = '{"task_type":"cluster_scan","task_status":"running"}';

function wire(): string[] {
  return sb.sandbox.requests.map((q) => `${q.method} ${q.path} ${q.status}`);
}

describe('hss api with each kind of credential', () => {
  it('a token: the path filled in, the answer printed as JSON, one request', async () => {
    const r = await hss(STATS, { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const answer = JSON.parse(r.stdout);
    expect(Object.keys(answer)).toEqual(['total_num', 'running_num', 'last_task_start_time']);
    expect(r.stdout).toBe(`${JSON.stringify(answer, null, 2)}\n`);
    expect(wire()).toEqual([`GET ${STATS_PATH} 200`]);
    expect(sb.sandbox.requests[0]?.headers['x-auth-token']).toBe(SANDBOX_TOKEN);
    expect(sb.sandbox.requests[0]?.headers['user-agent']).toMatch(/^hss-cli\//);
  });

  it('AK/SK: POST with a body, signed with X-Project-Id; the sandbox verifies the signature', async () => {
    const env = {
      HSS_ENDPOINT: sb.url,
      HSS_IAM_ENDPOINT: sb.url,
      HSS_REGION: SANDBOX_REGION,
      HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
    };
    const args = ['api', 'POST', '/v5/{project_id}/common/tasks/batch-query', '--param', 'limit=10'];
    const r = await hss([...args, '--body', LIST_BODY, '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout);
    expect(answer.data_list.length).toBeGreaterThan(0);
    expect(answer.data_list.every((t: { task_status: string }) => t.task_status === 'running')).toBe(true);
    // The project is looked up in IAM (signed too), then the call itself.
    expect(wire()).toEqual([
      'GET /v3/projects?name=cn-north-4 200',
      `POST /v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query?limit=10 200`,
    ]);
    const call = sb.sandbox.requests[1];
    expect(call?.body).toBe(LIST_BODY);
    expect(call?.headers['x-project-id']).toBe(SANDBOX_PROJECT_ID);
    expect(call?.headers['authorization']).toMatch(
      /^SDK-HMAC-SHA256 Access=SANDBOXAK0000000000000, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );

    const wrong = await hss([...args, '--body', LIST_BODY], {
      env: { ...env, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HUAWEICLOUD_SDK_SK: 'not-the-secret-0000' },
    });
    expect(wrong.exitCode).toBe(4);
    expect(wrong.stderr).toMatch(
      new RegExp(
        `^error: POST /v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query was refused: authentication failed`,
      ),
    );
  });

  it('a password login: the cached token is used', async () => {
    const configDir = tempDir();
    writeStore(
      configDir,
      {
        lab: {
          endpoint: sb.url,
          iam_endpoint: sb.url,
          region: SANDBOX_REGION,
          user: SANDBOX_USER,
          domain: SANDBOX_DOMAIN,
        },
      },
      'lab',
    );
    const login = await hss(['auth', 'login', '--password-stdin'], { configDir, input: SANDBOX_PASSWORD });
    expect(login.exitCode, login.stderr).toBe(0);
    const r = await hss(STATS, { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    const call = sb.sandbox.requests.at(-1);
    expect(`${call?.method} ${call?.path} ${call?.status}`).toBe(`GET ${STATS_PATH} 200`);
    expect(call?.headers['x-auth-token']).toBe(
      sb.sandbox.requests[0]?.headers['x-subject-token'] ?? call?.headers['x-auth-token'],
    );
    expect(call?.headers['x-auth-token']).not.toBe(SANDBOX_TOKEN);
  });

  it('a credential command: its token is used', async () => {
    const configDir = tempDir();
    writeStore(
      configDir,
      {
        vault: {
          endpoint: sb.url,
          project_id: SANDBOX_PROJECT_ID,
          auth: 'command',
          credential_command: commandLine(credentialScript(), 'token', SANDBOX_TOKEN),
        },
      },
      'vault',
    );
    const r = await hss(STATS, { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(wire()).toEqual([`GET ${STATS_PATH} 200`]);
    expect(sb.sandbox.requests[0]?.headers['x-auth-token']).toBe(SANDBOX_TOKEN);
  });

  it('--iam: the IAM endpoint, without X-Project-Id; params percent-encoded', async () => {
    const r = await hss(['api', 'GET', '/v3/projects', '--iam', '--param', `name=${SANDBOX_REGION}`], {
      env: sb.env({ HSS_ENDPOINT: 'https://hss.invalid' }),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).projects[0].id).toBe(SANDBOX_PROJECT_ID);
    expect(wire()).toEqual(['GET /v3/projects?name=cn-north-4 200']);
  });
});

describe('hss api: requests and answers', () => {
  it('--param values are percent-encoded, in the order given; -e adds enterprise_project_id', async () => {
    const r = await hss([...STATS, '--param', 'x=a b&c=d/é', '-e', 'all_granted_eps'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests[0]?.path).toBe(
      `${STATS_PATH}&x=a%20b%26c%3Dd%2F%C3%A9&enterprise_project_id=all_granted_eps`,
    );
  });

  it('the answer is a document like any: --query and -o yaml shape it', async () => {
    const query = await hss([...STATS, '--query', 'running_num'], { env: sb.env() });
    expect(query.exitCode, query.stderr).toBe(0);
    expect(query.stdout).toMatch(/^\d+\n$/);
    const yaml = await hss([...STATS, '-o', 'yaml'], { env: sb.env() });
    expect(yaml.stdout).toMatch(/^total_num: \d+\nrunning_num: \d+\nlast_task_start_time: \d+\n$/);
  });

  it('--body @file and --body - send the JSON as given', async () => {
    const file = path.join(tempDir(), 'body.json');
    writeFileSync(file, `${LIST_BODY}\n`);
    const args = ['api', 'POST', '/v5/{project_id}/common/tasks/batch-query', '--param', 'limit=10'];
    expect((await hss([...args, '--body', `@${file}`], { env: sb.env() })).exitCode).toBe(0);
    expect((await hss([...args, '--body', '-'], { env: sb.env(), input: LIST_BODY })).exitCode).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.body)).toEqual([LIST_BODY, LIST_BODY]);
  });

  it('an empty answer (RetryTask) prints nothing in text and null in JSON', async () => {
    const args = ['api', 'PUT', '/v5/{project_id}/common/tasks/task-0001/retry'];
    const body = '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"all_failed_cluster"}}';
    const text = await hss([...args, '--body', body], { env: sb.env() });
    expect(text).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(wire()).toEqual([`PUT /v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry 200`]);
  });

  it('error answers exit as every command does: 404 → 5, a refused token → 4', async () => {
    const missing = await hss(['api', 'GET', '/v5/{project_id}/no-such-api'], { env: sb.env() });
    expect(missing.exitCode).toBe(5);
    expect(missing.stderr).toMatch(
      new RegExp(
        `^error: GET /v5/${SANDBOX_PROJECT_ID}/no-such-api was refused by the API: .*\\n  error_code APIGW.0101 · HTTP 404 · X-Request-Id `,
      ),
    );
    const json = await hss(['api', 'GET', '/v5/{project_id}/no-such-api', '--json'], { env: sb.env() });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'API', http_status: 404 } });
    const refused = await hss(STATS, { env: sb.env({ HSS_TOKEN: 'expired-token-0001' }) });
    expect(refused.exitCode).toBe(4);
  });

  it('--dry-run prints the request with secrets masked, and sends nothing', async () => {
    const r = await hss([...STATS.slice(0, 3), '--dry-run', '--json'], {
      env: {
        HSS_ENDPOINT: sb.url,
        HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
        HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
        HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
      },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: true,
      dry_run: true,
      requests: [
        { method: 'GET', url: `${sb.url}/v5/${SANDBOX_PROJECT_ID}/common/task-statistics`, body: null },
      ],
    });
    expect(doc.requests[0].headers['Authorization']).toMatch(/Signature=\*\*\*$/);
    expect(r.stdout).not.toContain(SANDBOX_SECRET_KEY);

    const login = await hss(
      [
        'api',
        'POST',
        '/v3/auth/tokens',
        '--iam',
        '--dry-run',
        '--body',
        `{"auth":{"password":"${SANDBOX_PASSWORD}"}}`,
      ],
      { env: sb.env() },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stdout).toContain('"password": "***"');
    expect(login.stdout).not.toContain(SANDBOX_PASSWORD);
    expect(login.stdout).toContain('X-Auth-Token: ***');
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss api refuses before sending (exit 2)', () => {
  it.each([
    [['FETCH', '/v5/x'], 'error: method "FETCH": must be one of GET, POST, PUT, DELETE, PATCH'],
    [
      ['GET', 'https://evil.example/v5/x'],
      'error: path "https://evil.example/v5/x": give the path only, without scheme and host',
    ],
    [['GET', 'v5/x'], 'error: path "v5/x": must begin with /'],
    [['GET', '//evil.example/v5'], 'error: path "//evil.example/v5": has an empty segment (//)'],
    [['GET', '/v5/../iam'], 'error: path "/v5/../iam": may not hold . or .. segments'],
    [['GET', '/v5/%2e%2E/iam'], 'error: path "/v5/%2e%2E/iam": may not hold . or .. segments'],
    [['GET', '/v5/x?limit=1'], 'error: path "/v5/x?limit=1": may not hold a query'],
    [['GET', '/v5/a b'], 'error: path "/v5/a b": may hold only letters'],
    [
      ['GET', '/v5/{task_id}'],
      'error: path "/v5/{task_id}": holds the placeholder {task_id}; only {project_id} is filled in',
    ],
    [['GET', '/v5/x', '--param', 'limit'], 'error: --param "limit": must be NAME=VALUE'],
    [['GET', '/v5/x', '--param', '=1'], 'error: --param "=1": must be NAME=VALUE'],
    [['GET', '/v5/x', '--body', '{}'], 'error: GET takes no body'],
    [['POST', '/v5/x', '--body', '{"a":'], 'error: --body is not JSON: '],
    [['POST', '/v5/x', '--body', ''], 'error: --body is empty; a body must be JSON'],
    [
      ['POST', '/v5/x', '--body', '@/no/such/file.json'],
      'error: --body file "/no/such/file.json": cannot read it (ENOENT)',
    ],
  ])('%j', async (args, message) => {
    const r = await hssInProcess(['api', ...args], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr.startsWith(message), r.stderr).toBe(true);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss api and standard input', () => {
  it('--body - and --token-stdin cannot both read it (exit 2, nothing sent)', async () => {
    const r = await hssInProcess(['api', 'POST', '/v5/x', '--body', '-', '--token-stdin'], {
      env: sb.env(),
      input: '{}',
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^error: standard input can feed only one of --body - and --token-stdin\n/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss api retries as every command does', () => {
  let faulty: Sandbox;
  beforeAll(async () => {
    faulty = await startSandbox({ faults: ['503x1'] });
  });
  afterAll(async () => {
    await faulty.close();
  });

  it('a POST that met a 503 is sent again (as RetryTask is); --max-attempts 1 sends it once', async () => {
    const env = { HSS_ENDPOINT: faulty.url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN };
    const args = [
      'api',
      'POST',
      '/v5/{project_id}/common/tasks/batch-query',
      '--param',
      'limit=10',
      '--body',
      LIST_BODY,
    ];
    const r = await hssInProcess(args, { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(faulty.requests.map((q) => q.status)).toEqual([503, 200]);

    faulty.reset();
    const once = await hssInProcess([...args, '--max-attempts', '1'], { env });
    expect(once.exitCode).toBe(6);
    expect(faulty.requests.map((q) => q.status)).toEqual([503]);
  });
});

describe('hss api times out as every command does', () => {
  let silent: Sandbox;
  beforeAll(async () => {
    silent = await startSandbox({ faults: ['hang'] });
  });
  afterAll(async () => {
    await silent.close();
  });

  it('--timeout: no answer in time is exit 6 naming the call', async () => {
    const env = { HSS_ENDPOINT: silent.url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN };
    const r = await hssInProcess([...STATS, '--timeout', '300ms', '--max-attempts', '1'], { env });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: GET /v5/${SANDBOX_PROJECT_ID}/common/task-statistics: no answer from 127\\.0\\.0\\.1:\\d+ within 300 ms\\n`,
      ),
    );
  });
});

describe('hss api goes through the proxy as every command does', () => {
  it('HTTP_PROXY carries the call', async () => {
    const proxy = await startProxy();
    try {
      const r = await hss(STATS, { env: sb.env({ HTTP_PROXY: proxy.url }) });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(proxy.seen).toHaveLength(1);
      expect(proxy.seen[0]).toMatchObject({ method: 'CONNECT', target: `127.0.0.1:${sb.sandbox.port}` });
      expect(wire()).toEqual([`GET ${STATS_PATH} 200`]);
    } finally {
      await proxy.close();
    }
  });
});
