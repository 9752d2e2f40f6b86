/**
 * The JSON documents of the task commands: what `hss task … --json` prints, field for field. They are
 * the contract of docs/json-output.md; test/unit/json-output-docs.test.ts fails when a field is
 * declared here and not listed there, or the other way round. Objects the API returns (tasks,
 * clusters, request bodies) keep the API's own field names and pass through as the API gave them.
 */
import type { ClusterResult, RetryBody, TaskSummary } from '../api/schemas.js';
import type { ErrorJson } from '../output/error-json.js';

/** `hss task list` */
export interface TaskListDocument {
  ok: true;
  /** As the API counts the tasks that match the filters (may exceed the tasks shown). */
  total_num: number;
  /** Newest first, as ListTasks answers. */
  tasks: TaskSummary[];
}

/** `hss task show` */
export interface TaskShowDocument {
  ok: true;
  task: TaskSummary;
  /** Every cluster of the task (with --failed, the failed ones), as ListTaskResources answers. */
  clusters: ClusterResult[];
}

/** How following a task ended: the fields `task wait` and each item of `task retry --wait` share. */
export interface FollowedDocument {
  /** The task as last read; absent when the API never answered within the wait. */
  task?: TaskSummary;
  /** Present once the task has finished: the clusters that failed. */
  failed_clusters?: ClusterResult[];
  /** Exit 7 (clusters failed) or 8 (the wait gave up). */
  error?: ErrorJson;
}

/** `hss task wait` */
export interface TaskWaitDocument extends FollowedDocument {
  ok: boolean;
}

/** One task of `hss task wait` with several task IDs. */
export interface WaitItemDocument extends FollowedDocument {
  task_id: string;
  ok: boolean;
}

/** `hss task wait` with several task IDs */
export interface TaskWaitManyDocument {
  ok: boolean;
  /** One item per task, in the order given. */
  results: WaitItemDocument[];
}

/** One task of `hss task retry`. */
export interface RetryItemDocument extends FollowedDocument {
  task_id: string;
  ok: boolean;
  http_status?: number;
  request_id?: string;
  /** The body sent; absent when nothing was (planning the retry failed). */
  body?: RetryBody;
  /** With --rounds: each round in turn; the item's own fields are the last round's. */
  rounds?: RetryRoundDocument[];
}

/** One round of a task's retry (--rounds): what was sent, the answer, how the wait ended. */
export interface RetryRoundDocument extends FollowedDocument {
  /** 1 for the first retry. */
  round: number;
  ok: boolean;
  http_status?: number;
  request_id?: string;
  body?: RetryBody;
}

/** A task `--all-failed --only` had nothing to send for. */
export interface RetrySkippedDocument {
  task_id: string;
  ok: true;
  skipped: true;
  message: string;
}

/** `hss task retry` */
export interface RetryRunDocument {
  ok: boolean;
  /** One item per task, in the order given. */
  results: Array<RetryItemDocument | RetrySkippedDocument>;
  /** A single task's error, or the interruption of a batch. */
  error?: ErrorJson;
}

/** A request `--dry-run` would send, secrets masked. */
export interface DryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: RetryBody;
}

/** `hss task retry --dry-run` */
export interface DryRunDocument {
  ok: true;
  dry_run: true;
  requests: DryRunRequest[];
}

export type TaskRetryDocument = RetryRunDocument | DryRunDocument;
