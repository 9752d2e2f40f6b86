/**
 * `hss task stats`: how many tasks of a type there are, how many run now, and when the latest was
 * created (ShowTaskStatistics).
 */
import type { ChalkInstance } from 'chalk';
import { taskStatistics } from '../../../api/task-calls.js';
import type { Context } from '../../../cli/context.js';
import { parseInteger } from '../../../core/duration.js';
import type { CommandResult } from '../../../output/renderer.js';
import { when } from '../../../output/task-view.js';
import type { TaskStatsDocument } from '../../../tasks/documents.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

function statsText(doc: TaskStatsDocument, s: ChalkInstance, now: number): string {
  const latest = doc.last_task_start_time;
  return [
    `${s.bold('tasks')}          ${doc.total_num} (${doc.task_type})`,
    `${s.bold('running')}        ${doc.running_num}`,
    `${s.bold('latest start')}   ${when(latest, now)}`,
  ].join('\n');
}

export async function taskStats(
  opts: Options<typeof spec>,
  ctx: Context,
): Promise<CommandResult<TaskStatsDocument>> {
  const taskType = opts.type ?? 'cluster_scan';
  const concurrency =
    opts.concurrency === undefined ? undefined : parseInteger(opts.concurrency, '--concurrency', 1, 32);
  const { wantsSeveralProjects } = await import('../../../tasks/fleet.js');
  if (wantsSeveralProjects(ctx)) {
    const { fleetTaskStats } = await import('./fleet.js');
    return fleetTaskStats(ctx, taskType, concurrency);
  }
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner('Reading the task statistics…');
  let stats: Awaited<ReturnType<typeof taskStatistics>>;
  try {
    stats = await taskStatistics(api, taskType);
  } finally {
    spinner.stop();
  }
  const data: TaskStatsDocument = {
    ok: true,
    task_type: taskType,
    total_num: stats.total_num ?? 0,
    running_num: stats.running_num ?? 0,
  };
  // 0 is what the API answers when no task was ever created: there is no latest start then.
  if (stats.last_task_start_time) data.last_task_start_time = stats.last_task_start_time;
  const now = ctx.io.now();
  return { data, text: (s) => statsText(data, s, now), exitCode: 0 };
}

const handler: Handler<typeof spec> = ({ opts }, ctx) => taskStats(opts, ctx);
export default handler;
