import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_KEY, SANDBOX_PROJECTS, SANDBOX_SECRET_KEY } from '../../src/sandbox/constants.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';
import { spawnHss, until } from '../helpers/process.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const CREATE_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/task`;
const STATS_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/task-statistics`;
const CN_EAST_3 = SANDBOX_PROJECTS.find((p) => p.name === 'cn-east-3')?.id ?? '';
/** The clusters of the sandbox account (CreateTask's all_cluster). */
const ACCOUNT_CLUSTERS = 17;

describe('task create', () => {
  const sb = useSandbox({ progressMs: 800 });

  it('--all-clusters sends range_type all_cluster and prints the new task', async () => {
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'cluster_vul, benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^✔ task-1001: created, a scan of all clusters \(cluster_vul, benchmark\) \(X-Request-Id [0-9a-f]{32}\)\n$/,
    );
    expect(sb.sandbox.requests).toHaveLength(1);
    const [req] = sb.sandbox.requests;
    expect([req?.method, req?.path, req?.headers['content-type'], req?.headers['x-auth-token']]).toEqual([
      'POST',
      CREATE_PATH,
      'application/json',
      SANDBOX_TOKEN,
    ]);
    expect(req?.body).toBe(
      '{"task_type":"cluster_scan","cluster_scan_info":{"scan_type_list":["cluster_vul","benchmark"],"range_type":"all_cluster"}}',
    );
  });

  it('--cluster (repeatable) sends specific_cluster with cluster_id_list; JSON has the task and the body', async () => {
    const r = await hss(
      [
        'task',
        'create',
        '--cluster',
        'cce-prod-01',
        '--cluster',
        'aws-eks-01',
        '--scan-types',
        'risk_assessment',
        '-e',
        'all_granted_eps',
        '--json',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const body = {
      task_type: 'cluster_scan',
      cluster_scan_info: {
        scan_type_list: ['risk_assessment'],
        range_type: 'specific_cluster',
        cluster_id_list: ['cce-prod-01', 'aws-eks-01'],
      },
    };
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      task_id: 'task-1001',
      http_status: 200,
      request_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      body,
    });
    const [req] = sb.sandbox.requests;
    expect(req?.path).toBe(`${CREATE_PATH}?enterprise_project_id=all_granted_eps`);
    expect(req?.body).toBe(JSON.stringify(body));
  });

  it('--wait follows the new task: exit 7 with the cluster that failed', async () => {
    const r = await hss(
      [
        'task',
        'create',
        '--all-clusters',
        '--scan-types',
        'benchmark',
        '--wait',
        '--interval',
        '150ms',
        '--json',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(7);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      ok: false,
      task_id: 'task-1001',
      task: {
        task_id: 'task-1001',
        task_status: 'finished',
        cluster_scan_info: { success_cluster_num: ACCOUNT_CLUSTERS - 1, failed_cluster_num: 1 },
      },
      failed_clusters: [{ cluster_id: 'idc-edge-01', scan_status: 'failed' }],
      error: { code: 'WAIT_FAILED', exit_code: 7 },
    });
    // One CreateTask, then polls of ListTasks by the new ID.
    expect(sb.sandbox.requests.filter((q) => q.path === CREATE_PATH)).toHaveLength(1);
    expect(sb.sandbox.requests[1]?.body).toContain('"task_id":"task-1001"');
  });

  it('--wait: exit 0 and both lines when every cluster succeeds', async () => {
    const r = await hss(
      [
        'task',
        'create',
        '--cluster',
        'cce-prod-01',
        '--scan-types',
        'benchmark',
        '--wait',
        '--interval',
        '150ms',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^✔ task-1001: created, a scan of 1 cluster \(benchmark\).*\n✔ task-1001 finished: 1 cluster, none failed \(waited [\d.]+m?s\)\n$/,
    );
  });

  it('-q prints only the new task ID, for scripts', async () => {
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark', '-q'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('task-1001\n');
  });

  it('--dry-run prints the request, token masked, and sends nothing', async () => {
    const r = await hss(
      ['task', 'create', '--all-clusters', '--scan-types', 'benchmark', '--dry-run', '--json'],
      {
        env: sb.env(),
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      dry_run: true,
      requests: [
        {
          method: 'POST',
          url: `${sb.url}${CREATE_PATH}`,
          headers: expect.objectContaining({ 'X-Auth-Token': '***' }),
          body: {
            task_type: 'cluster_scan',
            cluster_scan_info: { scan_type_list: ['benchmark'], range_type: 'all_cluster' },
          },
        },
      ],
    });
    expect(r.stdout).not.toContain(SANDBOX_TOKEN);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it.each([
    [['--all-clusters'], /--scan-types is required/],
    [['--scan-types', 'benchmark'], /say which clusters to scan: --all-clusters, or --cluster <id>/],
    [
      ['--all-clusters', '--cluster', 'c1', '--scan-types', 'benchmark'],
      /--all-clusters and --cluster exclude/,
    ],
    [['--all-clusters', '--scan-types', 'vul'], /--scan-types "vul": scan type "vul" is not one of/],
    [['--all-clusters', '--scan-types', 'benchmark,benchmark'], /names a scan type twice/],
    [['--all-clusters', '--scan-types', ''], /--scan-types "": scan type "" is not one of/],
    [
      ['--cluster', 'c1', '--cluster', 'c1', '--scan-types', 'benchmark'],
      /--cluster: cluster "c1" is given twice/,
    ],
    [
      ['--cluster', 'x'.repeat(65), '--scan-types', 'benchmark'],
      /--cluster: cluster ID "x+…?": cluster ID is 65 characters; the limit is 1–64/,
    ],
    [
      ['--all-clusters', '--scan-types', 'benchmark', '--interval', '1s'],
      /--interval only apply with --wait/,
    ],
    [['--all-clusters', '--scan-types', 'benchmark', '--wait', '--wait-timeout', 'soon'], /--wait-timeout/],
    [
      ['--all-clusters', '--scan-types', 'benchmark', '--wait', '--dry-run'],
      /--wait and --dry-run cannot be combined/,
    ],
  ])('%j: exit 2, nothing sent', async (args, message) => {
    const r = await hss(['task', 'create', ...args], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(message);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('201 clusters: exit 2 naming the limit, nothing sent', async () => {
    const clusters = Array.from({ length: 201 }, (_, i) => ['--cluster', `c-${i}`]).flat();
    const r = await hss(['task', 'create', ...clusters, '--scan-types', 'benchmark'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --cluster: 201 clusters given; the limit is 1–200');
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('in another project of the fleet (AK/SK, --region cn-east-3): that project gets the task', async () => {
    const env = {
      HSS_ENDPOINT: sb.url,
      HSS_IAM_ENDPOINT: sb.url,
      HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
    };
    const r = await hss(
      ['-r', 'cn-east-3', 'task', 'create', '--all-clusters', '--scan-types', 'benchmark', '--json'],
      {
        env,
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).task_id).toBe('task-1001');
    const create = sb.sandbox.requests.find((q) => q.method === 'POST' && q.path.endsWith('/common/task'));
    expect(create?.path).toBe(`/v5/${CN_EAST_3}/common/task`);
    expect(create?.headers['x-project-id']).toBe(CN_EAST_3);
    // The main project's statistics do not count it.
    const stats = await hss(['task', 'stats', '--json'], { env: sb.env() });
    expect(JSON.parse(stats.stdout).total_num).toBe(246);
  });

  it('an unknown cluster: the API refuses, exit 5', async () => {
    const r = await hss(['task', 'create', '--cluster', 'nope', '--scan-types', 'benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/^error: CreateTask was refused by the API: .*cluster nope does not exist/);
  });
});

describe('task create --wait interrupted', () => {
  const sb = useSandbox({ progressMs: 60_000 });

  it('SIGINT while following the new task: exit 130, and the JSON still names the task created', async () => {
    const { child } = spawnHss(
      [
        'task',
        'create',
        '--all-clusters',
        '--scan-types',
        'benchmark',
        '--wait',
        '--interval',
        '200ms',
        '--json',
      ],
      { env: sb.env() },
    );
    await until(() => sb.sandbox.requests.length >= 2, 10_000, 'the first poll');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(JSON.parse(String(r.stdout))).toMatchObject({
      ok: false,
      task_id: 'task-1001',
      http_status: 200,
      error: { code: 'INTERRUPTED', exit_code: 130 },
    });
  });
});

describe('task create is not repeated once it may have reached the service', () => {
  const sb = useSandbox({ faults: ['503x1@create'] });

  it('a 503 is exit 6 after one request (RetryTask would be tried again), with a hint to look first', async () => {
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark', '--debug'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(6);
    expect(sb.sandbox.requests).toHaveLength(1);
    expect(r.stderr).toContain('CreateTask is not retried: it may have reached the service');
    expect(r.stderr).toContain(
      'hint: the task may have been created all the same: look for it with `hss task list',
    );
  });
});

describe('task create after a dropped connection', () => {
  const sb = useSandbox({ faults: ['resetx1@create'] });

  it('is not sent again: exit 6 after one request', async () => {
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(6);
    expect(sb.sandbox.requests).toHaveLength(1);
    expect(JSON.parse(r.stdout).error.hint).toContain('may have been created');
  });
});

describe('task create throttled (429): the gateway did not pass it on', () => {
  const sb = useSandbox({ faults: ['429x1@create'] });

  it('is tried again and succeeds', async () => {
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.status)).toEqual([429, 200]);
  });
});

describe('task create with nothing listening', () => {
  it('a refused connection never reached the service: tried 3 times, exit 6', async () => {
    const sandbox = await startSandbox();
    const url = sandbox.url;
    await sandbox.close();
    const r = await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark', '--debug'], {
      env: { HSS_ENDPOINT: url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN },
    });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+ after 3 attempts: ECONNREFUSED/);
    expect(r.stderr).not.toContain('is not retried');
  });
});

describe('task stats', () => {
  const sb = useSandbox({ progressMs: 60_000 });

  it('prints total, running and the latest start; GET task-statistics?task_type=cluster_scan', async () => {
    const r = await hss(['task', 'stats'], { env: { ...sb.env(), TZ: 'UTC' } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^tasks {10}246 \(cluster_scan\)\nrunning {8}4\nlatest start {3}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+m( \d+s)? ago\)\n$/,
    );
    expect(sb.sandbox.requests.map((q) => [q.method, q.path, q.body])).toEqual([
      ['GET', `${STATS_PATH}?task_type=cluster_scan`, ''],
    ]);
  });

  it('--json, --type iac_scan and -e: the document, the query', async () => {
    const r = await hss(['task', 'stats', '--type', 'iac_scan', '-e', '0', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      task_type: 'iac_scan',
      total_num: 3,
      running_num: 1,
      last_task_start_time: expect.any(Number),
    });
    expect(sb.sandbox.requests[0]?.path).toBe(`${STATS_PATH}?task_type=iac_scan&enterprise_project_id=0`);
  });

  it('--query selects from the document', async () => {
    const r = await hss(['task', 'stats', '--query', 'running_num'], { env: sb.env() });
    expect([r.exitCode, r.stdout]).toEqual([0, '4\n']);
  });

  it('counts a created task at once', async () => {
    await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark'], { env: sb.env() });
    const r = await hss(['task', 'stats', '--json'], { env: sb.env() });
    expect(JSON.parse(r.stdout)).toMatchObject({ total_num: 247, running_num: 5 });
  });

  it('an unknown --type is exit 2', async () => {
    const r = await hss(['task', 'stats', '--type', 'host_scan'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss sandbox: reset without a restart', () => {
  it('the banner names POST /__sandbox/reset, which forgets created tasks and keeps serving', async () => {
    const configDir = tempDir();
    const child = execa(process.execPath, [BIN, 'sandbox', '--port', '0'], {
      env: baseEnv(configDir),
      extendEnv: false,
      reject: false,
    });
    try {
      const banner: string[] = [];
      for await (const line of createInterface({ input: child.stdout! })) {
        banner.push(line);
        if (line.includes('Ctrl-C stops it')) break;
      }
      const reset = banner.find((l) => l.trimStart().startsWith('reset: '));
      const match =
        /^ {2}reset: curl -X POST (http:\/\/127\.0\.0\.1:\d+)\/__sandbox\/reset {3}\(the seed data back, without a restart\)$/.exec(
          reset ?? '',
        );
      expect(match, banner.join('\n')).not.toBeNull();
      const url = match![1]!;
      const env = { HSS_ENDPOINT: url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN };
      const total = async () =>
        JSON.parse((await hss(['task', 'stats', '--json'], { env, configDir })).stdout).total_num;
      await hss(['task', 'create', '--all-clusters', '--scan-types', 'benchmark'], { env, configDir });
      expect(await total()).toBe(247);
      const answer = await fetch(`${url}/__sandbox/reset`, { method: 'POST' });
      expect([answer.status, await answer.json()]).toEqual([200, { ok: true }]);
      expect(await total()).toBe(246);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });
});
