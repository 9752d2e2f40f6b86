// CreateTask, POST /v5/{project_id}/common/task (spec §2): a cluster scan of every cluster of the
// account or of the ones listed, or an IaC scan of the files listed. The new task runs like a retried
// one: its clusters (or files) finish one after another over the progress time, each with the outcome
// its seed gives it — a cluster whose agent is missing, a file with a syntax error, fails again.

import type { Answer } from './answers.js';
import { hssError } from './answers.js';
import type { HssState } from './hss.js';
import { IAC_FILE_TYPES, type IacFile, type IacTask } from './iac.js';
import { type Cluster, NEVER, type ScanItem, type ScanType, startRetry, type Task } from './model.js';
import {
  charLength,
  checkEnterpriseProject,
  field,
  type HssRequest,
  invalid,
  type JsonObject,
  MAX_CLUSTERS,
  MAX_ID_CHARS,
  optionalEnum,
  optionalObject,
  Refusal,
  readBody,
  readTaskType,
  scanTypeList,
  TASK_TYPES,
} from './request.js';
import { accountClusters } from './seed.js';
import { iacFileInventory } from './seed-iac.js';

/** The most files one IaC task takes: undocumented; the sandbox holds it to the clusters' 200. */
const MAX_FILES = 200;

/** A required list of distinct IDs, 1–`max` items of 1–64 characters each. */
function readIdList(value: unknown, path: string, max: number): string[] {
  if (!Array.isArray(value)) invalid(`${path} must be an array`);
  if (value.length < 1 || value.length > max) invalid(`${path} must contain 1 to ${max} items`);
  const seen = new Set<string>();
  value.forEach((entry: unknown, index) => {
    if (typeof entry !== 'string') invalid(`${path}[${index}] must be a string`);
    const length = charLength(entry);
    if (length < 1 || length > MAX_ID_CHARS) {
      invalid(`${path}[${index}] must be 1 to ${MAX_ID_CHARS} characters long`);
    }
    if (seen.has(entry)) invalid(`${path} contains ${entry} more than once`);
    seen.add(entry);
  });
  return [...seen];
}

function requiredObject(body: JsonObject, key: string): JsonObject {
  const value = optionalObject(body, key, key);
  if (value === undefined) invalid(`${key} is required when task_type is ${String(body.task_type)}`);
  return value;
}

/** The first ID, from task-1001 on, that no task of either type has. */
function nextTaskId(state: HssState): string {
  for (let n = 1001; ; n += 1) {
    const id = `task-${n}`;
    if (!state.tasks.has(id) && !state.iacTasks.has(id)) return id;
  }
}

/** A fresh cluster as a new scan finds it: each listed scan type to run, to fail again if it never can. */
function newCluster(template: Cluster, scanTypes: ScanType[], now: number): Cluster {
  const items = scanTypes.map((scanType): ScanItem => {
    const never = template.items.find((item) => item.retriesNeeded === NEVER);
    return never
      ? {
          scanType,
          status: 'success',
          failedReason: never.failedReason ?? '',
          retriesNeeded: NEVER,
          attempts: 0,
        }
      : { scanType, status: 'success', retriesNeeded: 0, attempts: 0 };
  });
  const { id, name, type, version } = template;
  return { id, name, type, version, startTime: now, endTime: 0, items };
}

function createClusterScan(body: JsonObject, state: HssState, now: number): string {
  const info = requiredObject(body, 'cluster_scan_info');
  const types = field(info, 'scan_type_list');
  if (types === undefined) invalid('cluster_scan_info.scan_type_list is required');
  const scanTypes = scanTypeList(types, 'cluster_scan_info.scan_type_list');
  const range = field(info, 'range_type');
  if (range === undefined) invalid('cluster_scan_info.range_type is required');
  if (range !== 'all_cluster' && range !== 'specific_cluster') {
    invalid('cluster_scan_info.range_type must be one of all_cluster, specific_cluster');
  }
  const list = field(info, 'cluster_id_list');
  if (range === 'specific_cluster' && list === undefined) {
    invalid('cluster_scan_info.cluster_id_list is required when range_type is specific_cluster');
  }
  // Beside all_cluster the list is checked, then unused: it scopes specific_cluster only.
  const ids = list === undefined ? [] : readIdList(list, 'cluster_scan_info.cluster_id_list', MAX_CLUSTERS);
  const known = accountClusters(state.tasks.values());
  const templates =
    range === 'all_cluster'
      ? [...known.values()]
      : ids.map((id) => {
          const cluster = known.get(id);
          if (!cluster) throw new Refusal(hssError('HSS.0011', `cluster ${id} does not exist`));
          return cluster;
        });
  const task: Task = {
    id: nextTaskId(state),
    name: 'manual-cluster-scan',
    trigger: 'manual',
    status: 'ready',
    startTime: now,
    createTime: now,
    endTime: 0,
    estimatedEnd: 0,
    scanTypes,
    clusters: templates.map((template) => newCluster(template, scanTypes, now)),
  };
  startRetry(
    task,
    task.clusters.map((cluster) => ({ cluster, items: cluster.items })),
    now,
    state.progressMs,
  );
  state.tasks.set(task.id, task);
  return task.id;
}

function createIacScan(body: JsonObject, state: HssState, now: number): string {
  const info = requiredObject(body, 'iac_scan_info');
  if (field(info, 'file_type') === undefined) invalid('iac_scan_info.file_type is required');
  const fileType = optionalEnum(info, 'file_type', 'iac_scan_info.file_type', IAC_FILE_TYPES);
  const list = field(info, 'file_id_list');
  if (list === undefined) invalid('iac_scan_info.file_id_list is required');
  const ids = readIdList(list, 'iac_scan_info.file_id_list', MAX_FILES);
  const known = iacFileInventory(state.iacTasks.values());
  const files = ids.map((id): IacFile => {
    const file = known.get(id);
    if (!file) throw new Refusal(hssError('HSS.0011', `file ${id} does not exist`));
    if (file.type !== fileType) invalid(`file ${id} is a ${file.type} file, not ${fileType}`);
    const { failedReason: _reason, ...rest } = file;
    return { ...rest, status: 'scanning', startTime: now, endTime: 0 };
  });
  const task: IacTask = {
    id: nextTaskId(state),
    name: `manual-${fileType === 'dockerfile' ? 'dockerfile' : 'k8s-yaml'}-scan`,
    trigger: 'manual',
    status: 'running',
    startTime: now,
    createTime: now,
    endTime: 0,
    estimatedEnd: 0,
    fileType: fileType ?? 'dockerfile',
    files,
    finishAt: now + state.progressMs,
  };
  state.iacTasks.set(task.id, task);
  return task.id;
}

/** POST /v5/{project_id}/common/task — answers 200 with {"task_id"}. */
export function createTask(req: HssRequest, state: HssState): Answer {
  checkEnterpriseProject(req.query);
  const body = readBody(req, true) ?? {};
  const taskType = readTaskType(body, true, TASK_TYPES);
  const taskId =
    taskType === 'iac_scan' ? createIacScan(body, state, req.now) : createClusterScan(body, state, req.now);
  return { status: 200, body: { task_id: taskId } };
}
