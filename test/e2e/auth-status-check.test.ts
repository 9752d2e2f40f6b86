/**
 * `hss auth status` checks the credential with one cheap call (ShowTaskStatistics) against the
 * sandbox, with every kind of credential; --offline sends nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { hss, tempDir } from '../helpers/cli.js';
import { commandLine, credentialScript, labStore } from '../helpers/credentials.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const CHECK_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/task-statistics?task_type=cluster_scan`;

describe('hss auth status checks the credential', () => {
  it('with a token: one GET of ShowTaskStatistics, and says which project and region were checked', async () => {
    const r = await hss(['auth', 'status'], { env: sb.env({ HSS_REGION: SANDBOX_REGION }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `\nchecked  ✔ accepted by ShowTaskStatistics in project ${SANDBOX_PROJECT_ID} (${SANDBOX_REGION}) at ${sb.url}\n`,
    );
    expect(sb.sandbox.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      `GET ${CHECK_PATH} 200`,
    ]);
    expect(sb.sandbox.requests[0]?.headers['x-auth-token']).toBe(SANDBOX_TOKEN);

    const json = await hss(['auth', 'status', '--json'], { env: sb.env({ HSS_REGION: SANDBOX_REGION }) });
    expect(JSON.parse(json.stdout).check).toEqual({
      operation: 'ShowTaskStatistics',
      endpoint: sb.url,
      region: SANDBOX_REGION,
      project_id: SANDBOX_PROJECT_ID,
      http_status: 200,
      request_id: sb.sandbox.requests[1]?.requestId,
    });
  });

  it('a refused token is exit 4, naming the project checked; in JSON an AUTH error', async () => {
    const env = sb.env({ HSS_TOKEN: 'expired-token-0001' });
    const r = await hss(['auth', 'status'], { env });
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: ShowTaskStatistics in project ${SANDBOX_PROJECT_ID} was refused: authentication failed: .*\\n`,
      ),
    );
    expect(r.stderr).toContain('hint: HSS_TOKEN was refused');
    const json = await hss(['auth', 'status', '--json'], { env });
    expect(json.exitCode).toBe(4);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'AUTH', exit_code: 4, http_status: 401 });
    expect(sb.sandbox.requests).toHaveLength(2); // 401 is never retried
  });

  it('with AK/SK and only a region: the project is looked up in IAM, the check is signed and verified', async () => {
    const env = {
      HSS_ENDPOINT: sb.url,
      HSS_IAM_ENDPOINT: sb.url,
      HSS_REGION: SANDBOX_REGION,
      HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
    };
    const r = await hss(['auth', 'status', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ project_id: SANDBOX_PROJECT_ID, project_id_source: 'iam:projects' });
    expect(doc.check).toMatchObject({ project_id: SANDBOX_PROJECT_ID, http_status: 200 });
    const check = sb.sandbox.requests.at(-1);
    expect(`${check?.method} ${check?.path} ${check?.status}`).toBe(`GET ${CHECK_PATH} 200`);
    expect(check?.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=SANDBOXAK0000000000000, /);
    expect(check?.headers['x-project-id']).toBe(SANDBOX_PROJECT_ID);
    expect(r.stdout).not.toContain(SANDBOX_SECRET_KEY);

    const wrong = await hss(['auth', 'status'], {
      env: { ...env, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HUAWEICLOUD_SDK_SK: 'not-the-secret-key-000' },
    });
    expect(wrong.exitCode).toBe(4);
    expect(wrong.stderr).toMatch(/^error: ShowTaskStatistics in project \S+ \(cn-north-4\) was refused/);
  });

  it('with a cached password login: the check carries its token', async () => {
    const configDir = labStore(sb.url);
    const login = await hss(
      ['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'],
      { configDir, input: SANDBOX_PASSWORD },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    const r = await hss(['auth', 'status', '--json'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'login:lab', check: { http_status: 200 } });
    const check = sb.sandbox.requests.at(-1);
    expect(check?.path).toBe(CHECK_PATH);
    expect(check?.headers['x-auth-token']).toMatch(/./);
    expect(check?.headers['x-auth-token']).not.toBe(SANDBOX_TOKEN);
  });

  it('with a credential command: the command runs once, its token is checked', async () => {
    const counter = path.join(tempDir(), 'runs');
    const configDir = labStore(sb.url, {
      auth: 'command',
      project_id: SANDBOX_PROJECT_ID,
      credential_command: commandLine(credentialScript(), 'count', counter, SANDBOX_TOKEN),
    });
    const r = await hss(['auth', 'status'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`checked  ✔ accepted by ShowTaskStatistics in project ${SANDBOX_PROJECT_ID}`);
    expect(readFileSync(counter, 'utf8')).toBe('run\n');
    expect(sb.sandbox.requests.map((q) => q.path)).toEqual([CHECK_PATH]);
  });

  it('--offline sends nothing and says so; the JSON check is null', async () => {
    const env = sb.env({ HSS_TOKEN: 'expired-token-0001' });
    const text = await hss(['auth', 'status', '--offline'], { env });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('\nchecked  not checked (--offline)\n');
    const json = await hss(['auth', 'status', '--offline', '--json'], { env });
    expect(JSON.parse(json.stdout).check).toBeNull();
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('without a region or endpoint there is nothing to check against: exit 3 pointing at --offline', async () => {
    const r = await hss(['auth', 'status'], { env: { HSS_TOKEN: SANDBOX_TOKEN } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe(
      'error: no region or endpoint is set: the check of the credential needs one\n' +
        'hint: pass --region (e.g. cn-north-4) or set HSS_REGION; or --offline to skip the check\n',
    );
  });

  it('several regions: checked in each project (test/e2e/auth-status-fleet.test.ts); --all-projects too', async () => {
    // With a key pair the one command covers every project; its own file tests what it sends and says.
    const env = sb.env({
      HSS_TOKEN: undefined,
      HSS_PROJECT_ID: undefined,
      HSS_REGION: 'cn-north-4,cn-east-3',
    });
    const r = await hss(['auth', 'status', '--json'], {
      env: { ...env, HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY, HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).checks).toHaveLength(2);
  });
});
