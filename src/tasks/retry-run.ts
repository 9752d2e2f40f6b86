/**
 * Running a planned retry: RetryTask for each task, a few at a time, each task's answer (or failure)
 * its own item; with --wait, each accepted task followed until it has finished. An interruption
 * (Ctrl-C, SIGTERM) stops starting tasks and is reported with what the API had already accepted.
 */
import type { ChalkInstance } from 'chalk';
import { type HssApi, retryTaskRequest } from '../api/hss.js';
import type { RetryBody, TaskSummary } from '../api/schemas.js';
import { HssError, InterruptedError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { redactHeaders } from '../core/redact.js';
import type { Renderer, Spinner } from '../output/renderer.js';
import type { DryRunRequest, FollowedDocument } from './documents.js';
import type { FollowOutcome } from './follow.js';
import { describeScope, type RetryPlan } from './retry-plan.js';

/**
 * How following an accepted retry ended (--wait): its JSON fields and its text lines. Its error (exit
 * 7 or 8) is the attempt's own `error`.
 */
export interface Followed {
  /** `task` and `failed_clusters`; the error is the attempt's. */
  data: FollowedDocument;
  lines(s: ChalkInstance): string[];
  /** How the wait ended, for the next round and the reports. */
  outcome: FollowOutcome;
}

/**
 * What follows the accepted retries with --wait, and retries again what still fails (--rounds):
 * src/tasks/retry-follow.ts, loaded only then.
 */
export interface Follower {
  followRounds(
    items: RetryItem[],
    baselines: Map<string, TaskSummary | undefined>,
    send: Send,
  ): Promise<void>;
  /** The state of several tasks before their retry, read with a few ListTasks pages. */
  readBaselines(taskIds: string[]): Promise<Map<string, TaskSummary | undefined>>;
}

/** Sends one task's retry (body and baseline given), as an item of the run. */
export type Send = (taskId: string, body: RetryBody, known: Known | undefined) => Promise<RetryItem>;

/** A task's state before the retry, already read (`baseline` absent: the task was not found). */
export interface Known {
  baseline?: TaskSummary | undefined;
}

/** One attempt at a task's retry: what was sent, the answer, how following it ended. */
export interface RetryAttempt {
  ok: boolean;
  http_status?: number;
  request_id?: string;
  /** The body sent; absent when nothing was (planning the retry failed). */
  body?: RetryBody;
  /** The retry request went out (its answer may not have come back). */
  sent?: boolean;
  /** With --wait: how following the task ended. */
  followed?: Followed;
  error?: HssError;
}

/** One round of one task's retry (--rounds). */
export interface RetryRound extends RetryAttempt {
  round: number;
}

export interface RetryItem extends RetryAttempt {
  task_id: string;
  /** With --rounds: every round, the last one's fields also being the item's own. */
  rounds?: RetryRound[];
  /** Across several projects (--region list or all): where the task is. */
  region?: string;
  project_id?: string;
}

export interface RetryRun {
  items: RetryItem[];
  /** The run was asked to follow the tasks (--wait). */
  waited: boolean;
  /** Ctrl-C or SIGTERM came after the API had accepted a retry. */
  interrupted?: InterruptedError;
}

/** Whether the API accepted the item's retry. */
export function accepted(item: RetryItem): boolean {
  return item.http_status !== undefined && item.http_status < 300;
}

/**
 * The items of a run, with its interruption if there was one. Interrupted before the API accepted
 * anything, the interruption is all there is to say: it is thrown.
 */
export function settleRun(items: RetryItem[], waited: boolean, signal: AbortSignal): RetryRun {
  if (!signal.aborted) return { items, waited };
  const reason = signal.reason;
  const interrupted = reason instanceof InterruptedError ? reason : new InterruptedError('SIGINT');
  if (!items.some(accepted)) throw interrupted;
  return { items, waited, interrupted };
}

/** --dry-run: the request each task would be sent, secrets masked. */
export function dryRunRequests(api: HssApi, plan: RetryPlan): Promise<DryRunRequest[]> {
  return Promise.all(
    plan.taskIds.map(async (id) => {
      const request = retryTaskRequest(api.target, id, plan.body);
      const headers = await api.headersFor(request);
      return {
        method: request.method,
        url: request.url.href,
        headers: redactHeaders(headers),
        body: plan.body,
      };
    }),
  );
}

export async function executeRetry(
  api: HssApi,
  plan: RetryPlan,
  renderer: Renderer,
  io: Pick<Io, 'signal' | 'now'>,
): Promise<RetryRun> {
  const { taskIds } = plan;
  const spinner = await renderer.spinner(
    taskIds.length === 1
      ? `Retrying ${describeScope(plan.body)} of ${taskIds[0]}…`
      : `Retrying ${taskIds.length} tasks…`,
  );
  let items: RetryItem[];
  try {
    const follower = await followerFor(api, plan, { renderer, spinner, io, taskCount: taskIds.length });
    // The state before the retry tells a stale "finished" from the end of the retry (see followTask);
    // a selection (--since) has read it already.
    const baselines = new Map<string, TaskSummary | undefined>();
    const send: Send = (taskId, body, known) =>
      retryOne(api, taskId, body, follower !== undefined, known, (baseline) =>
        baselines.set(taskId, baseline),
      );
    // Several tasks followed: their state before the retry read together, not one request each.
    const known: Map<string, TaskSummary | undefined> | undefined =
      plan.baselines ?? (follower && taskIds.length > 1 ? await follower.readBaselines(taskIds) : undefined);
    let done = 0;
    items = await mapPool(taskIds, plan.concurrency, io.signal, async (taskId) => {
      try {
        return await send(
          taskId,
          plan.body,
          known?.has(taskId) ? { baseline: known.get(taskId) } : undefined,
        );
      } finally {
        done++;
        if (taskIds.length > 1 && !follower) spinner.update(`Retrying ${taskIds.length} tasks… ${done} done`);
      }
    });
    if (follower && !io.signal.aborted) await follower.followRounds(items, baselines, send);
  } finally {
    spinner.stop();
  }
  return settleRun(items, plan.wait !== undefined, io.signal);
}

/** Where a batch's progress goes while its tasks are followed. */
export interface Progress {
  renderer: Renderer;
  spinner: Spinner;
  io: Pick<Io, 'signal' | 'now'>;
  taskCount: number;
}

/** With --wait, the follower: the wait loop and its views are loaded only then (docs/performance.md). */
async function followerFor(api: HssApi, plan: RetryPlan, progress: Progress): Promise<Follower | undefined> {
  if (!plan.wait) return undefined;
  const { retryFollower } = await import('./retry-follow.js');
  return retryFollower(api, plan, progress);
}

/** One task's retry: with --wait its state just before (unless known), then RetryTask. */
async function retryOne(
  api: HssApi,
  taskId: string,
  body: RetryBody,
  wait: boolean,
  known: Known | undefined,
  onBaseline: (baseline: TaskSummary | undefined) => void,
): Promise<RetryItem> {
  const item: RetryItem = { task_id: taskId, ok: true, body };
  try {
    if (wait) onBaseline(known ? known.baseline : await api.getTask(taskId));
    item.sent = true;
    const response = await api.retryTask(taskId, body);
    item.http_status = response.status;
    if (response.requestId) item.request_id = response.requestId;
    return item;
  } catch (error) {
    // Per-task answers, and an interruption (which must still report what was accepted), are the
    // item's; anything else (a bug) stops the whole run.
    if (!(error instanceof HssError)) throw error;
    item.ok = false;
    // Refused by RetryTask itself (not by a poll after it was accepted).
    const refused = item.sent === true && item.http_status === undefined && error.code === 'API';
    item.error = refused ? await explained(api, taskId, error) : error;
    if (item.http_status === undefined && error.httpStatus !== undefined) item.http_status = error.httpStatus;
    if (item.request_id === undefined && error.requestId) item.request_id = error.requestId;
    return item;
  }
}

/** RetryTask refused: an IaC scan task's ID is said to be one (src/tasks/iac-refusal.ts, loaded only then). */
async function explained(api: HssApi, taskId: string, error: HssError): Promise<HssError> {
  const { iacRefusal } = await import('./iac-refusal.js');
  return iacRefusal(api, taskId, error, true);
}

/** Runs `fn` over `items`, `limit` at a time; no item is started once `signal` has fired. */
async function mapPool<T, R>(
  items: T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results.filter((r) => r !== undefined);
}
