/**
 * Hostile input end to end: generated arguments and files given to the built CLI. The in-process
 * parsers are the oracle: what they refuse, the CLI refuses with exit 2, one line, and zero requests;
 * what they accept is sent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRetryBody, parseClusterFile, parseClusterSpec } from '../../src/cluster-specs.js';
import { parseDuration, parseInteger } from '../../src/duration.js';
import { TaskId } from '../../src/schema.js';
import { hss } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();

function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text a command line can carry: no NUL, well-formed Unicode, not mistaken for an option. */
const argText = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 70 }),
    fc.string({
      unit: fc.constantFrom(
        'a',
        '0',
        '-',
        '_',
        ':',
        ',',
        ' ',
        '\t',
        '\n',
        '\u001b',
        '\u2028',
        'é',
        '😀',
        '#',
      ),
      maxLength: 70,
    }),
    fc.integer({ min: 62, max: 66 }).map((n) => 'x'.repeat(n)),
  )
  .filter((s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s) && !s.startsWith('-'));

const RUNS = { numRuns: 12 };

interface Run {
  args: string[];
  input?: string;
  valid: boolean;
}

async function check({ args, input, valid }: Run): Promise<void> {
  sb.sandbox.reset();
  const r = await hss(args, { env: sb.env(), ...(input === undefined ? {} : { input }) });
  if (valid) {
    expect(sb.sandbox.requests, r.stderr).toHaveLength(1);
    expect([0, 5]).toContain(r.exitCode);
    return;
  }
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: \S/);
  // The error and at most a hint: never a stack trace.
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(sb.sandbox.requests).toHaveLength(0);
}

describe('generated bad input never reaches the network', () => {
  it('task IDs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(argText, fc.constant('task-0001')), async (id) => {
        await check({ args: ['task', 'retry', id, '--all-failed'], valid: TaskId.safeParse(id).success });
      }),
      RUNS,
    );
  });

  it('--cluster specs', async () => {
    const spec = fc.oneof(
      argText,
      fc
        .tuple(
          argText,
          fc.array(fc.constantFrom('cluster_vul', 'benchmark', 'vuln', '', ' risk_assessment'), {
            maxLength: 4,
          }),
        )
        .map(([id, types]) => `${id}:${types.join(',')}`),
    );
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        await check({
          args: ['task', 'retry', 'task-0001', '--cluster', s],
          valid: accepts(() => parseClusterSpec(s)),
        });
      }),
      RUNS,
    );
  });

  it('cluster files on standard input', async () => {
    const line = fc.oneof(argText, fc.constantFrom('', '# note', 'cce-prod-02:benchmark', 'c-1 # x'));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), async (lines) => {
        const text = lines.join('\n');
        await check({
          args: ['task', 'retry', 'task-0001', '--cluster-file', '-'],
          input: text,
          valid: accepts(() =>
            buildRetryBody({ kind: 'clusters', clusters: parseClusterFile(text, 'f'), origin: 'f' }),
          ),
        });
      }),
      RUNS,
    );
  });

  it('--timeout and --max-attempts values', async () => {
    const value = fc.oneof(
      argText,
      fc.constantFrom('0', '0s', '500ms', '2s', '1.5', '-1', '8d', '99999999999', '3', '11', ' 2 ', '1e3'),
    );
    await fc.assert(
      fc.asyncProperty(value, fc.boolean(), async (v, timeout) => {
        const flag = timeout ? '--timeout' : '--max-attempts';
        await check({
          args: ['task', 'retry', 'task-0001', '--all-failed', flag, v],
          valid: accepts(() => (timeout ? parseDuration(v, flag) : parseInteger(v, flag, 1, 10))),
        });
      }),
      RUNS,
    );
  });
});
