/**
 * Planning `hss task retry`: the task IDs, the scope (--all-failed, --cluster, --cluster-file, --only)
 * and the request body, every option checked before settings, credentials or the network are touched.
 */
import type { HssApi } from '../api/hss.js';
import type { ClusterInfo, RetryBody, TaskSummary } from '../api/schemas.js';
import { parseInteger } from '../core/duration.js';
import { ApiError, HssError, UsageError } from '../core/errors.js';
import { readFileLimited } from '../core/io.js';
import { firstIssue, ScanTypeList } from '../core/rules.js';
import { plural, quote } from '../core/text.js';
import { MAX_CLUSTERS, type ScanType } from '../core/vocabulary.js';
import type { Renderer } from '../output/renderer.js';
import type { RetryScope } from './cluster-specs.js';
import type { WaitSettings } from './follow.js';
import { checkTaskId, requireTask } from './lookup.js';
import { planRounds, planSince, type ReportPaths, type SincePlan } from './retry-options.js';

/** The options of `hss task retry` as typed. */
export interface RetryOptions {
  allFailed?: boolean | undefined;
  cluster?: string[] | undefined;
  clusterFile?: string | undefined;
  only?: string | undefined;
  dryRun?: boolean | undefined;
  wait?: boolean | undefined;
  waitTimeout?: string | undefined;
  interval?: string | undefined;
  concurrency?: string | undefined;
  since?: string | undefined;
  name?: string | undefined;
  trigger?: string | undefined;
  rounds?: string | undefined;
  junit?: string | undefined;
  summary?: string | undefined;
}

/** Where standard input is read, once, for whichever option claimed it. */
export interface StdinReader {
  stdinText(purpose: string): Promise<string>;
}

export interface RetryPlan {
  taskIds: string[];
  /** The body every task is sent; with --only, made once the failed clusters are read (planOnly). */
  body: RetryBody;
  /** --all-failed --only: the scan types to retry where they failed. */
  only?: ScanType[];
  /** --wait: follow each task until it has finished. */
  wait?: WaitSettings;
  dryRun: boolean;
  concurrency: number;
  /** --since: the tasks are selected (taskIds is filled in then, baselines with them). */
  since?: SincePlan;
  /** Each task as the selection read it: the state before the retry, so no other read is needed. */
  baselines?: Map<string, TaskSummary>;
  /** With --wait: retry again what still fails, up to this many rounds in all (1 = no second round). */
  rounds: number;
  /** With --wait: the reports to write once every task has been followed. */
  reports: ReportPaths;
}

export async function planRetry(
  args: string[],
  opts: RetryOptions,
  input: StdinReader,
  now = Date.now(),
): Promise<RetryPlan> {
  const since = planSince(args, opts, now);
  const taskIds = since ? [] : await collectTaskIds(args, input);
  const scope = await retryScope(opts, taskIds.length, input);
  const only = opts.only === undefined ? undefined : parseOnly(opts.only);
  const body = scope.kind === 'all-failed' ? allFailedBody() : (await clusterSpecs()).buildRetryBody(scope);
  const wait = await waitPlan(opts);
  const concurrency = opts.concurrency ? parseInteger(opts.concurrency, '--concurrency', 1, 32) : 4;
  const { rounds, reports } = await planRounds(opts, wait !== undefined);
  const plan: RetryPlan = { taskIds, body, dryRun: opts.dryRun === true, concurrency, rounds, reports };
  if (since) plan.since = since;
  if (only) plan.only = only;
  if (wait) plan.wait = wait;
  return plan;
}

/**
 * Task IDs from the arguments, or from standard input for `-`: separated by any white space (one a
 * line, or several on a line as `echo $ids` gives them), `#` comments skipped, each once.
 */
export async function collectTaskIds(args: string[], input: StdinReader): Promise<string[]> {
  let ids = args;
  if (args.includes('-')) {
    if (args.length > 1)
      throw new UsageError('task ID "-" (read from standard input) must be the only task ID', {
        hint: 'put every task ID on standard input, one a line',
      });
    const text = await input.stdinText('task IDs from "-"');
    ids = text
      .split(/\r?\n/)
      .flatMap((line) => line.replace(/#.*$/, '').split(/\s+/))
      .filter((id) => id !== '');
    if (ids.length === 0)
      throw new UsageError(
        'no task IDs on standard input (separated by spaces or lines; # comments allowed)',
      );
  }
  return [...new Set(ids.map(checkTaskId))];
}

/** `--only cluster_vul,benchmark` → the scan types, checked like a cluster spec's. */
function parseOnly(text: string): ScanType[] {
  const parsed = ScanTypeList.safeParse(text.split(',').map((t) => t.trim()));
  if (!parsed.success) throw new UsageError(`--only ${quote(text)}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * Cluster specs are checked against zod schemas: loaded only for --cluster, --cluster-file and --only,
 * so `--all-failed` never pays for zod (docs/performance.md).
 */
function clusterSpecs(): Promise<typeof import('./cluster-specs.js')> {
  return import('./cluster-specs.js');
}

/** The body of `--all-failed`, as cluster-specs.ts's buildRetryBody makes it. */
function allFailedBody(): RetryBody {
  return { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } };
}

/** What a body retries, e.g. `all failed clusters` or `3 clusters`. */
export function describeScope(body: RetryBody): string {
  const info = body.cluster_scan_info;
  if (info.range_type === 'all_failed_cluster') return 'all failed clusters';
  return plural(info.cluster_info_list.length, 'cluster');
}

/** Exactly one of --all-failed, --cluster and --cluster-file, and what it names. */
async function retryScope(opts: RetryOptions, taskCount: number, input: StdinReader): Promise<RetryScope> {
  const given = [
    opts.allFailed ? '--all-failed' : undefined,
    opts.cluster?.length ? '--cluster' : undefined,
    opts.clusterFile !== undefined ? '--cluster-file' : undefined,
  ].filter((x): x is string => x !== undefined);
  if (given.length === 0) {
    throw new UsageError(
      'say what to retry: --all-failed, --cluster <id[:types]> or --cluster-file <file|->',
      { hint: 'e.g. `hss task retry TASK_ID --all-failed`; see `hss task retry --help`' },
    );
  }
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined; give exactly one`);
  if (opts.only !== undefined) {
    if (!opts.allFailed)
      throw new UsageError('--only works with --all-failed; add it, or name clusters with --cluster');
    if (taskCount > 1) throw new UsageError(`--only takes exactly one task ID; ${taskCount} were given`);
  }
  if (opts.allFailed) return { kind: 'all-failed' };
  if (taskCount > 1) {
    throw new UsageError(`${given[0]} takes exactly one task ID; ${taskCount} were given`, {
      hint: 'retry the tasks one at a time, or use --all-failed, which takes several',
    });
  }
  if (opts.cluster?.length) {
    const { parseClusterSpec } = await clusterSpecs();
    const clusters: ClusterInfo[] = opts.cluster.map((spec) => parseClusterSpec(spec));
    return { kind: 'clusters', clusters, origin: '--cluster' };
  }
  const file = opts.clusterFile ?? '-';
  const text =
    file === '-'
      ? await input.stdinText('--cluster-file -')
      : readFileLimited(file, `--cluster-file ${quote(file)}`);
  const name = file === '-' ? 'cluster file (stdin)' : `cluster file ${quote(file)}`;
  return { kind: 'clusters', clusters: (await clusterSpecs()).parseClusterFile(text, name), origin: name };
}

/** --wait and the options only it takes; the wait loop is loaded only for --wait (docs/performance.md). */
async function waitPlan(opts: RetryOptions): Promise<WaitSettings | undefined> {
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
  if (opts.dryRun)
    throw new UsageError('--wait and --dry-run cannot be combined: a dry run starts nothing to wait for');
  return (await import('./follow.js')).waitSettings(opts);
}

/** What --only leaves to send: a body, nothing (the reason), or the task's own error. */
export type OnlyPlan = { body: RetryBody } | { skipped: string } | { failed: HssError };

/**
 * --all-failed --only: a specific_cluster body naming, for each failed cluster, only the listed scan
 * types that failed there. More than one request's worth of clusters is refused, never split: a split
 * retry would be several tasks' worth of state the user did not ask for.
 *
 * Nothing to send is decided as the API would decide it: a task still running or with no failed
 * cluster is refused (exit 5); only a task whose failed clusters failed none of the listed types is
 * skipped (exit 0).
 */
async function planOnly(
  api: HssApi,
  taskId: string,
  types: ScanType[],
): Promise<{ body: RetryBody } | { skipped: string }> {
  const failed = await api.allTaskResources(taskId, { scan_status: 'failed' });
  const wanted = new Set<string>(types);
  const clusters: ClusterInfo[] = [];
  for (const cluster of failed) {
    const list = [
      ...new Set(
        cluster.scan_detail_list
          .filter((d) => d.status === 'failed' && wanted.has(d.scan_type))
          .map((d) => d.scan_type as ScanType),
      ),
    ];
    if (list.length) clusters.push({ cluster_id: cluster.cluster_id, scan_type_list: list });
  }
  if (clusters.length === 0) {
    const task = await requireTask(api, taskId);
    if (task.task_status !== 'finished') {
      throw new ApiError(
        `task ${taskId} is ${quote(task.task_status ?? 'not finished')}: it can be retried once it has finished; nothing was retried`,
        { hint: `follow it with \`hss task wait ${taskId}\`` },
      );
    }
    if (failed.length === 0) throw new ApiError(`task ${taskId} has no failed clusters; nothing to retry`);
    return {
      skipped: `none of the ${plural(failed.length, 'failed cluster')} of task ${taskId} failed ${types.join(' or ')}; nothing to retry`,
    };
  }
  if (clusters.length > MAX_CLUSTERS) {
    throw new UsageError(
      `--only ${types.join(',')}: ${clusters.length} failed clusters of task ${taskId} match, but one retry takes at most ${MAX_CLUSTERS}; nothing was retried`,
      {
        hint: 'retry every failed cluster with --all-failed alone, or up to 200 at a time with --cluster-file',
      },
    );
  }
  return { body: (await clusterSpecs()).buildRetryBody({ kind: 'clusters', clusters, origin: '--only' }) };
}

/**
 * planOnly for the one task of an --only plan, behind a spinner. The task's own failure (not found,
 * still running, refused) is its item's outcome, reported as a retry's would be; a usage or
 * configuration error, or an interruption, is the run's.
 */
export async function readOnlyPlan(
  api: HssApi,
  taskId: string,
  types: ScanType[],
  renderer: Renderer,
): Promise<OnlyPlan> {
  const spinner = await renderer.spinner(`Reading the failed clusters of ${taskId}…`);
  try {
    return await planOnly(api, taskId, types);
  } catch (error) {
    if (!(error instanceof HssError) || ['USAGE', 'CONFIG', 'INTERRUPTED'].includes(error.code)) throw error;
    if (error.code !== 'API') return { failed: error };
    const explained = await (await import('./iac-refusal.js')).iacRefusal(api, taskId, error, false);
    if (explained instanceof UsageError) throw explained;
    return { failed: explained };
  } finally {
    spinner.stop();
  }
}
