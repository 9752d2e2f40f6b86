/**
 * The reports of `hss task retry --wait` (--junit, --summary), from the run's items. Loaded only when
 * a report is asked for.
 */
import type { Context } from '../cli/context.js';
import { HssError } from '../core/errors.js';
import type { ReportTask } from './report.js';
import type { RetryPlan } from './retry-plan.js';
import type { RetryRun } from './retry-run.js';

/** The items of a run as report entries. */
export function reportTasks(run: RetryRun, region: string): ReportTask[] {
  return run.items.map((item) => {
    const task: ReportTask = { taskId: item.task_id, region };
    if (item.followed) task.outcome = item.followed.outcome;
    if (item.error) task.error = item.error;
    if (item.rounds) task.rounds = item.rounds.length;
    return task;
  });
}

/**
 * Writes the reports; a report that cannot be written is said on stderr and the run exits at least 3,
 * but what the run did is still reported.
 */
export async function writeRunReports(
  run: RetryRun,
  plan: RetryPlan,
  ctx: Context,
  empty?: string,
): Promise<HssError | undefined> {
  const region = ctx.settings().region?.value ?? (await ctx.hss()).target.projectId;
  return writeTaskReports(reportTasks(run, region), plan, ctx, empty);
}

/** Writes the reports of these tasks (of one project or several); the error when one cannot be. */
export async function writeTaskReports(
  tasks: ReportTask[],
  plan: RetryPlan,
  ctx: Context,
  /** Why there is no task, when there is none: said in the reports. */
  empty?: string,
): Promise<HssError | undefined> {
  const { writeReports } = await import('./report.js');
  try {
    const context = { title: 'hss task retry', now: ctx.io.now(), ...(empty === undefined ? {} : { empty }) };
    writeReports(plan.reports, tasks, context);
    return undefined;
  } catch (error) {
    if (!(error instanceof HssError)) throw error;
    return error;
  }
}
