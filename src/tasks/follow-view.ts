/**
 * The text of following tasks: progress while polling, and how each wait ended, for `task wait` and
 * `task retry --wait`.
 */
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../core/duration.js';
import type { HssError } from '../core/errors.js';
import { plural } from '../core/text.js';
import type { Renderer, Spinner } from '../output/renderer.js';
import { clusterCounts, clusterTable, describeCounts } from '../output/task-view.js';
import type { FollowOutcome, Poll, WaitSettings } from './follow.js';
import { timedOutState } from './outcome.js';

type Finished = FollowOutcome & { kind: 'finished' };

/** A finished task's clusters in words, e.g. `2 of 5 clusters failed` or `5 clusters, none failed`. */
function clustersFailed(outcome: Finished): { failed: number; of: string } {
  const counts = clusterCounts(outcome.task);
  return {
    failed: counts.failed,
    of: plural(counts.scanning + counts.succeeded + counts.failed, 'cluster'),
  };
}

function waited(outcome: FollowOutcome, s: ChalkInstance): string {
  return s.dim(`(waited ${formatDuration(outcome.elapsedMs)})`);
}

/** One line for an outcome, e.g. `finished: 5 clusters, none failed (waited 1.2s)`. */
function outcomeLine(outcome: FollowOutcome, settings: WaitSettings, s: ChalkInstance): string {
  if (outcome.kind === 'timed_out') return s.red(`${timedOutState(outcome, settings)}; gave up waiting`);
  const { failed, of } = clustersFailed(outcome);
  if (failed === 0) return `finished: ${of}, none failed ${waited(outcome, s)}`;
  return `${s.red(`finished: ${failed} of ${of} failed`)} ${waited(outcome, s)}`;
}

/** The failed clusters of a finished wait, as a table; none when none failed (or none were read). */
function failedTable(outcome: FollowOutcome, s: ChalkInstance): string[] {
  if (outcome.kind !== 'finished' || outcome.failedClusters.length === 0) return [];
  return [clusterTable(outcome.failedClusters, s)];
}

/** `hss task wait`: `✔ t1 finished: …`, and the failed clusters. */
export function waitText(
  taskId: string,
  outcome: FollowOutcome,
  settings: WaitSettings,
  error: HssError | undefined,
  s: ChalkInstance,
): string {
  const mark = error ? s.red('✖') : s.green('✔');
  return [`${mark} ${taskId} ${outcomeLine(outcome, settings, s)}`, ...failedTable(outcome, s)].join('\n');
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

/**
 * How a followed retry ended, e.g. `✖ t1: still failing after the wait: 2 of 5 clusters failed
 * (waited 3s)`, and its failed clusters indented below.
 */
export function retriedOutcomeLines(
  taskId: string,
  outcome: FollowOutcome,
  settings: WaitSettings,
  s: ChalkInstance,
): string[] {
  if (outcome.kind === 'timed_out') {
    return [`${s.red('✖')} ${taskId}: ${s.red(`gave up waiting: ${timedOutState(outcome, settings)}`)}`];
  }
  const { failed, of } = clustersFailed(outcome);
  if (failed === 0) return [`${s.green('✔')} ${taskId}: finished: ${of}, none failed ${waited(outcome, s)}`];
  return [
    `${s.red('✖')} ${taskId}: ${s.red(`still failing after the wait: ${failed} of ${of} failed`)} ${waited(outcome, s)}`,
    ...failedTable(outcome, s).map((table) => indent(table, '    ')),
  ];
}

function pollLine(poll: Poll): string {
  if (poll.pending) return `${poll.taskId}: retry accepted, waiting for it to start`;
  return `${poll.taskId}: ${poll.task.task_status ?? 'unknown'} · ${describeCounts(clusterCounts(poll.task))}`;
}

export interface PollReporter {
  onPoll(poll: Poll): void;
  finished(taskId: string): void;
}

/**
 * Shows polls as they come: on a TTY in the spinner (the latest line and the time waited), elsewhere
 * one stderr line each time a task's state or counts change.
 */
export function pollReporter(renderer: Renderer, spinner: Spinner, taskCount: number): PollReporter {
  const lastLine = new Map<string, string>();
  let done = 0;
  return {
    onPoll(poll) {
      const line = pollLine(poll);
      if (renderer.options.interactive) {
        const progress = taskCount > 1 ? ` · ${done} of ${taskCount} tasks done` : '';
        spinner.update(`${line} · ${formatDuration(poll.elapsedMs)}${progress}`);
      } else if (lastLine.get(poll.taskId) !== line) {
        renderer.info(line);
      }
      lastLine.set(poll.taskId, line);
    },
    finished() {
      done += 1;
    },
  };
}
