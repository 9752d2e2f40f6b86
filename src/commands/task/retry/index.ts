/**
 * `hss task retry <task_id...>`: re-run failed cluster scans of one or more tasks (RetryTask). The
 * plan, the run and its presentation are src/tasks/retry-*.ts.
 */
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import type { TaskRetryDocument } from '../../../tasks/documents.js';
import { planRetry, type RetryOptions, readOnlyPlan } from '../../../tasks/retry-plan.js';
import { dryRunRequests, executeRetry, settleRun } from '../../../tasks/retry-run.js';
import { dryRunResult, retryResult, skippedResult } from '../../../tasks/retry-view.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

export async function taskRetry(
  args: string[],
  opts: RetryOptions,
  ctx: Context,
): Promise<CommandResult<TaskRetryDocument>> {
  // Everything the user typed is checked before settings, credentials or the network are touched.
  const plan = await planRetry(args, opts, ctx);
  // Resolved once: every task of a batch shares the credentials, project and connection settings.
  const api = await ctx.hss({ offline: plan.dryRun });
  if (plan.only) {
    const [taskId] = plan.taskIds as [string];
    const only = await readOnlyPlan(api, taskId, plan.only, ctx.renderer);
    if ('skipped' in only) return skippedResult(taskId, only.skipped);
    if ('failed' in only) {
      const item = { task_id: taskId, ok: false, error: only.failed };
      return retryResult(settleRun([item], plan.wait !== undefined, ctx.io.signal));
    }
    plan.body = only.body;
  }
  if (plan.dryRun) return dryRunResult(await dryRunRequests(api, plan), plan.only !== undefined);
  return retryResult(await executeRetry(api, plan, ctx.renderer, ctx.io));
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskRetry(args.task_id, opts, ctx);
export default handler;
