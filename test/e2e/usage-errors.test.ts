import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const id65 = 't'.repeat(65);
const c65 = 'c'.repeat(65);
const clusters = (n: number) => Array.from({ length: n }, (_, i) => ['--cluster', `c-${i}`]).flat();

// Each bad input: exit 2, one line on stderr naming the value and the rule, nothing on stdout, nothing sent.
const cases: Array<{
  name: string;
  args: string[];
  stderr: RegExp;
  input?: string;
  env?: Record<string, string>;
}> = [
  { name: 'no scope', args: ['task-0001'], stderr: /say what to retry: --all-failed, --cluster/ },
  {
    name: '--all-failed with --cluster',
    args: ['task-0001', '--all-failed', '--cluster', 'c-1'],
    stderr: /--all-failed and --cluster cannot be combined/,
  },
  {
    name: '--cluster with --cluster-file',
    args: ['task-0001', '--cluster', 'c-1', '--cluster-file', '-'],
    stderr: /--cluster and --cluster-file cannot be combined/,
  },
  {
    name: 'task ID of 65 characters',
    args: [id65, '--all-failed'],
    stderr: /task ID "t{48}…": task ID is 65 characters; the limit is 1–64/,
  },
  { name: 'empty task ID', args: ['', '--all-failed'], stderr: /task ID "": task ID must not be empty/ },
  {
    name: 'task ID with a newline',
    args: ['task\n1', '--all-failed'],
    stderr: /task ID "task\\n1": task ID must not contain control characters/,
  },
  {
    name: 'task ID ..',
    args: ['..', '--all-failed'],
    stderr: /task ID "\.\.": task ID must not be "\." or "\.\."/,
  },
  {
    name: 'cluster ID of 65 characters',
    args: ['task-0001', '--cluster', c65],
    stderr: /cluster ID is 65 characters; the limit is 1–64/,
  },
  {
    name: 'empty cluster ID',
    args: ['task-0001', '--cluster', ':benchmark'],
    stderr: /--cluster ":benchmark": cluster ID must not be empty/,
  },
  {
    name: 'unknown scan type',
    args: ['task-0001', '--cluster', 'c-1:vuln'],
    stderr: /--cluster "c-1:vuln": scan type "vuln" is not one of cluster_vul, risk_assessment, benchmark/,
  },
  {
    name: 'four scan types',
    args: ['task-0001', '--cluster', 'c-1:cluster_vul,risk_assessment,benchmark,benchmark'],
    stderr: /has 4 scan types; the limit is 1–3/,
  },
  {
    name: 'duplicate scan type',
    args: ['task-0001', '--cluster', 'c-1:benchmark,benchmark'],
    stderr: /names a scan type twice/,
  },
  {
    name: 'no scan types after colon',
    args: ['task-0001', '--cluster', 'c-1:'],
    stderr: /no scan types after ":"/,
  },
  {
    name: 'duplicate cluster',
    args: ['task-0001', '--cluster', 'c-1', '--cluster', 'c-1:benchmark'],
    stderr: /cluster "c-1" is given twice/,
  },
  {
    name: '201 clusters',
    args: ['task-0001', ...clusters(201)],
    stderr: /201 clusters given; the limit is 1–200 per request/,
  },
  {
    name: '--cluster with two task IDs',
    args: ['task-0001', 'task-0002', '--cluster', 'c-1'],
    stderr: /--cluster takes exactly one task ID; 2 were given/,
  },
  {
    name: 'missing cluster file',
    args: ['task-0001', '--cluster-file', '/nonexistent/x.txt'],
    stderr: /--cluster-file "\/nonexistent\/x.txt": cannot read it \(ENOENT\)/,
  },
  {
    name: 'empty cluster file on stdin',
    args: ['task-0001', '--cluster-file', '-'],
    input: '# nothing\n\n',
    stderr: /cluster file \(stdin\): no cluster specs found/,
  },
  {
    name: 'bad line in a cluster file',
    args: ['task-0001', '--cluster-file', '-'],
    input: 'c-1\nc-2:nope\n',
    stderr: /cluster file \(stdin\) line 2 "c-2:nope": scan type "nope"/,
  },
  {
    name: 'stdin claimed twice',
    args: ['-', '--cluster-file', '-'],
    input: 'x',
    stderr: /--cluster-file takes exactly one task ID|standard input can feed only one/,
  },
  {
    name: 'no task IDs on stdin',
    args: ['-', '--all-failed'],
    input: '\n# none\n',
    stderr: /no task IDs on standard input/,
  },
  {
    name: '- with other IDs',
    args: ['-', 'task-0001', '--all-failed'],
    stderr: /task ID "-" \(read from standard input\) must be the only task ID/,
  },
  {
    name: 'enterprise project of 257 characters',
    args: ['task-0001', '--all-failed', '-e', 'e'.repeat(257)],
    stderr:
      /enterprise project ID "e{48}…" \(from command-line flag\): enterprise project ID is 257 characters; the limit is 1–256/,
  },
  {
    name: 'project ID of 257 characters',
    args: ['task-0001', '--all-failed', '--project-id', 'p'.repeat(257)],
    stderr: /project ID is 257 characters; the limit is 1–256/,
  },
  {
    name: 'project ID from the environment',
    args: ['task-0001', '--all-failed'],
    env: { HSS_PROJECT_ID: 'p'.repeat(257) },
    stderr: /\(from environment HSS_PROJECT_ID\): project ID is 257 characters/,
  },
  {
    name: 'token over 32,768 characters',
    args: ['task-0001', '--all-failed'],
    env: { HSS_TOKEN: 'x'.repeat(32_769) },
    stderr: /the token from env:HSS_TOKEN: token is 32769 characters; the limit is 1–32768/,
  },
  {
    name: 'plain http endpoint off loopback',
    args: ['task-0001', '--all-failed', '--endpoint', 'http://hss.example.com'],
    stderr: /plain http is refused except on loopback/,
  },
  {
    name: 'unknown option',
    args: ['task-0001', '--all-failed', '--bogus'],
    stderr: /unknown option '--bogus'/,
  },
  {
    name: 'bad --output',
    args: ['task-0001', '--all-failed', '-o', 'xml'],
    stderr: /argument 'xml' is invalid. Allowed choices are text, json, yaml/,
  },
  {
    name: 'bad --concurrency',
    args: ['task-0001', '--all-failed', '--concurrency', '0'],
    stderr: /--concurrency "0": must be from 1 to 32/,
  },
  {
    name: 'bad --timeout',
    args: ['task-0001', '--all-failed', '--timeout', 'soon'],
    stderr: /--timeout "soon": not a duration/,
  },
  {
    name: 'missing task ID',
    args: ['--all-failed'],
    stderr: /say which tasks to retry: task IDs, or --since/,
  },
];

describe('bad input: exit 2, one line naming the value and the rule, nothing sent', () => {
  it.each(cases)('$name', async ({ args, stderr, input, env }) => {
    const r = await hss(['task', 'retry', ...args], {
      env: sb.env(env),
      ...(input === undefined ? {} : { input }),
    });
    expect(r.exitCode, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...rest] = r.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^error: /);
    expect(first).toMatch(stderr);
    expect(rest.every((l) => l.startsWith('hint: '))).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('in JSON mode the error is the one document on stdout', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--cluster', 'c-1:vuln', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: false,
      error: {
        code: 'USAGE',
        exit_code: 2,
        message:
          '--cluster "c-1:vuln": scan type "vuln" is not one of cluster_vul, risk_assessment, benchmark',
      },
    });
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('a commander usage error in JSON mode is a JSON document too', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--nope', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'USAGE', exit_code: 2 });
  });

  it('200 clusters from a file are accepted and sent', async () => {
    const file = path.join(tempDir(), 'many.txt');
    writeFileSync(file, Array.from({ length: 200 }, (_, i) => `c-${i}`).join('\n'));
    const r = await hss(['task', 'retry', 'task-0001', '--cluster-file', file, '--dry-run', '--json'], {
      env: sb.env(),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).requests[0].body.cluster_scan_info.cluster_info_list).toHaveLength(200);
  });
});

describe('configuration errors: exit 3, nothing sent', () => {
  it('a corrupt store names the file and is left as it was', async () => {
    const configDir = tempDir();
    writeFileSync(path.join(configDir, 'config.json'), '{"profiles": {');
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], { configDir, env: sb.env() });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(
      `error: the profile store ${path.join(configDir, 'config.json')} is not valid JSON`,
    );
    const set = await hss(['profile', 'set', 'x', '--region', 'cn-north-4'], { configDir });
    expect(set.exitCode).toBe(3);
    expect(sb.sandbox.requests).toHaveLength(0);
  });

  it('an unknown profile is exit 3 with a hint', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed', '-p', 'nope'], { env: sb.env() });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: unknown profile "nope" \(from command-line flag\)\nhint: /);
  });

  it('no project ID is exit 3', async () => {
    const r = await hss(['task', 'retry', 'task-0001', '--all-failed'], {
      env: sb.env({ HSS_PROJECT_ID: undefined }),
    });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: no project ID is set\nhint: /);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});
