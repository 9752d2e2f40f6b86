import { describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY } from '../../src/sandbox/constants.js';
import { hss } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const LIST_PATH = `/v5/${SANDBOX_PROJECT_ID}/common/tasks/batch-query`;
const RESOURCES_PATH = (task: string) =>
  `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/resources/batch-query`;
const RETRY_PATH = (task: string) => `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/retry`;

describe('IaC scan tasks', () => {
  const sb = useSandbox();
  const sent = () => sb.sandbox.requests.map((q) => [q.method, q.path.split('?')[0], q.body]);

  it('task list --type iac_scan asks ListTasks for task_type iac_scan and shows files', async () => {
    const r = await hss(['task', 'list', '--type', 'iac_scan'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TASK ID +NAME +STATUS +TRIGGER +STARTED +FILE TYPE +FILES +OK +FAILED$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/))).toEqual([
      [
        'task-0903',
        'dockerfile-scan-ci',
        'running',
        'manual',
        expect.any(String),
        'dockerfile',
        '2',
        '1',
        '0',
      ],
      [
        'task-0901',
        'dockerfile-scan-web',
        'finished',
        'manual',
        expect.any(String),
        'dockerfile',
        '3',
        '2',
        '1',
      ],
      [
        'task-0902',
        'k8s-yaml-scan-charts',
        'finished',
        'schedule',
        expect.any(String),
        'k8s_yaml',
        '4',
        '3',
        '1',
      ],
    ]);
    expect(sent()).toEqual([
      ['POST', LIST_PATH, '{"task_type":"iac_scan","sort_key":"start_time","sort_dir":"desc"}'],
    ]);
  });

  it('task list --type iac_scan --json keeps iac_scan_info as the API gives it', async () => {
    const r = await hss(['task', 'list', '--type', 'iac_scan', '--status', 'finished', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.total_num).toBe(2);
    expect(doc.tasks[0]).toMatchObject({
      task_id: 'task-0901',
      task_type: 'iac_scan',
      iac_scan_info: { file_type: 'dockerfile', scan_file_num: 3, success_file_num: 2, failed_file_num: 1 },
    });
    expect(doc.tasks[0]).not.toHaveProperty('cluster_scan_info');
  });

  it('task list without --type still lists cluster scans only', async () => {
    const r = await hss(['task', 'list', '--all', '--json'], { env: sb.env() });
    const ids: string[] = JSON.parse(r.stdout).tasks.map((t: { task_id: string }) => t.task_id);
    expect(ids).toHaveLength(246);
    expect(ids).not.toContain('task-0901');
    expect(sb.sandbox.requests[0]?.body).toContain('"task_type":"cluster_scan"');
  });

  it('task show of an IaC task: looked up as iac_scan, its files instead of clusters', async () => {
    const r = await hss(['task', 'show', 'task-0902', '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['ok', 'task', 'files']);
    expect(doc.task).toMatchObject({ task_id: 'task-0902', task_type: 'iac_scan' });
    expect(doc.files).toHaveLength(4);
    expect(doc.files[2]).toEqual({
      file_name: 'templates/ingress.yaml',
      file_type: 'k8s_yaml',
      chart_name: 'storefront',
      file_id: 'ky-shop-0003',
      file_size: 1204,
      scan_status: 'failed',
      failed_reason: 'YAML syntax error at line 14: mapping values are not allowed in this context',
      start_time: expect.any(Number),
      end_time: expect.any(Number),
    });
    expect(sent()).toEqual([
      [
        'POST',
        LIST_PATH,
        '{"task_type":"cluster_scan","task_id":"task-0902","sort_key":"start_time","sort_dir":"desc"}',
      ],
      [
        'POST',
        LIST_PATH,
        '{"task_type":"iac_scan","task_id":"task-0902","sort_key":"start_time","sort_dir":"desc"}',
      ],
      ['POST', RESOURCES_PATH('task-0902'), '{"task_type":"iac_scan"}'],
    ]);
  });

  it('task show --failed of an IaC task: the failed files, failed reason in the text', async () => {
    const r = await hss(['task', 'show', 'task-0901', '--failed'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('  type        IaC scan (iac_scan)\n');
    expect(r.stdout).toContain('  files       3: 2 succeeded, 1 failed, 0 scanning\n');
    expect(r.stdout).toContain('1 failed file:\n');
    expect(r.stdout).toMatch(
      /\ndf-api-0002 +api\/Dockerfile +- +2411 +failed +failed to parse Dockerfile: unknown instruction: RUNN \(line 12\)\n$/,
    );
    expect(sb.sandbox.requests.at(-1)?.body).toBe(
      '{"task_type":"iac_scan","iac_scan_info":{"scan_status":"failed"}}',
    );
  });

  it('task show of a task of neither type: exit 5, not found', async () => {
    const r = await hss(['task', 'show', 'task-0999'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/^error: task "task-0999" was not found in this project\n/);
  });

  it('task retry of an IaC task: RetryTask refuses it, and the error says why (exit 5)', async () => {
    const r = await hss(['task', 'retry', 'task-0901', '--all-failed', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.error).toMatchObject({
      code: 'API',
      exit_code: 5,
      http_status: 400,
      message: 'task task-0901 is an IaC scan task (iac_scan): RetryTask re-runs cluster scans only',
      hint: 'see its files and why they failed with `hss task show task-0901`',
    });
    // The refusal, then one lookup among the IaC tasks.
    expect(sent().map(([method, path]) => [method, path])).toEqual([
      ['PUT', RETRY_PATH('task-0901')],
      ['POST', LIST_PATH],
    ]);
    expect(sb.sandbox.requests[1]?.body).toContain('"task_type":"iac_scan","task_id":"task-0901"');
  });

  it('a batch with an IaC task: the cluster scan is retried, the IaC task refused with its reason', async () => {
    const r = await hss(['task', 'retry', 'task-0001', 'task-0902', '--all-failed'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^✔ task-0001: retry accepted for all failed clusters/);
    expect(lines[1]).toMatch(
      /^✖ task-0902: task task-0902 is an IaC scan task \(iac_scan\): RetryTask re-runs cluster scans only \(/,
    );
  });

  it('a cluster scan the API refuses is not taken for an IaC task', async () => {
    const r = await hss(['task', 'retry', 'task-0002', '--all-failed'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).not.toContain('IaC');
  });

  it('task wait of an IaC task: exit 5, saying the wait follows cluster scans only', async () => {
    const r = await hss(['task', 'wait', 'task-0903', '--interval', '100ms'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toBe(
      'error: task task-0903 is an IaC scan task (iac_scan): hss task wait follows cluster scans only\n' +
        'hint: see its state and files with `hss task show task-0903`\n',
    );
  });

  it('task retry --all-failed --only of an IaC task: exit 2 before RetryTask, nothing retried', async () => {
    const r = await hss(['task', 'retry', 'task-0901', '--all-failed', '--only', 'benchmark'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: task task-0901 is an IaC scan task \(iac_scan\): RetryTask re-runs cluster scans only; nothing was retried\n/,
    );
    expect(sb.sandbox.requests.some((q) => q.method === 'PUT')).toBe(false);
  });
});

describe('IaC scan tasks across the fleet', () => {
  const sb = useSandbox();

  it('task list --type iac_scan --region all: the file columns after REGION', async () => {
    const env = {
      HSS_ENDPOINT: sb.url,
      HSS_IAM_ENDPOINT: sb.url,
      HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
    };
    const r = await hss(['-r', 'all', 'task', 'list', '--type', 'iac_scan'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^REGION +TASK ID +NAME +STATUS +TRIGGER +STARTED +FILE TYPE +FILES +OK +FAILED$/,
    );
    // Only the main project has IaC scan tasks.
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).slice(0, 2))).toEqual([
      ['cn-north-4', 'task-0903'],
      ['cn-north-4', 'task-0901'],
      ['cn-north-4', 'task-0902'],
    ]);
  });
});
