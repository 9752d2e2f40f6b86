// The sandbox's seed data: the same tasks on every start and after every reset, laid out before the
// sandbox clock's time then (task-0002 started 10 minutes before, task-0001 2 hours before, …).
//
//   task-0001  schedule  finished  5 clusters: 3 success, 2 failed (benchmark timed out; scanner image
//                                  pull failed on cluster_vul + risk_assessment), both fixed by 1 retry
//   task-0002  manual    running   5 clusters: 2 success, 2 scanning, 1 failed; never finishes, so a
//                                  retry is always refused and a wait always times out
//   task-0003  manual    finished  4 clusters, all success
//   task-0004  schedule  finished  250 clusters c-0004-0001…0250, 210 failed (1 or 2 retries each)
//   task-0005  manual    finished  3 clusters, 1 failed with "agent not installed on cluster nodes",
//                                  which no retry fixes
//   task-0006  manual    finished  3 clusters, 2 failed that need 2 retries each
//   task-0100…task-0339            240 more over the 30 days before them: most finished, a quarter with
//                                  failed clusters, a few running (never finish) or ready (no clusters)

import {
  CLUSTER_TYPES,
  type Cluster,
  NEVER,
  SCAN_TYPES,
  type ScanItem,
  type ScanType,
  type Task,
  type TaskStatus,
  type TriggerType,
} from './model.js';
import { FEATURED, type FeaturedTask } from './seed-featured.js';
import { type ClusterSeed, type Failure, HOUR, MINUTE, REASON, type TaskSeed } from './seed-types.js';

function buildCluster(seed: ClusterSeed, scanTypes: readonly ScanType[]): Cluster {
  const items = scanTypes.map((scanType): ScanItem => {
    const failure = seed.failures?.[scanType];
    if (seed.scanning) return { scanType, status: 'scanning', retriesNeeded: 0, attempts: 0 };
    if (failure) {
      return {
        scanType,
        status: 'failed',
        failedReason: failure.reason,
        retriesNeeded: failure.retries,
        attempts: 0,
      };
    }
    return { scanType, status: 'success', retriesNeeded: 0, attempts: 0 };
  });
  return {
    id: seed.id,
    name: seed.name,
    type: seed.type,
    version: seed.version,
    startTime: seed.start,
    endTime: seed.scanning ? 0 : seed.end,
    items,
  };
}

export function buildTask(seed: TaskSeed, base: number): Task {
  const clusters = seed.clusters.map((cluster) => buildCluster(cluster, seed.scanTypes));
  const end =
    seed.status === 'finished' ? Math.max(seed.start + 5 * MINUTE, ...clusters.map((c) => c.endTime)) : 0;
  return {
    id: seed.id,
    name: seed.name,
    trigger: seed.trigger,
    status: seed.status,
    startTime: seed.start,
    createTime: seed.start,
    endTime: end,
    estimatedEnd: seed.estimatedMinutes ? base + seed.estimatedMinutes * MINUTE : 0,
    scanTypes: [...seed.scanTypes],
    clusters,
  };
}

function minutesAfter(start: number, minutes: number): number {
  return start + minutes * MINUTE;
}

/** The tasks of a table of featured rows (seed-featured.ts), laid out before `base`. */
export function featuredTasks(base: number, table: readonly FeaturedTask[] = FEATURED): TaskSeed[] {
  return table.map((task) => {
    const start = base - task.ago;
    const clusters =
      task.clusters === 'fleet'
        ? fleetClusters(start)
        : task.clusters.map(([id, name, type, version, minutes, extra = {}]) => ({
            id,
            name,
            type,
            version,
            start,
            end: minutesAfter(start, minutes),
            ...extra,
          }));
    const { ago: _ago, clusters: _rows, ...rest } = task;
    return { ...rest, start, clusters };
  });
}

/** task-0004: 250 clusters; 4 of every 25 succeed (40), the other 210 failed. */
function fleetClusters(start: number): ClusterSeed[] {
  const clusters: ClusterSeed[] = [];
  for (let n = 1; n <= 250; n += 1) {
    const type = CLUSTER_TYPES[n % CLUSTER_TYPES.length] ?? 'cce';
    const seed: ClusterSeed = {
      id: `c-0004-${String(n).padStart(4, '0')}`,
      name: `fleet-${String(n).padStart(4, '0')}`,
      type,
      version: `v1.${25 + (n % 7)}`,
      start,
      end: minutesAfter(start, 5 + (n % 40)),
    };
    if (n % 25 >= 4) {
      const failures: Partial<Record<ScanType, Failure>> =
        n % 3 === 0
          ? { benchmark: { reason: REASON.benchmarkTimeout, retries: 1 } }
          : n % 3 === 1
            ? {
                cluster_vul: { reason: REASON.imagePull, retries: 1 },
                risk_assessment: { reason: REASON.imagePull, retries: 1 },
              }
            : { risk_assessment: { reason: REASON.evicted, retries: 2 } };
      seed.failures = failures;
    }
    clusters.push(seed);
  }
  return clusters;
}

const TEAMS = ['payments', 'search', 'platform', 'data', 'web', 'mobile'] as const;
const SCAN_TYPE_SETS: readonly (readonly ScanType[])[] = [
  SCAN_TYPES,
  ['cluster_vul'],
  ['cluster_vul', 'benchmark'],
  ['risk_assessment', 'benchmark'],
];
const RUNNING = new Set([3, 17, 58]);
const READY = new Set([0, 11]);
const FAILURE_REASONS: readonly Failure[] = [
  { reason: REASON.benchmarkTimeout, retries: 1 },
  { reason: REASON.imagePull, retries: 1 },
  { reason: REASON.evicted, retries: 2 },
  { reason: REASON.apiTimeout, retries: 1 },
];

function dateStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** task-0100…task-0339, one every 3 hours going back from 12 hours before `base`. */
function generatedTasks(base: number): TaskSeed[] {
  const tasks: TaskSeed[] = [];
  for (let i = 0; i < 240; i += 1) {
    const num = String(100 + i).padStart(4, '0');
    const start = base - 12 * HOUR - i * 3 * HOUR + ((i * 37) % 60) * MINUTE;
    const trigger: TriggerType = i % 3 === 0 ? 'manual' : 'schedule';
    const status: TaskStatus = RUNNING.has(i) ? 'running' : READY.has(i) ? 'ready' : 'finished';
    const scanTypes = SCAN_TYPE_SETS[i % SCAN_TYPE_SETS.length] ?? SCAN_TYPES;
    const name =
      trigger === 'schedule'
        ? `scheduled-cluster-scan-${dateStamp(start)}`
        : `${TEAMS[i % TEAMS.length] ?? 'ops'}-adhoc-scan`;
    const count = status === 'ready' ? 0 : 1 + (i % 6);
    const clusters: ClusterSeed[] = [];
    for (let k = 1; k <= count; k += 1) {
      const type = CLUSTER_TYPES[(i + k) % CLUSTER_TYPES.length] ?? 'cce';
      const cluster: ClusterSeed = {
        id: `c-${num}-${String(k).padStart(2, '0')}`,
        name: `${type.replaceAll('_', '-')}-${String(k).padStart(2, '0')}`,
        type,
        version: `v1.${25 + ((i + k) % 7)}`,
        start,
        end: minutesAfter(start, 8 + ((i * 13 + k * 7) % 30)),
      };
      if (status === 'running' && k === count) cluster.scanning = true;
      if (status === 'finished' && i % 4 === 0 && (k === 1 || (k === 2 && i % 8 === 0))) {
        const scanType = scanTypes[0] ?? 'cluster_vul';
        const failure =
          i % 24 === 0 && k === 1
            ? { reason: REASON.noAgent, retries: NEVER }
            : (FAILURE_REASONS[(i / 4 + k) % FAILURE_REASONS.length] ?? {
                reason: REASON.imagePull,
                retries: 1,
              });
        cluster.failures = { [scanType]: failure };
      }
      clusters.push(cluster);
    }
    tasks.push({
      id: `task-${num}`,
      name,
      trigger,
      status,
      start,
      estimatedMinutes: status === 'running' ? 5 + (i % 20) : 0,
      scanTypes,
      clusters,
    });
  }
  return tasks;
}

/**
 * A fresh copy of the seed tasks, keyed by task id in insertion order, laid out before `base` (epoch
 * ms): the sandbox's start, so that recent tasks are recent whenever it runs.
 */
export function createSeedTasks(base: number): Map<string, Task> {
  const tasks = new Map<string, Task>();
  for (const seed of [...featuredTasks(base), ...generatedTasks(base)]) {
    tasks.set(seed.id, buildTask(seed, base));
  }
  return tasks;
}

/** The featured tasks whose clusters are the account's own (task-0004's fleet is another account's). */
const ACCOUNT_TASKS: ReadonlySet<string> = new Set(
  FEATURED.filter((task) => task.clusters !== 'fleet').map((task) => task.id),
);

/**
 * The clusters of the account, by ID, as CreateTask's all_cluster scans them and its
 * specific_cluster may name them: every cluster of the featured tasks but the fleet, as first seen.
 */
export function accountClusters(tasks: Iterable<Task>): Map<string, Cluster> {
  const all = [...tasks];
  const featured = all.filter((task) => ACCOUNT_TASKS.has(task.id));
  // Another project of the fleet has no featured tasks: its clusters are those its tasks scanned.
  const clusters = new Map<string, Cluster>();
  for (const task of featured.length ? featured : all) {
    for (const cluster of task.clusters) {
      if (clusters.size >= 200) return clusters;
      if (!clusters.has(cluster.id)) clusters.set(cluster.id, cluster);
    }
  }
  return clusters;
}
