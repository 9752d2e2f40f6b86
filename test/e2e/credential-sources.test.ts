/**
 * Task retry with every credential source against the sandbox, and the order in which they win.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../../src/auth/signer.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { type CliResult, hss, tempDir } from '../helpers/cli.js';
import {
  commandLine,
  credentialScript,
  labStore,
  sdkHome,
  writeLoginCache,
  writeStore,
} from '../helpers/credentials.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const RETRY = ['task', 'retry', 'task-0001', '--all-failed'];
const RETRY_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`;
const AUTHORIZATION = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/;

/** The sandbox endpoints and project, and no credential at all. */
function noCreds(extra: Record<string, string | undefined> = {}) {
  return sb.env({ HSS_TOKEN: undefined, ...extra });
}

function theRetry() {
  const puts = sb.sandbox.requests.filter((r) => r.method === 'PUT');
  expect(puts).toHaveLength(1);
  return puts[0]!;
}

function expectToken(token: string) {
  const req = theRetry();
  expect(req.headers['x-auth-token']).toBe(token);
  expect(req.headers['authorization']).toBeUndefined();
  return req;
}

/** Signed with AK/SK: the documented headers, and a signature the sandbox's verifier accepts. */
function expectSigned(accessKey = SANDBOX_ACCESS_KEY, secretKey = SANDBOX_SECRET_KEY) {
  const req = theRetry();
  expect(req.headers['x-auth-token']).toBeUndefined();
  const match = AUTHORIZATION.exec(req.headers['authorization'] ?? '');
  expect(match, req.headers['authorization']).not.toBeNull();
  expect(match![1]).toBe(accessKey);
  expect(match![2]!.split(';')).toEqual(expect.arrayContaining(['host', 'x-sdk-date', 'x-project-id']));
  expect(req.headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
  expect(req.headers['x-project-id']).toBe(SANDBOX_PROJECT_ID);
  const verdict = verifyRequest(
    {
      method: req.method,
      url: new URL(`http://${req.headers['host']}${req.path}`),
      headers: req.headers,
      body: req.body,
    },
    (ak) => (ak === accessKey ? secretKey : undefined),
  );
  expect(verdict).toEqual({ ok: true, accessKey });
  return req;
}

function ok(r: CliResult) {
  expect(r.exitCode, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^✔ task-0001: retry accepted for all failed clusters/);
  expect(theRetry().status).toBe(200);
}

describe('task retry works with each credential source', () => {
  it('HSS_TOKEN', async () => {
    ok(await hss(RETRY, { env: sb.env() }));
    expectToken(SANDBOX_TOKEN);
  });

  it('--token-stdin', async () => {
    ok(await hss([...RETRY, '--token-stdin'], { env: noCreds(), input: `${SANDBOX_TOKEN}\n` }));
    expectToken(SANDBOX_TOKEN);
  });

  it('a profile token stored with `profile set --token-stdin`', async () => {
    const configDir = tempDir();
    const set = await hss(['profile', 'set', 'lab', '--endpoint', sb.url, '--token-stdin'], {
      configDir,
      input: SANDBOX_TOKEN,
    });
    expect(set.exitCode, set.stderr).toBe(0);
    ok(await hss(RETRY, { configDir, env: noCreds({ HSS_ENDPOINT: undefined }) }));
    expectToken(SANDBOX_TOKEN);
  });

  it('HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK: signed SDK-HMAC-SHA256 with X-Sdk-Date and X-Project-Id', async () => {
    ok(
      await hss(RETRY, {
        env: noCreds({ HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY, HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY }),
      }),
    );
    const req = expectSigned();
    expect(req.headers['x-security-token']).toBeUndefined();
    expect(req.path).toBe(RETRY_PATH);
  });

  it('HUAWEICLOUD_SDK_SECURITY_TOKEN: a temporary key sends X-Security-Token, and signs it', async () => {
    const securityToken = 'temporary-security-token-0123456789';
    ok(
      await hss(RETRY, {
        env: noCreds({
          HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
          HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
          HUAWEICLOUD_SDK_SECURITY_TOKEN: securityToken,
        }),
      }),
    );
    const req = expectSigned();
    expect(req.headers['x-security-token']).toBe(securityToken);
    expect(req.headers['authorization']).toContain('x-security-token');
  });

  it('a profile key pair stored with `profile set --auth aksk --ak --sk-stdin`', async () => {
    const configDir = tempDir();
    const set = await hss(
      [
        'profile',
        'set',
        'keys',
        '--endpoint',
        sb.url,
        '--auth',
        'aksk',
        '--ak',
        SANDBOX_ACCESS_KEY,
        '--sk-stdin',
      ],
      { configDir, input: `${SANDBOX_SECRET_KEY}\n` },
    );
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout + set.stderr).not.toContain(SANDBOX_SECRET_KEY);
    ok(await hss(RETRY, { configDir, env: noCreds({ HSS_ENDPOINT: undefined }) }));
    expectSigned();
  });

  it('the SDK credentials file ~/.huaweicloud/credentials, with its project_id', async () => {
    const { home } = sdkHome([
      '[basic]',
      `ak = ${SANDBOX_ACCESS_KEY}`,
      `sk = ${SANDBOX_SECRET_KEY}`,
      `project_id = ${SANDBOX_PROJECT_ID}`,
    ]);
    ok(await hss(RETRY, { env: noCreds({ HOME: home, HSS_PROJECT_ID: undefined }) }));
    expectSigned();
  });

  it('the SDK credentials file named by HUAWEICLOUD_SDK_CREDENTIALS_FILE', async () => {
    const { file } = sdkHome(['[basic]', `ak=${SANDBOX_ACCESS_KEY}`, `sk=${SANDBOX_SECRET_KEY}`]);
    ok(await hss(RETRY, { env: noCreds({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: file }) }));
    expectSigned();
  });

  it('a password login cached by `hss auth login --password-stdin`', async () => {
    const configDir = labStore(sb.url);
    const login = await hss(
      ['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'],
      { configDir, input: `${SANDBOX_PASSWORD}\n` },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    const cache = JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8'));
    const token: string = cache.logins.lab[sb.url].token;
    sb.sandbox.reset();
    ok(await hss(RETRY, { configDir }));
    expectToken(token);
  });

  it('a credential command printing a bare token', async () => {
    const configDir = tempDir();
    const script = credentialScript();
    writeStore(configDir, {
      vault: { auth: 'command', credential_command: commandLine(script, 'token', SANDBOX_TOKEN) },
    });
    ok(await hss([...RETRY, '-p', 'vault'], { configDir, env: noCreds() }));
    expectToken(SANDBOX_TOKEN);
  });

  it('a credential command printing an AK/SK JSON document', async () => {
    const configDir = tempDir();
    const json = JSON.stringify({
      access_key: SANDBOX_ACCESS_KEY,
      secret_key: SANDBOX_SECRET_KEY,
      security_token: 'command-security-token-0123',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    writeStore(configDir, {
      vault: { auth: 'command', credential_command: commandLine(credentialScript(), 'json', json) },
    });
    ok(await hss([...RETRY, '-p', 'vault'], { configDir, env: noCreds() }));
    expect(expectSigned().headers['x-security-token']).toBe('command-security-token-0123');
  });
});

/* ------------------------------------------------------------------------------------------------ */

const T = {
  stdin: 'stdin-token-1111',
  env: 'env-token-2222',
  profile: 'profile-token-3333',
  login: 'login-token-4444',
  command: 'command-token-5555',
};
const AK = { env: 'ENVAK0000000000', profile: 'PROFILEAK000000', file: 'FILEAK000000000' };

type Expect = { token: string } | { ak: string };

interface Row {
  name: string;
  current?: string;
  args?: string[];
  env?: Record<string, string>;
  stdin?: boolean;
  file?: boolean;
  expected: Expect;
  source: string;
}

const ENV_TOKEN = { HSS_TOKEN: T.env };
const ENV_KEYS = { HUAWEICLOUD_SDK_AK: AK.env, HUAWEICLOUD_SDK_SK: 'env-secret-key-000000' };

const precedence: Row[] = [
  {
    name: '--token-stdin beats everything else',
    current: 'tok',
    stdin: true,
    env: { ...ENV_TOKEN, ...ENV_KEYS },
    file: true,
    expected: { token: T.stdin },
    source: 'stdin',
  },
  {
    name: 'HSS_TOKEN beats env AK/SK, the profile and the file',
    current: 'tok',
    env: { ...ENV_TOKEN, ...ENV_KEYS },
    file: true,
    expected: { token: T.env },
    source: 'env:HSS_TOKEN',
  },
  {
    name: 'env AK/SK beats the profile and the file',
    current: 'tok',
    env: ENV_KEYS,
    file: true,
    expected: { ak: AK.env },
    source: 'env:HUAWEICLOUD_SDK_AK',
  },
  {
    name: 'a profile token beats the file',
    current: 'tok',
    file: true,
    expected: { token: T.profile },
    source: 'profile:tok',
  },
  {
    name: 'a profile key pair beats the file',
    current: 'keys',
    file: true,
    expected: { ak: AK.profile },
    source: 'profile:keys',
  },
  {
    name: 'a profile login beats the file',
    current: 'pw',
    file: true,
    expected: { token: T.login },
    source: 'login:pw',
  },
  {
    name: 'a profile command beats the file',
    current: 'cmd',
    file: true,
    expected: { token: T.command },
    source: 'command:cmd',
  },
  {
    name: 'the SDK credentials file comes last',
    current: 'bare',
    file: true,
    expected: { ak: AK.file },
    source: 'file',
  },
  {
    name: 'the current profile (not named) loses to HSS_TOKEN',
    current: 'keys',
    env: ENV_TOKEN,
    expected: { token: T.env },
    source: 'env:HSS_TOKEN',
  },
  {
    name: '-p NAME: its token beats --token-stdin, HSS_TOKEN and env AK/SK',
    current: 'bare',
    args: ['-p', 'tok'],
    stdin: true,
    env: { ...ENV_TOKEN, ...ENV_KEYS },
    expected: { token: T.profile },
    source: 'profile:tok',
  },
  {
    name: 'HSS_PROFILE names a profile too: its key pair beats HSS_TOKEN and env AK/SK',
    env: { HSS_PROFILE: 'keys', ...ENV_TOKEN, ...ENV_KEYS },
    expected: { ak: AK.profile },
    source: 'profile:keys',
  },
  {
    name: '-p NAME: its cached login beats HSS_TOKEN',
    args: ['-p', 'pw'],
    env: ENV_TOKEN,
    expected: { token: T.login },
    source: 'login:pw',
  },
  {
    name: '-p NAME: its credential command beats env AK/SK',
    args: ['-p', 'cmd'],
    env: ENV_KEYS,
    expected: { token: T.command },
    source: 'command:cmd',
  },
  {
    name: '-p NAME without credentials of its own: the usual order applies',
    current: 'tok',
    args: ['-p', 'bare'],
    env: ENV_TOKEN,
    file: true,
    expected: { token: T.env },
    source: 'env:HSS_TOKEN',
  },
];

describe('credential precedence', () => {
  it.each(precedence)('$name', async (row) => {
    const configDir = tempDir();
    const base = { endpoint: sb.url, iam_endpoint: sb.url, project_id: SANDBOX_PROJECT_ID };
    writeStore(
      configDir,
      {
        tok: { ...base, auth: 'token', token: T.profile },
        keys: { ...base, auth: 'aksk', access_key: AK.profile, secret_key: 'profile-secret-key-0000' },
        pw: { ...base, auth: 'password', user: SANDBOX_USER, domain: SANDBOX_DOMAIN },
        cmd: {
          ...base,
          auth: 'command',
          credential_command: commandLine(credentialScript(), 'token', T.command),
        },
        bare: { ...base },
      },
      row.current,
    );
    writeLoginCache(configDir, 'pw', sb.url, {
      token: T.login,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const { home, file } = sdkHome(['[basic]', `ak = ${AK.file}`, 'sk = file-secret-key-0000']);
    const env: Record<string, string | undefined> = {
      HSS_ENDPOINT: undefined,
      HSS_PROJECT_ID: undefined,
      HSS_TOKEN: undefined,
      HOME: row.file ? home : tempDir('hss-empty-home-'),
      ...row.env,
    };
    const input = row.stdin ? T.stdin : '';
    const args = [...(row.args ?? []), ...(row.stdin ? ['--token-stdin'] : [])];

    const status = await hss(['auth', 'status', '--offline', '--json', ...args], { configDir, env, input });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).source).toBe(row.source === 'file' ? `file:${file}` : row.source);

    const r = await hss([...RETRY, ...args], { configDir, env, input });
    expect([0, 4], r.stderr).toContain(r.exitCode);
    if ('token' in row.expected) expectToken(row.expected.token);
    else expect(theRetry().headers['authorization']).toContain(`Access=${row.expected.ak}, `);
  });

  it('naming a profile whose credentials win says which other sources were ignored', async () => {
    const configDir = tempDir();
    writeStore(configDir, {
      tok: { endpoint: sb.url, project_id: SANDBOX_PROJECT_ID, token: SANDBOX_TOKEN },
    });
    const r = await hss([...RETRY, '-p', 'tok'], {
      configDir,
      env: noCreds({ HSS_ENDPOINT: undefined, ...ENV_TOKEN }),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      'warning: HSS_TOKEN ignored: profile "tok" was named explicitly and its own credentials win\n',
    );
    expectToken(SANDBOX_TOKEN);
  });

  it.each([
    [
      'HUAWEICLOUD_SDK_AK without HUAWEICLOUD_SDK_SK',
      { HUAWEICLOUD_SDK_AK: AK.env },
      /HUAWEICLOUD_SDK_AK is set but HUAWEICLOUD_SDK_SK is not/,
    ],
    [
      'HUAWEICLOUD_SDK_SK without HUAWEICLOUD_SDK_AK',
      { HUAWEICLOUD_SDK_SK: 'x'.repeat(20) },
      /HUAWEICLOUD_SDK_SK is set but HUAWEICLOUD_SDK_AK is not/,
    ],
  ])('%s is exit 3 and nothing is sent', async (_name, extra, message) => {
    const r = await hss(RETRY, { env: noCreds(extra) });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a profile with --auth aksk but no secret key is exit 3 with the command that fixes it', async () => {
    const configDir = tempDir();
    writeStore(
      configDir,
      { half: { endpoint: sb.url, project_id: SANDBOX_PROJECT_ID, auth: 'aksk', access_key: AK.profile } },
      'half',
    );
    const r = await hss(RETRY, { configDir, env: noCreds({ HSS_ENDPOINT: undefined }) });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('error: profile "half" uses AK/SK authentication but holds no secret key');
    expect(r.stderr).toContain('hss profile set half --ak AK --sk-stdin');
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});
