/**
 * `hss task retry <task_id...>`: re-run failed cluster scans of one or more tasks (RetryTask).
 */

import { readFileSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import { retryTaskRequest } from '../api/hss.js';
import { buildRetryBody, parseClusterFile, parseClusterSpec, type RetryScope } from '../cluster-specs.js';
import type { Context } from '../context.js';
import { parseInteger } from '../duration.js';
import { HssError, UsageError } from '../errors.js';
import { redactHeaders } from '../output/redact.js';
import { type CommandResult, errorDetailsLine, errorJson } from '../output/renderer.js';
import { type ClusterInfo, firstIssue, type RetryBody, TaskId } from '../schema.js';
import { plural, quote } from '../text.js';

export interface TaskRetryOptions {
  allFailed?: boolean;
  cluster?: string[];
  clusterFile?: string;
  dryRun?: boolean;
  concurrency?: string;
}

interface ItemResult {
  task_id: string;
  ok: boolean;
  http_status?: number;
  request_id?: string;
  body: RetryBody;
  error?: HssError;
}

/** Task IDs from the arguments, or from standard input for `-`: trimmed, comments and blanks skipped, each once. */
export async function collectTaskIds(args: string[], ctx: Pick<Context, 'stdinText'>): Promise<string[]> {
  let ids = args;
  if (args.includes('-')) {
    if (args.length > 1)
      throw new UsageError('task ID "-" (read from standard input) must be the only task ID');
    const text = await ctx.stdinText('task IDs from "-"');
    ids = text
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter((line) => line !== '');
    if (ids.length === 0)
      throw new UsageError('no task IDs on standard input (one a line; # comments allowed)');
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

async function retryScope(opts: TaskRetryOptions, taskCount: number, ctx: Context): Promise<RetryScope> {
  const given = [
    opts.allFailed ? '--all-failed' : undefined,
    opts.cluster?.length ? '--cluster' : undefined,
    opts.clusterFile !== undefined ? '--cluster-file' : undefined,
  ].filter((x): x is string => x !== undefined);
  if (given.length === 0) {
    throw new UsageError(
      'say what to retry: --all-failed, --cluster <id[:types]> or --cluster-file <file|->',
    );
  }
  if (given.length > 1) throw new UsageError(`${given.join(' and ')} cannot be combined; give exactly one`);
  if (opts.allFailed) return { kind: 'all-failed' };
  if (taskCount > 1) throw new UsageError(`${given[0]} takes exactly one task ID; ${taskCount} were given`);
  if (opts.cluster?.length) {
    const clusters: ClusterInfo[] = opts.cluster.map((spec) => parseClusterSpec(spec));
    return { kind: 'clusters', clusters, origin: '--cluster' };
  }
  const file = opts.clusterFile ?? '-';
  let text: string;
  if (file === '-') {
    text = await ctx.stdinText('--cluster-file -');
  } else {
    try {
      // node:fs is loaded at start anyway; a static import of node:fs/promises costs every run (Node ≥ 22).
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unreadable';
      throw new UsageError(`--cluster-file ${quote(file)}: cannot read it (${code})`);
    }
  }
  const name = file === '-' ? 'cluster file (stdin)' : `cluster file ${quote(file)}`;
  return { kind: 'clusters', clusters: parseClusterFile(text, name), origin: name };
}

function describeScope(body: RetryBody): string {
  const info = body.cluster_scan_info;
  if (info.range_type === 'all_failed_cluster') return 'all failed clusters';
  return plural(info.cluster_info_list.length, 'cluster');
}

async function mapPool<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
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
  const body = buildRetryBody(scope);
  const concurrency = opts.concurrency ? parseInteger(opts.concurrency, '--concurrency', 1, 32) : 4;

  const api = await ctx.hss();

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
          .join('\n') + s.dim('(dry run: nothing was sent)'),
      exitCode: 0,
    };
  }

  const spinner = await renderer.spinner(
    taskIds.length === 1
      ? `Retrying ${describeScope(body)} of ${taskIds[0]}…`
      : `Retrying ${taskIds.length} tasks…`,
  );
  let done = 0;
  const items = await mapPool(taskIds, concurrency, async (taskId): Promise<ItemResult> => {
    try {
      const response = await api.retryTask(taskId, body);
      const item: ItemResult = { task_id: taskId, ok: true, http_status: response.status, body };
      if (response.requestId) item.request_id = response.requestId;
      return item;
    } catch (error) {
      // Only per-task answers are per-item; anything else (interrupt, bug) stops the whole run.
      if (!(error instanceof HssError) || error.code === 'INTERRUPTED') throw error;
      const item: ItemResult = { task_id: taskId, ok: false, body, error };
      if (error.httpStatus !== undefined) item.http_status = error.httpStatus;
      if (error.requestId) item.request_id = error.requestId;
      return item;
    } finally {
      done++;
      if (taskIds.length > 1) spinner.update(`Retrying ${taskIds.length} tasks… ${done} done`);
    }
  });
  spinner.stop();

  const failed = items.filter((i) => !i.ok);
  const exitCode = Math.max(0, ...items.map((i) => i.error?.exitCode ?? 0));
  const only = items.length === 1 ? items[0] : undefined;
  // A single task's failure reads as an error in text; JSON keeps the results shape and adds `error`.
  if (only?.error && !renderer.json) throw only.error;

  const data: Record<string, unknown> = {
    ok: failed.length === 0,
    results: items.map((i) => {
      const out: Record<string, unknown> = { task_id: i.task_id, ok: i.ok };
      if (i.http_status !== undefined) out['http_status'] = i.http_status;
      if (i.request_id !== undefined) out['request_id'] = i.request_id;
      out['body'] = i.body;
      if (i.error) out['error'] = errorJson(i.error);
      return out;
    }),
  };
  if (only?.error) data['error'] = errorJson(only.error);
  return { data, text: (s) => retryText(items, s), exitCode };
}

function retryText(items: ItemResult[], s: ChalkInstance): string {
  const lines = items.map((i) => {
    if (i.ok) {
      const rid = i.request_id ? s.dim(` (request ${i.request_id})`) : '';
      return `${s.green('✔')} ${i.task_id}: retry accepted for ${describeScope(i.body)}${rid}`;
    }
    const err = i.error as HssError;
    const details = errorDetailsLine(err);
    return `${s.red('✖')} ${i.task_id}: ${err.message}${details ? s.dim(` (${details})`) : ''}`;
  });
  if (items.length > 1) {
    const failed = items.filter((i) => !i.ok).length;
    lines.push(
      failed
        ? s.red(`${plural(failed, 'task')} of ${items.length} failed`)
        : s.green(`all ${items.length} tasks accepted`),
    );
  }
  return lines.join('\n');
}
