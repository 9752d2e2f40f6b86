// IaC scan tasks of the sandbox (task_type iac_scan: Dockerfiles and Kubernetes YAML), their views as
// ListTasks and ListTaskResources return them (spec §2: iac_scan_info, iac_scan_data_list), and the
// two queries. Like cluster scans, a created task's files finish when a request looks after its
// progress time (settleIac).

import type { Answer } from './answers.js';
import { SCAN_STATUSES, type ScanStatus, type TaskBase, type TaskViewBase, taskViewBase } from './model.js';
import { type JsonObject, optionalEnum, optionalObject, optionalString } from './request.js';
import { sortedPage, type TaskQuery } from './task-filter.js';

export const IAC_FILE_TYPES = ['dockerfile', 'k8s_yaml'] as const;
export type IacFileType = (typeof IAC_FILE_TYPES)[number];

export interface IacFile {
  id: string;
  name: string;
  type: IacFileType;
  /** The Helm chart a Kubernetes YAML file belongs to, if any. */
  chartName?: string;
  size: number;
  status: ScanStatus;
  failedReason?: string;
  /** A file whose scan fails however often it runs (a syntax error): the reason it fails with. */
  brokenReason?: string;
  startTime: number;
  endTime: number;
}

export interface IacTask extends TaskBase {
  fileType: IacFileType;
  files: IacFile[];
}

export interface IacTaskView extends TaskViewBase<'iac_scan'> {
  iac_scan_info: {
    file_type: IacFileType;
    scan_file_num: number;
    success_file_num: number;
    failed_file_num: number;
  };
}

export interface IacFileView {
  file_name: string;
  file_type: IacFileType;
  chart_name?: string;
  file_id: string;
  file_size: number;
  scan_status: ScanStatus;
  failed_reason?: string;
  start_time: number;
  end_time: number;
}

export function iacTaskView(task: IacTask, now: number): IacTaskView {
  return {
    ...taskViewBase(task, 'iac_scan', now),
    iac_scan_info: {
      file_type: task.fileType,
      scan_file_num: task.files.length,
      success_file_num: task.files.filter((f) => f.status === 'success').length,
      failed_file_num: task.files.filter((f) => f.status === 'failed').length,
    },
  };
}

export function iacFileView(file: IacFile): IacFileView {
  return {
    file_name: file.name,
    file_type: file.type,
    ...(file.chartName === undefined ? {} : { chart_name: file.chartName }),
    file_id: file.id,
    file_size: file.size,
    scan_status: file.status,
    ...(file.status === 'failed' && file.failedReason !== undefined
      ? { failed_reason: file.failedReason }
      : {}),
    start_time: file.startTime,
    end_time: file.endTime,
  };
}

/** Finish every created IaC task whose progress time has passed: each file succeeds unless broken. */
export function settleIac(tasks: Iterable<IacTask>, now: number): void {
  for (const task of tasks) {
    const finishAt = task.finishAt;
    if (finishAt === undefined || now < finishAt) continue;
    for (const file of task.files) {
      if (file.status !== 'scanning') continue;
      file.status = file.brokenReason === undefined ? 'success' : 'failed';
      if (file.brokenReason !== undefined) file.failedReason = file.brokenReason;
      file.endTime = finishAt;
    }
    task.status = 'finished';
    task.endTime = finishAt;
    task.finishAt = undefined;
  }
}

/** ListTasks with task_type iac_scan; `iac_scan_info.file_type` narrows it. */
export function listIacTasks(
  body: JsonObject,
  query: TaskQuery,
  page: { offset: number; limit: number; now: number },
  tasks: Map<string, IacTask>,
): Answer {
  const info = optionalObject(body, 'iac_scan_info', 'iac_scan_info') ?? {};
  const fileType = optionalEnum(info, 'file_type', 'iac_scan_info.file_type', IAC_FILE_TYPES);
  const matches = [...tasks.values()].filter(
    (task) => query.matches(task) && (fileType === undefined || task.fileType === fileType),
  );
  return {
    status: 200,
    body: {
      total_num: matches.length,
      data_list: sortedPage(matches, query.sortDir, page.offset, page.limit).map((task) =>
        iacTaskView(task, page.now),
      ),
    },
  };
}

/** ListTaskResources with task_type iac_scan: the task's files, filtered by iac_scan_info. */
export function listIacFiles(
  body: JsonObject,
  task: IacTask,
  page: { offset: number; limit: number },
): Answer {
  const info = optionalObject(body, 'iac_scan_info', 'iac_scan_info') ?? {};
  const scanStatus = optionalEnum(info, 'scan_status', 'iac_scan_info.scan_status', SCAN_STATUSES);
  const name = optionalString(info, 'file_name', 'iac_scan_info.file_name')?.toLowerCase();
  const chart = optionalString(info, 'chart_name', 'iac_scan_info.chart_name')?.toLowerCase();
  const matches = task.files.filter(
    (file) =>
      (scanStatus === undefined || file.status === scanStatus) &&
      (name === undefined || file.name.toLowerCase().includes(name)) &&
      (chart === undefined || (file.chartName ?? '').toLowerCase().includes(chart)),
  );
  return {
    status: 200,
    body: {
      total_num: matches.length,
      iac_scan_data_list: matches.slice(page.offset, page.offset + page.limit).map(iacFileView),
    },
  };
}
