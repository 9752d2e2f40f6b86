/**
 * Text views of IaC scan tasks (task type iac_scan: Dockerfiles, Kubernetes YAML): `task list --type
 * iac_scan` and `task show` of such a task. They have files where cluster scans have clusters.
 */
import type { ChalkInstance } from 'chalk';
import type { IacFileResult, TaskSummary } from '../api/schemas.js';
import { plural } from '../core/text.js';
import { table } from './table.js';
import { type LeadColumns, type ListingColumns, listingTable, when } from './task-view.js';

export interface FileCounts {
  total: number;
  succeeded: number;
  failed: number;
}

export function fileCounts(task: TaskSummary): FileCounts {
  const info = task.iac_scan_info;
  return {
    total: info?.scan_file_num ?? 0,
    succeeded: info?.success_file_num ?? 0,
    failed: info?.failed_file_num ?? 0,
  };
}

function statusCell(status: string | undefined, s: ChalkInstance): string {
  if (status === 'running' || status === 'scanning') return s.cyan(status);
  if (status === 'ready') return s.yellow(status);
  if (status === 'failed') return s.red(status);
  return status ?? '-';
}

const IAC_COLUMNS: ListingColumns<TaskSummary> = {
  header: ['FILE TYPE', 'FILES', 'OK', 'FAILED'],
  cells: (t, s) => {
    const counts = fileCounts(t);
    return [
      t.iac_scan_info?.file_type ?? '-',
      String(counts.total),
      String(counts.succeeded),
      counts.failed ? s.red(String(counts.failed)) : '0',
    ];
  },
  status: statusCell,
};

/** `hss task list --type iac_scan`: one row a task, with its files' counts; across projects, `lead` columns first. */
export function iacTaskTable<T extends TaskSummary>(
  tasks: T[],
  total: number,
  s: ChalkInstance,
  now: number,
  lead?: LeadColumns<T>,
): string {
  return listingTable(tasks, total, s, now, IAC_COLUMNS, lead);
}

/** Failed files first, then those still scanning, then the rest; API order within each group. */
function failuresFirst(files: IacFileResult[]): IacFileResult[] {
  const order = (f: IacFileResult) => (f.scan_status === 'failed' ? 0 : f.scan_status === 'scanning' ? 1 : 2);
  return files
    .map((file, index) => ({ file, index }))
    .sort((a, b) => order(a.file) - order(b.file) || a.index - b.index)
    .map(({ file }) => file);
}

function fileTable(files: IacFileResult[], s: ChalkInstance): string {
  const rows = failuresFirst(files).map((f) => {
    const failed = f.scan_status === 'failed';
    return [
      failed ? s.red(f.file_id) : f.file_id,
      f.file_name ?? '-',
      f.chart_name ?? '-',
      f.file_size === undefined ? '-' : String(f.file_size),
      statusCell(f.scan_status, s),
      failed ? s.red(f.failed_reason ?? '-') : '',
    ];
  });
  return table(['FILE ID', 'FILE NAME', 'CHART', 'SIZE', 'STATUS', 'FAILED REASON'], rows, s.bold);
}

/** `hss task show` of an IaC scan task: its summary, then its files (with `failedOnly`, the failed ones). */
export function iacTaskDetails(
  task: TaskSummary,
  files: IacFileResult[],
  failedOnly: boolean,
  s: ChalkInstance,
  now: number,
): string {
  const counts = fileCounts(task);
  const scanning = Math.max(0, counts.total - counts.succeeded - counts.failed);
  const failed = counts.failed ? s.red(`${counts.failed} failed`) : '0 failed';
  const lines = [
    `${s.bold(task.task_id)}  ${task.task_name ?? ''}`.trimEnd(),
    `  type        IaC scan (iac_scan)`,
    `  status      ${statusCell(task.task_status, s)}${task.trigger_type ? ` (${task.trigger_type})` : ''}`,
    `  started     ${when(task.start_time, now)}`,
    ...(task.task_status === 'finished' ? [`  ended       ${when(task.end_time, now)}`] : []),
    `  file type   ${task.iac_scan_info?.file_type ?? '-'}`,
    `  files       ${counts.total}: ${counts.succeeded} succeeded, ${failed}, ${scanning} scanning`,
    '',
  ];
  if (files.length === 0) lines.push(s.dim(failedOnly ? 'no failed files' : 'no file results'));
  else {
    if (failedOnly) lines.push(s.red(`${plural(files.length, 'failed file')}:`));
    lines.push(fileTable(files, s));
  }
  return lines.join('\n');
}
