/**
 * The identifier rules, against the limits of the API reference (docs: hss-task-api §1–2) and the
 * contract (regions `[a-z0-9-]+`, project IDs 1–256, profile names): what each accepts, and the one
 * reason it gives for what it refuses.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import {
  ClusterId,
  ClusterIdList,
  EnterpriseProjectId,
  firstIssue,
  ProfileName,
  ProjectId,
  plainText,
  Region,
  type Rule,
  ScanTypeList,
  TaskId,
  TaskNameFilter,
  Token,
} from '../../src/core/rules.js';

function accepts<I>(rule: Rule<I, unknown>, value: I): void {
  const result = rule.safeParse(value);
  expect(result, JSON.stringify(value)).toEqual({ success: true, data: value });
}

function reason<I>(rule: Rule<I, unknown>, value: I): string {
  const result = rule.safeParse(value);
  expect(result.success, JSON.stringify(value)).toBe(false);
  if (result.success) return '';
  expect(result.error.issues).toHaveLength(1);
  return firstIssue(result.error);
}

/** The rules of a bounded text, one by one: its name in messages and its length limit. */
const TEXTS = [
  ['task ID', TaskId, 64],
  ['cluster ID', ClusterId, 64],
  ['task name', TaskNameFilter, 256],
  ['project ID', ProjectId, 256],
  ['enterprise project ID', EnterpriseProjectId, 256],
  ['token', Token, 32_768],
] as const;

describe.each(TEXTS)('%s', (what, rule, max) => {
  it(`accepts 1 to ${max} characters`, () => {
    accepts(rule, 'a');
    accepts(rule, 'x'.repeat(max));
    accepts(rule, 'with spaces, é, 中 and 😀');
  });

  it('refuses an empty value', () => {
    expect(reason(rule, '')).toBe(`${what} must not be empty`);
  });

  it(`refuses ${max + 1} characters, naming the length and the limit`, () => {
    expect(reason(rule, 'x'.repeat(max + 1))).toBe(`${what} is ${max + 1} characters; the limit is 1–${max}`);
  });

  it.each([
    ['NUL', '\u0000'],
    ['US, the last C0 control', '\u001f'],
    ['LF', '\n'],
    ['ESC', '\u001b'],
    ['DEL', '\u007f'],
    ['the first C1 control', '\u0080'],
    ['NEL', '\u0085'],
    ['the last C1 control', '\u009f'],
  ])('refuses a control character (%s) anywhere', (_name, control) => {
    for (const value of [`${control}a`, `a${control}b`, `a${control}`]) {
      expect(reason(rule, value)).toBe(`${what} must not contain control characters`);
    }
  });

  it('takes the characters just outside the control ranges', () => {
    accepts(rule, 'a b~\u00a0c');
  });

  it('names the emptiness first, then the length, then the control characters', () => {
    expect(reason(rule, `\u0000${'x'.repeat(max)}`)).toBe(
      `${what} is ${max + 1} characters; the limit is 1–${max}`,
    );
  });
});

describe('task and project IDs: a dot segment would leave /v5/{project_id}/ in the URL', () => {
  it.each([
    ['task ID', TaskId],
    ['project ID', ProjectId],
  ] as const)('%s "." and ".." are refused; other dots are not', (what, rule) => {
    expect(reason(rule, '.')).toBe(`${what} must not be "." or ".."`);
    expect(reason(rule, '..')).toBe(`${what} must not be "." or ".."`);
    for (const value of ['...', '.a', 'a.', 'a..b']) accepts(rule, value);
  });

  it('cluster IDs, names and enterprise project IDs travel in bodies and queries: dots are theirs', () => {
    for (const rule of [ClusterId, TaskNameFilter, EnterpriseProjectId, Token]) {
      accepts(rule, '.');
      accepts(rule, '..');
    }
  });
});

describe('Region', () => {
  it('accepts region IDs: lower-case letters, digits and "-", up to 64', () => {
    for (const region of ['cn-north-4', 'eu-west-101', 'my-kualalumpur-1', 'a', '9', '-', 'x'.repeat(64)]) {
      accepts(Region, region);
    }
  });

  it.each([
    'CN-NORTH-4',
    'cn_north_4',
    'cn.north.4',
    'cn-north-4.evil.example',
    'evil.example/x',
    'cn north',
    'cn-north-4\u00a0',
    'é',
    ' cn-north-4',
    'cn-north-4 ',
  ])('refuses %j: it could name another host', (region) => {
    expect(reason(Region, region)).toBe(
      'region may hold only lower-case letters, digits and "-" (e.g. cn-north-4)',
    );
  });

  it('gives the length and control-character reasons first', () => {
    expect(reason(Region, '')).toBe('region must not be empty');
    expect(reason(Region, 'x'.repeat(65))).toBe('region is 65 characters; the limit is 1–64');
    expect(reason(Region, 'cn-north-4\n')).toBe('region must not contain control characters');
  });
});

describe('ProfileName', () => {
  it('accepts letters, digits, ".", "_" and "-", up to 64, and the names of Object.prototype', () => {
    for (const name of [
      'default',
      'Prod_2.eu-west',
      'a',
      'x'.repeat(64),
      'constructor',
      'toString',
      '__proto',
    ]) {
      accepts(ProfileName, name);
    }
  });

  it.each(['a b', 'a/b', '../x', 'é', 'a:b', 'a@b', 'a\u00a0'])('refuses %j', (name) => {
    expect(reason(ProfileName, name)).toBe('profile name may hold only letters, digits, ".", "_" and "-"');
  });

  it('refuses __proto__, which plain objects give a meaning of its own', () => {
    expect(reason(ProfileName, '__proto__')).toBe('profile name "__proto__" is reserved');
  });

  it('gives the length and control-character reasons first', () => {
    expect(reason(ProfileName, '')).toBe('profile name must not be empty');
    expect(reason(ProfileName, 'x'.repeat(65))).toBe('profile name is 65 characters; the limit is 1–64');
    expect(reason(ProfileName, 'a\tb')).toBe('profile name must not contain control characters');
  });
});

describe('ScanTypeList', () => {
  const UNKNOWN = (value: string) =>
    `scan type ${JSON.stringify(value)} is not one of cluster_vul, risk_assessment, benchmark`;

  it('accepts one to three of cluster_vul, risk_assessment and benchmark, each once, in any order', () => {
    accepts(ScanTypeList, ['cluster_vul']);
    accepts(ScanTypeList, ['risk_assessment']);
    accepts(ScanTypeList, ['benchmark']);
    accepts(ScanTypeList, ['benchmark', 'cluster_vul']);
    accepts(ScanTypeList, ['benchmark', 'risk_assessment', 'cluster_vul']);
  });

  it('names an unknown scan type, before any other rule', () => {
    expect(reason(ScanTypeList, ['vuln'])).toBe(UNKNOWN('vuln'));
    expect(reason(ScanTypeList, ['CLUSTER_VUL'])).toBe(UNKNOWN('CLUSTER_VUL'));
    expect(reason(ScanTypeList, [''])).toBe(UNKNOWN(''));
    expect(reason(ScanTypeList, ['toString'])).toBe(UNKNOWN('toString'));
    expect(reason(ScanTypeList, ['benchmark', 'benchmark', 'all'])).toBe(UNKNOWN('all'));
    expect(reason(ScanTypeList, ['a', 'b', 'c', 'd', 'e'])).toBe(UNKNOWN('a'));
  });

  it('refuses an empty list', () => {
    expect(reason(ScanTypeList, [])).toBe('needs at least one scan type');
  });

  it('refuses more than three, naming how many', () => {
    expect(reason(ScanTypeList, ['benchmark', 'cluster_vul', 'risk_assessment', 'benchmark'])).toBe(
      'has 4 scan types; the limit is 1–3',
    );
  });

  it('refuses a scan type named twice', () => {
    expect(reason(ScanTypeList, ['benchmark', 'benchmark'])).toBe('names a scan type twice');
    expect(reason(ScanTypeList, ['cluster_vul', 'benchmark', 'cluster_vul'])).toBe('names a scan type twice');
  });
});

describe('firstIssue', () => {
  it('gives the first message, or a generic one when there is none', () => {
    expect(firstIssue({ issues: [{ message: 'one' }, { message: 'two' }] })).toBe('one');
    expect(firstIssue({ issues: [] })).toBe('invalid value');
  });
});

describe('plainText: names and command lines typed by the user, kept as typed', () => {
  function refusal(fn: () => unknown): UsageError {
    let caught: unknown;
    try {
      fn();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).exitCode).toBe(2);
    return caught as UsageError;
  }

  it('keeps 1 to 256 characters (by default) as they are, spaces and all', () => {
    expect(plainText('alice', 'user name')).toBe('alice');
    expect(plainText(' a b ', 'user name')).toBe(' a b ');
    expect(plainText('x'.repeat(256), 'user name')).toBe('x'.repeat(256));
    expect(plainText('é 中 😀 \u00a0~', 'account name')).toBe('é 中 😀 \u00a0~');
  });

  it('refuses an empty value, naming it and the rule', () => {
    expect(refusal(() => plainText('', 'user name')).message).toBe(
      'user name "": must be 1–256 characters without control characters',
    );
  });

  it('refuses one character over the limit, its own or the default', () => {
    expect(refusal(() => plainText('x'.repeat(257), 'user name')).message).toMatch(
      /^user name "x{48}…": must be 1–256 characters without control characters$/,
    );
    expect(plainText('A'.repeat(128), 'access key', 128)).toBe('A'.repeat(128));
    expect(refusal(() => plainText('A'.repeat(129), 'access key', 128)).message).toMatch(
      /^access key "A{48}…": must be 1–128 characters without control characters$/,
    );
  });

  it.each([
    ['NUL', '\u0000', '\\u0000'],
    ['US', '\u001f', '\\u001f'],
    ['LF', '\n', '\\n'],
    ['ESC', '\u001b', '\\u001b'],
    ['DEL', '\u007f', '\\u007f'],
    ['the first C1 control', '\u0080', '\\u0080'],
    ['CSI, a C1 control', '\u009b', '\\u009b'],
    ['the last C1 control', '\u009f', '\\u009f'],
  ])('refuses a control character (%s), shown escaped', (_name, control, shown) => {
    const error = refusal(() => plainText(`ab${control}`, 'account name'));
    expect(error.message).toBe(
      `account name "ab${shown}": must be 1–256 characters without control characters`,
    );
  });
});

describe('ClusterIdList: the clusters of a new scan (CreateTask cluster_id_list)', () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `cce-${i}`);

  it('accepts 1 to 200 distinct cluster IDs', () => {
    accepts(ClusterIdList, ['cce-prod-01']);
    accepts(ClusterIdList, ids(200));
  });

  it('refuses an empty list and one of 201', () => {
    expect(reason(ClusterIdList, [])).toBe('needs at least one cluster');
    expect(reason(ClusterIdList, ids(201))).toBe('201 clusters given; the limit is 1–200');
  });

  it('names a cluster given twice', () => {
    expect(reason(ClusterIdList, ['a', 'b', 'c', 'b'])).toBe('cluster "b" is given twice');
  });

  it("names a cluster ID that breaks the ID's rule, before anything about the list", () => {
    expect(reason(ClusterIdList, ['ok', ''])).toBe('cluster ID "": cluster ID must not be empty');
    expect(reason(ClusterIdList, ['x'.repeat(65)])).toMatch(
      /^cluster ID "x{48}…": cluster ID is 65 characters; the limit is 1–64$/,
    );
    expect(reason(ClusterIdList, ['a\u001b', 'a\u001b'])).toBe(
      'cluster ID "a\\u001b": cluster ID must not contain control characters',
    );
    expect(reason(ClusterIdList, [...ids(201), ''])).toBe('cluster ID "": cluster ID must not be empty');
  });
});
