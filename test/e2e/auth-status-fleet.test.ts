/**
 * `hss auth status --region a,b|all [--all-projects]`: the morning job's pre-flight. The credential is
 * checked in every project a command across regions would reach, one ShowTaskStatistics each, against
 * the sandbox's fleet; a project that refuses it is named, and the exit code is the highest.
 */
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECTS,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { hss } from '../helpers/cli.js';
import { labStore } from '../helpers/credentials.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const idOf = (name: string) => SANDBOX_PROJECTS.find((p) => p.name === name)?.id ?? '';
const DEV = idOf('cn-north-4_dev');
const EAST = idOf('cn-east-3');
const SOUTHEAST = idOf('ap-southeast-1');
const KEYS = { HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY, HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY };
const statsPath = (project: string) => `/v5/${project}/common/task-statistics?task_type=cluster_scan`;

interface StatusDoc {
  ok: boolean;
  region: string | null;
  project_id: string | null;
  project_id_source: string;
  check: unknown;
  checks?: Array<{ region: string; project_id: string; http_status: number; request_id?: string }>;
  errors?: Array<{
    region: string;
    project_id?: string;
    error: { code: string; exit_code: number; http_status?: number };
  }>;
}

describe('hss auth status across regions and projects', () => {
  const sb = useSandbox();
  const env = (extra: Record<string, string | undefined> = {}) =>
    sb.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS, ...extra });

  it('--region all --all-projects: one IAM listing, then one signed check in each project', async () => {
    const r = await hss(['auth', 'status', '--region', 'all', '--all-projects', '--json'], { env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as StatusDoc;
    expect(doc).toMatchObject({
      ok: true,
      region: null,
      project_id: null,
      project_id_source: 'several: every project of region all, sub-projects too, as IAM lists them',
      check: null,
    });
    expect(doc.errors).toBeUndefined();
    const checked = (doc.checks ?? []).map((c) => `${c.region} ${c.project_id} ${c.http_status}`);
    expect(checked).toEqual([
      `cn-north-4 ${SANDBOX_PROJECT_ID} 200`,
      `cn-north-4 ${DEV} 200`,
      `cn-east-3 ${EAST} 200`,
      `ap-southeast-1 ${SOUTHEAST} 200`,
    ]);
    // On the wire: the project list, and one check per project, each signed for its own project.
    const sent = sb.sandbox.requests;
    expect(sent).toHaveLength(5);
    expect(sent[0]?.path).toBe('/v3/auth/projects');
    const checks = sent.slice(1);
    expect(checks.map((q) => q.path).sort()).toEqual(
      [SANDBOX_PROJECT_ID, DEV, EAST, SOUTHEAST].map(statsPath).sort(),
    );
    for (const q of checks) {
      expect([q.method, q.status]).toEqual(['GET', 200]);
      expect(q.headers['x-project-id']).toBe(q.path.split('/')[2]);
      expect(q.headers['authorization']).toMatch(/^SDK-HMAC-SHA256 Access=SANDBOXAK/);
    }
    // Each check's request ID is the one its answer carried.
    for (const c of doc.checks ?? []) {
      expect(checks.find((q) => q.path === statsPath(c.project_id))?.requestId).toBe(c.request_id);
    }
  });

  it('text: one line for all, then each project by name, at its endpoint', async () => {
    const r = await hss(['auth', 'status', '--region', 'cn-north-4,cn-east-3', '--all-projects'], {
      env: env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '\nproject  several: every project of region cn-north-4,cn-east-3, sub-projects too, as IAM lists them\n',
    );
    expect(r.stdout).toMatch(
      new RegExp(
        '\\nchecked  ✔ accepted by ShowTaskStatistics in all 3 projects\\n' +
          ` {11}cn-north-4 \\(project ${SANDBOX_PROJECT_ID}\\) at ${sb.url}\\n` +
          ` {11}cn-north-4_dev \\(project ${DEV}\\) at ${sb.url}\\n` +
          ` {11}cn-east-3 \\(project ${EAST}\\) at ${sb.url}\\n$`,
      ),
    );
    expect(r.stderr).toBe('');
  });

  it('a password login of one region: the projects without a token are named, exit 4, how to log in to every one', async () => {
    const configDir = labStore(sb.url, { auth: 'password' });
    const login = await hss(
      ['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin'],
      { configDir, input: SANDBOX_PASSWORD },
    );
    expect(login.exitCode, login.stderr).toBe(0);
    const before = sb.sandbox.requests.length;
    const r = await hss(['auth', 'status', '--region', 'cn-north-4,cn-east-3', '--json'], { configDir });
    expect(r.exitCode, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout) as StatusDoc;
    expect(doc.ok).toBe(false);
    expect(doc.checks?.map((c) => c.project_id)).toEqual([SANDBOX_PROJECT_ID]);
    expect(doc.errors).toEqual([
      {
        region: 'cn-east-3',
        project_id: EAST,
        error: expect.objectContaining({ code: 'AUTH', exit_code: 4 }),
      },
    ]);
    // Nothing is sent for a project without a token: only the listing and the one check.
    const sent = sb.sandbox.requests.slice(before).map((q) => q.path);
    expect(sent).toEqual(['/v3/auth/projects', statsPath(SANDBOX_PROJECT_ID)]);

    const text = await hss(['auth', 'status', '--region', 'cn-north-4,cn-east-3'], { configDir });
    expect(text.exitCode).toBe(4);
    expect(text.stdout).toContain(
      '\nchecked  ✖ accepted by ShowTaskStatistics in 1 of 2 projects (the others below)\n',
    );
    expect(text.stderr).toBe(
      'error: 1 of 2 projects failed:\n' +
        `  cn-east-3 (project ${EAST}): the login of profile "lab" has no token for project ${EAST} (cn-east-3)\n` +
        'hint: log in to every project: `hss auth login -p lab --region all --all-projects`\n',
    );
  });

  it('a plain token cannot serve several projects: exit 3 with a hint, nothing sent; --offline still answers', async () => {
    const tokenEnv = sb.env({ HSS_REGION: 'cn-north-4,cn-east-3' });
    const r = await hss(['auth', 'status'], { env: tokenEnv });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(
      /^error: a token serves one project, and this command was asked for several\nhint: /,
    );
    expect(sb.sandbox.requests).toHaveLength(0);
    const offline = await hss(['auth', 'status', '--offline', '--json'], { env: tokenEnv });
    expect(offline.exitCode, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      ok: true,
      project_id: null,
      project_id_source: 'several: every project of region cn-north-4,cn-east-3, as IAM lists them',
      check: null,
    });
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('--concurrency: 1–32 and only with several projects; exit 2 naming the value, nothing sent', async () => {
    const one = await hss(['auth', 'status', '--concurrency', '2'], {
      env: env({ HSS_REGION: SANDBOX_REGION }),
    });
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toMatch(/^error: --concurrency is for several projects/);
    const zero = await hss(['auth', 'status', '--region', 'all', '--concurrency', '0'], { env: env() });
    expect(zero.exitCode).toBe(2);
    expect(zero.stderr).toMatch(/^error: --concurrency .*"0"/);
    expect(sb.sandbox.requests).toHaveLength(0);
    const serial = await hss(['auth', 'status', '--region', 'all', '--concurrency', '1', '--json'], {
      env: env(),
    });
    expect(serial.exitCode, serial.stderr).toBe(0);
    expect(JSON.parse(serial.stdout).checks).toHaveLength(3);
  });
});

describe('hss auth status across regions, one region refusing', () => {
  const sb = useSandbox({ faults: ['403x99@cn-east-3'] });

  it('the others are checked; errors[] names the region, exit 4, the refusal on stderr', async () => {
    const env = sb.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS });
    const r = await hss(['auth', 'status', '--region', 'all', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(4);
    const doc = JSON.parse(r.stdout) as StatusDoc;
    expect(doc.ok).toBe(false);
    expect(doc.checks?.map((c) => c.region)).toEqual(['cn-north-4', 'ap-southeast-1']);
    expect(doc.errors).toEqual([
      {
        region: 'cn-east-3',
        project_id: EAST,
        error: expect.objectContaining({ code: 'AUTH', exit_code: 4, http_status: 403 }),
      },
    ]);
    const text = await hss(['auth', 'status', '--region', 'all'], { env });
    expect(text.exitCode).toBe(4);
    expect(text.stderr).toMatch(
      new RegExp(
        `^error: 1 of 3 projects failed:\\n  cn-east-3 \\(project ${EAST}\\): ShowTaskStatistics in project ${EAST} \\(cn-east-3\\) was refused: permission denied`,
      ),
    );
  });
});
