/**
 * `hss task wait <task_id...>`: follow tasks until they have finished (the wait loops:
 * src/tasks/follow.ts for one task, src/tasks/follow-many.ts for several), with CI reports.
 */
import type { Context } from '../../../cli/context.js';
import { HssError } from '../../../core/errors.js';
import type { CommandResult } from '../../../output/renderer.js';
import type { TaskWaitDocument, TaskWaitManyDocument } from '../../../tasks/documents.js';
import { type FollowOutcome, type WaitOptions, waitSettings } from '../../../tasks/follow.js';
import { followMany } from '../../../tasks/follow-many.js';
import { pollReporter } from '../../../tasks/follow-view.js';
import { checkTaskId, TaskNotFoundError } from '../../../tasks/lookup.js';
import { reportPaths } from '../../../tasks/report-paths.js';
import { waitedTasks, waitManyResult, waitResult } from '../../../tasks/wait-view.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

type WaitCommandOptions = WaitOptions & { junit?: string | undefined; summary?: string | undefined };

export async function taskWait(
  ids: string[],
  opts: WaitCommandOptions,
  ctx: Context,
): Promise<CommandResult<TaskWaitDocument | TaskWaitManyDocument>> {
  const taskIds = [...new Set(ids.map(checkTaskId))];
  const settings = waitSettings(opts);
  const reports = reportPaths(opts);
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner(
    taskIds.length === 1 ? `Waiting for ${taskIds[0]}…` : `Waiting for ${taskIds.length} tasks…`,
  );
  const reporter = pollReporter(ctx.renderer, spinner, taskIds.length);
  let outcomes: Map<string, FollowOutcome>;
  try {
    outcomes = await followMany(
      api,
      taskIds.map((taskId) => ({ taskId })),
      settings,
      ctx.io,
      { onPoll: reporter.onPoll, onDone: reporter.finished, allClusters: reports.junit !== undefined },
    );
  } catch (error) {
    if (!(error instanceof TaskNotFoundError)) throw error;
    const { iacNotFollowed } = await import('../../../tasks/iac-refusal.js');
    throw await iacNotFollowed(api, error.taskId, error);
  } finally {
    spinner.stop();
  }
  const waited = waitedTasks(
    taskIds.map((taskId) => ({ taskId, outcome: outcomes.get(taskId) as FollowOutcome })),
    settings,
  );
  const [single] = waited;
  const result: CommandResult<TaskWaitDocument | TaskWaitManyDocument> =
    waited.length === 1 && single ? waitResult(single, settings) : waitManyResult(waited, settings);
  if (reports.junit === undefined && reports.summary === undefined) return result;
  const { writeReports } = await import('../../../tasks/report.js');
  const region = ctx.settings().region?.value ?? api.target.projectId;
  try {
    writeReports(
      reports,
      waited.map((task) => ({ ...task, region })),
      { title: 'hss task wait', now: ctx.io.now() },
    );
  } catch (error) {
    if (!(error instanceof HssError)) throw error;
    ctx.renderer.warn(error.message);
    result.exitCode = Math.max(result.exitCode, error.exitCode);
  }
  return result;
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskWait(args.task_id, opts, ctx);
export default handler;
