/**
 * How following a task ended, as the contract states it: the error of exit 7 (clusters failed) or 8
 * (the wait gave up), and the JSON fields `task wait` and `task retry --wait` report.
 */
import type { ClusterResult } from '../api/schemas.js';
import { formatDuration } from '../core/duration.js';
import { type HssError, WaitFailedError, WaitTimeoutError } from '../core/errors.js';
import { plural } from '../core/text.js';
import { errorJson } from '../output/renderer.js';
import { clusterCounts, describeCounts } from '../output/task-view.js';
import type { FollowedDocument } from './documents.js';
import type { FollowOutcome, WaitSettings } from './follow.js';

function clusterList(clusters: ClusterResult[], count: number): string {
  const ids = clusters.slice(0, 5).map((c) => c.cluster_id);
  const rest = Math.max(count, clusters.length) - ids.length;
  return `${ids.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/** Where a task stood when the wait gave up, e.g. `running after 30m (2 scanning, 1 succeeded, 0 failed)`. */
export function timedOutState(
  outcome: FollowOutcome & { kind: 'timed_out' },
  settings: WaitSettings,
): string {
  const after = formatDuration(settings.timeoutMs);
  if (!outcome.task) return `no answer from the API within ${after}`;
  const counts = describeCounts(clusterCounts(outcome.task));
  return `${outcome.task.task_status ?? 'in an unknown state'} after ${after} (${counts})`;
}

/** Exit 7 or 8 for an outcome, as the error the contract names; undefined when nothing failed. */
export function outcomeError(
  taskId: string,
  outcome: FollowOutcome,
  settings: WaitSettings,
): HssError | undefined {
  if (outcome.kind === 'timed_out') {
    return new WaitTimeoutError(`gave up waiting for task ${taskId}: ${timedOutState(outcome, settings)}`, {
      hint: `raise --wait-timeout, or follow it again with \`hss task wait ${taskId}\``,
    });
  }
  const failed = clusterCounts(outcome.task).failed;
  if (failed === 0) return undefined;
  const list = outcome.failedClusters.length ? `: ${clusterList(outcome.failedClusters, failed)}` : '';
  return new WaitFailedError(`task ${taskId} finished with ${plural(failed, 'failed cluster')}${list}`, {
    hint: `see why with \`hss task show ${taskId} --failed\`; retry them with \`hss task retry ${taskId} --all-failed\``,
  });
}

/** The JSON fields an outcome adds: `task`, `failed_clusters`, and `error` for exit 7/8. */
export function outcomeData(outcome: FollowOutcome, error: HssError | undefined): FollowedDocument {
  const data: FollowedDocument = {};
  if (outcome.task) data.task = outcome.task;
  if (outcome.kind === 'finished') data.failed_clusters = outcome.failedClusters;
  if (error) data.error = errorJson(error);
  return data;
}
