/**
 * `hss task stats --region a,b|all [--all-projects]`: each project's figures and their sum; a project
 * that cannot be read is reported and the others counted.
 */
import type { ChalkInstance } from 'chalk';
import type { TaskStatistics, TaskType } from '../../../api/schemas.js';
import { taskStatistics } from '../../../api/task-calls.js';
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { table } from '../../../output/table.js';
import { when } from '../../../output/task-view.js';
import type { ProjectStatsDocument, TaskStatsDocument } from '../../../tasks/documents.js';
import { type FleetOutcome, fleetError, forEachProject } from '../../../tasks/fleet.js';

function statsTable(
  doc: TaskStatsDocument,
  names: Map<string, string>,
  withProject: boolean,
  s: ChalkInstance,
  now: number,
): string {
  const projects = doc.projects ?? [];
  const header = [...(withProject ? ['REGION', 'PROJECT'] : ['REGION']), 'TASKS', 'RUNNING', 'LATEST START'];
  const row = (p: ProjectStatsDocument) => [
    p.region,
    ...(withProject ? [names.get(p.project_id) ?? p.project_id] : []),
    String(p.total_num),
    String(p.running_num),
    when(p.last_task_start_time, now),
  ];
  const total = [
    s.bold('all'),
    ...(withProject ? [''] : []),
    String(doc.total_num),
    String(doc.running_num),
    when(doc.last_task_start_time, now),
  ];
  return table(header, [...projects.map(row), total], (t) => s.bold(t));
}

export async function fleetTaskStats(
  ctx: Context,
  taskType: TaskType,
  concurrency: number | undefined,
): Promise<CommandResult<TaskStatsDocument>> {
  const spinner = await ctx.renderer.spinner('Reading the task statistics…');
  let outcome: FleetOutcome<TaskStatistics>;
  try {
    outcome = await forEachProject(
      ctx,
      (_project, api) => taskStatistics(api, taskType),
      concurrency === undefined ? {} : { concurrency },
    );
  } finally {
    spinner.stop();
  }
  const names = new Map<string, string>();
  const projects: ProjectStatsDocument[] = outcome.results.map(({ project, value }) => {
    names.set(project.projectId, project.name);
    const row: ProjectStatsDocument = {
      region: project.region,
      project_id: project.projectId,
      total_num: value.total_num ?? 0,
      running_num: value.running_num ?? 0,
    };
    // 0 is what the API answers when no task was ever created: there is no latest start then.
    if (value.last_task_start_time) row.last_task_start_time = value.last_task_start_time;
    return row;
  });
  const data: TaskStatsDocument = {
    ok: outcome.errors.length === 0,
    task_type: taskType,
    total_num: projects.reduce((n, p) => n + p.total_num, 0),
    running_num: projects.reduce((n, p) => n + p.running_num, 0),
  };
  const latest = Math.max(0, ...projects.map((p) => p.last_task_start_time ?? 0));
  if (latest) data.last_task_start_time = latest;
  data.projects = projects;
  if (outcome.errors.length) data.errors = outcome.errors;
  const now = ctx.io.now();
  const withProject = ctx.flags.allProjects === true;
  const result: CommandResult<TaskStatsDocument> = {
    data,
    text: (s) => statsTable(data, names, withProject, s, now),
    exitCode: outcome.exitCode,
  };
  const closing = fleetError(outcome);
  if (closing) result.closing = closing;
  return result;
}
