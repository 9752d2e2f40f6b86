/**
 * The task calls beyond retrying and listing cluster scans: CreateTask, ShowTaskStatistics and the
 * files of an IaC scan task (ListTaskResources with task_type iac_scan). URL, query and body exactly
 * as the API reference has them; answers checked against their schemas (src/api/schemas.ts).
 */

import { type HssApi, type HssTarget, hssUrl, parseJson } from './hss.js';
import type { ApiRequest } from './http.js';
import { pageThrough, withIds } from './paging.js';
import type { CreateTaskBody, IacFileResult, TaskStatistics, TaskType } from './schemas.js';

export type { CreateTaskBody, TaskType } from './schemas.js';

export function createTaskRequest(target: HssTarget, body: CreateTaskBody): ApiRequest {
  return {
    method: 'POST',
    url: hssUrl(target, ['common', 'task']),
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    operation: 'CreateTask',
    // A second CreateTask creates a second task.
    idempotent: false,
  };
}

/** CreateTask: the new task's ID, with the answer's status and request ID. */
export async function createTask(
  api: HssApi,
  body: CreateTaskBody,
): Promise<{ taskId: string; status: number; requestId?: string }> {
  const response = await api.send(createTaskRequest(api.target, body));
  const { CreateTaskResponse } = await import('./schemas.js');
  const answer = parseJson(CreateTaskResponse, response, 'CreateTask');
  return {
    taskId: answer.task_id,
    status: response.status,
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
}

/** ShowTaskStatistics of one task type. */
export async function taskStatistics(api: HssApi, taskType: TaskType): Promise<TaskStatistics> {
  const response = await api.send({
    method: 'GET',
    url: hssUrl(api.target, ['common', 'task-statistics'], { task_type: taskType }),
    headers: {},
    operation: 'ShowTaskStatistics',
  });
  const { TaskStatisticsResponse } = await import('./schemas.js');
  return parseJson(TaskStatisticsResponse, response, 'ShowTaskStatistics');
}

/** An IaC task among the tasks of type iac_scan, by ID; undefined when there is none. */
export async function getIacTask(api: HssApi, taskId: string) {
  const { tasks } = await api.listTasks({ task_type: 'iac_scan', task_id: taskId }, 0, 10);
  return tasks.find((t) => t.task_id === taskId);
}

/** Every page of an IaC task's files (with `failed`, the failed ones). */
export async function allIacFiles(api: HssApi, taskId: string, failed: boolean): Promise<IacFileResult[]> {
  const operation = `ListTaskResources ${taskId}`;
  const { ListIacFilesResponse } = await import('./schemas.js');
  const listing = await pageThrough(
    async (offset, limit) => {
      const response = await api.send({
        method: 'POST',
        url: hssUrl(api.target, ['common', 'tasks', taskId, 'resources', 'batch-query'], { offset, limit }),
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          task_type: 'iac_scan',
          ...(failed ? { iac_scan_info: { scan_status: 'failed' } } : {}),
        }),
        operation,
      });
      const body = parseJson(ListIacFilesResponse, response, 'ListTaskResources');
      const files = withIds(body.iac_scan_data_list, 'file_id', 'files', 'ListTaskResources', (line) =>
        api.note(line),
      );
      return {
        items: files,
        received: body.iac_scan_data_list.length,
        total: body.total_num,
        bytes: response.text.length,
      };
    },
    {
      id: (file) => file.file_id,
      what: 'files',
      operation,
      hint: 'no task has that many files: check that the endpoint is the HSS API (`hss config show`)',
    },
  );
  if (listing.stopped) api.note(`${operation}: ${listing.stopped}; ${listing.items.length} files read`);
  return listing.items;
}
