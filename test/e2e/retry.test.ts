import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const RETRY_PATH = (task: string) => `/v5/${SANDBOX_PROJECT_ID}/common/tasks/${task}/retry`;
const ALL_FAILED = '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"all_failed_cluster"}}';

function onlyRequest() {
  expect(sb.sandbox.requests).toHaveLength(1);
  return sb.sandbox.requests[0]!;
}

describe('hss task retry on the wire', () => {
  it('--all-failed sends the documented body, path and headers', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], { env: sb.env() });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^✔ task-0001: retry accepted for all failed clusters \(X-Request-Id [0-9a-f]{32}\)\n$/,
    );
    const req = onlyRequest();
    expect(req.method).toBe('PUT');
    expect(req.path).toBe(RETRY_PATH('task-0001'));
    expect(req.body).toBe(ALL_FAILED);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-auth-token']).toBe(SANDBOX_TOKEN);
    expect(req.headers['user-agent']).toMatch(/^hss-cli\/\d+\.\d+\.\d+\S* node\/\d+\.\d+\.\d+ linux$/);
    expect(req.status).toBe(200);
  });

  it('--cluster (repeatable, with and without scan types) sends specific_cluster in the given order', async () => {
    const r = await hss(
      [
        'task',
        'retry',
        'task-0001',
        '--cluster',
        'aws-eks-01:cluster_vul,risk_assessment',
        '--cluster',
        'cce-prod-02',
      ],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().body).toBe(
      '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"specific_cluster","cluster_info_list":[' +
        '{"cluster_id":"aws-eks-01","scan_type_list":["cluster_vul","risk_assessment"]},{"cluster_id":"cce-prod-02"}]}}',
    );
  });

  it('--cluster-file reads specs from a file with comments and blank lines', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'clusters.txt');
    writeFileSync(file, '# failed last night\naws-eks-01:benchmark\n\n  cce-prod-02   # all items\r\n');
    const r = await hss(['task', 'retry', 'task-0001', '--cluster-file', file], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(onlyRequest().body)).toEqual({
      task_type: 'cluster_scan',
      cluster_scan_info: {
        range_type: 'specific_cluster',
        cluster_info_list: [
          { cluster_id: 'aws-eks-01', scan_type_list: ['benchmark'] },
          { cluster_id: 'cce-prod-02' },
        ],
      },
    });
  });

  it('--cluster-file - reads specs from standard input', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--cluster-file', '-'], {
      env: sb.env(),
      input: 'cce-prod-02:cluster_vul\n',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().body).toBe(
      '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"specific_cluster","cluster_info_list":[{"cluster_id":"cce-prod-02","scan_type_list":["cluster_vul"]}]}}',
    );
  });

  it('-e puts enterprise_project_id in the query, encoded', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '-e', 'all_granted_eps'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().path).toBe(`${RETRY_PATH('task-0001')}?enterprise_project_id=all_granted_eps`);
  });

  it('HSS_ENTERPRISE_PROJECT_ID is used when no flag is given', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], {
      env: sb.env({ HSS_ENTERPRISE_PROJECT_ID: '0' }),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().path).toBe(`${RETRY_PATH('task-0001')}?enterprise_project_id=0`);
  });

  it('percent-encodes path segments of odd task IDs', async () => {
    const r = await hss(['task', 'retry', 'a b/c?d#e%f', '--all-failed'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(onlyRequest().path).toBe(RETRY_PATH('a%20b%2Fc%3Fd%23e%25f'));
  });

  it('prints one JSON document with --json', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc).toEqual({
      ok: true,
      results: [
        {
          task_id: 'task-0001',
          ok: true,
          http_status: 200,
          request_id: onlyRequest().requestId,
          body: JSON.parse(ALL_FAILED),
        },
      ],
    });
  });

  it('-q prints nothing on success', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '-q'], { env: sb.env() });
    expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('--dry-run prints the request with the token masked and sends nothing', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--cluster', 'c-1:benchmark', '--dry-run', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests).toHaveLength(0);
    expect(r.stdout).not.toContain(SANDBOX_TOKEN);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      dry_run: true,
      requests: [
        {
          method: 'PUT',
          url: `${sb.url}${RETRY_PATH('task-0001')}`,
          headers: {
            'User-Agent': expect.stringMatching(/^hss-cli\//),
            'Content-Type': 'application/json',
            'X-Auth-Token': '***',
          },
          body: {
            task_type: 'cluster_scan',
            cluster_scan_info: {
              range_type: 'specific_cluster',
              cluster_info_list: [{ cluster_id: 'c-1', scan_type_list: ['benchmark'] }],
            },
          },
        },
      ],
    });
  });

  it('several task IDs: one result each in input order, exit code the highest', async () => {
    const r = await hss(['task', 'retry', 'task-0001', 'task-0002', 'task-0005', '--all-failed', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.results.map((x: { task_id: string; ok: boolean }) => [x.task_id, x.ok])).toEqual([
      ['task-0001', true],
      ['task-0002', false],
      ['task-0005', true],
    ]);
    expect(doc.results[1].error).toMatchObject({ code: 'API', exit_code: 5, http_status: 400 });
    expect(sb.sandbox.requests.map((q) => q.path).sort()).toEqual(
      [RETRY_PATH('task-0001'), RETRY_PATH('task-0002'), RETRY_PATH('task-0005')].sort(),
    );
  });

  it('"-" reads task IDs from stdin: comments and blanks skipped, duplicates once', async () => {
    const r = await hss(['task', 'retry', '-', '--all-failed'], {
      env: sb.env(),
      input: '# tonight\ntask-0001\n\ntask-0005  # second\ntask-0001\n',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      expect.stringMatching(/^✔ task-0001: retry accepted/),
      expect.stringMatching(/^✔ task-0005: retry accepted/),
      'all 2 tasks accepted',
      '',
    ]);
    expect(sb.sandbox.requests).toHaveLength(2);
  });

  it('"-" splits on any white space: `echo $ids` gives several IDs on one line', async () => {
    const r = await hss(['task', 'retry', '-', '--all-failed', '--json'], {
      env: sb.env(),
      input: 'task-0001 task-0005\ttask-0006\r\n  task-0001   # again\n',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { task_id: string }) => x.task_id)).toEqual([
      'task-0001',
      'task-0005',
      'task-0006',
    ]);
    expect(sb.sandbox.requests.map((q) => q.path).sort()).toEqual(
      [RETRY_PATH('task-0001'), RETRY_PATH('task-0005'), RETRY_PATH('task-0006')].sort(),
    );
  });
});

describe('credentials', () => {
  it('--token-stdin sends the token read from standard input', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--token-stdin'], {
      env: sb.env({ HSS_TOKEN: undefined }),
      input: `${SANDBOX_TOKEN}\n`,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().headers['x-auth-token']).toBe(SANDBOX_TOKEN);
  });

  it('--token-stdin wins over HSS_TOKEN', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--token-stdin'], {
      env: sb.env({ HSS_TOKEN: 'env-token-that-is-wrong' }),
      input: SANDBOX_TOKEN,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().headers['x-auth-token']).toBe(SANDBOX_TOKEN);
  });

  it('a token saved in a profile with --token-stdin is used, and never shown', async () => {
    const configDir = tempDir();
    const set = await hss(
      [
        'profile',
        'set',
        'lab',
        '--endpoint',
        sb.url,
        '--project-id',
        SANDBOX_PROJECT_ID,
        '--token-stdin',
        '--use',
      ],
      { configDir, input: SANDBOX_TOKEN },
    );
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toBe(
      '✔ profile lab created (project_id, endpoint, token, auth); it is the current profile\n',
    );
    const show = await hss(['profile', 'show', 'lab', '--json'], { configDir });
    expect(show.stdout).not.toContain(SANDBOX_TOKEN);
    expect(JSON.parse(show.stdout).profile.token).toBe('*** (17 chars)');
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(onlyRequest().headers['x-auth-token']).toBe(SANDBOX_TOKEN);
  });

  it('a refused token is exit 4 with the API error, request ID and a hint; the token is never printed', async () => {
    const wrong = 'wrong-token-0123456789';
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '--debug'], {
      env: sb.env({ HSS_TOKEN: wrong }),
    });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: RetryTask task-0001 was refused: authentication failed');
    expect(r.stderr).toMatch(/error_code APIGW\.0301 · HTTP 401 · X-Request-Id [0-9a-f]{32}/);
    expect(r.stderr).toContain('hint: HSS_TOKEN was refused');
    expect(r.stdout + r.stderr).not.toContain(wrong);
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('no credentials at all is exit 3 and nothing is sent', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], {
      env: sb.env({ HSS_TOKEN: undefined }),
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: no credentials found\nhint: /);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('API refusals', () => {
  it('a running task is exit 5 with error_code, error_msg and X-Request-Id', async () => {
    const r = await hss(['task', 'retry', 'task-0002', '--all-failed'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    const req = onlyRequest();
    // The task's result line on stdout, as for several tasks; the closing error on stderr.
    expect(r.stdout).toMatch(
      new RegExp(
        `^✖ task-0002: RetryTask task-0002 was refused by the API: .*running.* \\(error_code HSS\\.1301 · HTTP 400 · X-Request-Id ${req.requestId}\\)\n$`,
      ),
    );
    expect(r.stderr).toContain('error: RetryTask task-0002 was refused by the API: ');
    expect(r.stderr).toContain('running');
    expect(r.stderr).toContain(`X-Request-Id ${req.requestId}`);
    expect(r.stderr).toMatch(/error_code HSS\.\d{4} · HTTP 400/);
  });

  it('JSON for a single failed task has the results shape and the error', async () => {
    const r = await hss(['task', 'retry', 'no-such-task', '--all-failed', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error).toMatchObject({
      code: 'API',
      exit_code: 5,
      http_status: 400,
      request_id: onlyRequest().requestId,
    });
    expect(doc.error.api_error_code).toMatch(/^HSS\./);
    expect(doc.results[0]).toMatchObject({ task_id: 'no-such-task', ok: false, error: doc.error });
  });
});
