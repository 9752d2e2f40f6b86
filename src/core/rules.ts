/**
 * The simple rules of the API's identifiers, free of zod: task, cluster and project IDs, tokens,
 * profile names, scan types. A retry with a token checks only these, so it never loads zod
 * (~20 ms and megabytes at start-up; docs/performance.md). Each rule keeps the shape of a zod schema
 * (`safeParse` → `{ success, data }` or `{ success, error: { issues } }`) and its message, so
 * `firstIssue` reads both; src/api/schemas.ts builds its zod schemas on top of these where it nests them.
 */

import { UsageError } from './errors.js';
import { quote } from './text.js';
import { MAX_CLUSTERS, SCAN_TYPES, type ScanType } from './vocabulary.js';

export interface RuleIssue {
  message: string;
}
export type RuleResult<T> =
  | { success: true; data: T; error?: undefined }
  | { success: false; data?: undefined; error: { issues: RuleIssue[] } };

export interface Rule<I, T> {
  safeParse(value: I): RuleResult<T>;
}

function rule<I, T>(check: (value: I) => string | undefined): Rule<I, T & I> {
  return {
    safeParse(value) {
      const message = check(value);
      return message === undefined
        ? { success: true, data: value as T & I }
        : { success: false, error: { issues: [{ message }] } };
    },
  };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The first rule a text breaks: empty, too long, a control character, then `extra`. */
function boundedText(
  what: string,
  min: number,
  max: number,
  extra?: (s: string) => string | undefined,
): Rule<string, string> {
  return rule<string, string>((s) => {
    if (s.length < min) return `${what} must not be empty`;
    if (s.length > max) return `${what} is ${s.length} characters; the limit is ${min}–${max}`;
    if (CONTROL.test(s)) return `${what} must not contain control characters`;
    return extra?.(s);
  });
}

const notDots = (what: string) => (s: string) =>
  s === '.' || s === '..' ? `${what} must not be "." or ".."` : undefined;

export const TaskId = boundedText('task ID', 1, 64, notDots('task ID'));
export const ClusterId = boundedText('cluster ID', 1, 64);
/** ListTasks' fuzzy `task_name` filter. */
export const TaskNameFilter = boundedText('task name', 1, 256);
export const ProjectId = boundedText('project ID', 1, 256, notDots('project ID'));
export const EnterpriseProjectId = boundedText('enterprise project ID', 1, 256);
export const Token = boundedText('token', 1, 32_768);
/**
 * A region names a host (`hss.{region}.myhuaweicloud.com`): only the characters of region IDs, so no
 * value can change which host a derived endpoint names.
 */
export const Region = boundedText('region', 1, 64, (s) =>
  /^[a-z0-9-]+$/.test(s)
    ? undefined
    : 'region may hold only lower-case letters, digits and "-" (e.g. cn-north-4)',
);
/**
 * A profile name: a key of the store's maps, which are kept without a prototype so that no name
 * (`constructor`, `toString`) is there before the user puts it there; `__proto__` alone is refused,
 * as plain objects (JSON tools, older versions of hss) give it a meaning of its own.
 */
export const ProfileName = boundedText('profile name', 1, 64, (s) => {
  if (!/^[A-Za-z0-9._-]+$/.test(s)) return 'profile name may hold only letters, digits, ".", "_" and "-"';
  return s === '__proto__' ? 'profile name "__proto__" is reserved' : undefined;
});

const SCAN_TYPE_SET: ReadonlySet<string> = new Set(SCAN_TYPES);

export function scanTypeIssue(value: string): string | undefined {
  return SCAN_TYPE_SET.has(value)
    ? undefined
    : `scan type ${quote(value)} is not one of ${SCAN_TYPES.join(', ')}`;
}

/** One to three scan types, each once; an unknown one is named first. */
export const ScanTypeList: Rule<string[], ScanType[]> = rule<string[], ScanType[]>((list) => {
  for (const item of list) {
    const issue = scanTypeIssue(item);
    if (issue !== undefined) return issue;
  }
  if (list.length < 1) return 'needs at least one scan type';
  if (list.length > 3) return `has ${list.length} scan types; the limit is 1–3`;
  if (new Set(list).size !== list.length) return 'names a scan type twice';
  return undefined;
});

/** CreateTask's cluster_id_list: 1–200 distinct cluster IDs (the limit of RetryTask's cluster list). */
export const ClusterIdList: Rule<string[], string[]> = rule<string[], string[]>((list) => {
  for (const id of list) {
    const parsed = ClusterId.safeParse(id);
    if (!parsed.success) return `cluster ID ${quote(id)}: ${firstIssue(parsed.error)}`;
  }
  if (list.length < 1) return 'needs at least one cluster';
  if (list.length > MAX_CLUSTERS) return `${list.length} clusters given; the limit is 1–${MAX_CLUSTERS}`;
  const twice = list.find((id, index) => list.indexOf(id) !== index);
  return twice === undefined ? undefined : `cluster ${quote(twice)} is given twice`;
});

/** First issue of a failed check (a rule's or a zod schema's), as one line. */
export function firstIssue(error: { issues: readonly RuleIssue[] }): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  return issue.message;
}

/**
 * A name or command line typed by the user and kept as is (a user name, an account, an access key ID):
 * 1–`max` characters, none of them a control character; else a usage error naming it.
 */
export function plainText(value: string, what: string, max = 256): string {
  if (value.length === 0 || value.length > max || CONTROL.test(value)) {
    throw new UsageError(`${what} ${quote(value)}: must be 1–${max} characters without control characters`);
  }
  return value;
}
