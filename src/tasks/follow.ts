/**
 * Following a task until it has finished: the one wait loop behind `hss task wait` and
 * `hss task retry --wait`. It polls ListTasks by task_id every interval, reports each change, and at
 * the end reads the failed clusters (ListTaskResources) so they can be listed.
 *
 * The deadline (--wait-timeout) bounds everything, a request in flight included: the API is called
 * through a signal that fires at the deadline as well as on Ctrl-C. A transient failure of one poll
 * is absorbed by the HTTP client's retry policy; anything it gives up on (and any 401/403) ends the wait.
 */
import type { HssApi } from '../api/hss.js';
import { sleep } from '../api/retry-policy.js';
import type { ClusterResult, TaskSummary } from '../api/schemas.js';
import { parseDuration } from '../core/duration.js';
import { ApiError, InterruptedError, WaitTimeoutError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { quote } from '../core/text.js';
import { TASK_STATUSES } from '../core/vocabulary.js';
import { clusterCounts } from '../output/task-view.js';
import { requireTask } from './lookup.js';

const DEFAULT_INTERVAL = '10s';
const DEFAULT_WAIT_TIMEOUT = '30m';
/**
 * After a retry, polls that still show the task finished exactly as it was before the retry are taken
 * for a service that has not picked the retry up yet; after this many the state is believed.
 */
export const STALE_POLL_LIMIT = 3;
/**
 * Polls in a row with a task status hss does not know (a status added to the API later, a garbled one)
 * before the wait ends in an API error. One such answer may be a glitch of the service; three (two
 * intervals) are not, and waiting on until --wait-timeout would hide the reason.
 */
export const UNKNOWN_STATUS_POLLS = 3;
export const KNOWN_STATUSES: ReadonlySet<string> = new Set(TASK_STATUSES);

/** --wait-timeout and --interval as typed, of `task wait` and `task retry --wait`. */
export interface WaitOptions {
  waitTimeout?: string | undefined;
  interval?: string | undefined;
}

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
  | {
      kind: 'finished';
      task: TaskSummary;
      failedClusters: ClusterResult[];
      /** Every cluster of the task, read only when a report asks for them (FollowOptions.allClusters). */
      clusters?: ClusterResult[];
      elapsedMs: number;
    }
  | { kind: 'timed_out'; task?: TaskSummary; elapsedMs: number };

type TimedOut = Extract<FollowOutcome, { kind: 'timed_out' }>;

export interface FollowOptions {
  /** The task as it was just before a retry, so its old `finished` state is not taken for the new one. */
  baseline?: TaskSummary;
  onPoll?: (poll: Poll) => void;
  /**
   * Read every cluster of the finished task (one paged ListTaskResources), not only the failed ones:
   * a report (--junit) names the clusters that passed too.
   */
  allClusters?: boolean;
}

/** The deadline of one wait, and how a request or a sleep cut short by it (or by Ctrl-C) ends. */
export class Deadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timeUp: WaitTimeoutError;
  private readonly timer: NodeJS.Timeout;

  constructor(
    /** What is waited for, e.g. `task t1`. */
    what: string,
    timeoutMs: number,
    private readonly interrupt: AbortSignal,
  ) {
    this.timeUp = new WaitTimeoutError(`wait for ${what} timed out`);
    this.timer = setTimeout(() => this.controller.abort(this.timeUp), timeoutMs);
    this.signal = AbortSignal.any([interrupt, this.controller.signal]);
  }

  /** Whether `error` is the deadline; anything else (Ctrl-C wins over the deadline) is thrown. */
  reached(error: unknown): true {
    if (this.interrupt.aborted) {
      const reason = this.interrupt.reason;
      throw reason instanceof InterruptedError ? reason : new InterruptedError('SIGINT');
    }
    if (this.controller.signal.aborted) return true;
    throw error;
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

export function sameRun(a: TaskSummary, b: TaskSummary): boolean {
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
  const deadline = new Deadline(`task ${taskId}`, settings.timeoutMs, io.signal);
  const bounded = api.withSignal(deadline.signal);
  try {
    const last = await pollUntilFinished(bounded, taskId, settings, deadline, options, elapsed);
    if (last.kind === 'timed_out') return last;
    return await finishedOutcome(api, bounded, taskId, last.task, deadline, options, elapsed());
  } finally {
    deadline.clear();
  }
}

/** Polls until the task has finished (after a retry: the retry's run), or the deadline. */
async function pollUntilFinished(
  api: HssApi,
  taskId: string,
  settings: WaitSettings,
  deadline: Deadline,
  options: FollowOptions,
  elapsed: () => number,
): Promise<{ kind: 'finished'; task: TaskSummary } | TimedOut> {
  let last: TaskSummary | undefined;
  let restarted = options.baseline === undefined;
  let stalePolls = 0;
  let unknownPolls = 0;
  // Time is up while the status is one hss cannot read: that, not the wait, is what went wrong.
  const timedOut = (): TimedOut => {
    if (last && unknownPolls > 0) throw unknownStatus(taskId, last);
    return last
      ? { kind: 'timed_out', task: last, elapsedMs: elapsed() }
      : { kind: 'timed_out', elapsedMs: elapsed() };
  };
  for (;;) {
    let task: TaskSummary;
    try {
      task = await requireTask(api, taskId);
    } catch (error) {
      deadline.reached(error);
      return timedOut();
    }
    last = task;
    if (!restarted && options.baseline) {
      if (!sameRun(task, options.baseline) || ++stalePolls >= STALE_POLL_LIMIT) restarted = true;
    }
    unknownPolls = KNOWN_STATUSES.has(task.task_status ?? '') ? 0 : unknownPolls + 1;
    options.onPoll?.({ taskId, task, elapsedMs: elapsed(), pending: !restarted });
    if (unknownPolls >= UNKNOWN_STATUS_POLLS) throw unknownStatus(taskId, task);
    if (restarted && task.task_status === 'finished') return { kind: 'finished', task };
    try {
      await sleep(settings.intervalMs, deadline.signal);
    } catch (error) {
      deadline.reached(error);
      return timedOut();
    }
  }
}

/** How a finished task ended: its failed clusters named (and, for a report, every cluster). */
export async function finishedOutcome(
  api: HssApi,
  bounded: HssApi,
  taskId: string,
  task: TaskSummary,
  deadline: Deadline,
  options: Pick<FollowOptions, 'allClusters'>,
  elapsedMs: number,
): Promise<FollowOutcome> {
  if (!options.allClusters) {
    const failedClusters = await failedClustersOf(api, bounded, taskId, task, deadline);
    return { kind: 'finished', task, failedClusters, elapsedMs };
  }
  const clusters = await failedClustersOf(api, bounded, taskId, task, deadline, true);
  const failedClusters = clusters.filter((c) => c.scan_status === 'failed');
  return { kind: 'finished', task, failedClusters, clusters, elapsedMs };
}

/**
 * Why clusters of a finished task failed. Reading it is paged, and the deadline bounds it too; when it
 * comes first, the outcome still counts the failed clusters without naming them.
 */
async function failedClustersOf(
  api: HssApi,
  bounded: HssApi,
  taskId: string,
  task: TaskSummary,
  deadline: Deadline,
  all = false,
): Promise<ClusterResult[]> {
  if (!all && clusterCounts(task).failed === 0) return [];
  try {
    return await bounded.allTaskResources(taskId, all ? {} : { scan_status: 'failed' });
  } catch (error) {
    deadline.reached(error);
    api.note(`task ${taskId}: --wait-timeout reached while reading its ${all ? '' : 'failed '}clusters`);
    return [];
  }
}

/** A status none of ready, running or finished: hss cannot tell whether such a task has ended. */
export function unknownStatus(taskId: string, task: TaskSummary): ApiError {
  const status = task.task_status;
  return new ApiError(
    `task ${taskId}: the API reports ${status === undefined ? 'no task_status' : `task_status ${quote(status)}`}, which is none of ${TASK_STATUSES.join(', ')}; hss cannot tell whether the task has finished`,
    { hint: `see the task with \`hss task show ${taskId}\`` },
  );
}
