/**
 * `hss task retry --since`: which tasks of one project to retry. Every ListTasks page of the tasks
 * started since then (--name and --trigger narrow it) is read; a finished task with failed clusters is
 * selected, and the others are counted so the user is told what was passed over and why. It takes the
 * project's API and returns the project's result, so several projects can each be asked in turn.
 */
import type { HssApi, ListTasksFilter } from '../api/hss.js';
import type { TaskSummary } from '../api/schemas.js';
import { plural } from '../core/text.js';
import { clusterCounts } from '../output/task-view.js';

export interface SelectionCriteria {
  /** Epoch ms: tasks started (created) since then. */
  since: number;
  name?: string | undefined;
  trigger?: string | undefined;
}

export interface Selection {
  /** The finished tasks with failed clusters, newest first: the ones to retry. */
  tasks: TaskSummary[];
  /** Every task started since then that matched. */
  total: number;
  running: number;
  /** Created, not started yet (`ready`), or in a status hss does not know. */
  notStarted: number;
  clean: number;
  /** Why the listing stopped early, when it did (see pageThrough). */
  stopped?: string;
}

export async function selectFailedTasks(api: HssApi, criteria: SelectionCriteria): Promise<Selection> {
  const filter: ListTasksFilter = { start_create_time: criteria.since };
  if (criteria.name !== undefined) filter.task_name = criteria.name;
  if (criteria.trigger !== undefined) filter.trigger_type = criteria.trigger;
  const listing = await api.allTasks(filter);
  const selection: Selection = {
    tasks: [],
    total: listing.items.length,
    running: 0,
    notStarted: 0,
    clean: 0,
  };
  for (const task of listing.items) {
    if (task.task_status === 'running') selection.running += 1;
    else if (task.task_status !== 'finished') selection.notStarted += 1;
    else if (clusterCounts(task).failed > 0) selection.tasks.push(task);
    else selection.clean += 1;
  }
  if (listing.stopped) selection.stopped = listing.stopped;
  return selection;
}

/** `12 tasks since 12h: 4 with failed clusters, 1 still running, 7 clean` (the stderr line). */
export function describeSelection(selection: Selection, since: string): string {
  const parts = [`${selection.tasks.length} with failed clusters`];
  parts.push(`${selection.running} still running`);
  if (selection.notStarted) parts.push(`${selection.notStarted} not started`);
  parts.push(`${selection.clean} clean`);
  return `${plural(selection.total, 'task')} since ${since}: ${parts.join(', ')}`;
}
