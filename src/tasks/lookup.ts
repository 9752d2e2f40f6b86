/**
 * Finding a task by its ID: the check of an ID as typed, and the lookup that turns the API's empty
 * answer into the error a user can act on. Shared by `task show`, `task wait`, the wait loop and
 * `task retry --only`.
 */
import type { HssApi } from '../api/hss.js';
import type { TaskSummary } from '../api/schemas.js';
import { ApiError, UsageError } from '../core/errors.js';
import { firstIssue, TaskId } from '../core/rules.js';
import { quote } from '../core/text.js';

export function checkTaskId(id: string): string {
  const parsed = TaskId.safeParse(id);
  if (!parsed.success) throw new UsageError(`task ID ${quote(id)}: ${firstIssue(parsed.error)}`);
  return id;
}

/** ListTasks answers an unknown ID with an empty list, not an error: that is the API refusing it. */
export class TaskNotFoundError extends ApiError {
  constructor(readonly taskId: string) {
    super(`task ${quote(taskId)} was not found in this project`, {
      hint: 'list the tasks with `hss task list`; check --project-id and --enterprise-project',
    });
  }
}

export function taskNotFound(taskId: string): ApiError {
  return new TaskNotFoundError(taskId);
}

export async function requireTask(api: Pick<HssApi, 'getTask'>, taskId: string): Promise<TaskSummary> {
  const task = await api.getTask(taskId);
  if (!task) throw taskNotFound(taskId);
  return task;
}
