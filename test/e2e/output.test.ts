/**
 * What scripts and people shape the output with: --query (JMESPath), -o yaml, -q for the IDs of a
 * list, and times people can read in text. The built CLI against the sandbox.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hss, tempDir } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();

async function json(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const r = await hss([...args, '--json'], { env: { ...sb.env(), ...env } });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('--query', () => {
  it('prints what the expression selects as JSON, as aws --query does', async () => {
    const r = await hss(['task', 'list', '--limit', '3', '--query', 'tasks[].task_id'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['task-0002', 'task-0001', 'task-0006']);
    expect(r.stdout).toBe('[\n  "task-0002",\n  "task-0001",\n  "task-0006"\n]\n');
  });

  it('with -o text: a scalar raw, a list one a line, rows of scalars tab-separated', async () => {
    const env = sb.env();
    const one = await hss(['task', 'show', 'task-0001', '--query', 'task.task_name', '-o', 'text'], { env });
    expect(one.stdout).toBe('nightly-cluster-scan\n');
    const list = await hss(['task', 'list', '--limit', '3', '--query', 'tasks[].task_id', '-o', 'text'], {
      env,
    });
    expect(list.stdout).toBe('task-0002\ntask-0001\ntask-0006\n');
    const rows = await hss(
      [
        'task',
        'list',
        '--limit',
        '3',
        '--query',
        'tasks[].[task_id, task_status, cluster_scan_info.failed_cluster_num]',
        '-o',
        'text',
      ],
      { env },
    );
    expect(rows.stdout).toBe('task-0002\trunning\t1\ntask-0001\tfinished\t2\ntask-0006\tfinished\t2\n');
    // HSS_OUTPUT=text asks for the same as -o text.
    const fromEnv = await hss(['task', 'show', 'task-0001', '--query', 'task.task_status'], {
      env: { ...env, HSS_OUTPUT: 'text' },
    });
    expect(fromEnv.stdout).toBe('finished\n');
  });

  it('filters with the aws syntax, legacy literals included, and prints YAML with -o yaml', async () => {
    const r = await hss(
      ['task', 'list', '--status', 'finished', '--query', 'tasks[?trigger_type==`schedule`].task_id | [:2]'],
      { env: sb.env() },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['task-0001', 'task-0004']);
    const yaml = await hss(
      ['task', 'show', 'task-0001', '--query', '{id: task.task_id, count: length(clusters)}', '-o', 'yaml'],
      {
        env: sb.env(),
      },
    );
    expect(yaml.stdout).toBe('id: task-0001\ncount: 5\n');
  });

  it.each([
    ['tasks[', 'Syntax error'],
    ['tasks[].no_such_function(@)', 'unknown function no_such_function()'],
    ['nope(tasks)', 'unknown function nope()'],
  ])('%s: exit 2 with a one-line error naming it, nothing sent', async (expression, reason) => {
    const r = await hss(['task', 'list', '--query', expression], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toContain(`error: --query "${expression}": `);
    expect(first).toContain(reason);
    expect(rest.every((line) => line.startsWith('hint: '))).toBe(true);
    expect(sb.sandbox.requests).toEqual([]);
  });

  it('an invalid expression with --json: the error document, exit 2', async () => {
    const r = await hss(['task', 'list', '--query', 'tasks[', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', exit_code: 2 } });
    expect(sb.sandbox.requests).toEqual([]);
  });

  it('is not applied to an error document', async () => {
    const r = await hss(['task', 'show', 'task-9999', '--query', 'task.task_id', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(5);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'API', exit_code: 5 } });
  });

  it('a function given the wrong type fails after the run, exit 2, saying the command ran', async () => {
    const r = await hss(['task', 'list', '--limit', '1', '--query', 'abs(tasks)', '-o', 'text'], {
      env: sb.env(),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --query "abs\(tasks\)": .+\nhint: the command itself ran/);
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('-o yaml', () => {
  it('prints the document JSON would print, as YAML; HSS_OUTPUT=yaml too', async () => {
    const expected = await json(['task', 'show', 'task-0001']);
    const r = await hss(['task', 'show', 'task-0001', '-o', 'yaml'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok: true\ntask:\n {2}task_id: task-0001\n/);
    expect(parseYaml(r.stdout)).toEqual(expected);
    const fromEnv = await hss(['task', 'show', 'task-0001'], { env: { ...sb.env(), HSS_OUTPUT: 'yaml' } });
    expect(fromEnv.stdout).toBe(r.stdout);
  });

  it('an error is a YAML document too, and still said on stderr', async () => {
    const r = await hss(['task', 'show', 'task-9999', '-o', 'yaml'], { env: sb.env() });
    expect(r.exitCode).toBe(5);
    expect(parseYaml(r.stdout)).toMatchObject({ ok: false, error: { code: 'API', exit_code: 5 } });
    expect(r.stderr).toMatch(/^error: /);
  });

  it('a usage error before any command ran: YAML as asked', async () => {
    const r = await hss(['task', 'list', '--limit', 'many', '-oyaml'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(parseYaml(r.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('-o xml is refused (exit 2) naming the formats', async () => {
    const r = await hss(['task', 'list', '-o', 'xml'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('text, json, yaml');
    expect(sb.sandbox.requests).toEqual([]);
  });
});

describe('-q: the IDs of a list, one a line; nothing else but errors', () => {
  it('task list -q: task IDs', async () => {
    const r = await hss(['task', 'list', '--limit', '3', '-q'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('task-0002\ntask-0001\ntask-0006\n');
    expect(r.stderr).toBe('');
  });

  it('task show --failed -q: the failed clusters, ready for --cluster', async () => {
    const doc = await json(['task', 'show', 'task-0001', '--failed']);
    const ids = (doc['clusters'] as Array<{ cluster_id: string }>).map((c) => c.cluster_id);
    expect(ids.length).toBe(2);
    const r = await hss(['task', 'show', 'task-0001', '--failed', '-q'], { env: sb.env() });
    expect(r.stdout).toBe(`${ids.join('\n')}\n`);
  });

  it('profile list -q: profile names', async () => {
    const configDir = tempDir();
    for (const name of ['lab', 'prod']) {
      const set = await hss(['profile', 'set', name, '--region', 'cn-north-4'], { configDir });
      expect(set.exitCode, set.stderr).toBe(0);
    }
    const r = await hss(['profile', 'list', '-q'], { configDir });
    expect(r.stdout).toBe('lab\nprod\n');
  });

  it('a result that is not a list prints nothing; -q with --json still prints the document', async () => {
    const show = await hss(['config', 'show', '-q'], { env: sb.env() });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout).toBe('');
    const doc = await hss(['task', 'list', '--limit', '1', '-q', '--json'], { env: sb.env() });
    expect(JSON.parse(doc.stdout)).toMatchObject({ ok: true });
  });
});

describe('times in text', () => {
  it('task list: STARTED relative to now; JSON keeps the API epoch milliseconds', async () => {
    const r = await hss(['task', 'list', '--limit', '2'], { env: sb.env() });
    const [, first, second] = r.stdout.split('\n');
    expect(first).toMatch(/^task-0002 .* 1[01]m ago /);
    expect(second).toMatch(/^task-0001 .* 2h 0m ago /);
    const doc = await json(['task', 'list', '--limit', '1']);
    expect((doc['tasks'] as Array<{ start_time: unknown }>)[0]?.start_time).toEqual(expect.any(Number));
  });

  it('task show: started and ended in UTC with the zone, and how long ago', async () => {
    const doc = await json(['task', 'show', 'task-0001']);
    const task = doc['task'] as { start_time: number; end_time: number };
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = await hss(['task', 'show', 'task-0001'], { env: { ...sb.env(), TZ: 'Asia/Shanghai' } });
    expect(r.stdout).toContain(`  started     ${iso(task.start_time)} (2h 0m ago)\n`);
    expect(r.stdout).toMatch(new RegExp(`\\n {2}ended {7}${iso(task.end_time)} \\(1h \\d+m ago\\)\\n`));
  });
});

describe('config show', () => {
  it('reports the pager and where it came from, and the format --query implies', async () => {
    const settings = async (args: string[], env: Record<string, string> = {}) =>
      (await json(['config', 'show', ...args], env))['settings'] as Record<string, unknown>;
    expect((await settings([]))['pager']).toEqual({ value: 'less -FRX', source: 'default' });
    expect((await settings([], { PAGER: 'more' }))['pager']).toEqual({ value: 'more', source: 'env:PAGER' });
    expect((await settings([], { HSS_PAGER: 'cat', PAGER: 'more' }))['pager']).toEqual({
      value: null,
      source: 'env:HSS_PAGER',
    });
    expect((await settings(['--no-pager']))['pager']).toEqual({ value: null, source: 'flag' });
    const r = await hss(['config', 'show', '--query', 'settings.output'], { env: sb.env() });
    expect(JSON.parse(r.stdout)).toEqual({ value: 'json', source: 'derived:--query' });
  });
});
