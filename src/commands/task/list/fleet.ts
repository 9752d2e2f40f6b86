/**
 * `hss task list --region a,b|all [--all-projects]`: the tasks of several projects, newest first,
 * each with its region and project; a project that cannot be read is reported and the others listed.
 */
import type { ListTasksFilter } from '../../../api/hss.js';
import type { Listing } from '../../../api/paging.js';
import type { TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import { plural } from '../../../core/text.js';
import { iacTaskTable } from '../../../output/iac-view.js';
import type { CommandResult } from '../../../output/renderer.js';
import { taskTable } from '../../../output/task-view.js';
import type { ProjectTaskDocument, TaskListDocument } from '../../../tasks/documents.js';
import { type FleetOutcome, fleetError, forEachProject } from '../../../tasks/fleet.js';

export async function fleetTaskList(
  ctx: Context,
  filter: ListTasksFilter,
  wanted: number,
  concurrency: number | undefined,
): Promise<CommandResult<TaskListDocument>> {
  const spinner = await ctx.renderer.spinner('Listing tasks…');
  let outcome: FleetOutcome<Listing<TaskSummary>>;
  try {
    outcome = await forEachProject(
      ctx,
      (_project, api) => api.allTasks(filter, { wanted }),
      concurrency === undefined ? {} : { concurrency },
    );
  } finally {
    spinner.stop();
  }
  const names = new Map<string, string>();
  let total = 0;
  const all: ProjectTaskDocument[] = [];
  for (const { project, value } of outcome.results) {
    names.set(project.projectId, project.name);
    total += value.total;
    if (value.stopped) {
      ctx.renderer.warn(
        `the listing of ${project.name} stops at ${plural(value.items.length, 'task')}: ${value.stopped}`,
      );
    }
    for (const task of value.items)
      all.push({ ...task, region: project.region, project_id: project.projectId });
  }
  // Newest first across projects, as each project's own listing is; then the first `wanted`.
  const tasks = all
    .map((task, index) => ({ task, index }))
    .sort((a, b) => (b.task.start_time ?? 0) - (a.task.start_time ?? 0) || a.index - b.index)
    .map(({ task }) => task)
    .slice(0, wanted);
  const withProject = ctx.flags.allProjects === true;
  const now = ctx.io.now();
  const data: TaskListDocument = { ok: outcome.errors.length === 0, total_num: total, tasks };
  if (outcome.errors.length) data.errors = outcome.errors;
  const result: CommandResult<TaskListDocument> = {
    data,
    text: (s) =>
      // IaC scan tasks (--type iac_scan) have files where cluster scans have clusters.
      (filter.task_type === 'iac_scan' ? iacTaskTable : taskTable)(tasks, total, s, now, {
        header: withProject ? ['REGION', 'PROJECT'] : ['REGION'],
        cells: (t) => (withProject ? [t.region, names.get(t.project_id) ?? t.project_id] : [t.region]),
      }),
    ids: tasks.map((t) => t.task_id),
    exitCode: outcome.exitCode,
  };
  const closing = fleetError(outcome);
  if (closing) result.closing = closing;
  return result;
}
