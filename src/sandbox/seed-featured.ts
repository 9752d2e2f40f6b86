// The featured seed tasks of the sandbox (task-0001…0006, see seed.ts), as a table: each starts
// `ago` before the sandbox clock; each cluster row is [id, name, type, version, minutes it scanned,
// failures or a scan still running].
import { NEVER, SCAN_TYPES } from './model.js';
import { type ClusterSeed, HOUR, MINUTE, REASON, type TaskSeed } from './seed-types.js';

type ClusterRow = [
  id: string,
  name: string,
  type: ClusterSeed['type'],
  version: string,
  minutes: number,
  extra?: Pick<ClusterSeed, 'failures' | 'scanning'>,
];

export interface FeaturedTask extends Omit<TaskSeed, 'start' | 'clusters'> {
  ago: number;
  /** Its clusters, or `fleet`: the 250 of task-0004. */
  clusters: ClusterRow[] | 'fleet';
}

const imagePull = { reason: REASON.imagePull, retries: 1 };
const noAgent = { reason: REASON.noAgent, retries: NEVER };
const apiTimeout = (retries: number) => ({ reason: REASON.apiTimeout, retries });

export const FEATURED: readonly FeaturedTask[] = [
  {
    id: 'task-0001',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 2 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-prod-01', 'prod-01', 'cce', 'v1.28', 12],
      [
        'cce-prod-02',
        'prod-02',
        'cce',
        'v1.28',
        31,
        { failures: { benchmark: { reason: REASON.benchmarkTimeout, retries: 1 } } },
      ],
      ['cce-staging-01', 'staging-01', 'cce', 'v1.29', 9],
      [
        'aws-eks-01',
        'eks-analytics',
        'aws',
        'v1.30',
        4,
        { failures: { cluster_vul: imagePull, risk_assessment: imagePull } },
      ],
      ['idc-k8s-01', 'idc-core', 'self_built_idc', 'v1.27', 17],
    ],
  },
  {
    id: 'task-0002',
    name: 'manual-scan-payments',
    trigger: 'manual',
    status: 'running',
    ago: 10 * MINUTE,
    estimatedMinutes: 12,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-pay-01', 'payments-01', 'cce', 'v1.29', 6],
      ['cce-pay-02', 'payments-02', 'cce', 'v1.29', 7],
      ['cce-pay-03', 'payments-03', 'cce', 'v1.29', 0, { scanning: true }],
      ['ali-ack-pay', 'payments-ack', 'ali', 'v1.28', 0, { scanning: true }],
      ['aws-eks-pay', 'payments-eks', 'aws', 'v1.30', 3, { failures: { risk_assessment: apiTimeout(1) } }],
    ],
  },
  {
    id: 'task-0003',
    name: 'weekly-compliance-check',
    trigger: 'manual',
    status: 'finished',
    ago: 8 * HOUR,
    scanTypes: ['cluster_vul', 'benchmark'],
    clusters: [
      ['cce-prod-01', 'prod-01', 'cce', 'v1.28', 14],
      ['cce-prod-02', 'prod-02', 'cce', 'v1.28', 15],
      ['cce-staging-01', 'staging-01', 'cce', 'v1.29', 11],
      ['hw-k8s-01', 'hw-selfbuilt', 'self_built_hw', 'v1.26', 20],
    ],
  },
  {
    id: 'task-0004',
    name: 'fleet-scan-all-regions',
    trigger: 'schedule',
    status: 'finished',
    ago: 6 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: 'fleet',
  },
  {
    id: 'task-0005',
    name: 'manual-scan-edge',
    trigger: 'manual',
    status: 'finished',
    ago: 4 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-edge-01', 'edge-01', 'cce', 'v1.28', 10],
      [
        'idc-edge-01',
        'edge-idc',
        'self_built_idc',
        'v1.25',
        2,
        { failures: { cluster_vul: noAgent, risk_assessment: noAgent, benchmark: noAgent } },
      ],
      ['azure-aks-edge', 'edge-aks', 'azure', 'v1.29', 13],
    ],
  },
  {
    id: 'task-0006',
    name: 'manual-scan-multicloud',
    trigger: 'manual',
    status: 'finished',
    ago: 3 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      [
        'ali-ack-01',
        'ack-shop',
        'ali',
        'v1.28',
        8,
        { failures: { cluster_vul: { reason: REASON.evicted, retries: 2 } } },
      ],
      [
        'tencent-tke-01',
        'tke-games',
        'tencent',
        'v1.26',
        6,
        { failures: { benchmark: apiTimeout(2), risk_assessment: apiTimeout(2) } },
      ],
      ['azure-aks-01', 'aks-web', 'azure', 'v1.30', 11],
    ],
  },
];
