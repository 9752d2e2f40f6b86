// Reading an emulated HSS request as the API validates it: JSON bodies and their fields, paging,
// the enterprise project, task IDs. A refusal is thrown as Refusal, whose answer the server sends.

import { type Answer, hssError } from './answers.js';
import { SANDBOX_ENTERPRISE_PROJECTS } from './constants.js';
import { SCAN_TYPES, type ScanType } from './model.js';

export interface HssRequest {
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  now: number;
}

/** Thrown by a validation step; the dispatcher sends its answer. */
export class Refusal extends Error {
  constructor(readonly answer: Answer) {
    super('request refused');
  }
}

export type JsonObject = Record<string, unknown>;

export const MAX_CLUSTERS = 200;
export const MAX_ID_CHARS = 64;
export const MAX_OFFSET = 2_000_000;
export const MIN_LIMIT = 10;
export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 10;

export function invalid(detail: string): never {
  throw new Refusal(hssError('HSS.0001', detail));
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Length in characters (code points), as a Java backend's @Size would count for these ids. */
export function charLength(text: string): number {
  return [...text].length;
}

/** Absent and JSON null both mean "not given", as with the service's JSON binding. */
export function field(object: JsonObject, key: string): unknown {
  const value = object[key];
  return value === null ? undefined : value;
}

export function optionalString(object: JsonObject, key: string, path: string, max = 256): string | undefined {
  const value = field(object, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalid(`${path} must be a string`);
  const length = charLength(value);
  if (length < 1 || length > max) invalid(`${path} must be 1 to ${max} characters long`);
  return value;
}

export function optionalEnum<T extends string>(
  object: JsonObject,
  key: string,
  path: string,
  allowed: readonly T[],
): T | undefined {
  const value = field(object, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(`${path} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function optionalEpochMs(object: JsonObject, key: string, path: string): number | undefined {
  const value = field(object, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    invalid(`${path} must be a non-negative integer (epoch milliseconds)`);
  }
  return value;
}

export function optionalObject(object: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = field(object, key);
  if (value === undefined) return undefined;
  if (!isObject(value)) invalid(`${path} must be an object`);
  return value;
}

export function scanTypeList(value: unknown, path: string): ScanType[] {
  if (!Array.isArray(value)) invalid(`${path} must be an array`);
  if (value.length < 1 || value.length > SCAN_TYPES.length) {
    invalid(`${path} must contain 1 to ${SCAN_TYPES.length} items`);
  }
  const seen = new Set<ScanType>();
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string' || !(SCAN_TYPES as readonly string[]).includes(entry)) {
      invalid(`${path}[${index}] must be one of ${SCAN_TYPES.join(', ')}`);
    }
    const scanType = entry as ScanType;
    if (seen.has(scanType)) invalid(`${path} contains ${scanType} more than once`);
    seen.add(scanType);
  });
  return [...seen];
}

export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const media = value.split(';')[0]?.trim().toLowerCase();
  return media === 'application/json';
}

export function readBody(req: HssRequest, required: boolean): JsonObject | undefined {
  if (!required && req.body.trim() === '') return undefined;
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new Refusal(hssError('HSS.0002', 'Content-Type must be application/json'));
  }
  if (req.body.trim() === '') throw new Refusal(hssError('HSS.0002', 'the request body is empty'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch {
    throw new Refusal(hssError('HSS.0002', 'the request body is not valid JSON'));
  }
  if (!isObject(parsed)) throw new Refusal(hssError('HSS.0002', 'the request body must be a JSON object'));
  return parsed;
}

/** The task types an operation takes: RetryTask only cluster_scan, the others iac_scan too. */
export const CLUSTER_SCAN_ONLY = ['cluster_scan'] as const;
export const TASK_TYPES = ['cluster_scan', 'iac_scan'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export function readTaskType(
  body: JsonObject,
  required: boolean,
  allowed: readonly TaskType[] = CLUSTER_SCAN_ONLY,
): TaskType | undefined {
  const value = field(body, 'task_type');
  if (value === undefined && !required) return undefined;
  if (value === undefined) invalid('task_type is required');
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(`task_type must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}`);
  }
  return value as TaskType;
}

export function checkEnterpriseProject(query: URLSearchParams): void {
  const value = query.get('enterprise_project_id');
  if (value === null) return;
  const length = charLength(value);
  if (length < 1 || length > 256) invalid('enterprise_project_id must be 1 to 256 characters long');
  if (!SANDBOX_ENTERPRISE_PROJECTS.includes(value)) {
    throw new Refusal(hssError('HSS.0010', `enterprise project ${value} is not available to this account`));
  }
}

export function queryInteger(
  query: URLSearchParams,
  key: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const raw = query.get(key);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) invalid(`${key} must be an integer from ${min} to ${max}`);
  const value = Number(raw);
  if (value < min || value > max) invalid(`${key} must be an integer from ${min} to ${max}`);
  return value;
}

export function readPaging(query: URLSearchParams): { offset: number; limit: number } {
  return {
    offset: queryInteger(query, 'offset', 0, MAX_OFFSET, 0),
    limit: queryInteger(query, 'limit', MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT),
  };
}

export function decodeTaskId(raw: string): string {
  let taskId: string;
  try {
    taskId = decodeURIComponent(raw);
  } catch {
    invalid('task_id is not validly percent-encoded');
  }
  const length = charLength(taskId);
  if (length < 1 || length > MAX_ID_CHARS) invalid(`task_id must be 1 to ${MAX_ID_CHARS} characters long`);
  return taskId;
}
