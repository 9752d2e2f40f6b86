/**
 * The options of `hss task retry` beyond one task's scope: selecting tasks with --since (--name,
 * --trigger), retrying again what still fails (--rounds) and the CI reports (--junit, --summary),
 * each checked before settings, credentials or the network are touched.
 */
import { parseInteger, parseSince } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import { firstIssue, TaskNameFilter } from '../core/rules.js';
import { plural, quote } from '../core/text.js';
import { TRIGGER_TYPES } from '../core/vocabulary.js';

/** The most rounds one run makes: each is a full wait, and a scan that failed this often will not pass. */
export const MAX_ROUNDS = 10;

export interface SinceOptions {
  since?: string | undefined;
  name?: string | undefined;
  trigger?: string | undefined;
}

/** --since: the tasks to retry are selected by the time they started (src/tasks/select.ts). */
export interface SincePlan {
  /** Epoch ms. */
  at: number;
  /** As typed, for messages: `12h`. */
  text: string;
  name?: string;
  trigger?: string;
}

import type { ReportPaths } from './report-paths.js';

export type { ReportPaths } from './report-paths.js';

/**
 * --since and what only it takes. Task IDs and --since exclude each other; one of them is required.
 * The cluster scopes name clusters of one task, so with a selection only --all-failed makes sense.
 */
export function planSince(
  args: string[],
  opts: SinceOptions & {
    cluster?: string[] | undefined;
    clusterFile?: string | undefined;
    only?: string | undefined;
  },
  now: number,
): SincePlan | undefined {
  if (opts.since === undefined) {
    const stray = [opts.name !== undefined ? '--name' : '', opts.trigger !== undefined ? '--trigger' : '']
      .filter(Boolean)
      .join(' and ');
    if (stray) throw new UsageError(`${stray} only apply with --since (they narrow the tasks it selects)`);
    if (args.length === 0) {
      throw new UsageError('say which tasks to retry: task IDs, or --since <duration|date>', {
        hint: 'e.g. `hss task retry TASK_ID --all-failed` or `hss task retry --since 12h --all-failed`',
      });
    }
    return undefined;
  }
  if (args.length > 0) {
    throw new UsageError(
      `task IDs and --since cannot be combined (${plural(args.length, 'task ID')} given); give one or the other`,
    );
  }
  const scoped = [
    opts.cluster?.length ? '--cluster' : '',
    opts.clusterFile !== undefined ? '--cluster-file' : '',
    opts.only !== undefined ? '--only' : '',
  ].filter(Boolean);
  if (scoped.length) {
    throw new UsageError(
      `${scoped.join(' and ')} name clusters of one task and cannot be combined with --since`,
      {
        hint: 'retry every failed cluster of the selected tasks with --since … --all-failed',
      },
    );
  }
  const plan: SincePlan = { at: parseSince(opts.since, '--since', now), text: opts.since };
  if (opts.name !== undefined) {
    const parsed = TaskNameFilter.safeParse(opts.name);
    if (!parsed.success) throw new UsageError(`--name ${quote(opts.name)}: ${firstIssue(parsed.error)}`);
    plan.name = opts.name;
  }
  if (opts.trigger !== undefined) {
    if (!(TRIGGER_TYPES as readonly string[]).includes(opts.trigger)) {
      throw new UsageError(`--trigger ${quote(opts.trigger)}: must be one of ${TRIGGER_TYPES.join(', ')}`);
    }
    plan.trigger = opts.trigger;
  }
  return plan;
}

/** --rounds (default 1), --junit and --summary: they all report on a wait, so they need --wait. */
export async function planRounds(
  opts: { rounds?: string | undefined; junit?: string | undefined; summary?: string | undefined },
  wait: boolean,
): Promise<{ rounds: number; reports: ReportPaths }> {
  const needWait = [
    opts.rounds !== undefined ? '--rounds' : '',
    opts.junit !== undefined ? '--junit' : '',
    opts.summary !== undefined ? '--summary' : '',
  ].filter(Boolean);
  if (!wait && needWait.length) {
    throw new UsageError(`${needWait.join(' and ')} only apply with --wait`, {
      hint: 'add --wait: rounds and reports are about how the retried tasks end',
    });
  }
  const rounds = opts.rounds === undefined ? 1 : parseInteger(opts.rounds, '--rounds', 1, MAX_ROUNDS);
  if (opts.junit === undefined && opts.summary === undefined) return { rounds, reports: {} };
  // Shared with `task wait`: loaded only when a report is asked for, not on every retry.
  const { reportPaths } = await import('./report-paths.js');
  return { rounds, reports: reportPaths(opts) };
}
