/**
 * `hss task show <task_id>`: the task summary (ListTasks by task_id) and every page of its per-cluster
 * results (ListTaskResources), failures first.
 */
import type { HssApi } from '../../../api/hss.js';
import type { TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import { ApiError, UsageError } from '../../../core/errors.js';
import { firstIssue, TaskId } from '../../../core/rules.js';
import { plural, quote } from '../../../core/text.js';
import type { CommandResult } from '../../../output/renderer.js';
import { clusterCounts, clusterTable, formatTime, statusCell } from '../../../output/task-view.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

export type TaskShowOptions = Options<typeof spec>;

export function checkTaskId(id: string): string {
  const parsed = TaskId.safeParse(id);
  if (!parsed.success) throw new UsageError(`task ID ${quote(id)}: ${firstIssue(parsed.error)}`);
  return id;
}

/** ListTasks answers an unknown ID with an empty list, not an error: that is the API refusing it. */
export async function requireTask(api: HssApi, taskId: string): Promise<TaskSummary> {
  const task = await api.getTask(taskId);
  if (!task) {
    throw new ApiError(`task ${quote(taskId)} was not found in this project`, {
      hint: 'list the tasks with `hss task list`; check --project-id and --enterprise-project',
    });
  }
  return task;
}

export function summaryLines(task: TaskSummary, s: Context['renderer']['out']): string[] {
  const counts = clusterCounts(task);
  const total = counts.scanning + counts.succeeded + counts.failed;
  const ended = task.task_status === 'finished' ? `   ended ${formatTime(task.end_time)}` : '';
  const estimate =
    task.task_status === 'running' && task.estimated_time ? `   about ${task.estimated_time} min left` : '';
  const failed = counts.failed ? s.red(`${counts.failed} failed`) : '0 failed';
  return [
    `${s.bold(task.task_id)}  ${task.task_name ?? ''}`.trimEnd(),
    `  status      ${statusCell(task.task_status, s)}${task.trigger_type ? ` (${task.trigger_type})` : ''}`,
    `  started     ${formatTime(task.start_time)}${ended}${estimate}`,
    `  scan types  ${task.cluster_scan_info?.scan_type_list?.join(', ') || '-'}`,
    `  clusters    ${total}: ${counts.succeeded} succeeded, ${failed}, ${counts.scanning} scanning`,
  ];
}

export async function taskShow(id: string, opts: TaskShowOptions, ctx: Context): Promise<CommandResult> {
  const taskId = checkTaskId(id);
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner(`Reading task ${taskId}…`);
  let task: TaskSummary;
  let clusters: Awaited<ReturnType<HssApi['allTaskResources']>>;
  try {
    task = await requireTask(api, taskId);
    clusters = await api.allTaskResources(taskId, opts.failed ? { scan_status: 'failed' } : {});
  } finally {
    spinner.stop();
  }
  return {
    data: { ok: true, task, clusters },
    text: (s) => {
      const lines = summaryLines(task, s);
      lines.push('');
      if (clusters.length === 0) {
        lines.push(s.dim(opts.failed ? 'no failed clusters' : 'no cluster results'));
      } else {
        if (opts.failed) lines.push(s.red(`${plural(clusters.length, 'failed cluster')}:`));
        lines.push(clusterTable(clusters, s));
      }
      return lines.join('\n');
    },
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskShow(args.task_id, opts, ctx);
export default handler;
