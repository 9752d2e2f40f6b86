/**
 * `hss task show <task_id>`: the task summary (ListTasks by task_id) and every page of its per-cluster
 * results (ListTaskResources), failures first. A task ID that is no cluster scan's is looked for among
 * the IaC scan tasks (task type iac_scan), which are shown with their files.
 */
import type { HssApi } from '../../../api/hss.js';
import type { ClusterResult, IacFileResult, TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { taskDetails } from '../../../output/task-view.js';
import type { IacTaskShowDocument, TaskShowDocument } from '../../../tasks/documents.js';
import { checkTaskId, taskNotFound } from '../../../tasks/lookup.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

type TaskShowOptions = Options<typeof spec>;

type Shown =
  | { kind: 'cluster_scan'; task: TaskSummary; clusters: ClusterResult[] }
  | { kind: 'iac_scan'; task: TaskSummary; files: IacFileResult[] };

async function read(api: HssApi, taskId: string, failed: boolean): Promise<Shown> {
  const task = await api.getTask(taskId);
  if (task) {
    const clusters = await api.allTaskResources(taskId, failed ? { scan_status: 'failed' } : {});
    return { kind: 'cluster_scan', task, clusters };
  }
  const { allIacFiles, getIacTask } = await import('../../../api/task-calls.js');
  const iac = await getIacTask(api, taskId);
  if (!iac) throw taskNotFound(taskId);
  return { kind: 'iac_scan', task: iac, files: await allIacFiles(api, taskId, failed) };
}

export async function taskShow(
  id: string,
  opts: TaskShowOptions,
  ctx: Context,
): Promise<CommandResult<TaskShowDocument | IacTaskShowDocument>> {
  const taskId = checkTaskId(id);
  const failed = opts.failed === true;
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner(`Reading task ${taskId}…`);
  let shown: Shown;
  try {
    shown = await read(api, taskId, failed);
  } finally {
    spinner.stop();
  }
  const now = ctx.io.now();
  if (shown.kind === 'cluster_scan') {
    const { task, clusters } = shown;
    return {
      data: { ok: true, task, clusters },
      text: (s) => taskDetails(task, clusters, failed, s, now),
      ids: clusters.map((c) => c.cluster_id),
      exitCode: 0,
    };
  }
  const { task, files } = shown;
  const { iacTaskDetails } = await import('../../../output/iac-view.js');
  return {
    data: { ok: true, task, files },
    text: (s) => iacTaskDetails(task, files, failed, s, now),
    ids: files.map((f) => f.file_id),
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskShow(args.task_id, opts, ctx);
export default handler;
