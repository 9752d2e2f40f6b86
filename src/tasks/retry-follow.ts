/**
 * `hss task retry --wait`: each accepted task followed with the wait loop of `hss task wait`, its
 * polls shown as the batch's progress. Loaded only with --wait.
 */
import type { HssApi } from '../api/hss.js';
import { followTask, type WaitSettings } from './follow.js';
import { pollReporter, retriedOutcomeLines } from './follow-view.js';
import { outcomeData, outcomeError } from './outcome.js';
import type { Follower, Progress } from './retry-run.js';

export function retryFollower(api: HssApi, settings: WaitSettings, progress: Progress): Follower {
  const reporter = pollReporter(progress.renderer, progress.spinner, progress.taskCount);
  return {
    async follow(taskId, baseline) {
      const outcome = await followTask(api, taskId, settings, progress.io, {
        ...(baseline ? { baseline } : {}),
        onPoll: reporter.onPoll,
      });
      const error = outcomeError(taskId, outcome, settings);
      return {
        error,
        data: outcomeData(outcome, error),
        lines: (s) => retriedOutcomeLines(taskId, outcome, settings, s),
      };
    },
    finished: (taskId) => reporter.finished(taskId),
  };
}
