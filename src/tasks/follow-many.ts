/**
 * Following several tasks of one project at once, cheaply: one poll reads the ListTasks pages that
 * cover the tasks still followed (newest first, from the oldest start among them), at most
 * ⌈N/200⌉ + 1 pages, instead of one request per task. A task those pages do not show (its start time
 * moved, or many other tasks started in the window) is looked up by its ID. ListTaskResources is read
 * only for a task once it has finished with failed clusters (or, for a report, once it has finished).
 *
 * One task alone is followed by the wait loop of follow.ts, which polls it by its ID: one request.
 */
import type { HssApi } from '../api/hss.js';
import { PAGE_SIZE_MAX } from '../api/paging.js';
import { sleep } from '../api/retry-policy.js';
import type { TaskSummary } from '../api/schemas.js';
import type { Io } from '../core/io.js';
import {
  Deadline,
  type FollowOptions,
  type FollowOutcome,
  finishedOutcome,
  followTask,
  KNOWN_STATUSES,
  type Poll,
  STALE_POLL_LIMIT,
  sameRun,
  UNKNOWN_STATUS_POLLS,
  unknownStatus,
  type WaitSettings,
} from './follow.js';
import { requireTask } from './lookup.js';

export interface FollowEntry {
  taskId: string;
  /** The task as it was just before a retry (see FollowOptions.baseline). */
  baseline?: TaskSummary | undefined;
}

interface Followed {
  entry: FollowEntry;
  restarted: boolean;
  stalePolls: number;
  unknownPolls: number;
  last?: TaskSummary;
  /** The earliest start time seen: where the covering pages begin. */
  since?: number;
}

export type ManyOptions = Pick<FollowOptions, 'onPoll' | 'allClusters'> & {
  /** A task has finished (its outcome known): for the progress of a batch. */
  onDone?: (taskId: string) => void;
};

/** Every task followed until it has finished, or the one deadline of the wait: an outcome each. */
export async function followMany(
  api: HssApi,
  entries: FollowEntry[],
  settings: WaitSettings,
  io: Pick<Io, 'signal' | 'now'>,
  options: ManyOptions = {},
): Promise<Map<string, FollowOutcome>> {
  const outcomes = new Map<string, FollowOutcome>();
  const [only] = entries;
  if (entries.length === 1 && only) {
    const outcome = await followTask(api, only.taskId, settings, io, {
      ...(only.baseline ? { baseline: only.baseline } : {}),
      ...pick(options),
    });
    outcomes.set(only.taskId, outcome);
    options.onDone?.(only.taskId);
    return outcomes;
  }
  const started = io.now();
  const elapsed = () => io.now() - started;
  const deadline = new Deadline(`${entries.length} tasks`, settings.timeoutMs, io.signal);
  const bounded = api.withSignal(deadline.signal);
  const followed = entries.map((entry): Followed => {
    const state: Followed = {
      entry,
      restarted: entry.baseline === undefined,
      stalePolls: 0,
      unknownPolls: 0,
    };
    if (entry.baseline?.start_time !== undefined) state.since = entry.baseline.start_time;
    return state;
  });
  try {
    for (;;) {
      const pending = followed.filter((f) => !outcomes.has(f.entry.taskId));
      let polled: Map<string, TaskSummary>;
      try {
        polled = await pollMany(bounded, pending);
      } catch (error) {
        deadline.reached(error);
        break;
      }
      for (const state of pending) {
        const task = polled.get(state.entry.taskId);
        if (!task || !advance(state, task, elapsed(), options)) continue;
        const outcome = await finishedOutcome(
          api,
          bounded,
          state.entry.taskId,
          task,
          deadline,
          options,
          elapsed(),
        );
        outcomes.set(state.entry.taskId, outcome);
        options.onDone?.(state.entry.taskId);
      }
      if (outcomes.size === followed.length) return outcomes;
      try {
        await sleep(settings.intervalMs, deadline.signal);
      } catch (error) {
        deadline.reached(error);
        break;
      }
    }
    giveUp(followed, outcomes, elapsed());
    return outcomes;
  } finally {
    deadline.clear();
  }
}

/** The deadline: every task not finished gave up where it stood. */
function giveUp(followed: Followed[], outcomes: Map<string, FollowOutcome>, elapsedMs: number): void {
  for (const state of followed) {
    if (outcomes.has(state.entry.taskId)) continue;
    // Time is up while the status is one hss cannot read: that, not the wait, is what went wrong.
    if (state.last && state.unknownPolls > 0) throw unknownStatus(state.entry.taskId, state.last);
    outcomes.set(
      state.entry.taskId,
      state.last ? { kind: 'timed_out', task: state.last, elapsedMs } : { kind: 'timed_out', elapsedMs },
    );
  }
}

function pick(options: ManyOptions): Pick<FollowOptions, 'onPoll' | 'allClusters'> {
  const out: Pick<FollowOptions, 'onPoll' | 'allClusters'> = {};
  if (options.onPoll) out.onPoll = options.onPoll;
  if (options.allClusters) out.allClusters = true;
  return out;
}

/** One poll of one task, as the single-task loop reads it; true once its (retried) run has finished. */
function advance(state: Followed, task: TaskSummary, elapsedMs: number, options: ManyOptions): boolean {
  const { taskId, baseline } = state.entry;
  state.last = task;
  if (task.start_time !== undefined && (state.since === undefined || task.start_time < state.since)) {
    state.since = task.start_time;
  }
  if (!state.restarted && baseline) {
    if (!sameRun(task, baseline) || ++state.stalePolls >= STALE_POLL_LIMIT) state.restarted = true;
  }
  state.unknownPolls = KNOWN_STATUSES.has(task.task_status ?? '') ? 0 : state.unknownPolls + 1;
  const poll: Poll = { taskId, task, elapsedMs, pending: !state.restarted };
  options.onPoll?.(poll);
  if (state.unknownPolls >= UNKNOWN_STATUS_POLLS) throw unknownStatus(taskId, task);
  return state.restarted && task.task_status === 'finished';
}

/**
 * The tasks still followed, as one poll sees them: the ListTasks pages from the newest task back to
 * the oldest start among them (see coveringPages), then each task those pages missed by ID.
 */
async function pollMany(api: HssApi, pending: Followed[]): Promise<Map<string, TaskSummary>> {
  const starts = pending.map((f) => f.since);
  const since = starts.every((s) => s !== undefined) ? Math.min(...(starts as number[])) : undefined;
  const ids = pending.map((f) => f.entry.taskId);
  const found = await coveringPages(api, ids, since);
  for (const taskId of ids) {
    if (!found.has(taskId)) found.set(taskId, await requireTask(api, taskId));
  }
  return found;
}

/**
 * Several tasks as they are now (before their retry, say): the pages covering them, then each one
 * they missed by ID; a task the API does not know maps to undefined.
 */
export async function readTasks(
  api: HssApi,
  taskIds: string[],
): Promise<Map<string, TaskSummary | undefined>> {
  const found: Map<string, TaskSummary | undefined> = await coveringPages(api, taskIds, undefined);
  for (const taskId of taskIds) {
    if (!found.has(taskId)) found.set(taskId, await api.getTask(taskId));
  }
  return found;
}

/**
 * The ListTasks pages, newest first from `since` on (every task when undefined), until every one of
 * `taskIds` is seen: at most ⌈N/200⌉ + 1 pages, so that one poll stays cheap however many other tasks
 * started in between (those the pages miss are the caller's to look up).
 */
async function coveringPages(
  api: HssApi,
  taskIds: string[],
  since: number | undefined,
): Promise<Map<string, TaskSummary>> {
  const wanted = new Set(taskIds);
  const found = new Map<string, TaskSummary>();
  const maxPages = Math.ceil(wanted.size / PAGE_SIZE_MAX) + 1;
  let offset = 0;
  for (let page = 0; page < maxPages && found.size < wanted.size; page += 1) {
    const filter = since === undefined ? {} : { start_create_time: since };
    const answer = await api.listTasks(filter, offset, PAGE_SIZE_MAX);
    for (const task of answer.tasks) if (wanted.has(task.task_id)) found.set(task.task_id, task);
    offset += answer.received;
    if (answer.received < PAGE_SIZE_MAX || (answer.total !== undefined && offset >= answer.total)) break;
  }
  return found;
}
