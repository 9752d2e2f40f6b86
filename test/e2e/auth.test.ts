/**
 * `hss auth login | status | logout`, the login cache, expiry, credential commands and project
 * lookup, end to end against the sandbox.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
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
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';
import {
  commandLine,
  credentialScript,
  labStore,
  writeLoginCache,
  writeStore,
} from '../helpers/credentials.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const RETRY = ['task', 'retry', 'task-0001', '--all-failed'];
const LOGIN = ['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'];

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function mode(file: string): number {
  return statSync(file).mode & 0o777;
}

describe('hss auth login', () => {
  it('logs in with --password-stdin, caches the token 0600 without the password, and fills in the profile', async () => {
    const configDir = labStore(sb.url);
    const r = await hss(LOGIN, { configDir, input: `${SANDBOX_PASSWORD}\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      new RegExp(
        `^✔ logged in as ${SANDBOX_USER} \\(account ${SANDBOX_DOMAIN}\\) to ${SANDBOX_REGION} \\(project ${SANDBOX_PROJECT_ID}\\)\\n` +
          '  token expires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in 23h 59m\\); cached for profile lab in .*credentials\\.json\\n$',
      ),
    );

    // On the wire: the documented password login, project-scoped to the region.
    expect(sb.sandbox.requests).toHaveLength(1);
    const req = sb.sandbox.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v3/auth/tokens?nocatalog=true');
    expect(JSON.parse(req.body)).toEqual({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: SANDBOX_USER, password: SANDBOX_PASSWORD, domain: { name: SANDBOX_DOMAIN } },
          },
        },
        scope: { project: { name: SANDBOX_REGION } },
      },
    });
    expect(req.status).toBe(201);

    const cacheFile = path.join(configDir, 'credentials.json');
    expect(mode(cacheFile)).toBe(0o600);
    expect(mode(configDir)).toBe(0o700);
    const text = readFileSync(cacheFile, 'utf8');
    expect(text).not.toContain(SANDBOX_PASSWORD);
    const entry = readJson(cacheFile).logins.lab[sb.url];
    expect(entry).toEqual({
      token: expect.stringMatching(/^MII/),
      expires_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      issued_at: expect.any(String),
      project_id: SANDBOX_PROJECT_ID,
      project_name: SANDBOX_REGION,
      user: SANDBOX_USER,
      domain: SANDBOX_DOMAIN,
    });
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).not.toContain(SANDBOX_PASSWORD);
    expect(readJson(path.join(configDir, 'config.json')).profiles.lab).toEqual({
      endpoint: sb.url,
      iam_endpoint: sb.url,
      region: SANDBOX_REGION,
      auth: 'password',
      user: SANDBOX_USER,
      domain: SANDBOX_DOMAIN,
      project_id: SANDBOX_PROJECT_ID,
      project_id_source: 'iam:login',
    });

    // config show says where the project ID came from.
    const show = await hss(['config', 'show', '--json'], { configDir });
    const settings = JSON.parse(show.stdout).settings;
    expect(settings.project_id).toEqual({ value: SANDBOX_PROJECT_ID, source: 'profile:lab (iam:login)' });
    expect(settings.credentials).toEqual({ value: 'password', source: 'login:lab' });
    const showText = await hss(['config', 'show'], { configDir });
    expect(showText.stdout).toMatch(
      /project_id +2f1e9d7c5b3a41e8a0c6d4b2f8e7a9c1 +profile "lab", looked up from the IAM login token\n/,
    );
  });

  it('uses the user and account stored in the profile, and prints JSON with --json', async () => {
    const configDir = labStore(sb.url, { user: SANDBOX_USER, domain: SANDBOX_DOMAIN });
    const r = await hss(['auth', 'login', '--password-stdin', '--json'], {
      configDir,
      input: SANDBOX_PASSWORD,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      ok: true,
      profile: 'lab',
      user: SANDBOX_USER,
      domain: SANDBOX_DOMAIN,
      region: SANDBOX_REGION,
      project_id: SANDBOX_PROJECT_ID,
      iam_endpoint: sb.url,
      expires_at: expect.stringMatching(/Z$/),
      cache_file: path.join(configDir, 'credentials.json'),
      profile_updated: ['auth', 'project_id'],
    });
    expect(r.stdout).not.toContain('MII');
  });

  it("a wrong password is exit 4 with IAM's message; nothing is cached and the password is never shown", async () => {
    const configDir = labStore(sb.url);
    const wrong = 'not-the-password-42';
    const r = await hss([...LOGIN, '--debug'], { configDir, input: wrong });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain(
      'error: IAM login was refused: authentication failed: The username or password is wrong.',
    );
    expect(r.stderr).toContain('hint: check the user name, account name and password');
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(r.stderr).toContain('"password":"***"');
    expect(existsSync(path.join(configDir, 'credentials.json'))).toBe(false);
  });

  it('without a terminal and without --password-stdin: exit 2 with a hint, nothing sent', async () => {
    const configDir = labStore(sb.url);
    const r = await hss(['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN], { configDir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: no password: standard input is not a terminal, so hss cannot prompt for it\n' +
        'hint: pipe the password to --password-stdin, e.g. `printf %s "$HSS_PASSWORD" | hss auth login --password-stdin`\n',
    );
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('without a user name: exit 2 naming what is missing, nothing sent', async () => {
    const configDir = labStore(sb.url);
    const r = await hss(['auth', 'login', '--password-stdin'], { configDir, input: SANDBOX_PASSWORD });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: no IAM user name to log in with\nhint: pass --user and --domain/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('without a region: exit 3, nothing sent', async () => {
    const configDir = tempDir();
    writeStore(configDir, { lab: { endpoint: sb.url, iam_endpoint: sb.url } }, 'lab');
    const r = await hss(LOGIN, { configDir, input: SANDBOX_PASSWORD });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: no region is set: a login is scoped to the project of a region\n/);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss auth status and logout', () => {
  it('status shows source, who, project and expiry; logout removes the cache; then the exact fix is hinted', async () => {
    const configDir = labStore(sb.url);
    expect((await hss(LOGIN, { configDir, input: SANDBOX_PASSWORD })).exitCode).toBe(0);

    const text = await hss(['auth', 'status', '--offline'], { configDir });
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        [
          '^profile  lab',
          'source   cached login of profile "lab"',
          'auth     X-Auth-Token',
          `who      ${SANDBOX_USER} \\(account ${SANDBOX_DOMAIN}\\)`,
          `project  ${SANDBOX_PROJECT_ID} \\(cn-north-4\\), from profile "lab", looked up from the IAM login token`,
          'expires  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(in 23h 59m\\)',
          'checked  not checked \\(--offline\\)\\n$',
        ].join('\\n'),
      ),
    );
    const json = await hss(['auth', 'status', '--offline', '--json'], { configDir });
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      profile: 'lab',
      source: 'login:lab',
      auth: 'password',
      kind: 'token',
      who: { user: SANDBOX_USER, domain: SANDBOX_DOMAIN },
      region: SANDBOX_REGION,
      project_id: SANDBOX_PROJECT_ID,
      project_id_source: 'profile:lab (iam:login)',
      iam_endpoint: sb.url,
      expires_at: expect.stringMatching(/Z$/),
      check: null,
    });
    expect(sb.sandbox.requests).toHaveLength(1); // the login; status --offline sends nothing

    const out = await hss(['auth', 'logout'], { configDir });
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toBe('✔ logged out: removed the cached login of profile lab\n');
    expect(readJson(path.join(configDir, 'credentials.json')).logins).toEqual({});
    expect(mode(path.join(configDir, 'credentials.json'))).toBe(0o600);

    const again = await hss(['auth', 'logout', '--json'], { configDir });
    expect(JSON.parse(again.stdout)).toEqual({
      ok: true,
      profile: 'lab',
      removed_login: false,
      removed_command_output: false,
    });

    const after = await hss(['auth', 'status'], { configDir });
    expect(after.exitCode).toBe(4);
    expect(after.stderr).toBe(
      'error: profile "lab" logs in with a password and is not logged in\nhint: hss auth login -p lab\n',
    );
    const retry = await hss(RETRY, { configDir });
    expect(retry.exitCode).toBe(4);
    expect(retry.stderr).toContain('hint: hss auth login -p lab\n');
  });

  it('removing a profile drops its cached login', async () => {
    const configDir = labStore(sb.url);
    expect((await hss(LOGIN, { configDir, input: SANDBOX_PASSWORD })).exitCode).toBe(0);
    const rm = await hss(['profile', 'remove', 'lab', '--yes'], { configDir });
    expect(rm.exitCode, rm.stderr).toBe(0);
    expect(readJson(path.join(configDir, 'credentials.json')).logins).toEqual({});
  });

  it('status with an AK/SK shows the key ID partly masked and never the secret', async () => {
    const r = await hss(['auth', 'status', '--offline', '--json'], {
      env: {
        HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
        HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
        HUAWEICLOUD_SDK_SECURITY_TOKEN: 'temp-security-token-777',
        HSS_REGION: SANDBOX_REGION,
      },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      source: 'env:HUAWEICLOUD_SDK_AK',
      kind: 'aksk',
      temporary: true,
      who: { access_key: 'SAND…0000' },
      project_id: null,
      expires_at: null,
    });
    expect(r.stdout).not.toContain(SANDBOX_ACCESS_KEY);
    expect(r.stdout).not.toContain(SANDBOX_SECRET_KEY);
    expect(r.stdout).not.toContain('temp-security-token-777');
  });

  it('status with no credentials is exit 3', async () => {
    const r = await hss(['auth', 'status'], {});
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: no credentials found\nhint: /);
  });
});

describe('expired and rejected logins', () => {
  it('a cached token past its expires_at is exit 4 with the exact command, and nothing is sent', async () => {
    const configDir = labStore(sb.url, { auth: 'password', project_id: SANDBOX_PROJECT_ID });
    writeLoginCache(configDir, 'lab', sb.url, {
      token: 'MIIexpired-token-0123456789',
      expires_at: '2020-01-01T00:00:00.000000Z',
    });
    const r = await hss(RETRY, { configDir });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toBe(
      'error: the login of profile "lab" has expired (at 2020-01-01T00:00:00.000Z)\nhint: hss auth login -p lab\n',
    );
    expect(sb.sandbox.requests).toHaveLength(0);
    const json = await hss([...RETRY, '--json'], { configDir });
    expect(JSON.parse(json.stdout).error).toEqual({
      code: 'AUTH',
      message: 'the login of profile "lab" has expired (at 2020-01-01T00:00:00.000Z)',
      exit_code: 4,
      hint: 'hss auth login -p lab',
    });
  });

  it('a cached token the API refuses is exit 4 with the exact commands to recover', async () => {
    const configDir = labStore(sb.url, { project_id: SANDBOX_PROJECT_ID });
    writeLoginCache(configDir, 'lab', sb.url, {
      token: 'MIIrevoked-token-0123456789',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const r = await hss(RETRY, { configDir });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: RetryTask task-0001 was refused: authentication failed');
    expect(r.stderr).toContain(
      'hint: the cached login of profile "lab" was refused: drop it with `hss auth logout -p lab`, then log in again with `hss auth login -p lab`\n',
    );
    expect(r.stderr).not.toContain('MIIrevoked');
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  describe('with a sandbox whose tokens live one second', () => {
    let short: Sandbox;
    beforeAll(async () => {
      short = await startSandbox({ tokenTtlMs: 1000 });
    });
    afterAll(() => short.close());

    it('a token that expires within minutes is treated as expired at once: exit 4, nothing sent', async () => {
      const configDir = tempDir();
      writeStore(
        configDir,
        { lab: { endpoint: short.url, iam_endpoint: short.url, region: SANDBOX_REGION } },
        'lab',
      );
      const login = await hss(LOGIN, { configDir, input: SANDBOX_PASSWORD });
      expect(login.exitCode, login.stderr).toBe(0);
      const r = await hss(RETRY, { configDir });
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toMatch(
        /^error: the login of profile "lab" has expired \(at .*\)\nhint: hss auth login -p lab\n$/,
      );
      expect(short.requests.map((q) => q.method)).toEqual(['POST']);
    });
  });
});

describe('credential commands', () => {
  it('a failing command is exit 4 with its stderr (masked) and never its stdout', async () => {
    const configDir = tempDir();
    const leaked = 'stdout-secret-value-9999';
    writeStore(configDir, {
      vault: {
        endpoint: sb.url,
        project_id: SANDBOX_PROJECT_ID,
        auth: 'command',
        credential_command: commandLine(credentialScript(), 'fail', leaked),
      },
    });
    for (const extra of [[], ['--json'], ['--debug']]) {
      const r = await hss([...RETRY, '-p', 'vault', ...extra], { configDir });
      expect(r.exitCode).toBe(4);
      expect(r.stdout + r.stderr).not.toContain(leaked);
      expect(r.stderr).toContain(
        `of profile "vault" exited with code 3:\n  vault: permission denied for secret/hss\n  the value was ***\n`,
      );
      if (extra[0] === '--json') {
        expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'AUTH', exit_code: 4 });
      }
    }
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it.each([
    ['fails', '1', 4],
    ['succeeds', '0', 0],
  ])('a token its JSON stdout holds is masked in its stderr when it %s', async (_name, code, exitCode) => {
    const configDir = tempDir();
    // The sandbox takes the token, so the run that succeeds is a whole run.
    const token = SANDBOX_TOKEN;
    // The second spells the token with a JSON escape: what is masked is the value, not the text.
    for (const stdout of [JSON.stringify({ token }), '{"token":"hss\\u002dsandbox-token"}']) {
      writeStore(configDir, {
        vault: {
          endpoint: sb.url,
          project_id: SANDBOX_PROJECT_ID,
          auth: 'command',
          credential_command: commandLine(credentialScript(), 'echo', stdout, `vault: issued ${token}`, code),
        },
      });
      for (const extra of [[], ['--json'], ['--debug']]) {
        sb.sandbox.reset();
        const r = await hss([...RETRY, '-p', 'vault', ...extra], { configDir });
        expect(r.exitCode, r.stderr).toBe(exitCode);
        expect(r.stdout + r.stderr).not.toContain(token);
        if (exitCode) expect(r.stderr).toContain('\n  vault: issued ***\n');
      }
    }
  });

  /** Whether a process is still running (a zombie waiting to be reaped is not). */
  function running(pid: number): boolean {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
    for (const end = Date.now() + ms; !check(); ) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A profile whose command starts a grandchild that would run for 1000 s, its pid in `pidFile`. */
  function slowCommand(configDir: string, pidFile: string): void {
    writeStore(configDir, {
      vault: {
        endpoint: sb.url,
        project_id: SANDBOX_PROJECT_ID,
        auth: 'command',
        credential_command: `/bin/sh -c 'sleep 1000 & echo $! > ${pidFile}; wait $!; echo tok-never-printed'`,
      },
    });
  }

  it.skipIf(process.platform === 'win32')(
    'a command past HSS_CREDENTIAL_COMMAND_TIMEOUT is stopped on time with everything it started: exit 4',
    async () => {
      const configDir = tempDir();
      const pidFile = path.join(tempDir(), 'pid');
      slowCommand(configDir, pidFile);
      const started = Date.now();
      const r = await hss([...RETRY, '-p', 'vault'], {
        configDir,
        env: { HSS_CREDENTIAL_COMMAND_TIMEOUT: '1s' },
      });
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        expect(r.exitCode, r.stderr).toBe(4);
        expect(Date.now() - started).toBeLessThan(6000);
        expect(r.stderr).toMatch(
          /^error: the credential command "\/bin\/sh" of profile "vault" did not finish within 1s \(it wrote nothing to stderr\)\nhint: .*HSS_CREDENTIAL_COMMAND_TIMEOUT gives it longer\n$/,
        );
        await until(() => !running(pid), `the grandchild ${pid} to end`, 1000);
        expect(sb.sandbox.requests).toHaveLength(0);
      } finally {
        if (running(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  );

  it.skipIf(process.platform === 'win32')(
    'Ctrl-C while a command runs stops it with everything it started: exit 130',
    async () => {
      const configDir = tempDir();
      const pidFile = path.join(tempDir(), 'pid');
      slowCommand(configDir, pidFile);
      const child = execa(process.execPath, [BIN, ...RETRY, '-p', 'vault'], {
        env: baseEnv(configDir),
        extendEnv: false,
        reject: false,
      });
      await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 'the pid file');
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        child.kill('SIGINT');
        const done = await child;
        expect(done.exitCode).toBe(130);
        expect(String(done.stderr)).toBe('error: interrupted by SIGINT');
        await until(() => !running(pid), `the grandchild ${pid} to end`, 1000);
      } finally {
        if (running(pid)) process.kill(pid, 'SIGKILL');
      }
    },
  );

  it('a bad HSS_CREDENTIAL_COMMAND_TIMEOUT is exit 2, and the command does not run', async () => {
    const configDir = tempDir();
    const pidFile = path.join(tempDir(), 'pid');
    slowCommand(configDir, pidFile);
    const r = await hss([...RETRY, '-p', 'vault'], {
      configDir,
      env: { HSS_CREDENTIAL_COMMAND_TIMEOUT: 'soon' },
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: HSS_CREDENTIAL_COMMAND_TIMEOUT "soon": not a duration/);
    expect(existsSync(pidFile)).toBe(false);
  });

  it.each([
    ['two words', 'two words'],
    ['JSON with neither a token nor a key pair', '{"user":"x"}'],
    ['JSON with a bad expires_at', '{"token":"tok-0123456789","expires_at":"soon"}'],
    ['nothing', ''],
  ])('output that is %s is exit 4, and the output is not shown', async (_name, output) => {
    const configDir = tempDir();
    writeStore(configDir, {
      vault: {
        endpoint: sb.url,
        project_id: SANDBOX_PROJECT_ID,
        auth: 'command',
        credential_command: commandLine(credentialScript(), 'json', output),
      },
    });
    const r = await hss([...RETRY, '-p', 'vault'], { configDir });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(
      /^error: the credential command ".*node.*" of profile "vault" gave unusable output: /,
    );
    if (output) expect(r.stderr).not.toContain(output);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a command that cannot be found is exit 4 naming it', async () => {
    const configDir = tempDir();
    writeStore(configDir, {
      vault: {
        endpoint: sb.url,
        project_id: SANDBOX_PROJECT_ID,
        auth: 'command',
        credential_command: 'no-such-vault-cli read x',
      },
    });
    const r = await hss([...RETRY, '-p', 'vault'], { configDir });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(
      /^error: cannot run the credential command "no-such-vault-cli" of profile "vault" \(ENOENT\)\n/,
    );
  });

  it('output with expires_at is reused from the 0600 cache until it expires; logout drops it', async () => {
    const configDir = tempDir();
    const counter = path.join(tempDir(), 'runs');
    const json = JSON.stringify({
      token: SANDBOX_TOKEN,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    writeStore(
      configDir,
      {
        vault: {
          endpoint: sb.url,
          project_id: SANDBOX_PROJECT_ID,
          auth: 'command',
          credential_command: commandLine(credentialScript(), 'count', counter, json),
        },
      },
      'vault',
    );
    const runs = () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    expect((await hss(RETRY, { configDir })).exitCode).toBe(0);
    expect((await hss(['task', 'retry', 'task-0005', '--all-failed'], { configDir })).exitCode).toBe(0);
    expect(runs()).toBe(1);
    const cacheFile = path.join(configDir, 'credentials.json');
    expect(mode(cacheFile)).toBe(0o600);
    expect(readJson(cacheFile).commands.vault).toMatchObject({ token: SANDBOX_TOKEN });
    expect((await hss(['auth', 'logout'], { configDir })).stdout).toBe(
      '✔ logged out: removed the cached credential command output of profile vault\n',
    );
    expect((await hss(['auth', 'status'], { configDir })).exitCode).toBe(0);
    expect(runs()).toBe(2);
  });

  it('a bare token without expiry is never written to disk: the command runs each time', async () => {
    const configDir = tempDir();
    const counter = path.join(tempDir(), 'runs');
    writeStore(
      configDir,
      {
        vault: {
          endpoint: sb.url,
          project_id: SANDBOX_PROJECT_ID,
          auth: 'command',
          credential_command: commandLine(credentialScript(), 'count', counter, SANDBOX_TOKEN),
        },
      },
      'vault',
    );
    expect((await hss(RETRY, { configDir })).exitCode).toBe(0);
    expect((await hss(['auth', 'status'], { configDir })).exitCode).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('run\nrun\n');
    expect(existsSync(path.join(configDir, 'credentials.json'))).toBe(false);
  });
});

describe('project ID and region', () => {
  it('with only a region, the project ID comes from IAM once and is remembered in the profile', async () => {
    const configDir = labStore(sb.url);
    const env = { HSS_TOKEN: SANDBOX_TOKEN };
    const r = await hss(RETRY, { configDir, env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => [q.method, q.path, q.status])).toEqual([
      ['GET', `/v3/projects?name=${SANDBOX_REGION}`, 200],
      ['PUT', `/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`, 200],
    ]);
    expect(readJson(path.join(configDir, 'config.json')).profiles.lab).toMatchObject({
      project_id: SANDBOX_PROJECT_ID,
      project_id_source: 'iam:projects',
    });
    sb.sandbox.reset();
    expect((await hss(RETRY, { configDir, env })).exitCode).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.method)).toEqual(['PUT']);
    const show = await hss(['config', 'show'], { configDir, env });
    expect(show.stdout).toMatch(/project_id +\S+ +profile "lab", looked up from the IAM project list\n/);
  });

  it('--dry-run sends nothing, not even the project lookup', async () => {
    const configDir = labStore(sb.url);
    const r = await hss([...RETRY, '--dry-run'], { configDir, env: { HSS_TOKEN: SANDBOX_TOKEN } });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(
      /^error: no project ID is set, and --dry-run sends nothing, not even the IAM lookup for cn-north-4\nhint: /,
    );
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('the project lookup is signed when AK/SK is in use, without X-Project-Id', async () => {
    const r = await hss(RETRY, {
      env: {
        HSS_ENDPOINT: sb.url,
        HSS_IAM_ENDPOINT: sb.url,
        HSS_REGION: SANDBOX_REGION,
        HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
        HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
      },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const [lookup, retry] = sb.sandbox.requests;
    expect(lookup?.status).toBe(200);
    expect(lookup?.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=SANDBOXAK0000000000000, /);
    expect(lookup?.headers['x-project-id']).toBeUndefined();
    expect(retry?.headers['x-project-id']).toBe(SANDBOX_PROJECT_ID);
  });

  it('a region IAM has no project for is exit 3 with a hint', async () => {
    const r = await hss(RETRY, {
      env: {
        HSS_ENDPOINT: sb.url,
        HSS_IAM_ENDPOINT: sb.url,
        HSS_REGION: 'cn-south-1',
        HSS_TOKEN: SANDBOX_TOKEN,
      },
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: IAM lists no project named "cn-south-1" for these credentials\n/);
    expect(r.stderr).toContain('hint: pass --project-id');
  });

  it('an unknown region warns and still works', async () => {
    const r = await hss([...RETRY, '-r', 'xx-newregion-1'], { env: sb.env() });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('warning: region "xx-newregion-1" is not one hss knows\n');
    const derived = await hss([...RETRY, '-r', 'xx-newregion-1', '--dry-run'], {
      env: sb.env({ HSS_ENDPOINT: undefined }),
    });
    expect(derived.exitCode).toBe(0);
    expect(derived.stderr).toBe(
      'warning: region "xx-newregion-1" is not one hss knows; using https://hss.xx-newregion-1.myhuaweicloud.com\n',
    );
    expect(derived.stdout).toContain('PUT https://hss.xx-newregion-1.myhuaweicloud.com/v5/');
  });
});

describe('a login with an IAM endpoint for once (--iam-endpoint, HSS_IAM_ENDPOINT)', () => {
  /** What `config show` and `auth status` say of the credential in effect, side by side. */
  async function bothSay(configDir: string, args: string[] = [], env: Record<string, string> = {}) {
    const show = await hss([...args, 'config', 'show', '--json'], { configDir, env });
    expect(show.exitCode, show.stderr).toBe(0);
    const status = await hss([...args, 'auth', 'status', '--json'], { configDir, env });
    const statusDoc = JSON.parse(status.stdout);
    return {
      config: JSON.parse(show.stdout).settings.credentials as { value: string | null; source: string },
      status: status.exitCode === 0 ? { value: statusDoc.auth, source: statusDoc.source } : statusDoc.error,
      statusExit: status.exitCode,
    };
  }

  it.each([
    ['--iam-endpoint', (url: string) => ({ args: ['--iam-endpoint', url], env: {} })],
    ['HSS_IAM_ENDPOINT', (url: string) => ({ args: [], env: { HSS_IAM_ENDPOINT: url } })],
  ])(
    'with %s: changes nothing in the profile, and config show and auth status agree, with and without it',
    async (_how, given) => {
      // A profile of its own IAM endpoint (the default one), logged in once against another.
      const configDir = tempDir();
      writeStore(configDir, { lab: { endpoint: sb.url, region: SANDBOX_REGION } }, 'lab');
      const storeText = readFileSync(path.join(configDir, 'config.json'), 'utf8');
      const once = given(sb.url);
      const login = await hss([...once.args, ...LOGIN], {
        configDir,
        env: once.env,
        input: SANDBOX_PASSWORD,
      });
      expect(login.exitCode, login.stderr).toBe(0);
      expect(login.stdout).toContain(
        `  profile lab is unchanged: the login is used only with IAM endpoint ${sb.url} (from ${
          once.args.length ? 'command-line flag' : 'environment HSS_IAM_ENDPOINT'
        }), not the profile's own https://iam.myhuaweicloud.com\n`,
      );
      expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(storeText);

      // Without the override: as before the login, for both.
      const without = await bothSay(configDir);
      expect(without.config).toEqual({ value: null, source: 'none found' });
      expect(without.statusExit).toBe(3);
      expect(without.status).toMatchObject({ message: 'no credentials found' });

      // With it: the login, for both, and for a retry, which leaves the profile as it was too.
      const withIt = await bothSay(configDir, once.args, once.env);
      expect(withIt.config).toEqual({ value: 'password', source: 'login:lab' });
      expect(withIt.status).toEqual(withIt.config);
      const retry = await hss([...once.args, ...RETRY], { configDir, env: once.env });
      expect(retry.exitCode, retry.stderr).toBe(0);
      expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(storeText);
    },
  );

  it("a login with the profile's own IAM endpoint given as a flag still fills in the profile", async () => {
    const configDir = labStore(sb.url);
    const r = await hss(['--iam-endpoint', sb.url, ...LOGIN, '--json'], {
      configDir,
      input: SANDBOX_PASSWORD,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).profile_updated).toEqual(['auth', 'user', 'domain', 'project_id']);
    const both = await bothSay(configDir);
    expect(both.config).toEqual({ value: 'password', source: 'login:lab' });
    expect(both.status).toEqual(both.config);
  });

  it('a password profile that is not logged in: config show says so, as auth status does', async () => {
    const configDir = labStore(sb.url, { auth: 'password', user: SANDBOX_USER, domain: SANDBOX_DOMAIN });
    const both = await bothSay(configDir);
    expect(both.config).toEqual({ value: 'password', source: 'login:lab (not logged in)' });
    expect(both.statusExit).toBe(4);
    expect(both.status).toMatchObject({
      message: 'profile "lab" logs in with a password and is not logged in',
    });
    const text = await hss(['config', 'show'], { configDir });
    expect(text.stdout).toMatch(
      /credentials +password +profile "lab" logs in with a password, and is not logged in \(`hss auth login -p lab`\)\n/,
    );
  });
});
