/**
 * `hss task retry [<task_id...>]`: re-run failed cluster scans of one or more tasks (RetryTask), or
 * of every task started since a time that has failed clusters (--since). The plan, the selection, the
 * run and its presentation are src/tasks/retry-*.ts and src/tasks/select.ts.
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
  const plan = await planRetry(args, opts, ctx, ctx.io.now());
  if (plan.since) {
    const { wantsSeveralProjects } = await import('../../../tasks/fleet.js');
    if (wantsSeveralProjects(ctx)) {
      const { fleetRetry } = await import('./fleet.js');
      return fleetRetry(plan, ctx);
    }
  }
  // Resolved once: every task of a batch shares the credentials, project and connection settings.
  // A selection (--since) reads the tasks even for a dry run.
  const api = await ctx.hss({ offline: plan.dryRun && !plan.since });
  if (plan.since) {
    const { applySelection } = await import('../../../tasks/retry-select.js');
    const none = await applySelection(api, plan, ctx.renderer);
    if (none) return none;
  }
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
  const run = await executeRetry(api, plan, ctx.renderer, ctx.io);
  if (plan.reports.junit === undefined && plan.reports.summary === undefined) return retryResult(run);
  const { writeRunReports } = await import('../../../tasks/retry-report.js');
  const failed = await writeRunReports(run, plan, ctx);
  const result = retryResult(run);
  if (failed) {
    ctx.renderer.warn(failed.message);
    result.exitCode = Math.max(result.exitCode, failed.exitCode);
  }
  return result;
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskRetry(args.task_id, opts, ctx);
export default handler;
