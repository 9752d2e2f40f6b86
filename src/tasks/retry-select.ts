/**
 * `hss task retry --since`: the selection turned into the run's tasks, and what was passed over said
 * on stderr (`12 tasks since 12h: 4 with failed clusters, 1 still running, 7 clean`). Loaded only
 * with --since.
 */
import type { HssApi } from '../api/hss.js';
import { plural } from '../core/text.js';
import type { CommandResult, Renderer } from '../output/renderer.js';
import type { RetryRunDocument } from './documents.js';
import type { RetryPlan } from './retry-plan.js';
import { describeSelection, selectFailedTasks } from './select.js';

/** Fills in the plan's tasks (and their state before the retry); the result when there are none. */
export async function applySelection(
  api: HssApi,
  plan: RetryPlan,
  renderer: Renderer,
  /** Across several projects: the project each line is about (`cn-east-3: 4 tasks since 12h: …`). */
  project?: string,
): Promise<CommandResult<RetryRunDocument> | undefined> {
  const about = project === undefined ? '' : `${project}: `;
  const since = plan.since;
  if (!since) return undefined;
  const spinner = await renderer.spinner(`Reading the tasks started since ${since.text}…`);
  let selection: Awaited<ReturnType<typeof selectFailedTasks>>;
  try {
    selection = await selectFailedTasks(api, { since: since.at, name: since.name, trigger: since.trigger });
  } finally {
    spinner.stop();
  }
  if (selection.stopped) {
    renderer.warn(`${about}the listing stops at ${plural(selection.total, 'task')}: ${selection.stopped}`);
  }
  renderer.info(`${about}${describeSelection(selection, since.text)}`);
  plan.taskIds = selection.tasks.map((t) => t.task_id);
  plan.baselines = new Map(selection.tasks.map((t) => [t.task_id, t]));
  if (plan.taskIds.length) return undefined;
  const message = `no task started since ${since.text} has failed clusters; nothing to retry`;
  return { data: { ok: true, results: [] }, text: (s) => s.dim(`– ${message}`), exitCode: 0 };
}
