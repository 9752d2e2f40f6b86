/**
 * A server (and a credential command) that sends terminal escapes: the built CLI shows every string
 * from outside escaped in text output, errors, hints and --debug, keeps the originals in JSON, and
 * never stores a project ID it could not use.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, hss, tempDir } from '../helpers/cli.js';
import { commandLine, credentialScript, writeLoginCache, writeStore } from '../helpers/credentials.js';
import { type Handler, startRecordingServer } from '../helpers/recording-server.js';

/** What a terminal would act on: C0 but the line feed, DEL, C1 and the bidirectional controls. */
const RAW =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const TITLE = '\u001b]0;owned\u0007';
const CLEAR = '\u001b[2J';
const LINK = '\u001b]8;;https://evil.invalid\u0007click\u001b]8;;\u0007';
const C1 = '\u009b31m';
const BIDI = '\u202egnp.exe';

const NAME = `nightly${TITLE}${CLEAR}`;
const TRIGGER = `manual${LINK}`;
const STATUS = `finished\r${C1}`;
const CLUSTER_NAME = `prod${BIDI}`;
const REASON = `image pull failed${CLEAR}\u0008\u007f`;

/** The escaped forms a person sees. */
const SHOWN = {
  name: 'nightly\\u001b]0;owned\\u0007\\u001b[2J',
  trigger: 'manual\\u001b]8;;https://evil.invalid\\u0007click\\u001b]8;;\\u0007',
  status: 'finished\\r\\u009b31m',
  clusterName: 'prod\\u202egnp.exe',
  reason: 'image pull failed\\u001b[2J\\b\\u007f',
};

const PROJECT = 'p-1';
const TASK = {
  task_id: 'task-1',
  task_type: 'cluster_scan',
  task_name: NAME,
  trigger_type: TRIGGER,
  task_status: STATUS,
  start_time: 1_700_000_000_000,
  end_time: 1_700_000_600_000,
  estimated_time: 0,
  cluster_scan_info: {
    scan_type_list: ['cluster_vul', `benchmark${TITLE}`],
    scanning_cluster_num: 0,
    success_cluster_num: 1,
    failed_cluster_num: 1,
  },
};
const CLUSTER = {
  cluster_name: CLUSTER_NAME,
  cluster_id: `c-1${CLEAR}`,
  cluster_type: `cce${C1}`,
  cluster_version: `v1.28${LINK}`,
  scan_status: 'failed',
  start_time: 1_700_000_000_000,
  end_time: 1_700_000_600_000,
  scan_detail_list: [
    { scan_type: 'cluster_vul', status: 'failed', failed_reason: REASON },
    { scan_type: `benchmark${TITLE}`, status: `success${BIDI}` },
  ],
};

function json(res: Parameters<Handler>[1], status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': 'req-1', ...headers });
  res.end(JSON.stringify(body));
}

/** HSS and IAM, answering with hostile strings. */
const hostile: Handler = (req, res) => {
  const url = req.url ?? '';
  if (url.includes('/resources/batch-query')) {
    json(res, 200, { total_num: 1, cluster_scan_data_list: [CLUSTER] });
  } else if (url.includes('/common/tasks/batch-query')) {
    json(res, 200, { total_num: 1, data_list: [TASK] });
  } else if (url.includes('/retry')) {
    json(res, 400, { error_code: `HSS.1${CLEAR}`, error_msg: `refused${TITLE} ${BIDI}` });
  } else json(res, 404, { error_code: 'APIGW.0101', error_msg: 'no such API' });
};

function expectNoRawControls(r: CliResult): void {
  expect(RAW.test(r.stdout), JSON.stringify(r.stdout)).toBe(false);
  expect(RAW.test(r.stderr), JSON.stringify(r.stderr)).toBe(false);
}

async function hostileServer() {
  const server = await startRecordingServer(hostile);
  return {
    server,
    env: { HSS_ENDPOINT: server.base, HSS_PROJECT_ID: PROJECT, HSS_TOKEN: 'hostile-test-token' },
  };
}

describe('a server that sends terminal escapes', () => {
  it('task list: the table shows them escaped; JSON keeps the originals', async () => {
    const { env } = await hostileServer();
    const text = await hss(['task', 'list'], { env });
    expect(text.exitCode, text.stderr).toBe(0);
    expectNoRawControls(text);
    const row = text.stdout.split('\n')[1] ?? '';
    for (const shown of [SHOWN.name, SHOWN.status, SHOWN.trigger]) expect(row).toContain(shown);

    const doc = await hss(['task', 'list', '--json'], { env });
    expect(doc.exitCode, doc.stderr).toBe(0);
    expectNoRawControls(doc);
    expect(JSON.parse(doc.stdout).tasks).toEqual([TASK]);
  });

  it('task show: summary and cluster table escaped, in colour too; JSON keeps the originals', async () => {
    const { env } = await hostileServer();
    const text = await hss(['task', 'show', 'task-1'], { env });
    expect(text.exitCode, text.stderr).toBe(0);
    expectNoRawControls(text);
    for (const shown of Object.values(SHOWN)) expect(text.stdout).toContain(shown);
    expect(text.stdout).toContain('cluster_vul, benchmark\\u001b]0;owned\\u0007');
    // The cluster table stays aligned: the header and the row are as wide as their escaped text.
    const [header, row] = text.stdout.split('\n').filter((l) => /^(CLUSTER ID|c-1)/.test(l));
    expect(row?.indexOf(SHOWN.clusterName)).toBe(header?.indexOf('NAME'));

    // Colour forced: hss's own colour codes, and only those.
    const coloured = await hss(['task', 'show', 'task-1'], { env: { ...env, FORCE_COLOR: '1' } });
    expect(coloured.exitCode, coloured.stderr).toBe(0);
    expect(coloured.stdout).toContain('\u001b[31m');
    const withoutColour = coloured.stdout.replace(/\u001b\[\d+m/g, '');
    expect(RAW.test(withoutColour), JSON.stringify(withoutColour)).toBe(false);
    for (const shown of Object.values(SHOWN)) expect(withoutColour).toContain(shown);

    const doc = await hss(['task', 'show', 'task-1', '--json'], { env });
    expectNoRawControls(doc);
    expect(JSON.parse(doc.stdout)).toMatchObject({ task: TASK, clusters: [CLUSTER] });
  });

  it('an API error, its details and --debug traces are escaped', async () => {
    const { env } = await hostileServer();
    const r = await hss(['task', 'retry', 'task-1', '--all-failed', '--debug'], { env });
    expect(r.exitCode).toBe(5);
    expectNoRawControls(r);
    expect(r.stderr).toContain('refused\\u001b]0;owned\\u0007 \\u202egnp.exe');
    expect(r.stderr).toContain('error_code HSS.1\\u001b[2J');
    expect(r.stderr).toMatch(/^debug: < /m);
    const doc = await hss(['task', 'retry', 'task-1', '--all-failed', '--json'], { env });
    expectNoRawControls(doc);
    expect(JSON.parse(doc.stdout).ok).toBe(false);
  });
});

describe('IAM answers that would break hss', () => {
  const iamHandler =
    (project: { id: string; name: string }, user: string): Handler =>
    (req, res) => {
      const url = req.url ?? '';
      if (url.startsWith('/v3/auth/tokens')) {
        json(
          res,
          201,
          {
            token: {
              expires_at: new Date(Date.now() + 3_600_000).toISOString(),
              project,
              user: { name: user, domain: { name: `acct${BIDI}` } },
            },
          },
          { 'X-Subject-Token': 'MIIhostile-subject-token' },
        );
      } else if (url.startsWith('/v3/projects')) {
        json(res, 200, { projects: [project] });
      } else json(res, 404, { error_code: 'APIGW.0101', error_msg: 'no such API' });
    };

  const login = (base: string) => [
    'auth',
    'login',
    '--iam-endpoint',
    base,
    '--region',
    'cn-north-4',
    '--user',
    'u',
    '--domain',
    'd',
    '--password-stdin',
  ];

  it('a login whose project ID has control characters is refused (exit 5, named escaped) and nothing is kept', async () => {
    const server = await startRecordingServer(iamHandler({ id: `p${TITLE}`, name: 'cn-north-4' }, 'u'));
    const configDir = tempDir();
    writeStore(configDir, { lab: { region: 'cn-north-4', iam_endpoint: server.base } }, 'lab');
    const r = await hss(login(server.base), { configDir, input: 'pw-123456' });
    expect(r.exitCode).toBe(5);
    expectNoRawControls(r);
    expect(r.stderr).toMatch(
      /^error: IAM login: the project ID "p\\u001b]0;owned\\u0007" in the answer is unusable: project ID must not contain control characters\n/,
    );
    expect(existsSync(path.join(configDir, 'credentials.json'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')).profiles.lab).toEqual({
      region: 'cn-north-4',
      iam_endpoint: server.base,
    });
  });

  it('a project lookup answering an ID with control characters is refused (exit 5) and not saved', async () => {
    const server = await startRecordingServer((req, res) => {
      if ((req.url ?? '').startsWith('/v3/projects'))
        json(res, 200, { projects: [{ id: `p\r${CLEAR}`, name: 'cn-north-4' }] });
      else json(res, 500, {});
    });
    const configDir = tempDir();
    writeStore(
      configDir,
      { lab: { region: 'cn-north-4', endpoint: server.base, iam_endpoint: server.base } },
      'lab',
    );
    const r = await hss(['task', 'list'], { configDir, env: { HSS_TOKEN: 'hostile-test-token' } });
    expect(r.exitCode).toBe(5);
    expectNoRawControls(r);
    expect(r.stderr).toMatch(
      /^error: IAM project lookup for cn-north-4: the project ID "p\\r\\u001b\[2J" in the answer is unusable/,
    );
    expect(server.seen.map((s) => s.url)).toEqual(['/v3/projects?name=cn-north-4']);
    expect(
      JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')).profiles.lab.project_id,
    ).toBeUndefined();
  });

  it('a cached login with such a project ID (kept by an older hss) is a configuration error naming it', async () => {
    const server = await startRecordingServer(hostile);
    const configDir = tempDir();
    writeStore(
      configDir,
      { lab: { region: 'cn-north-4', endpoint: server.base, iam_endpoint: server.base } },
      'lab',
    );
    writeLoginCache(configDir, 'lab', server.base, {
      token: 'MIIcached-login-token',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      project_id: `p${CLEAR}`,
      project_name: 'cn-north-4',
    });
    const r = await hss(['task', 'list'], { configDir });
    expect(r.exitCode).toBe(3);
    expectNoRawControls(r);
    expect(r.stderr).toMatch(
      /^error: the project ID "p\\u001b\[2J" of the cached login of profile "lab" is unusable: project ID must not contain control characters\nhint: /,
    );
    expect(server.seen).toHaveLength(0);
  });

  it('user and account names from IAM are shown escaped by auth status, and kept as they came in JSON', async () => {
    const server = await startRecordingServer(
      iamHandler({ id: 'p-ok', name: 'cn-north-4' }, `admin${TITLE}`),
    );
    const configDir = tempDir();
    writeStore(configDir, { lab: { region: 'cn-north-4', iam_endpoint: server.base } }, 'lab');
    expect((await hss(login(server.base), { configDir, input: 'pw-123456' })).exitCode).toBe(0);
    const text = await hss(['auth', 'status', '--offline'], { configDir });
    expect(text.exitCode, text.stderr).toBe(0);
    expectNoRawControls(text);
    expect(text.stdout).toContain('admin\\u001b]0;owned\\u0007 (account acct\\u202egnp.exe)');
    const doc = await hss(['auth', 'status', '--offline', '--json'], { configDir });
    expectNoRawControls(doc);
    expect(JSON.parse(doc.stdout).who).toEqual({ user: `admin${TITLE}`, domain: `acct${BIDI}` });
  });
});

describe('a credential command that writes terminal escapes to stderr', () => {
  it('is shown escaped in the error', async () => {
    const configDir = tempDir();
    writeStore(configDir, {
      vault: {
        endpoint: 'https://hss.cn-north-4.myhuaweicloud.com',
        project_id: PROJECT,
        auth: 'command',
        credential_command: commandLine(
          credentialScript(),
          'echo',
          '',
          `vault${TITLE}${CLEAR} denied\r${BIDI}`,
          '1',
        ),
      },
    });
    for (const extra of [[], ['--debug'], ['--json']]) {
      const r = await hss(['task', 'list', '-p', 'vault', ...extra], { configDir });
      expect(r.exitCode).toBe(4);
      expectNoRawControls(r);
      expect(r.stderr).toContain('vault\\u001b]0;owned\\u0007\\u001b[2J denied\\r\\u202egnp.exe');
    }
  });
});
