// The sandbox's task model and the views of it that the HSS v5 task APIs return
// (shapes from the spec, §2; key order as documented).
//
// State moves only when a request looks at it: `settle(now)` finishes every retried cluster and task
// whose progress time has passed, so no timer keeps the process alive.

export const SCAN_TYPES = ['cluster_vul', 'risk_assessment', 'benchmark'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];
export const CLUSTER_TYPES = [
  'cce',
  'ali',
  'tencent',
  'azure',
  'aws',
  'self_built_hw',
  'self_built_idc',
] as const;
export type ClusterType = (typeof CLUSTER_TYPES)[number];
export const TASK_STATUSES = ['ready', 'running', 'finished'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TRIGGER_TYPES = ['manual', 'schedule'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];
export const SCAN_STATUSES = ['scanning', 'success', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** A scan item that never succeeds however often it is retried (e.g. no agent on the nodes). */
export const NEVER = Number.POSITIVE_INFINITY;

export interface ScanItem {
  scanType: ScanType;
  status: ScanStatus;
  /** Kept while a retry runs, and shown again if the retry fails. */
  failedReason?: string;
  /** Retries this item needs before it succeeds; NEVER for a permanent failure. */
  retriesNeeded: number;
  /** Retries that have targeted this item so far. */
  attempts: number;
}

export interface Cluster {
  id: string;
  name: string;
  type: ClusterType;
  version: string;
  startTime: number;
  endTime: number;
  items: ScanItem[];
  /** Set while a retry rescans this cluster: the instant its items finish. */
  finishAt?: number;
}

/** What every task of the sandbox has, cluster scan or IaC scan. */
export interface TaskBase {
  id: string;
  name: string;
  trigger: TriggerType;
  status: TaskStatus;
  startTime: number;
  /** When the task was created (ShowTaskStatistics' latest start); a retry does not change it. */
  createTime: number;
  /** 0 while the task has not finished. */
  endTime: number;
  /**
   * When a seeded running task (which never finishes) was expected to end, epoch ms; 0 for none. Its
   * estimate counts down to it, and is 0 (unknown) once that time has passed.
   */
  estimatedEnd: number;
  /** Set while a created or retried task runs: the instant it finishes. */
  finishAt?: number;
}

export interface Task extends TaskBase {
  scanTypes: ScanType[];
  clusters: Cluster[];
}

/** The fields ListTasks gives every task, whatever its type. */
export interface TaskViewBase<T extends string> {
  task_id: string;
  task_type: T;
  task_name: string;
  trigger_type: TriggerType;
  task_status: TaskStatus;
  start_time: number;
  end_time: number;
  estimated_time: number;
}

export interface TaskView extends TaskViewBase<'cluster_scan'> {
  cluster_scan_info: {
    scan_type_list: ScanType[];
    scanning_cluster_num: number;
    success_cluster_num: number;
    failed_cluster_num: number;
  };
}

export interface ScanDetailView {
  scan_type: ScanType;
  status: ScanStatus;
  failed_reason?: string;
}

export interface ClusterView {
  cluster_name: string;
  cluster_id: string;
  cluster_type: ClusterType;
  cluster_version: string;
  scan_status: ScanStatus;
  start_time: number;
  end_time: number;
  scan_detail_list: ScanDetailView[];
}

export function clusterStatus(cluster: Cluster): ScanStatus {
  if (cluster.items.some((item) => item.status === 'failed')) return 'failed';
  if (cluster.items.some((item) => item.status === 'scanning')) return 'scanning';
  return 'success';
}

/**
 * ListTasks' `estimated_time` (minutes left) of a running task: until its retry finishes, or its
 * seeded estimate; 0 for a task that is not running.
 */
export function estimatedMinutes(
  task: Pick<TaskBase, 'status' | 'finishAt' | 'estimatedEnd'>,
  now: number,
): number {
  if (task.status !== 'running') return 0;
  return task.finishAt === undefined
    ? Math.max(0, Math.ceil((task.estimatedEnd - now) / 60_000))
    : Math.max(1, Math.ceil((task.finishAt - now) / 60_000));
}

/** The fields ListTasks gives a task of any type, as the sandbox holds it at `now`. */
export function taskViewBase<T extends string>(task: TaskBase, type: T, now: number): TaskViewBase<T> {
  return {
    task_id: task.id,
    task_type: type,
    task_name: task.name,
    trigger_type: task.trigger,
    task_status: task.status,
    start_time: task.startTime,
    end_time: task.endTime,
    estimated_time: estimatedMinutes(task, now),
  };
}

export function taskView(task: Task, now: number): TaskView {
  let scanning = 0;
  let success = 0;
  let failed = 0;
  for (const cluster of task.clusters) {
    const status = clusterStatus(cluster);
    if (status === 'scanning') scanning += 1;
    else if (status === 'success') success += 1;
    else failed += 1;
  }
  return {
    ...taskViewBase(task, 'cluster_scan', now),
    cluster_scan_info: {
      scan_type_list: [...task.scanTypes],
      scanning_cluster_num: scanning,
      success_cluster_num: success,
      failed_cluster_num: failed,
    },
  };
}

export function clusterView(cluster: Cluster): ClusterView {
  return {
    cluster_name: cluster.name,
    cluster_id: cluster.id,
    cluster_type: cluster.type,
    cluster_version: cluster.version,
    scan_status: clusterStatus(cluster),
    start_time: cluster.startTime,
    end_time: cluster.endTime,
    scan_detail_list: cluster.items.map((item) =>
      item.status === 'failed' && item.failedReason !== undefined
        ? { scan_type: item.scanType, status: item.status, failed_reason: item.failedReason }
        : { scan_type: item.scanType, status: item.status },
    ),
  };
}

function settleCluster(cluster: Cluster, at: number): void {
  let touched = false;
  for (const item of cluster.items) {
    if (item.status !== 'scanning') continue;
    touched = true;
    item.status = item.attempts >= item.retriesNeeded ? 'success' : 'failed';
  }
  if (touched) cluster.endTime = at;
  cluster.finishAt = undefined;
}

/**
 * Finish every retried cluster, then every retried task, whose progress time has passed, with each
 * item's seeded outcome. A retry's clusters finish one after another over the task's progress time.
 */
export function settle(tasks: Iterable<Task>, now: number): void {
  for (const task of tasks) {
    const finishAt = task.finishAt;
    if (finishAt === undefined) continue;
    for (const cluster of task.clusters) {
      const clusterFinishAt = cluster.finishAt;
      if (clusterFinishAt !== undefined && now >= clusterFinishAt) settleCluster(cluster, clusterFinishAt);
    }
    if (now < finishAt) continue;
    for (const cluster of task.clusters) settleCluster(cluster, finishAt);
    task.status = 'finished';
    task.endTime = finishAt;
    task.finishAt = undefined;
  }
}

/** What one retry rescans: for each cluster, the items to run again. */
export type RetryPlan = Array<{ cluster: Cluster; items: ScanItem[] }>;

export function startRetry(task: Task, plan: RetryPlan, now: number, progressMs: number): void {
  for (const [index, { cluster, items }] of plan.entries()) {
    for (const item of items) {
      item.status = 'scanning';
      item.attempts += 1;
    }
    cluster.startTime = now;
    cluster.endTime = 0;
    cluster.finishAt = now + Math.round((progressMs * (index + 1)) / plan.length);
  }
  task.status = 'running';
  task.startTime = now;
  task.endTime = 0;
  task.finishAt = now + progressMs;
}
