/**
 * Text views of tasks and per-cluster results: `task list`, `task show`, and the failed clusters of
 * `task wait` and `task retry --wait`. JSON output never goes through here: it keeps the API's own
 * field names.
 */
import type { ChalkInstance } from 'chalk';
import type { ClusterResult, TaskSummary } from '../api/schemas.js';
import { isoSeconds, relativeTime } from '../core/duration.js';
import { plural } from '../core/text.js';
import { table } from './table.js';

export interface ClusterCounts {
  scanning: number;
  succeeded: number;
  failed: number;
}

export function clusterCounts(task: TaskSummary): ClusterCounts {
  const info = task.cluster_scan_info;
  return {
    scanning: info?.scanning_cluster_num ?? 0,
    succeeded: info?.success_cluster_num ?? 0,
    failed: info?.failed_cluster_num ?? 0,
  };
}

export function describeCounts(counts: ClusterCounts): string {
  return `${counts.scanning} scanning, ${counts.succeeded} succeeded, ${counts.failed} failed`;
}

/** A moment the API gave (epoch ms) if there is one: absent or zero is "not started", "not ended". */
function moment(ms: number | undefined): number | undefined {
  return ms === undefined || ms <= 0 || !Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())
    ? undefined
    : ms;
}

/** For a table cell, as kubectl's AGE and gh's lists: `3h 12m ago`; `-` for none. */
export function ago(ms: number | undefined, now: number): string {
  const at = moment(ms);
  return at === undefined ? '-' : relativeTime(at, now);
}

/** For a detail line: the moment in UTC, with its zone, and how long ago, e.g. `2026-11-29T10:02:00Z (3h 12m ago)`. */
export function when(ms: number | undefined, now: number): string {
  const at = moment(ms);
  return at === undefined ? '-' : `${isoSeconds(at)} (${relativeTime(at, now)})`;
}

function statusCell(status: string | undefined, s: ChalkInstance): string {
  if (status === 'running') return s.cyan(status);
  if (status === 'ready') return s.yellow(status);
  return status ?? '-';
}

const STATUS_ORDER: Record<string, number> = { failed: 0, scanning: 1 };

/** Failures first, then clusters still scanning, then the rest; API order within each group. */
function failuresFirst(clusters: ClusterResult[]): ClusterResult[] {
  return clusters
    .map((cluster, index) => ({ cluster, index }))
    .sort(
      (a, b) =>
        (STATUS_ORDER[a.cluster.scan_status ?? ''] ?? 2) - (STATUS_ORDER[b.cluster.scan_status ?? ''] ?? 2) ||
        a.index - b.index,
    )
    .map(({ cluster }) => cluster);
}

/**
 * One cell for a cluster's scan items: failed items grouped by reason, then the ones scanning, then
 * the ones that succeeded, e.g. `cluster_vul, risk_assessment failed: failed to pull scanner image; benchmark ok`.
 */
function scanItemsCell(cluster: ClusterResult, s: ChalkInstance): string {
  const byReason = new Map<string, string[]>();
  const scanning: string[] = [];
  const ok: string[] = [];
  const other: string[] = [];
  for (const detail of cluster.scan_detail_list) {
    if (detail.status === 'failed') {
      const reason = detail.failed_reason ?? '';
      byReason.set(reason, [...(byReason.get(reason) ?? []), detail.scan_type]);
    } else if (detail.status === 'scanning') scanning.push(detail.scan_type);
    else if (detail.status === 'success') ok.push(detail.scan_type);
    else other.push(`${detail.scan_type} ${detail.status ?? '(no status)'}`);
  }
  const parts: string[] = [];
  for (const [reason, types] of byReason) {
    parts.push(s.red(`${types.join(', ')} failed${reason ? `: ${reason}` : ''}`));
  }
  if (scanning.length) parts.push(s.cyan(`${scanning.join(', ')} scanning`));
  if (ok.length) parts.push(`${ok.join(', ')} ok`);
  parts.push(...other);
  return parts.join('; ') || '-';
}

/** The per-cluster table of `task show` and of a wait that ended with failures. */
export function clusterTable(clusters: ClusterResult[], s: ChalkInstance): string {
  const rows = failuresFirst(clusters).map((c) => {
    const failed = c.scan_status === 'failed';
    const paint = (text: string) => (failed ? s.red(text) : text);
    return [
      paint(c.cluster_id),
      c.cluster_name ?? '-',
      c.cluster_type ?? '-',
      c.cluster_version ?? '-',
      failed ? s.red('failed') : c.scan_status === 'scanning' ? s.cyan('scanning') : (c.scan_status ?? '-'),
      scanItemsCell(c, s),
    ];
  });
  return table(['CLUSTER ID', 'NAME', 'TYPE', 'VERSION', 'STATUS', 'SCAN ITEMS'], rows, s.bold);
}

/** Leading columns of a listing across projects: their headers, and each task's cells. */
export interface LeadColumns<T> {
  header: string[];
  cells(task: T): string[];
}

/** The columns a kind of task adds to a listing after those every task has, and how it shows a status. */
export interface ListingColumns<T> {
  header: string[];
  cells(task: T, s: ChalkInstance): string[];
  status(status: string | undefined, s: ChalkInstance): string;
}

/**
 * A task listing: one row a task (ID, name, status, trigger, started, then the kind's own columns),
 * and a line when more tasks match than are shown; across projects, `lead` puts where each task is
 * (REGION, PROJECT) first.
 */
export function listingTable<T extends TaskSummary>(
  tasks: T[],
  total: number,
  s: ChalkInstance,
  now: number,
  own: ListingColumns<T>,
  lead?: LeadColumns<T>,
): string {
  if (tasks.length === 0) return s.dim('no tasks match');
  const rows = tasks.map((t) => [
    ...(lead ? lead.cells(t) : []),
    t.task_id,
    t.task_name ?? '-',
    own.status(t.task_status, s),
    t.trigger_type ?? '-',
    ago(t.start_time, now),
    ...own.cells(t, s),
  ]);
  const header = [...(lead?.header ?? []), 'TASK ID', 'NAME', 'STATUS', 'TRIGGER', 'STARTED', ...own.header];
  const lines = [table(header, rows, s.bold)];
  if (total > tasks.length) {
    lines.push(s.dim(`${tasks.length} of ${plural(total, 'task')} shown; --limit <n> or --all for more`));
  }
  return lines.join('\n');
}

const CLUSTER_COLUMNS: ListingColumns<TaskSummary> = {
  header: ['OK', 'FAILED', 'SCANNING'],
  cells: (t, s) => {
    const counts = clusterCounts(t);
    return [
      String(counts.succeeded),
      counts.failed ? s.red(String(counts.failed)) : '0',
      String(counts.scanning),
    ];
  },
  status: statusCell,
};

/** `hss task list`: the cluster scan tasks, with their clusters' counts. */
export function taskTable<T extends TaskSummary>(
  tasks: T[],
  total: number,
  s: ChalkInstance,
  now: number,
  lead?: LeadColumns<T>,
): string {
  return listingTable(tasks, total, s, now, CLUSTER_COLUMNS, lead);
}

function summaryLines(task: TaskSummary, s: ChalkInstance, now: number): string[] {
  const counts = clusterCounts(task);
  const total = counts.scanning + counts.succeeded + counts.failed;
  const estimate =
    task.task_status === 'running' && task.estimated_time ? `   about ${task.estimated_time} min left` : '';
  const failed = counts.failed ? s.red(`${counts.failed} failed`) : '0 failed';
  return [
    `${s.bold(task.task_id)}  ${task.task_name ?? ''}`.trimEnd(),
    `  status      ${statusCell(task.task_status, s)}${task.trigger_type ? ` (${task.trigger_type})` : ''}`,
    `  started     ${when(task.start_time, now)}${estimate}`,
    ...(task.task_status === 'finished' ? [`  ended       ${when(task.end_time, now)}`] : []),
    `  scan types  ${task.cluster_scan_info?.scan_type_list?.join(', ') || '-'}`,
    `  clusters    ${total}: ${counts.succeeded} succeeded, ${failed}, ${counts.scanning} scanning`,
  ];
}

/** `hss task show`: the task's summary, then its clusters (with `failedOnly`, the failed ones). */
export function taskDetails(
  task: TaskSummary,
  clusters: ClusterResult[],
  failedOnly: boolean,
  s: ChalkInstance,
  now: number,
): string {
  const lines = summaryLines(task, s, now);
  lines.push('');
  if (clusters.length === 0) {
    lines.push(s.dim(failedOnly ? 'no failed clusters' : 'no cluster results'));
  } else {
    if (failedOnly) lines.push(s.red(`${plural(clusters.length, 'failed cluster')}:`));
    lines.push(clusterTable(clusters, s));
  }
  return lines.join('\n');
}
