/**
 * `hss task retry --wait`: the accepted tasks followed together (src/tasks/follow-many.ts), their
 * polls shown as the batch's progress; with --rounds, what still fails is retried again and followed
 * again, up to the number of rounds. Loaded only with --wait.
 */
import type { HssApi } from '../api/hss.js';
import type { ClusterResult, RetryBody, TaskSummary } from '../api/schemas.js';
import { HssError } from '../core/errors.js';
import { clusterCounts } from '../output/task-view.js';
import type { FollowOutcome, WaitSettings } from './follow.js';
import { followMany, readTasks } from './follow-many.js';
import { pollReporter, retriedOutcomeLines } from './follow-view.js';
import { outcomeData, outcomeError } from './outcome.js';
import type { RetryPlan } from './retry-plan.js';
import type { Followed, Follower, Progress, RetryItem, RetryRound } from './retry-run.js';
import { accepted } from './retry-run.js';

export function retryFollower(api: HssApi, plan: RetryPlan, progress: Progress): Follower {
  if (!plan.wait) throw new Error('retryFollower needs --wait');
  const settings: WaitSettings = plan.wait;
  const reporter = pollReporter(progress.renderer, progress.spinner, progress.taskCount);
  const allClusters = plan.reports.junit !== undefined;

  /** Follows the accepted items of a round together; each gets how its wait ended. */
  async function followRound(
    items: RetryItem[],
    baselines: Map<string, TaskSummary | undefined>,
  ): Promise<void> {
    const followed = items.filter(accepted);
    if (followed.length === 0) return;
    const entries = followed.map((item) => ({ taskId: item.task_id, baseline: baselines.get(item.task_id) }));
    let outcomes: Map<string, FollowOutcome>;
    try {
      outcomes = await followMany(api, entries, settings, progress.io, {
        onPoll: reporter.onPoll,
        onDone: (taskId) => reporter.finished(taskId),
        allClusters,
      });
    } catch (error) {
      // Following failed for all of them (an auth error while polling, Ctrl-C): each item says so.
      if (!(error instanceof HssError)) throw error;
      for (const item of followed) {
        item.ok = false;
        item.error = error;
      }
      return;
    }
    for (const item of followed) {
      const outcome = outcomes.get(item.task_id);
      if (!outcome) continue;
      const error = outcomeError(item.task_id, outcome, settings);
      item.followed = followedOf(item.task_id, outcome);
      if (error) {
        item.ok = false;
        item.error = error;
      }
    }
  }

  function followedOf(taskId: string, outcome: FollowOutcome): Followed {
    return {
      data: outcomeData(outcome, undefined),
      lines: (s) => retriedOutcomeLines(taskId, outcome, settings, s),
      outcome,
    };
  }

  return {
    readBaselines: (taskIds) => readTasks(api, taskIds),
    async followRounds(items, baselines, send) {
      await followRound(items, baselines);
      if (plan.rounds <= 1) return;
      for (const item of items) item.rounds = [roundOf(item, 1)];
      for (let round = 2; round <= plan.rounds && !progress.io.signal.aborted; round += 1) {
        const again = items.filter(stillFailing);
        if (again.length === 0) return;
        const next = new Map<string, TaskSummary | undefined>();
        const retried: RetryItem[] = [];
        for (const item of again) {
          const outcome = item.followed?.outcome;
          const body =
            item.body && outcome?.kind === 'finished'
              ? nextBody(item.body, outcome.failedClusters)
              : undefined;
          if (!body || outcome?.kind !== 'finished') continue;
          adopt(item, await send(item.task_id, body, { baseline: outcome.task }));
          next.set(item.task_id, outcome.task);
          retried.push(item);
        }
        await followRound(retried, next);
        for (const item of retried) item.rounds?.push(roundOf(item, round));
      }
    },
  };
}

/** The task finished its last round with clusters still failing: another round may fix them. */
function stillFailing(item: RetryItem): boolean {
  const outcome = item.followed?.outcome;
  return outcome?.kind === 'finished' && clusterCounts(outcome.task).failed > 0;
}

/** The item takes the new round's retry; its earlier rounds stay in `rounds`. */
function adopt(item: RetryItem, sent: RetryItem): void {
  item.ok = sent.ok;
  delete item.followed;
  delete item.error;
  delete item.http_status;
  delete item.request_id;
  delete item.body;
  delete item.sent;
  if (sent.http_status !== undefined) item.http_status = sent.http_status;
  if (sent.request_id !== undefined) item.request_id = sent.request_id;
  if (sent.body) item.body = sent.body;
  if (sent.sent !== undefined) item.sent = sent.sent;
  if (sent.error) item.error = sent.error;
}

function roundOf(item: RetryItem, round: number): RetryRound {
  const out: RetryRound = { round, ok: item.ok };
  if (item.http_status !== undefined) out.http_status = item.http_status;
  if (item.request_id !== undefined) out.request_id = item.request_id;
  if (item.body) out.body = item.body;
  if (item.sent !== undefined) out.sent = item.sent;
  if (item.followed) out.followed = item.followed;
  if (item.error) out.error = item.error;
  return out;
}

/**
 * What the next round sends: every failed cluster again for --all-failed; for named clusters, those of
 * them that still fail (the named scan types that failed). Nothing when none of the named ones fails.
 */
export function nextBody(body: RetryBody, failed: ClusterResult[]): RetryBody | undefined {
  const info = body.cluster_scan_info;
  if (info.range_type === 'all_failed_cluster' || failed.length === 0) return body;
  const byId = new Map(failed.map((c) => [c.cluster_id, c]));
  const list = info.cluster_info_list.flatMap((wanted) => {
    const cluster = byId.get(wanted.cluster_id);
    if (!cluster) return [];
    if (!wanted.scan_type_list) return [{ cluster_id: wanted.cluster_id }];
    const failedTypes = new Set(
      cluster.scan_detail_list.filter((d) => d.status === 'failed').map((d) => d.scan_type),
    );
    const types = wanted.scan_type_list.filter((t) => failedTypes.has(t));
    return types.length ? [{ cluster_id: wanted.cluster_id, scan_type_list: types }] : [];
  });
  if (list.length === 0) return undefined;
  return {
    task_type: 'cluster_scan',
    cluster_scan_info: { range_type: 'specific_cluster', cluster_info_list: list },
  };
}
