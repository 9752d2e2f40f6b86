// The task service of one project of the sandbox: the dispatch of a routed, authenticated request
// to its operation, the project's tasks settled to the request's time first.

import type { Answer } from './answers.js';
import { createTask } from './create.js';
import {
  type HssRequest,
  type HssState,
  listTaskResources,
  listTasks,
  Refusal,
  retryTask,
  taskStatistics,
} from './hss.js';
import { settleIac } from './iac.js';
import { settle } from './model.js';
import type { Operation } from './routes.js';

export type { HssState } from './hss.js';

/**
 * The task operations of a routed, authenticated request: the tasks' progress settled to the
 * request's time first, then the operation; a refusal is its answer.
 */
export function serveHss(
  operation: Exclude<Operation, 'login' | 'projects'>,
  taskId: string,
  request: HssRequest,
  state: HssState,
): Answer {
  settle(state.tasks.values(), request.now);
  settleIac(state.iacTasks.values(), request.now);
  try {
    switch (operation) {
      case 'retry':
        return retryTask(request, taskId, state);
      case 'list':
        return listTasks(request, state);
      case 'resources':
        return listTaskResources(request, taskId, state);
      case 'create':
        return createTask(request, state);
      default:
        return taskStatistics(request, state);
    }
  } catch (error) {
    if (error instanceof Refusal) return error.answer;
    throw error;
  }
}
