// ListTasks' filters that every task type shares (spec §2): task_id, task_name, creation times, trigger,
// status and the sort. Cluster-scan and IaC tasks are filtered and paged the same way.

import { TASK_STATUSES, type TaskStatus, TRIGGER_TYPES, type TriggerType } from './model.js';
import {
  field,
  type JsonObject,
  MAX_ID_CHARS,
  optionalEnum,
  optionalEpochMs,
  optionalString,
} from './request.js';

/** What the shared filters look at, in a task of either type. */
export interface Listed {
  id: string;
  name: string;
  trigger: TriggerType;
  status: TaskStatus;
  startTime: number;
}

export interface TaskQuery {
  matches(task: Listed): boolean;
  sortDir: 'asc' | 'desc';
}

export function readTaskQuery(body: JsonObject): TaskQuery {
  const taskId = optionalString(body, 'task_id', 'task_id', MAX_ID_CHARS);
  const taskName = optionalString(body, 'task_name', 'task_name')?.toLowerCase();
  const from = optionalEpochMs(body, 'start_create_time', 'start_create_time');
  const to = optionalEpochMs(body, 'end_create_time', 'end_create_time');
  const trigger = optionalEnum(body, 'trigger_type', 'trigger_type', TRIGGER_TYPES);
  const status = optionalEnum(body, 'task_status', 'task_status', TASK_STATUSES);
  optionalEnum(body, 'sort_key', 'sort_key', ['start_time'] as const);
  const sortDir = optionalEnum(body, 'sort_dir', 'sort_dir', ['asc', 'desc'] as const) ?? 'desc';
  return {
    sortDir,
    matches: (task) =>
      (taskId === undefined || task.id === taskId) &&
      (taskName === undefined || task.name.toLowerCase().includes(taskName)) &&
      (from === undefined || task.startTime >= from) &&
      (to === undefined || task.startTime <= to) &&
      (trigger === undefined || task.trigger === trigger) &&
      (status === undefined || task.status === status),
  };
}

/** The matching tasks in the asked order (newest first by default), one page of them. */
export function sortedPage<T extends Listed>(
  matches: T[],
  sortDir: 'asc' | 'desc',
  offset: number,
  limit: number,
): T[] {
  const sign = sortDir === 'asc' ? 1 : -1;
  matches.sort((a, b) => sign * (a.startTime - b.startTime) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return matches.slice(offset, offset + limit);
}

/** A value absent, or an empty list: "no filter" for a list-valued filter (spec §2). */
export function isEmptyFilter(object: JsonObject | undefined, key: string): boolean {
  if (object === undefined) return true;
  const value = field(object, key);
  return value === undefined || (Array.isArray(value) && value.length === 0);
}
