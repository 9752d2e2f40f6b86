/**
 * `hss task wait`: the document and text of one task followed (its own document, as ever) or of
 * several (one item each, the exit code the highest of theirs).
 */
import { HssError } from '../core/errors.js';
import { plural } from '../core/text.js';
import type { CommandResult } from '../output/renderer.js';
import type { TaskWaitDocument, TaskWaitManyDocument } from './documents.js';
import type { FollowOutcome, WaitSettings } from './follow.js';
import { waitText } from './follow-view.js';
import { outcomeData, outcomeError } from './outcome.js';

export interface WaitedTask {
  taskId: string;
  outcome: FollowOutcome;
  /** Exit 7 or 8, when the task ended so. */
  error?: HssError;
}

export function waitedTasks(
  followed: Array<{ taskId: string; outcome: FollowOutcome }>,
  settings: WaitSettings,
): WaitedTask[] {
  return followed.map(({ taskId, outcome }) => {
    const error = outcomeError(taskId, outcome, settings);
    return error ? { taskId, outcome, error } : { taskId, outcome };
  });
}

export function waitResult(task: WaitedTask, settings: WaitSettings): CommandResult<TaskWaitDocument> {
  const { taskId, outcome, error } = task;
  const result: CommandResult<TaskWaitDocument> = {
    data: { ok: error === undefined, ...outcomeData(outcome, error) },
    text: (s) => waitText(taskId, outcome, settings, error, s),
    exitCode: error?.exitCode ?? 0,
  };
  if (error) result.closing = error;
  return result;
}

export function waitManyResult(
  tasks: WaitedTask[],
  settings: WaitSettings,
): CommandResult<TaskWaitManyDocument> {
  const failed = tasks.filter((t) => t.error);
  const exitCode = Math.max(0, ...failed.map((t) => t.error?.exitCode ?? 0));
  const result: CommandResult<TaskWaitManyDocument> = {
    data: {
      ok: failed.length === 0,
      results: tasks.map(({ taskId, outcome, error }) => ({
        task_id: taskId,
        ok: error === undefined,
        ...outcomeData(outcome, error),
      })),
    },
    text: (s) => {
      const lines = tasks.map(({ taskId, outcome, error }) => waitText(taskId, outcome, settings, error, s));
      if (failed.length === 0)
        lines.push(s.green(`all ${tasks.length} tasks finished without failed clusters`));
      return lines.join('\n');
    },
    exitCode,
  };
  const worst = failed.find((t) => t.error?.exitCode === exitCode)?.error;
  if (worst) {
    const hint = failed.length === 1 ? worst.hint : 'see each with `hss task show TASK_ID --failed`';
    result.closing = new HssError(
      worst.code,
      worst.exitCode,
      `${plural(failed.length, 'task')} of ${tasks.length} did not finish cleanly`,
      hint === undefined ? {} : { hint },
    );
  }
  return result;
}
