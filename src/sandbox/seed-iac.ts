// The sandbox's IaC scan tasks (task_type iac_scan), laid out before the sandbox clock like the
// cluster scans of seed.ts. Their IDs share the cluster scans' form: only ListTasks by type tells
// them apart, as on the real service.
//
//   task-0901  manual    finished  dockerfile  3 files: 2 success, api/Dockerfile failed (a syntax
//                                              error: it fails again in every task that scans it)
//   task-0902  schedule  finished  k8s_yaml    4 files of two Helm charts and one plain manifest, 1 failed
//   task-0903  manual    running   dockerfile  2 files, 1 scanning; never finishes

import type { IacFile, IacFileType, IacTask } from './iac.js';
import type { TaskStatus, TriggerType } from './model.js';
import { HOUR, MINUTE } from './seed-types.js';

type FileRow = [
  id: string,
  name: string,
  size: number,
  status: 'success' | 'failed' | 'scanning',
  extra?: { chart?: string; reason?: string },
];

interface IacSeed {
  id: string;
  name: string;
  trigger: TriggerType;
  status: TaskStatus;
  ago: number;
  estimatedMinutes?: number;
  fileType: IacFileType;
  files: FileRow[];
}

const DOCKERFILE_SYNTAX = 'failed to parse Dockerfile: unknown instruction: RUNN (line 12)';
const YAML_SYNTAX = 'YAML syntax error at line 14: mapping values are not allowed in this context';

const IAC_SEEDS: readonly IacSeed[] = [
  {
    id: 'task-0901',
    name: 'dockerfile-scan-web',
    trigger: 'manual',
    status: 'finished',
    ago: 1 * HOUR,
    fileType: 'dockerfile',
    files: [
      ['df-web-0001', 'web/Dockerfile', 1830, 'success'],
      ['df-api-0002', 'api/Dockerfile', 2411, 'failed', { reason: DOCKERFILE_SYNTAX }],
      ['df-worker-0003', 'worker/Dockerfile', 964, 'success'],
    ],
  },
  {
    id: 'task-0902',
    name: 'k8s-yaml-scan-charts',
    trigger: 'schedule',
    status: 'finished',
    ago: 5 * HOUR,
    fileType: 'k8s_yaml',
    files: [
      ['ky-pay-0001', 'templates/deployment.yaml', 4210, 'success', { chart: 'payments' }],
      ['ky-pay-0002', 'templates/service.yaml', 812, 'success', { chart: 'payments' }],
      [
        'ky-shop-0003',
        'templates/ingress.yaml',
        1204,
        'failed',
        { chart: 'storefront', reason: YAML_SYNTAX },
      ],
      ['ky-cron-0004', 'manifests/cronjob.yaml', 650, 'success'],
    ],
  },
  {
    id: 'task-0903',
    name: 'dockerfile-scan-ci',
    trigger: 'manual',
    status: 'running',
    ago: 5 * MINUTE,
    estimatedMinutes: 9,
    fileType: 'dockerfile',
    files: [
      ['df-ci-0004', 'ci/Dockerfile', 1377, 'scanning'],
      ['df-web-0001', 'web/Dockerfile', 1830, 'success'],
    ],
  },
];

function buildFile(row: FileRow, type: IacFileType, start: number, index: number): IacFile {
  const [id, name, size, status, extra = {}] = row;
  const file: IacFile = {
    id,
    name,
    type,
    size,
    status,
    startTime: start,
    endTime: status === 'scanning' ? 0 : start + (index + 1) * MINUTE,
  };
  if (extra.chart !== undefined) file.chartName = extra.chart;
  if (extra.reason !== undefined) {
    file.failedReason = extra.reason;
    file.brokenReason = extra.reason;
  }
  return file;
}

/** A fresh copy of the IaC seed tasks, laid out before `base` (epoch ms). */
export function createIacSeedTasks(base: number): Map<string, IacTask> {
  const tasks = new Map<string, IacTask>();
  for (const seed of IAC_SEEDS) {
    const start = base - seed.ago;
    const files = seed.files.map((row, index) => buildFile(row, seed.fileType, start, index));
    tasks.set(seed.id, {
      id: seed.id,
      name: seed.name,
      trigger: seed.trigger,
      status: seed.status,
      startTime: start,
      createTime: start,
      endTime: seed.status === 'finished' ? Math.max(...files.map((f) => f.endTime)) : 0,
      estimatedEnd: seed.estimatedMinutes ? base + seed.estimatedMinutes * MINUTE : 0,
      fileType: seed.fileType,
      files,
    });
  }
  return tasks;
}

/**
 * The IaC files the sandbox knows, by ID (what CreateTask's file_id_list may name): every file of
 * the seed tasks, as first seen.
 */
export function iacFileInventory(tasks: Iterable<IacTask>): Map<string, IacFile> {
  const files = new Map<string, IacFile>();
  for (const task of tasks) for (const file of task.files) if (!files.has(file.id)) files.set(file.id, file);
  return files;
}
