/**
 * `hss task retry [<task_id...>]`: re-run failed cluster scans of one or more tasks (RetryTask), or
 * of every task started since a time that has failed clusters (--since). The plan, the selection, the
 * run and its presentation are src/tasks/retry-*.ts and src/tasks/select.ts.
 */
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import type { TaskRetryDocument } from '../../../tasks/documents.js';
import { planRetry, type RetryOptions, type RetryPlan, readOnlyPlan } from '../../../tasks/retry-plan.js';
import { dryRunRequests, executeRetry, type RetryRun, settleRun } from '../../../tasks/retry-run.js';
import { dryRunResult, retryResult, skippedResult } from '../../../tasks/retry-view.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

export async function taskRetry(
  args: string[],
  opts: RetryOptions,
  ctx: Context,
): Promise<CommandResult<TaskRetryDocument>> {
  // Everything the user typed is checked before settings, credentials or the network are touched.
  let plan = await planRetry(args, opts, ctx, ctx.io.now());
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
    const selected = await applySelection(api, plan, ctx.renderer);
    if ('none' in selected) {
      // A quiet morning is still reported: CI finds its report files, saying there was nothing to do.
      if (!hasReports(plan)) return selected.none;
      return withReports(selected.none, { items: [], waited: true }, plan, ctx, selected.message);
    }
    plan = selected.plan;
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
  if (!hasReports(plan)) return retryResult(run);
  return withReports(retryResult(run), run, plan, ctx);
}

function hasReports(plan: RetryPlan): boolean {
  return plan.reports.junit !== undefined || plan.reports.summary !== undefined;
}

/**
 * The run's result once its reports are written; a report that cannot be written is said on stderr
 * and raises the exit code to 3 at least, and what the run did is still reported.
 */
async function withReports(
  result: CommandResult<TaskRetryDocument>,
  run: RetryRun,
  plan: RetryPlan,
  ctx: Context,
  empty?: string,
): Promise<CommandResult<TaskRetryDocument>> {
  const { writeRunReports } = await import('../../../tasks/retry-report.js');
  const failed = await writeRunReports(run, plan, ctx, empty);
  if (failed) {
    ctx.renderer.warn(failed.message);
    result.exitCode = Math.max(result.exitCode, failed.exitCode);
  }
  return result;
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskRetry(args.task_id, opts, ctx);
export default handler;
