/**
 * `hss task list`: cluster-scan tasks, newest first (ListTasks), one page or every page.
 */
import type { ListTasksFilter } from '../../../api/hss.js';
import { firstIssue, TaskNameFilter } from '../../../api/schemas.js';
import type { Context } from '../../../cli/context.js';
import { parseInteger, parseSince } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { plural, quote } from '../../../core/text.js';
import type { CommandResult } from '../../../output/renderer.js';
import { taskTable } from '../../../output/task-view.js';
import type { TaskListDocument } from '../../../tasks/documents.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

type TaskListOptions = Options<typeof spec>;

const DEFAULT_LIST_LIMIT = 20;
/** The API's highest offset, so no --limit can ask for more than it can page to. */
const MAX_LIMIT = 2_000_000;

function listFilter(opts: TaskListOptions, now: number): ListTasksFilter {
  const filter: ListTasksFilter = {};
  if (opts.name !== undefined) {
    const parsed = TaskNameFilter.safeParse(opts.name);
    if (!parsed.success) throw new UsageError(`--name ${quote(opts.name)}: ${firstIssue(parsed.error)}`);
    filter.task_name = opts.name;
  }
  if (opts.type === 'iac_scan') filter.task_type = opts.type;
  if (opts.status !== undefined) filter.task_status = opts.status;
  if (opts.trigger !== undefined) filter.trigger_type = opts.trigger;
  if (opts.since !== undefined) filter.start_create_time = parseSince(opts.since, '--since', now);
  return filter;
}

/** How many tasks to show: --limit, every one with --all, else 20. */
function wantedCount(opts: TaskListOptions): number {
  if (opts.all && opts.limit !== undefined) {
    throw new UsageError('--limit and --all cannot be combined; --all fetches every task');
  }
  return opts.all
    ? Number.POSITIVE_INFINITY
    : opts.limit === undefined
      ? DEFAULT_LIST_LIMIT
      : parseInteger(opts.limit, '--limit', 1, MAX_LIMIT);
}

export async function taskList(
  opts: TaskListOptions,
  ctx: Context,
): Promise<CommandResult<TaskListDocument>> {
  const filter = listFilter(opts, ctx.io.now());
  const wanted = wantedCount(opts);
  const concurrency =
    opts.concurrency === undefined ? undefined : parseInteger(opts.concurrency, '--concurrency', 1, 32);
  const { wantsSeveralProjects } = await import('../../../tasks/fleet.js');
  if (wantsSeveralProjects(ctx)) {
    const { fleetTaskList } = await import('./fleet.js');
    return fleetTaskList(ctx, filter, wanted, concurrency);
  }

  const api = await ctx.hss();
  const spinner = await ctx.renderer.spinner('Listing tasks…');
  let listing: Awaited<ReturnType<typeof api.allTasks>>;
  try {
    listing = await api.allTasks(filter, {
      wanted,
      onPage: (held, total) => {
        if (opts.all) spinner.update(`Listing tasks… ${held}${total === undefined ? '' : ` of ${total}`}`);
      },
    });
  } finally {
    spinner.stop();
  }
  const { items: tasks, total } = listing;
  const now = ctx.io.now();
  const iacTable =
    opts.type === 'iac_scan' ? (await import('../../../output/iac-view.js')).iacTaskTable : undefined;
  if (listing.stopped) {
    ctx.renderer.warn(`the listing stops at ${plural(tasks.length, 'task')}: ${listing.stopped}`);
  }

  return {
    data: { ok: true, total_num: total, tasks },
    text: iacTable ? (s) => iacTable(tasks, total, s, now) : (s) => taskTable(tasks, total, s, now),
    ids: tasks.map((t) => t.task_id),
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ opts }, ctx) => taskList(opts, ctx);
export default handler;
