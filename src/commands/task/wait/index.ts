/**
 * `hss task wait <task_id>`: follow a task until it has finished (the wait loop: src/tasks/follow.ts).
 */
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import type { TaskWaitDocument } from '../../../tasks/documents.js';
import { type FollowOutcome, followTask, type WaitOptions, waitSettings } from '../../../tasks/follow.js';
import { pollReporter, waitText } from '../../../tasks/follow-view.js';
import { checkTaskId } from '../../../tasks/lookup.js';
import { outcomeData, outcomeError } from '../../../tasks/outcome.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

export async function taskWait(
  id: string,
  opts: WaitOptions,
  ctx: Context,
): Promise<CommandResult<TaskWaitDocument>> {
  const taskId = checkTaskId(id);
  const settings = waitSettings(opts);
  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner(`Waiting for ${taskId}…`);
  const reporter = pollReporter(ctx.renderer, spinner, 1);
  let outcome: FollowOutcome;
  try {
    outcome = await followTask(api, taskId, settings, ctx.io, { onPoll: reporter.onPoll });
  } finally {
    spinner.stop();
  }
  const error = outcomeError(taskId, outcome, settings);
  const result: CommandResult<TaskWaitDocument> = {
    data: { ok: error === undefined, ...outcomeData(outcome, error) },
    text: (s) => waitText(taskId, outcome, settings, error, s),
    exitCode: error?.exitCode ?? 0,
  };
  if (error) result.closing = error;
  return result;
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskWait(args.task_id, opts, ctx);
export default handler;
