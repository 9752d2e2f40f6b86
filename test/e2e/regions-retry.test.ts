/**
 * The morning job across projects: `task retry --since … --region all|a,b` against the sandbox's fleet.
 * Each project selects its own failed tasks and retries them with its own credentials; one project
 * failing does not stop the others; results and reports say where each task is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_KEY, SANDBOX_PROJECTS, SANDBOX_SECRET_KEY } from '../../src/sandbox/constants.js';
import { hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const idOf = (name: string) => SANDBOX_PROJECTS.find((p) => p.name === name)?.id ?? '';
const EAST = idOf('cn-east-3');
const SOUTHEAST = idOf('ap-southeast-1');
const KEYS = { HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY, HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY };
const FAST = ['--interval', '100ms'];

interface RetryDoc {
  ok: boolean;
  results: Array<{ task_id: string; ok: boolean; region?: string; project_id?: string; rounds?: unknown[] }>;
  errors?: Array<{ region: string; project_id?: string; error: { code: string; exit_code: number } }>;
}

/** The retries sent, as `project task` in order of arrival. */
function retriesSent(requests: Array<{ method: string; path: string }>): string[] {
  return requests
    .filter((r) => r.method === 'PUT' && r.path.endsWith('/retry'))
    .map((r) => {
      const parts = r.path.split('/');
      return `${parts[2]} ${parts[5]}`;
    });
}

describe('task retry --since across regions', () => {
  const sb = useSandbox({ progressMs: 300 });
  const env = (extra: Record<string, string | undefined> = {}) =>
    sb.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS, ...extra });

  it('--dry-run: each main project selects its own failed tasks; nothing is sent', async () => {
    const r = await hss(
      ['task', 'retry', '--since', '12h', '--all-failed', '--region', 'all', '--dry-run', '--json'],
      {
        env: env(),
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; requests: Array<{ method: string; url: string }> };
    expect(doc.ok).toBe(true);
    const urls = doc.requests.map((q) => new URL(q.url).pathname.split('/'));
    const projects = new Set(urls.map((parts) => parts[2]));
    expect([...projects].sort()).toEqual([SANDBOX_PROJECT_ID, EAST, SOUTHEAST].sort());
    expect(urls.map((parts) => parts[5])).toContain('east-0002');
    expect(urls.map((parts) => parts[5])).toContain('apse-0001');
    // Running and clean tasks are passed over, per project, and said so.
    expect(r.stderr).toMatch(
      /^cn-east-3: \d+ tasks since 12h: 2 with failed clusters, 1 still running, 1 clean$/m,
    );
    expect(retriesSent(sb.sandbox.requests)).toEqual([]);
  });

  it("text: each project's lines under a line naming the project", async () => {
    const r = await hss(
      ['task', 'retry', '--since', '12h', '--all-failed', '--region', 'cn-east-3,ap-southeast-1'],
      {
        env: env(),
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const east = lines.indexOf(`cn-east-3 (project ${EAST})`);
    const southeast = lines.indexOf(`ap-southeast-1 (project ${SOUTHEAST})`);
    expect(east).toBeGreaterThanOrEqual(0);
    expect(southeast).toBeGreaterThan(east);
    const eastLines = lines.slice(east + 1, southeast);
    expect(eastLines.some((l) => /^✔ east-0002: retry accepted/.test(l))).toBe(true);
    expect(eastLines.every((l) => !l.includes('apse-'))).toBe(true);
    expect(lines.slice(southeast + 1).some((l) => /^✔ apse-0001: retry accepted/.test(l))).toBe(true);
  });

  it('--wait --rounds 2: results carry region and project; the JUnit report names region/task', async () => {
    const dir = tempDir();
    const junit = path.join(dir, 'scans.xml');
    const run = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--all-failed',
        '--region',
        'cn-east-3,ap-southeast-1',
        '--wait',
        '--rounds',
        '2',
        ...FAST,
        '--junit',
        junit,
        '--json',
      ],
      { env: env() },
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as RetryDoc;
    expect(doc.ok).toBe(true);
    const where = new Map(doc.results.map((t) => [t.task_id, `${t.region} ${t.project_id}`]));
    expect(where.get('east-0002')).toBe(`cn-east-3 ${EAST}`);
    expect(where.get('apse-0001')).toBe(`ap-southeast-1 ${SOUTHEAST}`);
    expect([...where.keys()].every((id) => !id.startsWith('task-'))).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testsuite' }).parse(
      readFileSync(junit, 'utf8'),
    );
    const suites = (xml.testsuites.testsuite as Array<Record<string, string>>).map((s) => s['@_name']);
    expect(suites).toContain('cn-east-3/east-0002');
    expect(suites).toContain('ap-southeast-1/apse-0001');
  });

  it("clusters still failing: each hint names the task's region and project, and works as written", async () => {
    const DEV = idOf('cn-north-4_dev');
    const run = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--all-failed',
        '--region',
        'cn-north-4',
        '--all-projects',
        '--wait',
        ...FAST,
        '--json',
      ],
      { env: env() },
    );
    expect(run.exitCode, run.stderr).toBe(7);
    const doc = JSON.parse(run.stdout) as {
      results: Array<{ task_id: string; ok: boolean; error?: { hint?: string } }>;
    };
    const hintOf = (id: string) => doc.results.find((t) => t.task_id === id)?.error?.hint;
    expect(hintOf('dev-0001')).toBe(
      `see why with \`hss task show dev-0001 --failed --region cn-north-4 --project-id ${DEV}\`; ` +
        `retry them with \`hss task retry dev-0001 --all-failed --region cn-north-4 --project-id ${DEV}\``,
    );
    expect(hintOf('task-0005')).toContain(
      `\`hss task show task-0005 --failed --region cn-north-4 --project-id ${SANDBOX_PROJECT_ID}\``,
    );
    // Several tasks still failing: the closing line says how to see each, in its own project.
    const text = await hss(
      [
        'task',
        'retry',
        '--since',
        '12h',
        '--all-failed',
        '--region',
        'cn-north-4',
        '--all-projects',
        '--wait',
        ...FAST,
      ],
      { env: env() },
    );
    expect(text.exitCode, text.stderr).toBe(7);
    expect(text.stderr).toMatch(
      /\nhint: see each with `hss task show TASK_ID --failed --region REGION --project-id PROJECT_ID`, the project named above the task's lines\n$/,
    );
    // The sub-project's hint, run as written, shows the cluster that failed.
    const command = /`hss (task show [^`]*)`/.exec(hintOf('dev-0001') ?? '')?.[1]?.split(' ') ?? [];
    const shown = await hss(command, { env: env() });
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^\s*idc-dev-01\s.*failed/m);
  });
});

describe('task retry --since across regions, one region failing', () => {
  const faulty = useSandbox({ progressMs: 300, faults: ['503x99@list@cn-east-3'] });

  it('the others are retried, errors[] names the region, the exit code is the highest', async () => {
    const env = faulty.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS });
    const r = await hss(
      ['task', 'retry', '--since', '12h', '--all-failed', '--region', 'all', '--max-attempts', '1', '--json'],
      { env },
    );
    expect(r.exitCode, r.stderr).toBe(6);
    const doc = JSON.parse(r.stdout) as RetryDoc;
    expect(doc.ok).toBe(false);
    expect(doc.errors).toEqual([
      {
        region: 'cn-east-3',
        project_id: EAST,
        error: expect.objectContaining({ code: 'UNAVAILABLE', exit_code: 6, http_status: 503 }),
      },
    ]);
    const sent = retriesSent(faulty.sandbox.requests);
    expect(sent).toContain(`${SOUTHEAST} apse-0001`);
    expect(sent).toContain(`${SANDBOX_PROJECT_ID} task-0001`);
    expect(sent.some((s) => s.startsWith(EAST))).toBe(false);
    expect(doc.results.find((t) => t.task_id === 'apse-0001')).toMatchObject({
      ok: true,
      region: 'ap-southeast-1',
      project_id: SOUTHEAST,
    });
  });
});

describe('task retry across regions: what is refused before anything is sent', () => {
  const sb = useSandbox();

  it('task IDs with several regions: exit 2, naming the setting', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--region', 'all'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: region "all" \(from command-line flag\) names several regions: only `hss task list`, `hss task stats`, `hss task retry --since` and `hss auth status` read several projects/,
    );
    expect(sb.sandbox.requests).toEqual([]);
  });

  it('a plain token with several regions: exit 3 with a hint, nothing sent', async () => {
    const r = await hss(['task', 'retry', '--since', '12h', '--all-failed', '--region', 'all'], {
      env: sb.env({ HSS_TOKEN: SANDBOX_TOKEN, HSS_PROJECT_ID: undefined }),
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('a token serves one project');
    expect(sb.sandbox.requests).toEqual([]);
  });
});

describe('task stats across regions', () => {
  const sb = useSandbox();
  const env = () => sb.env({ HSS_TOKEN: undefined, HSS_PROJECT_ID: undefined, ...KEYS });

  it("each project's figures from its own ShowTaskStatistics, and their sum", async () => {
    const r = await hss(['task', 'stats', '--region', 'all', '--json'], { env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      ok: boolean;
      total_num: number;
      running_num: number;
      last_task_start_time?: number;
      projects: Array<{
        region: string;
        project_id: string;
        total_num: number;
        running_num: number;
        last_task_start_time?: number;
      }>;
    };
    const asked = sb.sandbox.requests.filter((q) => q.path.includes('/common/task-statistics'));
    expect(asked.map((q) => q.path.split('/')[2]).sort()).toEqual(
      [SANDBOX_PROJECT_ID, EAST, SOUTHEAST].sort(),
    );
    for (const q of asked) expect(q.path).toMatch(/\?task_type=cluster_scan$/);
    expect(doc.ok).toBe(true);
    expect(doc.projects.map((p) => `${p.region} ${p.project_id}`).sort()).toEqual(
      [`cn-north-4 ${SANDBOX_PROJECT_ID}`, `cn-east-3 ${EAST}`, `ap-southeast-1 ${SOUTHEAST}`].sort(),
    );
    // Each project's figures are what that project alone answers.
    for (const p of doc.projects) {
      const one = await hss(['task', 'stats', '--region', p.region, '--project-id', p.project_id, '--json'], {
        env: env(),
      });
      const own = JSON.parse(one.stdout) as { total_num: number; running_num: number };
      expect([p.total_num, p.running_num]).toEqual([own.total_num, own.running_num]);
    }
    expect(doc.total_num).toBe(doc.projects.reduce((n, p) => n + p.total_num, 0));
    expect(doc.running_num).toBe(doc.projects.reduce((n, p) => n + p.running_num, 0));
    expect(doc.total_num).toBeGreaterThan(doc.projects[0]?.total_num ?? 0);
    expect(doc.last_task_start_time).toBe(Math.max(...doc.projects.map((p) => p.last_task_start_time ?? 0)));
  });

  it('a table with a REGION column and a line for all', async () => {
    const r = await hss(['task', 'stats', '--region', 'cn-east-3,ap-southeast-1'], { env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REGION\s+TASKS\s+RUNNING\s+LATEST START$/);
    expect(lines[1]).toMatch(/^cn-east-3\s+\d+\s+\d+\s+\d{4}-\d\d-\d\dT/);
    expect(lines[2]).toMatch(/^ap-southeast-1\s+\d+\s+\d+\s/);
    expect(lines[3]).toMatch(/^all\s+\d+\s+\d+\s/);
  });
});
