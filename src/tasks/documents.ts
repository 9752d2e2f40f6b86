/**
 * The JSON documents of the task commands: what `hss task … --json` prints, field for field. They are
 * the contract of docs/json-output.md; test/unit/json-output-docs.test.ts fails when a field is
 * declared here and not listed there, or the other way round. Objects the API returns (tasks,
 * clusters, request bodies) keep the API's own field names and pass through as the API gave them.
 */
import type {
  ClusterResult,
  CreateTaskBody,
  IacFileResult,
  RetryBody,
  TaskSummary,
  TaskType,
} from '../api/schemas.js';
import type { ErrorJson } from '../output/error-json.js';

/** A project of several that could not be read (`errors[]`), and why. */
export interface ProjectErrorDocument {
  region: string;
  /** Absent for a region IAM lists no project for. */
  project_id?: string;
  error: ErrorJson;
}

/** A task as `task list` shows it: the API's, and across projects where it is. */
export interface ListedTaskDocument extends TaskSummary {
  region?: string;
  project_id?: string;
}

/** A task read from one of several projects. */
export type ProjectTaskDocument = ListedTaskDocument & { region: string; project_id: string };

/** `hss task list` */
export interface TaskListDocument {
  /** False when a project of several could not be read (see `errors`). */
  ok: boolean;
  /** As the API counts the tasks that match the filters (may exceed the tasks shown); summed across projects. */
  total_num: number;
  /** Newest first, as ListTasks answers; across projects, each with `region` and `project_id`. */
  tasks: ListedTaskDocument[];
  /** Across projects: each project that could not be read, and why. */
  errors?: ProjectErrorDocument[];
}

/** `hss task show` */
export interface TaskShowDocument {
  ok: true;
  task: TaskSummary;
  /** Every cluster of the task (with --failed, the failed ones), as ListTaskResources answers. */
  clusters: ClusterResult[];
}

/** `hss task show` of an IaC scan task (task_type iac_scan): files instead of clusters. */
export interface IacTaskShowDocument {
  ok: true;
  task: TaskSummary;
  /** Every file of the task (with --failed, the failed ones), as ListTaskResources answers. */
  files: IacFileResult[];
}

/** `hss task stats` */
export interface TaskStatsDocument {
  /** False only when a project of several could not be read. */
  ok: boolean;
  task_type: TaskType;
  /** Tasks of that type in all (across projects, the sum of theirs). */
  total_num: number;
  /** Tasks running now. */
  running_num: number;
  /** When the latest task was created (epoch ms, as the API gives it); absent when there is none. */
  last_task_start_time?: number;
  /** Across several projects: each project's own figures. */
  projects?: ProjectStatsDocument[];
  errors?: ProjectErrorDocument[];
}

/** One project's figures in `hss task stats --region a,b|all`. */
export interface ProjectStatsDocument {
  region: string;
  project_id: string;
  total_num: number;
  running_num: number;
  last_task_start_time?: number;
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
  /** Across several projects (--region list or all): where the task is. */
  region?: string;
  project_id?: string;
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
  /** Across several projects: the projects that could not be read or retried. */
  errors?: ProjectErrorDocument[];
}

/** A request `--dry-run` would send, secrets masked. */
export interface DryRunRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: RetryBody | CreateTaskBody;
}

/** `hss task retry --dry-run` */
export interface DryRunDocument {
  /** False only when a project could not be read (--since across several projects). */
  ok: boolean;
  dry_run: true;
  requests: DryRunRequest[];
  /** Across several projects: the projects that could not be read. */
  errors?: ProjectErrorDocument[];
}

export type TaskRetryDocument = RetryRunDocument | DryRunDocument;

/** `hss task create` (with --wait, how following the new task ended). */
export interface TaskCreateDocument extends FollowedDocument {
  ok: boolean;
  /** The new task's ID, as CreateTask answered. */
  task_id: string;
  http_status: number;
  request_id?: string;
  /** The body sent. */
  body: CreateTaskBody;
}
