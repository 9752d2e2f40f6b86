// The seed tasks of the sandbox's other projects (constants.ts SANDBOX_PROJECTS), laid out before the
// sandbox clock like the main project's (seed.ts), so that a morning job across regions has work in
// each: a failure one retry fixes, one that needs two, one no retry fixes, a clean task, a task still
// running, and failures older than a night.
//
//   cn-east-3        east-0001 fixed by 1 retry · east-0002 needs 2 · east-0003 clean · east-0004
//                    running (never finishes) · east-0005 failed 3 days ago
//   ap-southeast-1   apse-0001 2 clusters fixed by 1 retry · apse-0002 clean · apse-0003 failed 30 h ago
//   cn-north-4_dev   dev-0001 a cluster without agent (no retry fixes it) · dev-0002 clean

import { NEVER, SCAN_TYPES, type Task } from './model.js';
import { buildTask, featuredTasks } from './seed.js';
import type { FeaturedTask } from './seed-featured.js';
import { HOUR, MINUTE, REASON } from './seed-types.js';

const once = (reason: string) => ({ reason, retries: 1 });
const twice = (reason: string) => ({ reason, retries: 2 });
const never = { reason: REASON.noAgent, retries: NEVER };

const EAST: readonly FeaturedTask[] = [
  {
    id: 'east-0001',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 3 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-sh-01', 'shanghai-01', 'cce', 'v1.29', 9],
      ['cce-sh-02', 'shanghai-02', 'cce', 'v1.29', 5, { failures: { cluster_vul: once(REASON.imagePull) } }],
      ['idc-sh-01', 'shanghai-idc', 'self_built_idc', 'v1.27', 12],
    ],
  },
  {
    id: 'east-0002',
    name: 'nightly-compliance',
    trigger: 'schedule',
    status: 'finished',
    ago: 4 * HOUR,
    scanTypes: ['cluster_vul', 'benchmark'],
    clusters: [
      ['cce-sh-01', 'shanghai-01', 'cce', 'v1.29', 7],
      ['cce-sh-03', 'shanghai-03', 'cce', 'v1.28', 6, { failures: { benchmark: twice(REASON.apiTimeout) } }],
    ],
  },
  {
    id: 'east-0003',
    name: 'manual-scan-shanghai',
    trigger: 'manual',
    status: 'finished',
    ago: 1 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [['cce-sh-01', 'shanghai-01', 'cce', 'v1.29', 8]],
  },
  {
    id: 'east-0004',
    name: 'manual-scan-in-progress',
    trigger: 'manual',
    status: 'running',
    ago: 20 * MINUTE,
    estimatedMinutes: 15,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-sh-02', 'shanghai-02', 'cce', 'v1.29', 4],
      ['cce-sh-03', 'shanghai-03', 'cce', 'v1.28', 0, { scanning: true }],
    ],
  },
  {
    id: 'east-0005',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 3 * 24 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      [
        'cce-sh-02',
        'shanghai-02',
        'cce',
        'v1.29',
        5,
        { failures: { benchmark: once(REASON.benchmarkTimeout) } },
      ],
    ],
  },
];

const SOUTHEAST: readonly FeaturedTask[] = [
  {
    id: 'apse-0001',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 5 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      [
        'cce-sg-01',
        'singapore-01',
        'cce',
        'v1.30',
        10,
        { failures: { risk_assessment: once(REASON.evicted) } },
      ],
      [
        'aws-eks-sg',
        'eks-singapore',
        'aws',
        'v1.30',
        6,
        { failures: { benchmark: once(REASON.benchmarkTimeout) } },
      ],
      ['cce-sg-02', 'singapore-02', 'cce', 'v1.30', 9],
    ],
  },
  {
    id: 'apse-0002',
    name: 'manual-scan-singapore',
    trigger: 'manual',
    status: 'finished',
    ago: 2 * HOUR,
    scanTypes: ['cluster_vul'],
    clusters: [['cce-sg-02', 'singapore-02', 'cce', 'v1.30', 4]],
  },
  {
    id: 'apse-0003',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 30 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [
      ['cce-sg-01', 'singapore-01', 'cce', 'v1.30', 8, { failures: { cluster_vul: once(REASON.imagePull) } }],
    ],
  },
];

const DEV: readonly FeaturedTask[] = [
  {
    id: 'dev-0001',
    name: 'manual-scan-dev',
    trigger: 'manual',
    status: 'finished',
    ago: 1 * HOUR,
    scanTypes: ['cluster_vul', 'risk_assessment'],
    clusters: [
      ['cce-dev-01', 'dev-01', 'cce', 'v1.30', 6],
      ['idc-dev-01', 'dev-idc', 'self_built_idc', 'v1.26', 2, { failures: { cluster_vul: never } }],
    ],
  },
  {
    id: 'dev-0002',
    name: 'nightly-cluster-scan',
    trigger: 'schedule',
    status: 'finished',
    ago: 6 * HOUR,
    scanTypes: SCAN_TYPES,
    clusters: [['cce-dev-01', 'dev-01', 'cce', 'v1.30', 7]],
  },
];

/** The seed table of each project other than the main one, by project name. */
const TABLES: Readonly<Record<string, readonly FeaturedTask[]>> = {
  'cn-east-3': EAST,
  'ap-southeast-1': SOUTHEAST,
  'cn-north-4_dev': DEV,
};

/** A fresh copy of a project's seed tasks, laid out before `base`; none for a project without a table. */
export function createFleetTasks(projectName: string, base: number): Map<string, Task> {
  const tasks = new Map<string, Task>();
  const table = Object.hasOwn(TABLES, projectName) ? TABLES[projectName] : undefined;
  for (const seed of featuredTasks(base, table ?? [])) tasks.set(seed.id, buildTask(seed, base));
  return tasks;
}
