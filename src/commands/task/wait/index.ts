/**
 * Following a task until it has finished: the one wait loop behind `hss task wait` and
 * `hss task retry --wait`. It polls ListTasks by task_id every interval, reports each change, and at
 * the end reads the failed clusters (ListTaskResources) so they can be listed.
 *
 * The deadline (--wait-timeout) bounds everything, a request in flight included: the API is called
 * through a signal that fires at the deadline as well as on Ctrl-C. A transient failure of one poll
 * is absorbed by the HTTP client's retry policy; anything it gives up on (and any 401/403) ends the wait.
 */
import type { ChalkInstance } from 'chalk';
import type { HssApi } from '../../../api/hss.js';
import { sleep } from '../../../api/http.js';
import type { ClusterResult, TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import { formatDuration, parseDuration } from '../../../core/duration.js';
import {
  ApiError,
  type HssError,
  InterruptedError,
  WaitFailedError,
  WaitTimeoutError,
} from '../../../core/errors.js';
import type { Io } from '../../../core/io.js';
import { plural, quote } from '../../../core/text.js';
import { TASK_STATUSES } from '../../../core/vocabulary.js';
import { type CommandResult, errorJson, type Renderer, type Spinner } from '../../../output/renderer.js';
import { clusterCounts, clusterTable, describeCounts } from '../../../output/task-view.js';
import type { Handler, Options } from '../../define.js';
import { checkTaskId, requireTask } from '../show/index.js';
import type { spec } from './command.js';

export const DEFAULT_INTERVAL = '10s';
export const DEFAULT_WAIT_TIMEOUT = '30m';
/**
 * After a retry, polls that still show the task finished exactly as it was before the retry are taken
 * for a service that has not picked the retry up yet; after this many the state is believed.
 */
const STALE_POLL_LIMIT = 3;
/**
 * Polls in a row with a task status hss does not know (a status added to the API later, a garbled one)
 * before the wait ends in an API error. One such answer may be a glitch of the service; three (two
 * intervals) are not, and waiting on until --wait-timeout would hide the reason.
 */
const UNKNOWN_STATUS_POLLS = 3;
const KNOWN_STATUSES: ReadonlySet<string> = new Set(TASK_STATUSES);

export type WaitOptions = Pick<Options<typeof spec>, 'waitTimeout' | 'interval'>;

export interface WaitSettings {
  intervalMs: number;
  timeoutMs: number;
}

export function waitSettings(opts: WaitOptions): WaitSettings {
  return {
    intervalMs: parseDuration(opts.interval ?? DEFAULT_INTERVAL, '--interval'),
    timeoutMs: parseDuration(opts.waitTimeout ?? DEFAULT_WAIT_TIMEOUT, '--wait-timeout'),
  };
}

export interface Poll {
  taskId: string;
  task: TaskSummary;
  elapsedMs: number;
  /** The task still looks as it did before the retry: the service has not started the retry yet. */
  pending: boolean;
}

export type FollowOutcome =
  | { kind: 'finished'; task: TaskSummary; failedClusters: ClusterResult[]; elapsedMs: number }
  | { kind: 'timed_out'; task?: TaskSummary; elapsedMs: number };

export interface FollowOptions {
  /** The task as it was just before a retry, so its old `finished` state is not taken for the new one. */
  baseline?: TaskSummary;
  onPoll?: (poll: Poll) => void;
}

function sameRun(a: TaskSummary, b: TaskSummary): boolean {
  return a.task_status === b.task_status && a.start_time === b.start_time && a.end_time === b.end_time;
}

export async function followTask(
  api: HssApi,
  taskId: string,
  settings: WaitSettings,
  io: Pick<Io, 'signal' | 'now'>,
  options: FollowOptions = {},
): Promise<FollowOutcome> {
  const started = io.now();
  const elapsed = () => io.now() - started;
  const deadline = new AbortController();
  const timeUp = new WaitTimeoutError(`wait for task ${taskId} timed out`);
  const timer = setTimeout(() => deadline.abort(timeUp), settings.timeoutMs);
  const signal = AbortSignal.any([io.signal, deadline.signal]);
  const bounded = api.withSignal(signal);
  let last: TaskSummary | undefined;
  const timedOut = (): FollowOutcome =>
    last
      ? { kind: 'timed_out', task: last, elapsedMs: elapsed() }
      : { kind: 'timed_out', elapsedMs: elapsed() };
  // Ctrl-C wins over the deadline when both have fired.
  const stopReason = (error: unknown): unknown => {
    if (io.signal.aborted) {
      return io.signal.reason instanceof InterruptedError ? io.signal.reason : new InterruptedError('SIGINT');
    }
    return deadline.signal.aborted ? timeUp : error;
  };
  let failedClusters: ClusterResult[] = [];
  try {
    let restarted = options.baseline === undefined;
    let stalePolls = 0;
    let unknownPolls = 0;
    for (;;) {
      let task: TaskSummary;
      try {
        task = await requireTask(bounded, taskId);
      } catch (error) {
        const reason = stopReason(error);
        if (reason !== timeUp) throw reason;
        if (last && unknownPolls > 0) throw unknownStatus(taskId, last);
        return timedOut();
      }
      last = task;
      if (!restarted && options.baseline) {
        if (!sameRun(task, options.baseline) || ++stalePolls >= STALE_POLL_LIMIT) restarted = true;
      }
      unknownPolls = KNOWN_STATUSES.has(task.task_status ?? '') ? 0 : unknownPolls + 1;
      options.onPoll?.({ taskId, task, elapsedMs: elapsed(), pending: !restarted });
      if (unknownPolls >= UNKNOWN_STATUS_POLLS) throw unknownStatus(taskId, task);
      if (restarted && task.task_status === 'finished') break;
      try {
        await sleep(settings.intervalMs, signal);
      } catch (error) {
        const reason = stopReason(error);
        if (reason !== timeUp) throw reason;
        // Time is up while the status is one hss cannot read: that, not the wait, is what went wrong.
        if (unknownPolls > 0) throw unknownStatus(taskId, task);
        return timedOut();
      }
    }
    // The task has finished. Reading why clusters failed is paged, and the deadline bounds it too;
    // when it comes first, the outcome still counts the failed clusters without naming them.
    if (clusterCounts(last).failed > 0) {
      try {
        failedClusters = await bounded.allTaskResources(taskId, { scan_status: 'failed' });
      } catch (error) {
        const reason = stopReason(error);
        if (reason !== timeUp) throw reason;
        api.note(`task ${taskId}: --wait-timeout reached while reading its failed clusters`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { kind: 'finished', task: last, failedClusters, elapsedMs: elapsed() };
}

/** A status none of ready, running or finished: hss cannot tell whether such a task has ended. */
function unknownStatus(taskId: string, task: TaskSummary): ApiError {
  const status = task.task_status;
  return new ApiError(
    `task ${taskId}: the API reports ${status === undefined ? 'no task_status' : `task_status ${quote(status)}`}, which is none of ${TASK_STATUSES.join(', ')}; hss cannot tell whether the task has finished`,
    { hint: `see the task with \`hss task show ${taskId}\`` },
  );
}

function clusterList(clusters: ClusterResult[], count: number): string {
  const ids = clusters.slice(0, 5).map((c) => c.cluster_id);
  const rest = Math.max(count, clusters.length) - ids.length;
  return `${ids.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Where a task stood when the wait gave up, e.g. `running after 30m (2 scanning, 1 succeeded, 0 failed)`. */
export function timedOutState(
  outcome: FollowOutcome & { kind: 'timed_out' },
  settings: WaitSettings,
): string {
  const after = formatDuration(settings.timeoutMs);
  if (!outcome.task) return `no answer from the API within ${after}`;
  const counts = describeCounts(clusterCounts(outcome.task));
  return `${outcome.task.task_status ?? 'in an unknown state'} after ${after} (${counts})`;
}

/** Exit 7 or 8 for an outcome, as the error the contract names; undefined when nothing failed. */
export function outcomeError(
  taskId: string,
  outcome: FollowOutcome,
  settings: WaitSettings,
): HssError | undefined {
  if (outcome.kind === 'timed_out') {
    return new WaitTimeoutError(`gave up waiting for task ${taskId}: ${timedOutState(outcome, settings)}`, {
      hint: `raise --wait-timeout, or follow it again with \`hss task wait ${taskId}\``,
    });
  }
  const failed = clusterCounts(outcome.task).failed;
  if (failed === 0) return undefined;
  const list = outcome.failedClusters.length ? `: ${clusterList(outcome.failedClusters, failed)}` : '';
  return new WaitFailedError(`task ${taskId} finished with ${plural(failed, 'failed cluster')}${list}`, {
    hint: `see why with \`hss task show ${taskId} --failed\`; retry them with \`hss task retry ${taskId} --all-failed\``,
  });
}

/** The JSON fields an outcome adds: `task`, `failed_clusters`, and `error` for exit 7/8. */
export function outcomeData(outcome: FollowOutcome, error: HssError | undefined): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (outcome.task) data['task'] = outcome.task;
  if (outcome.kind === 'finished') data['failed_clusters'] = outcome.failedClusters;
  if (error) data['error'] = errorJson(error);
  return data;
}

/** One line for an outcome, e.g. `finished: 5 clusters, none failed (waited 1.2s)`. */
export function outcomeLine(outcome: FollowOutcome, settings: WaitSettings, s: ChalkInstance): string {
  const waited = s.dim(`(waited ${formatDuration(outcome.elapsedMs)})`);
  if (outcome.kind === 'timed_out') return s.red(`${timedOutState(outcome, settings)}; gave up waiting`);
  const counts = clusterCounts(outcome.task);
  const total = counts.scanning + counts.succeeded + counts.failed;
  if (counts.failed === 0) return `finished: ${plural(total, 'cluster')}, none failed ${waited}`;
  return `${s.red(`finished: ${counts.failed} of ${plural(total, 'cluster')} failed`)} ${waited}`;
}

function pollLine(poll: Poll): string {
  if (poll.pending) return `${poll.taskId}: retry accepted, waiting for it to start`;
  return `${poll.taskId}: ${poll.task.task_status ?? 'unknown'} · ${describeCounts(clusterCounts(poll.task))}`;
}

/**
 * Shows polls as they come: on a TTY in the spinner (the latest line and the time waited), elsewhere
 * one stderr line each time a task's state or counts change.
 */
export function pollReporter(
  renderer: Renderer,
  spinner: Spinner,
  taskCount: number,
): { onPoll(poll: Poll): void; finished(taskId: string): void } {
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

export async function taskWait(id: string, opts: WaitOptions, ctx: Context): Promise<CommandResult> {
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
  const result: CommandResult = {
    data: { ok: error === undefined, ...outcomeData(outcome, error) },
    text: (s) => waitText(taskId, outcome, settings, error, s),
    exitCode: error?.exitCode ?? 0,
  };
  if (error) result.closing = error;
  return result;
}

function waitText(
  taskId: string,
  outcome: FollowOutcome,
  settings: WaitSettings,
  error: HssError | undefined,
  s: ChalkInstance,
): string {
  const mark = error ? s.red('✖') : s.green('✔');
  const lines = [`${mark} ${taskId} ${outcomeLine(outcome, settings, s)}`];
  if (outcome.kind === 'finished' && outcome.failedClusters.length) {
    lines.push(clusterTable(outcome.failedClusters, s));
  }
  return lines.join('\n');
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskWait(args.task_id, opts, ctx);
export default handler;
