/**
 * `hss task retry <task_id...>`: re-run failed cluster scans of one or more tasks (RetryTask).
 */

import type { ChalkInstance } from 'chalk';
import { type HssApi, retryTaskRequest } from '../../../api/hss.js';
import type { ClusterInfo, RetryBody, TaskSummary } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import { formatDuration, parseInteger } from '../../../core/duration.js';
import { ApiError, HssError, InterruptedError, UsageError } from '../../../core/errors.js';
import { readFileLimited } from '../../../core/io.js';
import { firstIssue, ScanTypeList, TaskId } from '../../../core/rules.js';
import { plural, quote } from '../../../core/text.js';
import { MAX_CLUSTERS, type ScanType } from '../../../core/vocabulary.js';
import { redactHeaders } from '../../../output/redact.js';
import { type CommandResult, errorDetailsLine, errorJson } from '../../../output/renderer.js';
import type { RetryScope } from '../../../tasks/cluster-specs.js';
import type { Handler, Options } from '../../define.js';
import type { FollowOutcome, WaitSettings } from '../wait/index.js';
import type { spec } from './command.js';

/**
 * --wait: its settings, and the wait loop and task views, which a retry without --wait never loads
 * (docs/performance.md).
 */
interface Waiting {
  settings: WaitSettings;
  follow: typeof import('../wait/index.js');
  view: typeof import('../../../output/task-view.js');
}

export type TaskRetryOptions = Options<typeof spec>;

interface ItemResult {
  task_id: string;
  ok: boolean;
  http_status?: number;
  request_id?: string;
  /** The body sent; absent when nothing was (planning the retry failed). */
  body?: RetryBody;
  /** The retry request went out (its answer may not have come back). */
  sent?: boolean;
  /** With --wait: how following the task ended. */
  outcome?: FollowOutcome;
  error?: HssError;
}

/**
 * Task IDs from the arguments, or from standard input for `-`: separated by any white space (one a
 * line, or several on a line as `echo $ids` gives them), `#` comments skipped, each once.
 */
export async function collectTaskIds(args: string[], ctx: Pick<Context, 'stdinText'>): Promise<string[]> {
  let ids = args;
  if (args.includes('-')) {
    if (args.length > 1)
      throw new UsageError('task ID "-" (read from standard input) must be the only task ID', {
        hint: 'put every task ID on standard input, one a line',
      });
    const text = await ctx.stdinText('task IDs from "-"');
    ids = text
      .split(/\r?\n/)
      .flatMap((line) => line.replace(/#.*$/, '').split(/\s+/))
      .filter((id) => id !== '');
    if (ids.length === 0)
      throw new UsageError(
        'no task IDs on standard input (separated by spaces or lines; # comments allowed)',
      );
  }
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const id of ids) {
    const parsed = TaskId.safeParse(id);
    if (!parsed.success) throw new UsageError(`task ID ${quote(id)}: ${firstIssue(parsed.error)}`);
    if (!seen.has(id)) {
      seen.add(id);
      unique.push(id);
    }
  }
  return unique;
}

/** `--only cluster_vul,benchmark` → the scan types, checked like a cluster spec's. */
export function parseOnly(text: string): ScanType[] {
  const parsed = ScanTypeList.safeParse(text.split(',').map((t) => t.trim()));
  if (!parsed.success) throw new UsageError(`--only ${quote(text)}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * Cluster specs are checked against zod schemas: loaded only for --cluster, --cluster-file and --only,
 * so `--all-failed` never pays for zod (docs/performance.md).
 */
function clusterSpecs(): Promise<typeof import('../../../tasks/cluster-specs.js')> {
  return import('../../../tasks/cluster-specs.js');
}

/** The body of `--all-failed`, as cluster-specs.ts's buildRetryBody makes it. */
function allFailedBody(): RetryBody {
  return { task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } };
}

type OnlyPlan = { body: RetryBody } | { skipped: string };

/**
 * --all-failed --only: a specific_cluster body naming, for each failed cluster, only the listed scan
 * types that failed there. More than one request's worth of clusters is refused, never split: a split
 * retry would be several tasks' worth of state the user did not ask for.
 *
 * Nothing to send is decided as the API would decide it: a task still running or with no failed
 * cluster is refused (exit 5); only a task whose failed clusters failed none of the listed types is
 * skipped (exit 0).
 */
export async function planOnly(api: HssApi, taskId: string, types: ScanType[]): Promise<OnlyPlan> {
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
    const task = await api.getTask(taskId);
    if (!task) {
      throw new ApiError(`task ${quote(taskId)} was not found in this project`, {
        hint: 'list the tasks with `hss task list`; check --project-id and --enterprise-project',
      });
    }
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

/** An error that is one task's outcome, reported with the others, rather than the whole run's. */
function isItemError(error: unknown): error is HssError {
  return error instanceof HssError && error.code !== 'USAGE' && error.code !== 'CONFIG';
}

async function retryScope(opts: TaskRetryOptions, taskCount: number, ctx: Context): Promise<RetryScope> {
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
  let text: string;
  if (file === '-') {
    text = await ctx.stdinText('--cluster-file -');
  } else {
    text = readFileLimited(file, `--cluster-file ${quote(file)}`);
  }
  const name = file === '-' ? 'cluster file (stdin)' : `cluster file ${quote(file)}`;
  return { kind: 'clusters', clusters: (await clusterSpecs()).parseClusterFile(text, name), origin: name };
}

function describeScope(body: RetryBody): string {
  const info = body.cluster_scan_info;
  if (info.range_type === 'all_failed_cluster') return 'all failed clusters';
  return plural(info.cluster_info_list.length, 'cluster');
}

/** Runs `fn` over `items`, `limit` at a time; no item is started once `signal` has fired. */
async function mapPool<T, R>(
  items: T[],
  limit: number,
  signal: AbortSignal,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results.filter((r) => r !== undefined);
}

async function checkWaitOptions(opts: TaskRetryOptions): Promise<Waiting | undefined> {
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
  const [follow, view] = await Promise.all([
    import('../wait/index.js'),
    import('../../../output/task-view.js'),
  ]);
  return { settings: follow.waitSettings(opts), follow, view };
}

export async function taskRetry(
  args: string[],
  opts: TaskRetryOptions,
  ctx: Context,
): Promise<CommandResult> {
  const { renderer } = ctx;
  // Everything the user typed is checked before settings, credentials or the network are touched.
  const taskIds = await collectTaskIds(args, ctx);
  const scope = await retryScope(opts, taskIds.length, ctx);
  const only = opts.only === undefined ? undefined : parseOnly(opts.only);
  let body: RetryBody =
    scope.kind === 'all-failed' ? allFailedBody() : (await clusterSpecs()).buildRetryBody(scope);
  const waiting = await checkWaitOptions(opts);
  const wait = waiting?.settings;
  const concurrency = opts.concurrency ? parseInteger(opts.concurrency, '--concurrency', 1, 32) : 4;

  // Resolved once: every task of a batch shares the credentials, project and connection settings.
  const api = await ctx.hss({ offline: opts.dryRun === true });

  if (only) {
    const [taskId] = taskIds as [string];
    const spinner = await renderer.spinner(`Reading the failed clusters of ${taskId}…`);
    let plan: OnlyPlan;
    try {
      plan = await planOnly(api, taskId, only);
    } catch (error) {
      if (!isItemError(error) || error.code === 'INTERRUPTED') throw error;
      return retryResult([{ task_id: taskId, ok: false, error }], waiting, ctx);
    } finally {
      spinner.stop();
    }
    if ('skipped' in plan) {
      const message = plan.skipped;
      return {
        data: { ok: true, results: [{ task_id: taskId, ok: true, skipped: true, message }] },
        text: (s) => `${s.dim('–')} ${message}`,
        exitCode: 0,
      };
    }
    body = plan.body;
  }

  if (opts.dryRun) {
    const requests = await Promise.all(
      taskIds.map(async (id) => {
        const request = retryTaskRequest(api.target, id, body);
        const headers = await api.headersFor(request);
        return { method: request.method, url: request.url.href, headers: redactHeaders(headers), body };
      }),
    );
    return {
      data: { ok: true, dry_run: true, requests },
      text: (s) =>
        requests
          .map(
            (r) =>
              `${s.bold(`${r.method} ${r.url}`)}\n${Object.entries(r.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}\n\n${JSON.stringify(r.body, null, 2)}\n`,
          )
          .join('\n') +
        s.dim(
          only
            ? '(dry run: only the failed clusters were read; no retry was sent)'
            : '(dry run: nothing was sent)',
        ),
      exitCode: 0,
    };
  }

  const spinner = await renderer.spinner(
    taskIds.length === 1
      ? `Retrying ${describeScope(body)} of ${taskIds[0]}…`
      : `Retrying ${taskIds.length} tasks…`,
  );
  const reporter = waiting?.follow.pollReporter(renderer, spinner, taskIds.length);
  let done = 0;
  let items: ItemResult[];
  try {
    items = await mapPool(taskIds, concurrency, ctx.io.signal, async (taskId): Promise<ItemResult> => {
      const item: ItemResult = { task_id: taskId, ok: true, body };
      try {
        // The state before the retry tells a stale "finished" from the end of the retry (see followTask).
        const baseline: TaskSummary | undefined = wait ? await api.getTask(taskId) : undefined;
        item.sent = true;
        const response = await api.retryTask(taskId, body);
        item.http_status = response.status;
        if (response.requestId) item.request_id = response.requestId;
        if (waiting && reporter) {
          const outcome = await waiting.follow.followTask(api, taskId, waiting.settings, ctx.io, {
            ...(baseline ? { baseline } : {}),
            onPoll: reporter.onPoll,
          });
          item.outcome = outcome;
          const error = waiting.follow.outcomeError(taskId, outcome, waiting.settings);
          if (error) {
            item.ok = false;
            item.error = error;
          }
        }
        return item;
      } catch (error) {
        // Per-task answers, and an interruption (which must still report what was accepted), are
        // the item's; anything else (a bug) stops the whole run.
        if (!(error instanceof HssError)) throw error;
        item.ok = false;
        item.error = error;
        if (item.http_status === undefined && error.httpStatus !== undefined)
          item.http_status = error.httpStatus;
        if (item.request_id === undefined && error.requestId) item.request_id = error.requestId;
        return item;
      } finally {
        done++;
        reporter?.finished(taskId);
        if (taskIds.length > 1 && !wait) spinner.update(`Retrying ${taskIds.length} tasks… ${done} done`);
      }
    });
  } finally {
    spinner.stop();
  }
  return retryResult(items, waiting, ctx);
}

/** Whether the API accepted the item's retry. */
function accepted(item: ItemResult): boolean {
  return item.http_status !== undefined && item.http_status < 300;
}

/**
 * The document of a retry run. An interruption ends it with exit 130/143; once the API has accepted a
 * retry, the document still reports it (its request ID), with every other task started.
 */
function retryResult(items: ItemResult[], waiting: Waiting | undefined, ctx: Context): CommandResult {
  const reason = ctx.io.signal.reason;
  const interrupted = ctx.io.signal.aborted
    ? reason instanceof InterruptedError
      ? reason
      : new InterruptedError('SIGINT')
    : undefined;
  // Interrupted before the API accepted anything: the interruption is all there is to say.
  if (interrupted && !items.some(accepted)) throw interrupted;
  const failed = items.filter((i) => !i.ok);
  const single = items.length === 1 ? items[0] : undefined;
  const exitCode = interrupted?.exitCode ?? Math.max(0, ...items.map((i) => i.error?.exitCode ?? 0));

  const data: Record<string, unknown> = {
    ok: failed.length === 0 && !interrupted,
    results: items.map((i) => {
      const out: Record<string, unknown> = { task_id: i.task_id, ok: i.ok };
      if (i.http_status !== undefined) out['http_status'] = i.http_status;
      if (i.request_id !== undefined) out['request_id'] = i.request_id;
      if (i.body) out['body'] = i.body;
      if (i.outcome && waiting) Object.assign(out, waiting.follow.outcomeData(i.outcome, i.error));
      else if (i.error) out['error'] = errorJson(i.error);
      return out;
    }),
  };
  const closing = interrupted ?? (single ? single.error : failed.length ? batchError(items) : undefined);
  if (closing && (interrupted || single)) data['error'] = errorJson(closing);
  const result: CommandResult = { data, text: (s) => retryText(items, waiting, s), exitCode };
  if (closing) result.closing = closing;
  return result;
}

/** What closes a batch with failed items: how many, with the hint they share, if they share one. */
function batchError(items: ItemResult[]): HssError {
  const failed = items.filter((i) => !i.ok);
  const worst = failed.reduce((a, b) => ((b.error?.exitCode ?? 0) > (a.error?.exitCode ?? 0) ? b : a));
  const hints = new Set(failed.map((i) => i.error?.hint));
  const [hint] = hints;
  return new HssError(
    worst.error?.code ?? 'API',
    worst.error?.exitCode ?? 1,
    `${plural(failed.length, 'task')} of ${items.length} failed`,
    hints.size === 1 && hint !== undefined ? { hint } : {},
  );
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

/**
 * One line per task on stdout, the same for one task or many: `✔ t1: retry accepted …` or
 * `✖ t2: <why not>`; with --wait a second line says how the task ended, its mark the outcome's. The
 * closing error and its hint are the renderer's, on stderr.
 */
function retryText(items: ItemResult[], wait: Waiting | undefined, s: ChalkInstance): string {
  const lines: string[] = [];
  const ok = s.green('✔');
  const no = s.red('✖');
  for (const i of items) {
    const err = i.error;
    if (!accepted(i)) {
      if (err?.code === 'INTERRUPTED') {
        lines.push(
          `${no} ${i.task_id}: ${i.sent ? 'interrupted before the answer came; the retry may have been received' : 'interrupted before the retry was sent'}`,
        );
      } else if (err) {
        const details = errorDetailsLine(err);
        lines.push(`${no} ${i.task_id}: ${err.message}${details ? s.dim(` (${details})`) : ''}`);
      }
      continue;
    }
    const rid = i.request_id ? s.dim(` (X-Request-Id ${i.request_id})`) : '';
    lines.push(`${ok} ${i.task_id}: retry accepted for ${i.body ? describeScope(i.body) : 'the task'}${rid}`);
    if (i.outcome && wait) {
      lines.push(outcomeText(i.task_id, i.outcome, wait, s));
      if (i.outcome.kind === 'finished' && i.outcome.failedClusters.length) {
        lines.push(indent(wait.view.clusterTable(i.outcome.failedClusters, s), '    '));
      }
    } else if (err && err.code !== 'INTERRUPTED') {
      // Accepted, then following it failed (e.g. an auth error while polling).
      lines.push(`${no} ${i.task_id}: accepted, then following it failed: ${err.message}`);
    }
  }
  if (items.length > 1 && items.every((i) => i.ok)) {
    lines.push(
      s.green(
        wait
          ? `all ${items.length} tasks finished without failed clusters`
          : `all ${items.length} tasks accepted`,
      ),
    );
  }
  return lines.join('\n');
}

/** How a followed retry ended, e.g. `✖ t1: still failing after the wait: 2 of 5 clusters failed (waited 3s)`. */
function outcomeText(taskId: string, outcome: FollowOutcome, wait: Waiting, s: ChalkInstance): string {
  const waited = s.dim(`(waited ${formatDuration(outcome.elapsedMs)})`);
  if (outcome.kind === 'timed_out') {
    return `${s.red('✖')} ${taskId}: ${s.red(`gave up waiting: ${wait.follow.timedOutState(outcome, wait.settings)}`)}`;
  }
  const counts = wait.view.clusterCounts(outcome.task);
  const total = counts.scanning + counts.succeeded + counts.failed;
  if (counts.failed === 0) {
    return `${s.green('✔')} ${taskId}: finished: ${plural(total, 'cluster')}, none failed ${waited}`;
  }
  return `${s.red('✖')} ${taskId}: ${s.red(`still failing after the wait: ${counts.failed} of ${plural(total, 'cluster')} failed`)} ${waited}`;
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) => taskRetry(args.task_id, opts, ctx);
export default handler;
