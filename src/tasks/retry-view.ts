/**
 * Presenting `hss task retry`: the JSON document of a run and its text, one line per task on stdout
 * and the closing error (with its hint) the renderer writes to stderr.
 */
import type { ChalkInstance } from 'chalk';
import { HssError } from '../core/errors.js';
import { plural } from '../core/text.js';
import { type CommandResult, errorDetailsLine, errorJson } from '../output/renderer.js';
import type {
  DryRunDocument,
  DryRunRequest,
  RetryItemDocument,
  RetryRoundDocument,
  RetryRunDocument,
} from './documents.js';
import { describeScope } from './retry-plan.js';
import { accepted, type RetryItem, type RetryRound, type RetryRun } from './retry-run.js';

/**
 * The document of a run. An interruption ends it with exit 130/143; once the API has accepted a
 * retry, the document still reports it (its request ID), with every other task started.
 */
export function retryResult(run: RetryRun): CommandResult<RetryRunDocument> {
  const { items, interrupted } = run;
  const failed = items.filter((i) => !i.ok);
  const single = items.length === 1 ? items[0] : undefined;
  const exitCode = interrupted?.exitCode ?? Math.max(0, ...items.map((i) => i.error?.exitCode ?? 0));
  const data: RetryRunDocument = {
    ok: failed.length === 0 && !interrupted,
    results: items.map(itemDocument),
  };
  const closing = interrupted ?? (single ? single.error : failed.length ? batchError(items) : undefined);
  if (closing && (interrupted || single)) data.error = errorJson(closing);
  const result: CommandResult<RetryRunDocument> = { data, text: (s) => retryText(run, s), exitCode };
  if (closing) result.closing = closing;
  return result;
}

function itemDocument(item: RetryItem): RetryItemDocument {
  const out: RetryItemDocument = { task_id: item.task_id, ok: item.ok };
  if (item.region !== undefined) out.region = item.region;
  if (item.project_id !== undefined) out.project_id = item.project_id;
  if (item.http_status !== undefined) out.http_status = item.http_status;
  if (item.request_id !== undefined) out.request_id = item.request_id;
  if (item.body) out.body = item.body;
  if (item.followed) Object.assign(out, item.followed.data);
  if (item.error) out.error = errorJson(item.error);
  if (item.rounds) out.rounds = item.rounds.map(roundDocument);
  return out;
}

function roundDocument(round: RetryRound): RetryRoundDocument {
  const out: RetryRoundDocument = { round: round.round, ok: round.ok };
  if (round.http_status !== undefined) out.http_status = round.http_status;
  if (round.request_id !== undefined) out.request_id = round.request_id;
  if (round.body) out.body = round.body;
  if (round.followed) Object.assign(out, round.followed.data);
  if (round.error) out.error = errorJson(round.error);
  return out;
}

/** What closes a batch with failed items: how many, with the hint they share, if they share one. */
function batchError(items: RetryItem[]): HssError {
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

/**
 * One line per task on stdout, the same for one task or many: `✔ t1: retry accepted …` or
 * `✖ t2: <why not>`; with --wait a second line says how the task ended, its mark the outcome's. The
 * closing error and its hint are the renderer's, on stderr.
 */
function retryText(run: RetryRun, s: ChalkInstance): string {
  const { items } = run;
  const lines = items.flatMap((item) => itemLines(item, s));
  if (items.length > 1 && items.every((i) => i.ok)) {
    lines.push(
      s.green(
        run.waited
          ? `all ${items.length} tasks finished without failed clusters`
          : `all ${items.length} tasks accepted`,
      ),
    );
  }
  return lines.join('\n');
}

function itemLines(item: RetryItem, s: ChalkInstance): string[] {
  if (!item.rounds || item.rounds.length < 2) return attemptLines(item, s);
  // With several rounds, each round's lines in turn, the later ones marked with their number.
  const last = item.rounds.length;
  return item.rounds.flatMap((round) => {
    const all = attemptLines({ task_id: item.task_id, ...round }, s);
    // The clusters still failing are listed once, after the last round.
    const lines = round.round < last ? all.slice(0, 2) : all;
    if (round.round === 1 || lines.length === 0) return lines;
    const [first = '', ...rest] = lines;
    return [first.replace(`${item.task_id}: `, `${item.task_id}: round ${round.round}: `), ...rest];
  });
}

function attemptLines(item: RetryItem, s: ChalkInstance): string[] {
  const err = item.error;
  const no = s.red('✖');
  if (!accepted(item)) {
    if (err?.code === 'INTERRUPTED') {
      return [
        `${no} ${item.task_id}: ${item.sent ? 'interrupted before the answer came; the retry may have been received' : 'interrupted before the retry was sent'}`,
      ];
    }
    if (!err) return [];
    const details = errorDetailsLine(err);
    return [`${no} ${item.task_id}: ${err.message}${details ? s.dim(` (${details})`) : ''}`];
  }
  const rid = item.request_id ? s.dim(` (X-Request-Id ${item.request_id})`) : '';
  const scope = item.body ? describeScope(item.body) : 'the task';
  const lines = [`${s.green('✔')} ${item.task_id}: retry accepted for ${scope}${rid}`];
  if (item.followed) lines.push(...item.followed.lines(s));
  // Accepted, then following it failed (e.g. an auth error while polling).
  else if (err && err.code !== 'INTERRUPTED')
    lines.push(`${no} ${item.task_id}: accepted, then following it failed: ${err.message}`);
  return lines;
}

/** --all-failed --only with nothing to send for the task: exit 0, and why. */
export function skippedResult(taskId: string, message: string): CommandResult<RetryRunDocument> {
  return {
    data: { ok: true, results: [{ task_id: taskId, ok: true, skipped: true, message }] },
    text: (s) => `${s.dim('–')} ${message}`,
    exitCode: 0,
  };
}

/** --dry-run: each request as it would go out, secrets masked. */
export function dryRunResult(requests: DryRunRequest[], only: boolean): CommandResult<DryRunDocument> {
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
