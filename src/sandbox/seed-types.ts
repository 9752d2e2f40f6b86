// What the seed data is made of (seed.ts builds the tasks, seed-featured.ts lists the featured ones).
import type { ClusterType, ScanType, TaskStatus, TriggerType } from './model.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const REASON_BENCHMARK_TIMEOUT = 'benchmark check timed out';
export const REASON_IMAGE_PULL = 'failed to pull scanner image';
export const REASON_NO_AGENT = 'agent not installed on cluster nodes';
export const REASON_EVICTED = 'scan job was evicted from the node';
export const REASON_API_TIMEOUT = 'connection to the cluster API server timed out';

export interface Failure {
  reason: string;
  retries: number;
}

export interface ClusterSeed {
  id: string;
  name: string;
  type: ClusterType;
  version: string;
  start: number;
  end: number;
  failures?: Partial<Record<ScanType, Failure>>;
  scanning?: boolean;
}

export interface TaskSeed {
  id: string;
  name: string;
  trigger: TriggerType;
  status: TaskStatus;
  start: number;
  estimatedMinutes?: number;
  scanTypes: readonly ScanType[];
  clusters: ClusterSeed[];
}
