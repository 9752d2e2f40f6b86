import { describe, expect, it } from 'vitest';
import { type ClusterInfo, TaskId } from '../../src/api/schemas.js';
import { UsageError } from '../../src/core/errors.js';
import { buildRetryBody, parseClusterFile, parseClusterSpec } from '../../src/tasks/cluster-specs.js';

// The two example bodies of docs/spec hss-task-api.md §1, byte for byte (the second joined onto one line).
const ALL_FAILED_JSON =
  '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"all_failed_cluster"}}';
const SPECIFIC_JSON =
  '{"task_type":"cluster_scan","cluster_scan_info":{"range_type":"specific_cluster",' +
  '"cluster_info_list":[{"cluster_id":"c-1","scan_type_list":["cluster_vul","benchmark"]},{"cluster_id":"c-2"}]}}';

/** Unicode line terminators: a message holding any of them is not one line. */
const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;

/** Runs `fn`, asserts it threw a one-line UsageError (exit 2), and returns it. */
function usageError(fn: () => unknown): UsageError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const error = caught as UsageError;
  expect(error.exitCode).toBe(2);
  expect(error.code).toBe('USAGE');
  expect(error.message).not.toMatch(LINE_BREAK);
  return error;
}

const id = (n: number, c = 'a') => c.repeat(n);

describe('parseClusterSpec: cluster ID', () => {
  it('accepts a bare ID and returns no scan_type_list key', () => {
    const spec = parseClusterSpec('c-1');
    expect(spec).toStrictEqual({ cluster_id: 'c-1' });
    expect('scan_type_list' in spec).toBe(false);
  });

  it('accepts an ID of exactly 64 characters', () => {
    expect(parseClusterSpec(id(64))).toEqual({ cluster_id: id(64) });
    expect(parseClusterSpec(`${id(64)}:benchmark`)).toEqual({
      cluster_id: id(64),
      scan_type_list: ['benchmark'],
    });
  });

  it('refuses an ID of 65 characters, naming the length, the rule and the value', () => {
    const error = usageError(() => parseClusterSpec(id(65, 'b')));
    expect(error.message).toContain('--cluster');
    expect(error.message).toContain('cluster ID is 65 characters');
    expect(error.message).toContain('the limit is 1–64');
    // The value is quoted (and cut short when long).
    expect(error.message).toContain(`"${id(48, 'b')}`);
  });

  it('refuses an empty ID, alone or before scan types', () => {
    for (const spec of ['', ':cluster_vul']) {
      const error = usageError(() => parseClusterSpec(spec));
      expect(error.message).toContain(JSON.stringify(spec));
      expect(error.message).toContain('cluster ID must not be empty');
    }
  });

  it('names the origin given by the caller', () => {
    const error = usageError(() => parseClusterSpec('', 'clusters.txt line 3'));
    expect(error.message).toMatch(/^clusters\.txt line 3 "": /);
  });

  it.each([
    ['NUL', 'c\u0000x'],
    ['LF', 'c\nx'],
    ['DEL', 'c\u007fx'],
    ['NEL (C1)', 'c\u0085x'],
    ['ESC', 'c\u001b[31mx'],
    ['TAB', 'c\tx'],
  ])('refuses a control character (%s) in the ID', (_name, spec) => {
    const error = usageError(() => parseClusterSpec(spec));
    expect(error.message).toContain('cluster ID must not contain control characters');
  });

  it('shows NUL and LF escaped inside the quoted value', () => {
    expect(usageError(() => parseClusterSpec('c\u0000x')).message).toContain('"c\\u0000x"');
    expect(usageError(() => parseClusterSpec('c\nx')).message).toContain('"c\\nx"');
  });

  // JSON.stringify alone escapes only U+0000–U+001F: DEL (U+007F) and C1 controls such as NEL (U+0085, a
  // Unicode line break) must be escaped too, or the message is not one line.
  it.each([
    ['DEL', 'c\u007fx'],
    ['NEL', 'c\u0085x'],
  ])('echoes no raw control character (%s) in the message', (_name, spec) => {
    let message = '';
    try {
      parseClusterSpec(spec);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('control characters');
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('does not keep spaces around the ID when scan types follow', () => {
    expect(parseClusterSpec('c-1 :benchmark')).toEqual({ cluster_id: 'c-1', scan_type_list: ['benchmark'] });
  });
});

describe('parseClusterSpec: scan types', () => {
  it('accepts one, two and three distinct types, in the order given, trimmed', () => {
    expect(parseClusterSpec('c-1:benchmark')).toEqual({ cluster_id: 'c-1', scan_type_list: ['benchmark'] });
    expect(parseClusterSpec('c-1:cluster_vul, benchmark')).toEqual({
      cluster_id: 'c-1',
      scan_type_list: ['cluster_vul', 'benchmark'],
    });
    expect(parseClusterSpec('c-1:benchmark,risk_assessment,cluster_vul')).toEqual({
      cluster_id: 'c-1',
      scan_type_list: ['benchmark', 'risk_assessment', 'cluster_vul'],
    });
  });

  it('splits at the first colon only', () => {
    const error = usageError(() => parseClusterSpec('c-1:benchmark:cluster_vul'));
    expect(error.message).toContain('scan type "benchmark:cluster_vul" is not one of');
  });

  it('refuses four types, naming the count and the 1–3 rule', () => {
    const spec = 'c:benchmark,cluster_vul,benchmark,cluster_vul';
    const error = usageError(() => parseClusterSpec(spec));
    expect(error.message).toContain(JSON.stringify(spec));
    expect(error.message).toContain('has 4 scan types; the limit is 1–3');
  });

  it('refuses a type given twice', () => {
    const spec = 'c-1:benchmark,benchmark';
    const error = usageError(() => parseClusterSpec(spec));
    expect(error.message).toContain(JSON.stringify(spec));
    expect(error.message).toContain('names a scan type twice');
  });

  it('refuses an unknown type, quoting it and listing the valid ones', () => {
    const error = usageError(() => parseClusterSpec('c-1:cluster_vul,malware'));
    expect(error.message).toContain('"c-1:cluster_vul,malware"');
    expect(error.message).toContain(
      'scan type "malware" is not one of cluster_vul, risk_assessment, benchmark',
    );
  });

  it('refuses a type with the wrong case (the API names are lower case)', () => {
    const error = usageError(() => parseClusterSpec('c-1:Benchmark'));
    expect(error.message).toContain('scan type "Benchmark"');
  });

  it.each(['c-1:', 'c-1: ', 'c-1:\u00a0'])('refuses nothing after the colon (%j)', (spec) => {
    const error = usageError(() => parseClusterSpec(spec));
    expect(error.message).toContain(JSON.stringify(spec));
    expect(error.message).toContain('no scan types after ":"');
  });

  it('refuses an empty item in the list', () => {
    const error = usageError(() => parseClusterSpec('c-1:cluster_vul,'));
    expect(error.message).toContain('scan type "" is not one of');
  });
});

describe('parseClusterFile', () => {
  it('skips comments and blank lines, accepts CRLF and trailing spaces', () => {
    const text = [
      '# clusters to rescan',
      '',
      'c-1:cluster_vul,benchmark   ',
      '   ',
      '\tc-2  # the second one',
      'c-3:risk_assessment\t',
      '#c-4',
      '',
    ].join('\r\n');
    expect(parseClusterFile(text, 'clusters.txt')).toEqual([
      { cluster_id: 'c-1', scan_type_list: ['cluster_vul', 'benchmark'] },
      { cluster_id: 'c-2' },
      { cluster_id: 'c-3', scan_type_list: ['risk_assessment'] },
    ]);
  });

  it('accepts LF files without a final newline', () => {
    expect(parseClusterFile('a\nb', '-')).toEqual([{ cluster_id: 'a' }, { cluster_id: 'b' }]);
  });

  it('names the file and the 1-based line number of a bad line', () => {
    const text = '# header\r\nc-1\r\n\r\nc-2:bogus\r\n';
    const error = usageError(() => parseClusterFile(text, 'clusters.txt'));
    expect(error.message).toContain('clusters.txt line 4');
    expect(error.message).toContain('"c-2:bogus"');
    expect(error.message).toContain('scan type "bogus" is not one of');
  });

  it('reports a too-long ID on its line', () => {
    const error = usageError(() => parseClusterFile(`ok\n${id(65)}\n`, 'f.txt'));
    expect(error.message).toContain('f.txt line 2');
    expect(error.message).toContain('the limit is 1–64');
  });

  it('refuses a file that holds only comments and blank lines', () => {
    const error = usageError(() => parseClusterFile('# nothing\n\n   \n', 'empty.txt'));
    expect(error.message).toBe('empty.txt: no cluster specs found (one id[:types] a line)');
    expect(error.hint).toBe(
      'one cluster a line, e.g. "cce-prod-01" or "cce-prod-02:cluster_vul,benchmark"; or use --all-failed',
    );
  });
});

describe('buildRetryBody', () => {
  it('builds the all_failed_cluster body of the spec, byte for byte', () => {
    const body = buildRetryBody({ kind: 'all-failed' });
    expect(body).toStrictEqual(JSON.parse(ALL_FAILED_JSON));
    expect(JSON.stringify(body)).toBe(ALL_FAILED_JSON);
  });

  it('builds the specific_cluster body of the spec, byte for byte', () => {
    const clusters = [parseClusterSpec('c-1:cluster_vul,benchmark'), parseClusterSpec('c-2')];
    const body = buildRetryBody({ kind: 'clusters', clusters, origin: '--cluster' });
    expect(body).toEqual(JSON.parse(SPECIFIC_JSON));
    expect(JSON.stringify(body)).toBe(SPECIFIC_JSON);
  });

  it('puts keys in the spec order even when the input objects list them otherwise', () => {
    const clusters = [
      { scan_type_list: ['cluster_vul', 'benchmark'], cluster_id: 'c-1' } as ClusterInfo,
      { cluster_id: 'c-2' },
    ];
    const body = buildRetryBody({ kind: 'clusters', clusters, origin: '--cluster' });
    expect(JSON.stringify(body)).toBe(SPECIFIC_JSON);
  });

  it('accepts 200 clusters', () => {
    const clusters = Array.from({ length: 200 }, (_, i) => ({ cluster_id: `c-${i}` }));
    const body = buildRetryBody({ kind: 'clusters', clusters, origin: '--cluster-file x' });
    expect(body.cluster_scan_info.range_type).toBe('specific_cluster');
    if (body.cluster_scan_info.range_type !== 'specific_cluster') throw new Error('unreachable');
    expect(body.cluster_scan_info.cluster_info_list).toHaveLength(200);
    expect(body.cluster_scan_info.cluster_info_list[199]).toEqual({ cluster_id: 'c-199' });
  });

  it('refuses 201 clusters, naming the count and the limit', () => {
    const clusters = Array.from({ length: 201 }, (_, i) => ({ cluster_id: `c-${i}` }));
    const error = usageError(() => buildRetryBody({ kind: 'clusters', clusters, origin: 'big.txt' }));
    expect(error.message).toContain('big.txt');
    expect(error.message).toContain('201 clusters given; the limit is 1–200');
  });

  it('refuses an empty cluster list', () => {
    const error = usageError(() => buildRetryBody({ kind: 'clusters', clusters: [], origin: '--cluster' }));
    expect(error.message).toContain('needs at least one cluster');
  });

  it('refuses a cluster given twice, quoting it', () => {
    // The same ID with different scan types is still the same cluster twice.
    const twice: ClusterInfo[] = [
      { cluster_id: 'c-1', scan_type_list: ['benchmark'] },
      { cluster_id: 'c-2' },
      { cluster_id: 'c-1', scan_type_list: ['cluster_vul'] },
    ];
    const error = usageError(() =>
      buildRetryBody({ kind: 'clusters', clusters: twice, origin: '--cluster' }),
    );
    expect(error.message).toContain('cluster "c-1" is given twice');
  });

  it('refuses an empty scan_type_list on a hand-built cluster', () => {
    const error = usageError(() =>
      buildRetryBody({
        kind: 'clusters',
        clusters: [{ cluster_id: 'c-1', scan_type_list: [] }],
        origin: '--cluster',
      }),
    );
    expect(error.message).toContain('needs at least one scan type');
  });

  it('re-checks IDs and scan types of clusters built by hand', () => {
    const long = usageError(() =>
      buildRetryBody({ kind: 'clusters', clusters: [{ cluster_id: id(65) }], origin: '--cluster' }),
    );
    expect(long.message).toContain('the limit is 1–64');
    const types = usageError(() =>
      buildRetryBody({
        kind: 'clusters',
        clusters: [
          {
            cluster_id: 'c-1',
            scan_type_list: ['cluster_vul', 'benchmark', 'risk_assessment', 'benchmark'],
          },
        ],
        origin: '--cluster',
      }),
    );
    expect(types.message).toContain('the limit is 1–3');
  });
});

describe('TaskId', () => {
  it.each(['task-0001', 'a', id(64), '...', '.a'])('accepts %j', (value) => {
    expect(TaskId.safeParse(value).success).toBe(true);
  });

  it.each([
    ['.', 'must not be "." or ".."'],
    ['..', 'must not be "." or ".."'],
    ['', 'must not be empty'],
    [id(65), 'task ID is 65 characters; the limit is 1–64'],
    ['t\u0000', 'control characters'],
    ['t\n', 'control characters'],
    ['t\u007f', 'control characters'],
    ['t\u0085', 'control characters'],
  ])('refuses %j', (value, rule) => {
    const parsed = TaskId.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(rule);
  });
});
