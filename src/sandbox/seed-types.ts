// What the seed data is made of (seed.ts builds the tasks, seed-featured.ts lists the featured ones).
import type { ClusterType, ScanType, TaskStatus, TriggerType } from './model.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** The failed reasons of the seed clusters, as HSS words them. */
export const REASON = {
  benchmarkTimeout: 'benchmark check timed out',
  imagePull: 'failed to pull scanner image',
  noAgent: 'agent not installed on cluster nodes',
  evicted: 'scan job was evicted from the node',
  apiTimeout: 'connection to the cluster API server timed out',
} as const;

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
