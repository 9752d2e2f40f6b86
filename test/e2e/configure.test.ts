/**
 * `hss configure` on a real pseudo-terminal against the sandbox: the questions, the secret never
 * echoed, the project looked up, one verifying call, and the profile written only then.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
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
import { writeStore } from '../helpers/credentials.js';
import { hssOnPty } from '../helpers/pty.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const CHECK_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/task-statistics?task_type=cluster_scan`;

const plain = (output: string) =>
  output
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '');

function stored(configDir: string) {
  return JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8'));
}

function endpointFlags(): string[] {
  return ['--endpoint', sb.url, '--iam-endpoint', sb.url];
}

describe('hss configure on a terminal', () => {
  it('AK/SK: asks, hides the secret key, looks the project up, checks, then writes the profile', async () => {
    const configDir = tempDir();
    const session = hssOnPty([...endpointFlags(), 'configure'], { configDir });
    await session.waitFor('Profile name [default]: ');
    session.type('lab\r');
    await session.waitFor('Region (? lists the known ones) [cn-north-4]: ');
    session.type('?\r');
    await session.waitFor('known regions: cn-north-1 ');
    await session.waitFor('[cn-north-4]: ');
    session.type('\r');
    await session.waitFor('Credential: 1) access key pair (AK/SK), 2) IAM user and password [1]: ');
    session.type('1\r');
    await session.waitFor('Access key ID: ');
    session.type(`${SANDBOX_ACCESS_KEY}\r`);
    await session.waitFor('Secret access key (hidden): ');
    session.type(`${SANDBOX_SECRET_KEY}\r`);
    const { exitCode, output } = await session.exit;

    expect(exitCode, output).toBe(0);
    // The secret key was neither echoed as typed nor printed afterwards.
    expect(output).not.toContain(SANDBOX_SECRET_KEY);
    expect(plain(output)).toContain(
      `Looking up the project of ${SANDBOX_REGION} in IAM…\n` +
        `Checking the credential with one call in project ${SANDBOX_PROJECT_ID}…\n` +
        `✔ profile lab saved: ${SANDBOX_REGION}, project ${SANDBOX_PROJECT_ID}, access key pair\n` +
        `  checked: accepted by ShowTaskStatistics at ${sb.url}\n` +
        '  it is the current profile\n',
    );

    // On the wire: the IAM lookup and the check, both signed and verified by the sandbox.
    expect(sb.sandbox.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'GET /v3/projects?name=cn-north-4 200',
      `GET ${CHECK_PATH} 200`,
    ]);
    for (const q of sb.sandbox.requests) expect(q.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 /);

    expect(stored(configDir)).toEqual({
      version: 1,
      current: 'lab',
      profiles: {
        lab: {
          region: SANDBOX_REGION,
          project_id: SANDBOX_PROJECT_ID,
          project_id_source: 'iam:projects',
          auth: 'aksk',
          endpoint: sb.url,
          iam_endpoint: sb.url,
          access_key: SANDBOX_ACCESS_KEY,
          secret_key: SANDBOX_SECRET_KEY,
        },
      },
    });
    expect(statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);

    // The profile works as written.
    const list = await hss(['task', 'list', '--limit', '10', '--json'], { configDir });
    expect(list.exitCode, list.stderr).toBe(0);
  });

  it('an IAM login: the password hidden and never stored; the token cached; the project from the login', async () => {
    const configDir = tempDir();
    const session = hssOnPty([...endpointFlags(), '-p', 'ops', 'configure'], { configDir });
    await session.waitFor('[cn-north-4]: ');
    session.type(`${SANDBOX_REGION}\r`);
    await session.waitFor('[1]: ');
    session.type('2\r');
    await session.waitFor('IAM user name: ');
    session.type(`${SANDBOX_USER}\r`);
    await session.waitFor('Account (domain) name: ');
    session.type(`${SANDBOX_DOMAIN}\r`);
    await session.waitFor(`Password for ${SANDBOX_USER} (hidden): `);
    session.type(`${SANDBOX_PASSWORD}\r`);
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(0);
    expect(output).not.toContain(SANDBOX_PASSWORD);
    expect(plain(output)).toContain(
      `✔ profile ops saved: ${SANDBOX_REGION}, project ${SANDBOX_PROJECT_ID}, IAM login of ${SANDBOX_USER}\n`,
    );
    expect(sb.sandbox.requests.map((q) => `${q.method} ${q.path} ${q.status}`)).toEqual([
      'POST /v3/auth/tokens?nocatalog=true 201',
      `GET ${CHECK_PATH} 200`,
    ]);
    const profile = stored(configDir).profiles.ops;
    expect(profile).toMatchObject({
      auth: 'password',
      user: SANDBOX_USER,
      domain: SANDBOX_DOMAIN,
      project_id_source: 'iam:login',
    });
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).not.toContain(SANDBOX_PASSWORD);
    const cache = readFileSync(path.join(configDir, 'credentials.json'), 'utf8');
    expect(cache).not.toContain(SANDBOX_PASSWORD);
    expect(Object.keys(JSON.parse(cache).logins.ops)).toEqual([sb.url]);

    const status = await hss(['auth', 'status', '--json'], { configDir });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'ops', source: 'login:ops' });
  });

  it('a wrong answer is said and asked again', async () => {
    const configDir = tempDir();
    const session = hssOnPty([...endpointFlags(), '-p', 'x', 'configure'], { configDir });
    await session.waitFor('[cn-north-4]: ');
    session.type('CN North\r');
    await session.waitFor('region "CN North": region may hold only lower-case letters');
    await session.waitFor('[cn-north-4]: ');
    session.interrupt();
    const { exitCode } = await session.exit;
    expect(exitCode).toBe(130);
    expect(existsSync(path.join(configDir, 'config.json'))).toBe(false);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a refused key pair: exit 4, nothing written', async () => {
    const configDir = tempDir();
    writeStore(configDir, { keep: { region: 'cn-east-3' } }, 'keep');
    const before = readFileSync(path.join(configDir, 'config.json'), 'utf8');
    const session = hssOnPty(
      [...endpointFlags(), '--project-id', SANDBOX_PROJECT_ID, '-p', 'bad', 'configure'],
      { configDir },
    );
    await session.waitFor('[cn-north-4]: ');
    session.type('\r');
    await session.waitFor('[1]: ');
    session.type('\r');
    await session.waitFor('Access key ID: ');
    session.type(`${SANDBOX_ACCESS_KEY}\r`);
    await session.waitFor('(hidden): ');
    session.type('not-the-secret-key-0000\r');
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(4);
    expect(plain(output)).toMatch(
      /error: ShowTaskStatistics in project \S+ \(cn-north-4\) was refused: authentication failed/,
    );
    expect(output).not.toContain('not-the-secret-key-0000');
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(before);
  });
});

describe('hss configure refuses before asking', () => {
  it('a --project-id outside its rule: exit 2 on the terminal, no question, nothing sent', async () => {
    const configDir = tempDir();
    const { exitCode, output } = await hssOnPty(
      [...endpointFlags(), '--project-id', 'p'.repeat(257), 'configure'],
      {
        configDir,
      },
    ).exit;
    expect(exitCode, output).toBe(2);
    expect(plain(output)).toMatch(/^error: project ID "p{48}…" \(from --project-id\): .*257/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss configure without a terminal', () => {
  it('exit 2, pointing at hss profile set; nothing asked, sent or written', async () => {
    const configDir = tempDir();
    const r = await hss([...endpointFlags(), 'configure'], { configDir });
    expect(r).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'error: hss configure asks its questions on a terminal, and this is not one\n' +
        'hint: in scripts, write the profile with `hss profile set NAME --region … --auth aksk --ak AK --sk-stdin` (see `hss profile set --help`)\n',
    });
    expect(existsSync(path.join(configDir, 'config.json'))).toBe(false);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});
