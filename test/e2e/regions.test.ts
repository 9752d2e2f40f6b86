/**
 * One command across several regions and projects (`--region a,b|all`, `--all-projects`) against the
 * sandbox's fleet: each credential kind, a token refused on another project, one region failing while
 * the others answer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyRequest } from '../../src/auth/signer.js';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECTS,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { hss, tempDir } from '../helpers/cli.js';
import { startProxy } from '../helpers/network.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const idOf = (name: string) => SANDBOX_PROJECTS.find((p) => p.name === name)?.id ?? '';
const EAST = idOf('cn-east-3');
const SOUTHEAST = idOf('ap-southeast-1');
const DEV = idOf('cn-north-4_dev');
const MAIN_REGIONS = [SANDBOX_PROJECT_ID, EAST, SOUTHEAST];

/** The sandbox at both endpoints, no credential, no project ID: each test adds its own. */
function fleetEnv(extra: Record<string, string | undefined> = {}) {
  return sb.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...extra });
}

const KEYS = { HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY, HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY };

/** The project ID of each ListTasks request, in order of arrival. */
function listedProjects(): string[] {
  return sb.sandbox.requests
    .filter((r) => r.path.includes('/common/tasks/batch-query'))
    .map((r) => r.path.split('/')[2] ?? '');
}

interface ListDoc {
  ok: boolean;
  total_num: number;
  tasks: Array<{ task_id: string; region: string; project_id: string }>;
  errors?: Array<{ region: string; project_id?: string; error: { code: string; exit_code: number } }>;
}

describe('task list --region all with a key pair', () => {
  it('signs every project with its own X-Project-Id, lists the main projects, skips MOS and sub-projects', async () => {
    const r = await hss(['task', 'list', '--region', 'all', '--all', '--json'], { env: fleetEnv(KEYS) });
    expect(r.exitCode, r.stderr).toBe(0);
    const requests = sb.sandbox.requests;
    expect(requests[0]?.path).toBe('/v3/auth/projects');
    // The main project has more than a page of tasks: two requests.
    expect(listedProjects().sort()).toEqual([...MAIN_REGIONS, SANDBOX_PROJECT_ID].sort());
    for (const request of requests.slice(1)) {
      const project = request.path.split('/')[2];
      expect(request.headers['x-project-id']).toBe(project);
      expect(request.status).toBe(200);
      const url = new URL(`${sb.url}${request.path}`);
      const verdict = verifyRequest(
        { method: request.method, url, headers: request.headers, body: Buffer.from(request.body) },
        () => SANDBOX_SECRET_KEY,
      );
      expect(verdict.ok).toBe(true);
      expect(request.headers['authorization']).toContain('x-project-id');
    }
    const doc = JSON.parse(r.stdout) as ListDoc;
    expect(doc.ok).toBe(true);
    expect(doc.errors).toBeUndefined();
    const where = new Map(doc.tasks.map((t) => [t.task_id, `${t.region} ${t.project_id}`]));
    expect(where.get('east-0001')).toBe(`cn-east-3 ${EAST}`);
    expect(where.get('apse-0001')).toBe(`ap-southeast-1 ${SOUTHEAST}`);
    expect(where.get('task-0001')).toBe(`cn-north-4 ${SANDBOX_PROJECT_ID}`);
    expect(where.has('dev-0001')).toBe(false);
    expect(doc.total_num).toBe(doc.tasks.length);
  });

  it('one region with --all-projects: its main project and its sub-project; none named: exit 3', async () => {
    const r = await hss(['task', 'list', '--region', 'cn-north-4', '--all-projects', '--json'], {
      env: fleetEnv(KEYS),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect([...new Set(listedProjects())].sort()).toEqual([SANDBOX_PROJECT_ID, DEV].sort());
    const doc = JSON.parse(r.stdout) as ListDoc;
    expect(new Set(doc.tasks.map((t) => t.region))).toEqual(new Set(['cn-north-4']));
    expect(doc.tasks.some((t) => t.project_id === DEV)).toBe(true);
    sb.sandbox.reset();
    const none = await hss(['task', 'list', '--all-projects'], { env: fleetEnv(KEYS) });
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toMatch(/^error: --all-projects needs a region/);
    expect(sb.sandbox.requests).toEqual([]);
  });

  it('--all-projects adds the sub-project, and a PROJECT column', async () => {
    const r = await hss(['task', 'list', '--region', 'all', '--all-projects', '--limit', '200'], {
      env: fleetEnv(KEYS),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(listedProjects().sort()).toEqual([...MAIN_REGIONS, DEV].sort());
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^REGION\s+PROJECT\s+TASK ID\s+NAME\s+STATUS/);
    expect(lines.find((l) => l.includes('dev-0001'))).toMatch(/^cn-north-4\s+cn-north-4_dev\s+dev-0001\s/);
  });

  it('a region list reads those regions only, with a REGION column', async () => {
    const r = await hss(['task', 'list', '--region', 'cn-east-3,ap-southeast-1'], { env: fleetEnv(KEYS) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(listedProjects().sort()).toEqual([EAST, SOUTHEAST].sort());
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REGION\s+TASK ID\s+NAME/);
    expect(lines[1]).toMatch(/^cn-east-3\s+east-0004\s+manual-scan-in-progress\s+running/);
    expect(lines.slice(1).every((l) => /^(cn-east-3|ap-southeast-1) /.test(l))).toBe(true);
  });
});

describe('one region failing', () => {
  const faulty = useSandbox({ faults: ['503x99@list@cn-east-3'] });

  it('lists the others, reports the failed one in errors[], and exits with its code', async () => {
    const env = faulty.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS });
    const r = await hss(['task', 'list', '--region', 'all', '--max-attempts', '1', '--json'], { env });
    expect(r.exitCode).toBe(6);
    const doc = JSON.parse(r.stdout) as ListDoc;
    expect(doc.ok).toBe(false);
    expect(doc.errors).toEqual([
      {
        region: 'cn-east-3',
        project_id: EAST,
        error: expect.objectContaining({ code: 'UNAVAILABLE', exit_code: 6, http_status: 503 }),
      },
    ]);
    const regions = new Set(doc.tasks.map((t) => t.region));
    expect([...regions].sort()).toEqual(['ap-southeast-1', 'cn-north-4']);

    const text = await hss(['task', 'list', '--region', 'all', '--max-attempts', '1'], { env });
    expect(text.exitCode).toBe(6);
    expect(text.stdout).toMatch(/^REGION\s+TASK ID/);
    expect(text.stderr).toContain('error: 1 of 3 projects failed:');
    expect(text.stderr).toContain(`cn-east-3 (project ${EAST}): ListTasks: service unavailable (HTTP 503)`);
  });
});

describe('task list across projects with a token', () => {
  it('a plain token and several regions: exit 3 with a hint, nothing sent', async () => {
    const r = await hss(['task', 'list', '--region', 'cn-north-4,cn-east-3'], {
      env: fleetEnv({ HSS_TOKEN: SANDBOX_TOKEN }),
    });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: a token serves one project, and this command was asked for several\n' +
        'hint: name one region; or use a key pair (HUAWEICLOUD_SDK_AK/SK), a password login (`hss auth login --region all`) or a credential command, which serve every project\n',
    );
    expect(sb.sandbox.requests).toEqual([]);
    const all = await hss(['task', 'list', '--region', 'all', '--json'], {
      env: fleetEnv({ HSS_TOKEN: SANDBOX_TOKEN }),
    });
    expect(all.exitCode).toBe(3);
    expect(JSON.parse(all.stdout).error).toMatchObject({ code: 'CONFIG', exit_code: 3 });
  });

  it('several regions on a command that reads one project: exit 2, nothing sent', async () => {
    const r = await hss(['task', 'show', 'task-0001', '--region', 'all'], { env: fleetEnv(KEYS) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: region "all" \(from command-line flag\) names several regions: only/);
    const shown = await hss(['config', 'show', '--json'], {
      env: fleetEnv({ HSS_REGION: 'cn-north-4, cn-east-3' }),
    });
    expect(JSON.parse(shown.stdout).settings.region).toEqual({
      value: 'cn-north-4,cn-east-3',
      source: 'env:HSS_REGION',
    });
    const bad = await hss(['task', 'list', '--region', 'cn-north-4,CN_EAST'], { env: fleetEnv(KEYS) });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('region "CN_EAST" in "cn-north-4,CN_EAST"');
    expect(sb.sandbox.requests).toEqual([]);
  });
});

describe('a password login across projects', () => {
  it('obtains and caches one project-scoped token per project, each used on its own project only', async () => {
    const configDir = tempDir();
    const env = fleetEnv();
    const set = await hss(
      ['profile', 'set', 'fleet', '--region', 'cn-north-4', '--endpoint', sb.url, '--iam-endpoint', sb.url],
      { env, configDir },
    );
    expect(set.exitCode, set.stderr).toBe(0);
    const login = await hss(
      [
        '-p',
        'fleet',
        'auth',
        'login',
        '--region',
        'all',
        '--all-projects',
        '--user',
        SANDBOX_USER,
        '--domain',
        SANDBOX_DOMAIN,
        '--password-stdin',
      ],
      { env, configDir, input: SANDBOX_PASSWORD },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    expect(login.stdout).toContain('logged in as sandbox-user (account sandbox-account) to 4 projects');
    const scopes = sb.sandbox.requests
      .filter((r) => r.path.startsWith('/v3/auth/tokens'))
      .map((r) => JSON.parse(r.body).auth.scope);
    expect(scopes[0]).toEqual({ domain: { name: SANDBOX_DOMAIN } });
    expect(
      scopes
        .slice(1)
        .map((s) => s.project.id)
        .sort(),
    ).toEqual([...MAIN_REGIONS, DEV].sort());
    const cache = JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8'));
    const projects = cache.logins.fleet[sb.url].projects as Record<string, { token: string }>;
    expect(Object.keys(projects).sort()).toEqual([...MAIN_REGIONS, DEV].sort());

    sb.sandbox.reset();
    const list = await hss(['-p', 'fleet', 'task', 'list', '--region', 'all', '--all-projects', '--json'], {
      env,
      configDir,
    });
    expect(list.exitCode, list.stderr).toBe(0);
    const hssCalls = sb.sandbox.requests.filter((r) => r.path.startsWith('/v5/'));
    expect(hssCalls).toHaveLength(4);
    for (const call of hssCalls) {
      const project = call.path.split('/')[2] ?? '';
      expect(call.headers['x-auth-token']).toBe(projects[project]?.token);
      expect(call.status).toBe(200);
    }
    // Cached: no login on the way.
    expect(sb.sandbox.requests.filter((r) => r.path.startsWith('/v3/auth/tokens'))).toEqual([]);
  });

  it("a token for one project is refused on another's path (403, exit 4)", async () => {
    const configDir = tempDir();
    const env = fleetEnv();
    await hss(
      ['profile', 'set', 'east', '--region', 'cn-east-3', '--endpoint', sb.url, '--iam-endpoint', sb.url],
      {
        env,
        configDir,
      },
    );
    const login = await hss(
      ['-p', 'east', 'auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'],
      { env, configDir, input: SANDBOX_PASSWORD },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    const r = await hss(['-p', 'east', '--project-id', SANDBOX_PROJECT_ID, 'task', 'list'], {
      env,
      configDir,
    });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('project id mismatch');
    expect(r.stderr).toContain('error_code APIGW.0302 · HTTP 403');
  });

  it('a login of one project cannot read another: that project fails with exit 4 and a hint, the others are listed', async () => {
    const configDir = tempDir();
    const env = fleetEnv();
    await hss(
      ['profile', 'set', 'one', '--region', 'cn-north-4', '--endpoint', sb.url, '--iam-endpoint', sb.url],
      {
        env,
        configDir,
      },
    );
    await hss(
      ['-p', 'one', 'auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'],
      {
        env,
        configDir,
        input: SANDBOX_PASSWORD,
      },
    );
    const r = await hss(['-p', 'one', 'task', 'list', '--region', 'cn-north-4,cn-east-3', '--json'], {
      env,
      configDir,
    });
    expect(r.exitCode).toBe(4);
    const doc = JSON.parse(r.stdout) as ListDoc;
    expect(doc.errors).toEqual([
      {
        region: 'cn-east-3',
        project_id: EAST,
        error: expect.objectContaining({ code: 'AUTH', exit_code: 4 }),
      },
    ]);
    expect(new Set(doc.tasks.map((t) => t.region))).toEqual(new Set(['cn-north-4']));
  });
});

describe('a credential command across projects', () => {
  it('runs once per project with HSS_REGION and HSS_PROJECT_ID in its environment', async () => {
    const configDir = tempDir();
    const dir = tempDir('hss-cmd-');
    const log = path.join(dir, 'runs.log');
    const script = path.join(dir, 'cred.mjs');
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, (process.env.HSS_REGION ?? '-') + ' ' + (process.env.HSS_PROJECT_ID ?? '-') + '\\n');
process.stdout.write(JSON.stringify({ access_key: ${JSON.stringify(SANDBOX_ACCESS_KEY)}, secret_key: ${JSON.stringify(SANDBOX_SECRET_KEY)} }));
`,
    );
    const env = fleetEnv();
    const set = await hss(
      [
        'profile',
        'set',
        'vault',
        '--endpoint',
        sb.url,
        '--iam-endpoint',
        sb.url,
        '--auth',
        'command',
        '--credential-command',
        `${process.execPath} ${script}`,
      ],
      { env, configDir },
    );
    expect(set.exitCode, set.stderr).toBe(0);
    const r = await hss(['-p', 'vault', 'task', 'list', '--region', 'all', '--json'], { env, configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    const runs = readFileSync(log, 'utf8').trimEnd().split('\n');
    // One run lists the projects (in the caller's environment), then one run per project.
    expect(runs[0]).toBe('- -');
    expect(runs.slice(1).sort()).toEqual(
      [`cn-north-4 ${SANDBOX_PROJECT_ID}`, `cn-east-3 ${EAST}`, `ap-southeast-1 ${SOUTHEAST}`].sort(),
    );
    for (const call of sb.sandbox.requests.filter((q) => q.path.startsWith('/v5/'))) {
      expect(call.headers['x-project-id']).toBe(call.path.split('/')[2]);
      expect(call.status).toBe(200);
    }

    // A profile with a project of its own: the run for that project also lists the projects.
    writeFileSync(log, '');
    const own = await hss(
      ['profile', 'set', 'vault', '--region', 'cn-north-4', '--project-id', SANDBOX_PROJECT_ID],
      { env, configDir },
    );
    expect(own.exitCode, own.stderr).toBe(0);
    const again = await hss(['-p', 'vault', 'task', 'list', '--region', 'all', '--json'], { env, configDir });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(readFileSync(log, 'utf8').trimEnd().split('\n').sort()).toEqual(
      [`cn-north-4 ${SANDBOX_PROJECT_ID}`, `cn-east-3 ${EAST}`, `ap-southeast-1 ${SOUTHEAST}`].sort(),
    );
  });
});

describe('projects in parallel, bounded by --concurrency', () => {
  const slow = useSandbox({ latencyMs: 300 });

  function arrivals(): number[] {
    return slow.sandbox.requests.filter((r) => r.path.startsWith('/v5/')).map((r) => r.at);
  }

  it('reads the projects at once by default, one at a time with --concurrency 1', async () => {
    const env = slow.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS });
    const parallel = await hss(['task', 'list', '--region', 'all'], { env });
    expect(parallel.exitCode, parallel.stderr).toBe(0);
    const together = arrivals();
    expect(together).toHaveLength(3);
    expect(Math.max(...together) - Math.min(...together)).toBeLessThan(250);

    slow.sandbox.reset();
    const one = await hss(['task', 'list', '--region', 'all', '--concurrency', '1'], { env });
    expect(one.exitCode, one.stderr).toBe(0);
    const apart = arrivals();
    expect(apart).toHaveLength(3);
    for (let i = 1; i < apart.length; i++) expect(apart[i]! - apart[i - 1]!).toBeGreaterThanOrEqual(290);
    const bad = await hss(['task', 'list', '--region', 'all', '--concurrency', '0'], { env });
    expect(bad.exitCode).toBe(2);
  });
});

describe('without --endpoint', () => {
  it("sends each region's requests to that region's endpoint", async () => {
    const proxy = await startProxy();
    try {
      const r = await hss(
        [
          'task',
          'list',
          '--region',
          'cn-east-3,ap-southeast-1',
          '--max-attempts',
          '1',
          '--timeout',
          '5s',
          '--json',
        ],
        {
          env: fleetEnv({ ...KEYS, HSS_ENDPOINT: undefined, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }),
          timeoutMs: 40_000,
        },
      );
      // IAM (the sandbox, not proxied) was asked for the projects; HSS went to each region's host.
      expect(sb.sandbox.requests.map((q) => q.path)).toEqual(['/v3/auth/projects']);
      expect(proxy.seen.map((s) => `${s.method} ${s.target}`).sort()).toEqual([
        'CONNECT hss.ap-southeast-1.myhuaweicloud.com:443',
        'CONNECT hss.cn-east-3.myhuaweicloud.com:443',
      ]);
      const doc = JSON.parse(r.stdout) as ListDoc;
      expect(doc.errors?.map((e) => e.region).sort()).toEqual(['ap-southeast-1', 'cn-east-3']);
    } finally {
      await proxy.close();
    }
  });
});
