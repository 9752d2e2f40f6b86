// The emulated HSS v5 task APIs: RetryTask, ListTasks, ListTaskResources, ShowTaskStatistics
// (CreateTask is create.ts, IaC tasks iac.ts, the dispatch service.ts). Limits and shapes follow the
// spec (§1, §2); error codes are listed in answers.ts.

import { type Answer, hssError } from './answers.js';
import { type IacTask, listIacFiles, listIacTasks } from './iac.js';
import {
  charLength,
  checkEnterpriseProject,
  decodeTaskId,
  field,
  type HssRequest,
  invalid,
  isObject,
  MAX_CLUSTERS,
  MAX_ID_CHARS,
  optionalEnum,
  optionalObject,
  optionalString,
  Refusal,
  readBody,
  readPaging,
  readTaskType,
  scanTypeList,
  TASK_TYPES,
} from './request.js';
import { isEmptyFilter, readTaskQuery, sortedPage } from './task-filter.js';

export { type HssRequest, Refusal } from './request.js';

import {
  CLUSTER_TYPES,
  type Cluster,
  clusterStatus,
  clusterView,
  type RetryPlan,
  SCAN_STATUSES,
  type ScanType,
  startRetry,
  type Task,
  taskView,
} from './model.js';

export interface HssState {
  tasks: Map<string, Task>;
  /** The IaC scan tasks (task_type iac_scan); their IDs never collide with the cluster scans'. */
  iacTasks: Map<string, IacTask>;
  progressMs: number;
}

/**
 * A cluster-scan task by ID. An IaC task asked for as a cluster scan is refused as a parameter that
 * does not fit the task (what the real service answers is not documented).
 */
function findTask(state: HssState, taskId: string): Task {
  const task = state.tasks.get(taskId);
  if (task) return task;
  if (state.iacTasks.has(taskId)) {
    invalid(`task ${taskId} is an iac_scan task, not a cluster_scan task`);
  }
  throw new Refusal(hssError('HSS.0011', `task ${taskId} does not exist`));
}

function findIacTask(state: HssState, taskId: string): IacTask {
  const task = state.iacTasks.get(taskId);
  if (task) return task;
  if (state.tasks.has(taskId)) invalid(`task ${taskId} is a cluster_scan task, not an iac_scan task`);
  throw new Refusal(hssError('HSS.0011', `task ${taskId} does not exist`));
}

interface ClusterRequest {
  clusterId: string;
  scanTypes?: ScanType[];
}

/**
 * `cluster_id` is optional in the API's model: an item without one names no cluster and is passed
 * over.
 */
function readClusterList(value: unknown): ClusterRequest[] {
  const path = 'cluster_scan_info.cluster_info_list';
  if (!Array.isArray(value)) invalid(`${path} must be an array`);
  if (value.length < 1 || value.length > MAX_CLUSTERS)
    invalid(`${path} must contain 1 to ${MAX_CLUSTERS} items`);
  const seen = new Set<string>();
  const requests: ClusterRequest[] = [];
  value.forEach((entry: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!isObject(entry)) invalid(`${at} must be an object`);
    const clusterId = field(entry, 'cluster_id');
    const types = field(entry, 'scan_type_list');
    const scanTypes = types === undefined ? undefined : scanTypeList(types, `${at}.scan_type_list`);
    if (clusterId === undefined) return;
    if (typeof clusterId !== 'string') invalid(`${at}.cluster_id must be a string`);
    const length = charLength(clusterId);
    if (length < 1 || length > MAX_ID_CHARS)
      invalid(`${at}.cluster_id must be 1 to ${MAX_ID_CHARS} characters long`);
    if (seen.has(clusterId)) invalid(`${path} contains cluster ${clusterId} more than once`);
    seen.add(clusterId);
    requests.push(scanTypes === undefined ? { clusterId } : { clusterId, scanTypes });
  });
  return requests;
}

function planAllFailed(task: Task): RetryPlan {
  const plan: RetryPlan = [];
  for (const cluster of task.clusters) {
    const items = cluster.items.filter((item) => item.status === 'failed');
    if (items.length > 0) plan.push({ cluster, items });
  }
  if (plan.length === 0) throw new Refusal(hssError('HSS.1302', `task ${task.id} has no failed cluster`));
  return plan;
}

function planSpecific(task: Task, requests: ClusterRequest[]): RetryPlan {
  const byId = new Map<string, Cluster>(task.clusters.map((cluster) => [cluster.id, cluster]));
  return requests.map(({ clusterId, scanTypes }) => {
    const cluster = byId.get(clusterId);
    if (!cluster) {
      throw new Refusal(hssError('HSS.0011', `cluster ${clusterId} is not part of task ${task.id}`));
    }
    if (scanTypes === undefined) {
      const items = cluster.items.filter((item) => item.status === 'failed');
      if (items.length === 0) {
        throw new Refusal(
          hssError('HSS.1302', `cluster ${clusterId} of task ${task.id} has no failed scan item`),
        );
      }
      return { cluster, items };
    }
    const items = scanTypes.map((scanType) => {
      const item = cluster.items.find((candidate) => candidate.scanType === scanType);
      if (!item) invalid(`scan type ${scanType} is not part of task ${task.id}`);
      return item;
    });
    return { cluster, items };
  });
}

/** PUT /v5/{project_id}/common/tasks/{task_id}/retry — success is 200 with an empty body. */
export function retryTask(req: HssRequest, rawTaskId: string, state: HssState): Answer {
  const taskId = decodeTaskId(rawTaskId);
  checkEnterpriseProject(req.query);
  // The body, and its cluster_scan_info, are optional in the API's model. What leaving them out means
  // is not documented; the sandbox reads it as the one retry that needs no more detail,
  // all_failed_cluster.
  const body = readBody(req, false);
  if (body !== undefined) readTaskType(body, true);
  const info =
    body === undefined ? undefined : optionalObject(body, 'cluster_scan_info', 'cluster_scan_info');
  let rangeType: 'all_failed_cluster' | 'specific_cluster' = 'all_failed_cluster';
  let requests: ClusterRequest[] = [];
  if (info !== undefined) {
    const range = field(info, 'range_type');
    if (range === undefined) invalid('cluster_scan_info.range_type is required');
    if (range !== 'all_failed_cluster' && range !== 'specific_cluster') {
      invalid('cluster_scan_info.range_type must be one of all_failed_cluster, specific_cluster');
    }
    rangeType = range;
    const list = field(info, 'cluster_info_list');
    if (rangeType === 'specific_cluster') {
      if (list === undefined) {
        invalid('cluster_scan_info.cluster_info_list is required when range_type is specific_cluster');
      }
      requests = readClusterList(list);
      if (requests.length === 0) {
        invalid('cluster_scan_info.cluster_info_list names no cluster: none of its items has a cluster_id');
      }
    } else if (list !== undefined) {
      // The list scopes specific_cluster only; beside all_failed_cluster it is checked, then unused.
      readClusterList(list);
    }
  }

  const task = findTask(state, taskId);
  if (task.status === 'running') {
    throw new Refusal(
      hssError('HSS.1301', `task ${taskId} is running and cannot be retried until it has finished`),
    );
  }
  if (task.status !== 'finished') {
    throw new Refusal(hssError('HSS.1301', `task ${taskId} has not started yet and cannot be retried`));
  }
  const plan = rangeType === 'all_failed_cluster' ? planAllFailed(task) : planSpecific(task, requests);
  startRetry(task, plan, req.now, state.progressMs);
  return { status: 200 };
}

/** POST /v5/{project_id}/common/tasks/batch-query */
export function listTasks(req: HssRequest, state: HssState): Answer {
  checkEnterpriseProject(req.query);
  const { offset, limit } = readPaging(req.query);
  const body = readBody(req, true) ?? {};
  const taskType = readTaskType(body, true, TASK_TYPES);
  const query = readTaskQuery(body);
  if (taskType === 'iac_scan') {
    return listIacTasks(body, query, { offset, limit, now: req.now }, state.iacTasks);
  }
  const info = optionalObject(body, 'cluster_scan_info', 'cluster_scan_info');
  // An empty filter list filters nothing (spec §2).
  const scanTypes = isEmptyFilter(info, 'scan_type_list')
    ? undefined
    : scanTypeList(field(info ?? {}, 'scan_type_list'), 'cluster_scan_info.scan_type_list');

  const matches = [...state.tasks.values()].filter(
    (task) =>
      query.matches(task) &&
      (scanTypes === undefined || scanTypes.every((scanType) => task.scanTypes.includes(scanType))),
  );
  return {
    status: 200,
    body: {
      total_num: matches.length,
      data_list: sortedPage(matches, query.sortDir, offset, limit).map((task) => taskView(task, req.now)),
    },
  };
}

/** POST /v5/{project_id}/common/tasks/{task_id}/resources/batch-query */
export function listTaskResources(req: HssRequest, rawTaskId: string, state: HssState): Answer {
  const taskId = decodeTaskId(rawTaskId);
  checkEnterpriseProject(req.query);
  const { offset, limit } = readPaging(req.query);
  const body = readBody(req, false) ?? {};
  // Without task_type the sandbox takes the task's own type (the API's model marks it optional).
  const taskType = readTaskType(body, false, TASK_TYPES);
  if (taskType === 'iac_scan' || (taskType === undefined && state.iacTasks.has(taskId))) {
    return listIacFiles(body, findIacTask(state, taskId), { offset, limit });
  }
  const info = optionalObject(body, 'cluster_scan_info', 'cluster_scan_info') ?? {};
  const scanStatus = optionalEnum(info, 'scan_status', 'cluster_scan_info.scan_status', SCAN_STATUSES);
  const name = optionalString(info, 'cluster_name', 'cluster_scan_info.cluster_name')?.toLowerCase();
  const clusterId = optionalString(info, 'cluster_id', 'cluster_scan_info.cluster_id', MAX_ID_CHARS);
  const clusterType = optionalEnum(info, 'cluster_type', 'cluster_scan_info.cluster_type', CLUSTER_TYPES);

  const task = findTask(state, taskId);
  const matches = task.clusters.filter(
    (cluster) =>
      (scanStatus === undefined || clusterStatus(cluster) === scanStatus) &&
      (name === undefined || cluster.name.toLowerCase().includes(name)) &&
      (clusterId === undefined || cluster.id === clusterId) &&
      (clusterType === undefined || cluster.type === clusterType),
  );
  return {
    status: 200,
    body: {
      total_num: matches.length,
      cluster_scan_data_list: matches.slice(offset, offset + limit).map(clusterView),
    },
  };
}

/**
 * GET /v5/{project_id}/common/task-statistics?task_type=cluster_scan|iac_scan: the tasks of that type,
 * those running, and the latest task's creation time (0 when there is none; a retry does not change it).
 */
export function taskStatistics(req: HssRequest, state: HssState): Answer {
  checkEnterpriseProject(req.query);
  const taskType = req.query.get('task_type');
  if (taskType === null) invalid('task_type is required');
  if (!(TASK_TYPES as readonly string[]).includes(taskType)) {
    invalid(`task_type must be one of ${TASK_TYPES.join(', ')}`);
  }
  const tasks: Array<Task | IacTask> = [
    ...(taskType === 'iac_scan' ? state.iacTasks.values() : state.tasks.values()),
  ];
  let running = 0;
  let last = 0;
  for (const task of tasks) {
    if (task.status === 'running') running += 1;
    last = Math.max(last, task.createTime);
  }
  return {
    status: 200,
    body: { total_num: tasks.length, running_num: running, last_task_start_time: last },
  };
}
