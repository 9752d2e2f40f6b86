/**
 * `hss task show <task_id>`: the task summary (ListTasks by task_id) and every page of its per-cluster
 * results (ListTaskResources), failures first.
 */
import type { ClusterResult, TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { taskDetails } from '../../../output/task-view.js';
import type { TaskShowDocument } from '../../../tasks/documents.js';
import { checkTaskId, requireTask } from '../../../tasks/lookup.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

type TaskShowOptions = Options<typeof spec>;

export async function taskShow(
  id: string,
  opts: TaskShowOptions,
  ctx: Context,
): Promise<CommandResult<TaskShowDocument>> {
  const taskId = checkTaskId(id);
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner(`Reading task ${taskId}…`);
  let task: TaskSummary;
  let clusters: ClusterResult[];
  try {
    task = await requireTask(api, taskId);
    clusters = await api.allTaskResources(taskId, opts.failed ? { scan_status: 'failed' } : {});
  } finally {
    spinner.stop();
  }
  const now = ctx.io.now();
  return {
    data: { ok: true, task, clusters },
    text: (s) => taskDetails(task, clusters, opts.failed === true, s, now),
    ids: clusters.map((c) => c.cluster_id),
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskShow(args.task_id, opts, ctx);
export default handler;
