/**
 * `hss task retry --since`: one project's selection turned into that project's plan, and what was
 * passed over said on stderr (`12 tasks since 12h: 4 with failed clusters, 1 still running, 7 clean`).
 * selectProject takes the project's API and returns the project's own plan, so that several projects
 * can each be selected and run (executeRetry) with the same options. Loaded only with --since.
 */
import type { HssApi } from '../api/hss.js';
import { plural } from '../core/text.js';
import type { CommandResult, Renderer } from '../output/renderer.js';
import type { RetryRunDocument } from './documents.js';
import type { RetryPlan } from './retry-plan.js';
import { describeSelection, type Selection, selectFailedTasks } from './select.js';

/** The plan for one project: its selected tasks and their state before the retry. */
export async function selectProject(
  api: HssApi,
  plan: RetryPlan,
): Promise<{ plan: RetryPlan; selection: Selection }> {
  const since = plan.since;
  if (!since) return { plan, selection: { tasks: [], total: 0, running: 0, notStarted: 0, clean: 0 } };
  const selection = await selectFailedTasks(api, {
    since: since.at,
    name: since.name,
    trigger: since.trigger,
  });
  return {
    plan: {
      ...plan,
      taskIds: selection.tasks.map((t) => t.task_id),
      baselines: new Map(selection.tasks.map((t) => [t.task_id, t])),
    },
    selection,
  };
}

/**
 * The selection of the current project, behind a spinner and said on stderr: its plan, or the result
 * when it selects nothing.
 */
export async function applySelection(
  api: HssApi,
  plan: RetryPlan,
  renderer: Renderer,
  /** Across several projects: the project each line is about (`cn-east-3: 4 tasks since 12h: …`). */
  project?: string,
): Promise<{ plan: RetryPlan } | { none: CommandResult<RetryRunDocument>; message: string }> {
  const about = project === undefined ? '' : `${project}: `;
  const text = plan.since?.text ?? '';
  const spinner = await renderer.spinner(`Reading the tasks started since ${text}…`);
  let selected: Awaited<ReturnType<typeof selectProject>>;
  try {
    selected = await selectProject(api, plan);
  } finally {
    spinner.stop();
  }
  const { selection } = selected;
  if (selection.stopped) {
    renderer.warn(`${about}the listing stops at ${plural(selection.total, 'task')}: ${selection.stopped}`);
  }
  renderer.info(`${about}${describeSelection(selection, text)}`);
  if (selected.plan.taskIds.length) return { plan: selected.plan };
  const message = `no task started since ${text} has failed clusters; nothing to retry`;
  return {
    none: { data: { ok: true, results: [] }, text: (s) => s.dim(`– ${message}`), exitCode: 0 },
    message,
  };
}
