/**
 * --summary: Markdown appended to a file (GitHub's $GITHUB_STEP_SUMMARY, or any job log): a line per
 * task, then a table of the clusters still failing with their reasons.
 */
import { formatDuration } from '../core/duration.js';
import { plural } from '../core/text.js';
import { clusterCounts } from '../output/task-view.js';
import type { ReportContext, ReportTask } from './report.js';

/**
 * Server text as Markdown that renders as itself: no control characters or line breaks, HTML and
 * Markdown punctuation escaped, table pipes escaped.
 */
export function markdownText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~])/g, '\\$1');
}

function taskLine(task: ReportTask): string {
  const name = `\`${markdownText(`${task.region}/${task.taskId}`).replace(/\\`/g, "'")}\``;
  const rounds = task.rounds && task.rounds > 1 ? ` after ${plural(task.rounds, 'round')}` : '';
  const { outcome, error } = task;
  if (outcome?.kind === 'finished') {
    const counts = clusterCounts(outcome.task);
    const all = plural(counts.scanning + counts.succeeded + counts.failed, 'cluster');
    const waited = ` (${formatDuration(outcome.elapsedMs)})`;
    if (counts.failed === 0) return `- ✅ ${name}: ${all}, none failed${rounds}${waited}`;
    return `- ❌ ${name}: ${counts.failed} of ${all} still failing${rounds}${waited}`;
  }
  if (outcome) return `- ⏱️ ${name}: ${markdownText(error?.message ?? 'gave up waiting')}`;
  return `- ❌ ${name}: ${markdownText(error?.message ?? 'not followed')}`;
}

function failingRows(tasks: ReportTask[]): string[] {
  return tasks.flatMap((task) => {
    if (task.outcome?.kind !== 'finished') return [];
    const where = markdownText(`${task.region}/${task.taskId}`);
    return task.outcome.failedClusters.flatMap((cluster) =>
      cluster.scan_detail_list
        .filter((d) => d.status === 'failed')
        .map((d) => {
          const name = cluster.cluster_name ? ` (${cluster.cluster_name})` : '';
          return `| ${where} | ${markdownText(cluster.cluster_id + name)} | ${markdownText(d.scan_type)} | ${markdownText(d.failed_reason ?? '')} |`;
        }),
    );
  });
}

export function summaryReport(tasks: ReportTask[], context: ReportContext): string {
  if (tasks.length === 0) {
    return `### ${markdownText(context.title)}: ${markdownText(context.empty ?? 'no task to follow')}\n\n`;
  }
  const fixed = tasks.filter(
    (t) => t.outcome?.kind === 'finished' && clusterCounts(t.outcome.task).failed === 0,
  );
  const lines = [
    `### ${markdownText(context.title)}: ${fixed.length} of ${plural(tasks.length, 'task')} without failed clusters`,
    '',
    ...tasks.map(taskLine),
    '',
  ];
  const rows = failingRows(tasks);
  if (rows.length) {
    lines.push('| task | cluster | scan type | failed reason |', '| --- | --- | --- | --- |', ...rows, '');
  }
  return `${lines.join('\n')}\n`;
}
