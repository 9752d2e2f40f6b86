/**
 * Planning `hss task create`: the clusters, the scan types and the CreateTask body, every option
 * checked against the API's limits before settings, credentials or the network are touched.
 */
import type { CreateTaskBody } from '../api/task-calls.js';
import { UsageError } from '../core/errors.js';
import { ClusterIdList, firstIssue, ScanTypeList } from '../core/rules.js';
import { plural, quote } from '../core/text.js';
import { SCAN_TYPES } from '../core/vocabulary.js';
import type { WaitSettings } from './follow.js';

/** The options of `hss task create` as typed. */
export interface CreateOptions {
  allClusters?: boolean | undefined;
  cluster?: string[] | undefined;
  scanTypes?: string | undefined;
  dryRun?: boolean | undefined;
  wait?: boolean | undefined;
  waitTimeout?: string | undefined;
  interval?: string | undefined;
}

export interface CreatePlan {
  body: CreateTaskBody;
  dryRun: boolean;
  /** --wait: follow the new task until it has finished. */
  wait?: WaitSettings;
}

function scanTypes(text: string | undefined): CreateTaskBody['cluster_scan_info']['scan_type_list'] {
  if (text === undefined) {
    throw new UsageError(
      `--scan-types is required: one or more of ${SCAN_TYPES.join(', ')}, comma-separated`,
    );
  }
  const parsed = ScanTypeList.safeParse(text.split(',').map((t) => t.trim()));
  if (!parsed.success) throw new UsageError(`--scan-types ${quote(text)}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

function clusterScanInfo(opts: CreateOptions): CreateTaskBody['cluster_scan_info'] {
  const types = scanTypes(opts.scanTypes);
  const clusters = opts.cluster ?? [];
  if (opts.allClusters && clusters.length > 0) {
    throw new UsageError(
      '--all-clusters and --cluster exclude each other: scan every cluster, or the ones named',
    );
  }
  if (opts.allClusters) return { scan_type_list: types, range_type: 'all_cluster' };
  if (clusters.length === 0) {
    throw new UsageError('say which clusters to scan: --all-clusters, or --cluster <id> (repeatable)');
  }
  const parsed = ClusterIdList.safeParse(clusters);
  if (!parsed.success) throw new UsageError(`--cluster: ${firstIssue(parsed.error)}`);
  return { scan_type_list: types, range_type: 'specific_cluster', cluster_id_list: parsed.data };
}

/**
 * --wait and the options only it takes, as `task retry` reads them. Its own copy: a module `task
 * create` shared with `task retry` would be a file more for every retry to load (docs/performance.md).
 */
async function waitPlan(opts: CreateOptions): Promise<WaitSettings | undefined> {
  if (!opts.wait) {
    const stray = [
      opts.interval !== undefined ? '--interval' : '',
      opts.waitTimeout !== undefined ? '--wait-timeout' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    if (stray) throw new UsageError(`${stray} only apply with --wait`);
    return undefined;
  }
  if (opts.dryRun) {
    throw new UsageError('--wait and --dry-run cannot be combined: a dry run starts nothing to wait for');
  }
  return (await import('./follow.js')).waitSettings(opts);
}

export async function planCreate(opts: CreateOptions): Promise<CreatePlan> {
  const body: CreateTaskBody = { task_type: 'cluster_scan', cluster_scan_info: clusterScanInfo(opts) };
  const wait = await waitPlan(opts);
  const plan: CreatePlan = { body, dryRun: opts.dryRun === true };
  if (wait) plan.wait = wait;
  return plan;
}

/** `all clusters` or `3 clusters`, and the scan types: `all clusters (cluster_vul, benchmark)`. */
export function describeCreate(body: CreateTaskBody): string {
  const info = body.cluster_scan_info;
  const scope =
    info.range_type === 'all_cluster' ? 'all clusters' : plural(info.cluster_id_list.length, 'cluster');
  return `${scope} (${info.scan_type_list.join(', ')})`;
}
