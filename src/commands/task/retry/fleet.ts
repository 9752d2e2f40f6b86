/**
 * `hss task retry --since … --region a,b|all [--all-projects]`: the morning job across projects. Each
 * project selects its own tasks, retries them and (with --wait, --rounds) follows them, in parallel up
 * to --concurrency projects; one project that fails does not stop the others. The results carry their
 * region and project ID, the reports hold every project's tasks, and the exit code is the highest.
 */
import type { Context } from '../../../cli/context.js';
import { withHint } from '../../../core/errors.js';
import { plural } from '../../../core/text.js';
import type { CommandResult, Renderer } from '../../../output/renderer.js';
import type { DryRunRequest, TaskRetryDocument } from '../../../tasks/documents.js';
import { type FleetOutcome, fleetError, forEachProject, type ProjectTarget } from '../../../tasks/fleet.js';
import type { ReportTask } from '../../../tasks/report.js';
import type { RetryPlan } from '../../../tasks/retry-plan.js';
import { reportTasks, writeTaskReports } from '../../../tasks/retry-report.js';
import {
  dryRunRequests,
  executeRetry,
  type RetryAttempt,
  type RetryItem,
  type RetryRun,
} from '../../../tasks/retry-run.js';
import { applySelection } from '../../../tasks/retry-select.js';
import { dryRunResult, retryResult } from '../../../tasks/retry-view.js';

/** What one project did: the requests a dry run would send, or the run. */
type ProjectRun = { requests: DryRunRequest[] } | { run: RetryRun } | { none: true };

/**
 * The renderer for work done for several projects at once: no spinner (one per project would fight
 * over the line), so progress is printed as lines, each naming its task.
 */
function withoutSpinners(renderer: Renderer): Renderer {
  return Object.create(renderer, {
    options: { value: { ...renderer.options, interactive: false } },
  }) as Renderer;
}

export async function fleetRetry(plan: RetryPlan, ctx: Context): Promise<CommandResult<TaskRetryDocument>> {
  const renderer = withoutSpinners(ctx.renderer);
  const outcome = await forEachProject<ProjectRun>(
    ctx,
    async (project, api) => {
      // Each project selects its own tasks: a plan of its own, sharing what the user typed.
      const selected = await applySelection(api, plan, renderer, project.name);
      if ('none' in selected) return { none: true };
      const own = selected.plan;
      if (plan.dryRun) return { requests: await dryRunRequests(api, own) };
      return { run: await executeRetry(api, own, renderer, ctx.io) };
    },
    { concurrency: plan.concurrency },
  );
  const result = plan.dryRun ? dryRunOf(outcome) : await runOf(outcome, plan, ctx);
  if (outcome.errors.length) {
    result.data = { ...result.data, ok: false, errors: outcome.errors };
    result.exitCode = Math.max(result.exitCode, outcome.exitCode);
    result.closing = fleetError(outcome) ?? result.closing;
  }
  return result;
}

function dryRunOf(outcome: FleetOutcome<ProjectRun>): CommandResult<TaskRetryDocument> {
  const requests = outcome.results.flatMap(({ value }) => ('requests' in value ? value.requests : []));
  return dryRunResult(requests, false);
}

async function runOf(
  outcome: FleetOutcome<ProjectRun>,
  plan: RetryPlan,
  ctx: Context,
): Promise<CommandResult<TaskRetryDocument>> {
  const items: RetryItem[] = [];
  const report: ReportTask[] = [];
  const sections: Array<{ name: string; run: RetryRun }> = [];
  let interrupted: RetryRun['interrupted'];
  for (const { project, value } of outcome.results) {
    if (!('run' in value)) continue;
    interrupted ??= value.run.interrupted;
    for (const item of value.run.items) items.push(inProject(item, project));
    report.push(...reportTasks(value.run, project.region));
    sections.push({ name: `${project.name} (project ${project.projectId})`, run: value.run });
  }
  let result: CommandResult<TaskRetryDocument>;
  let empty: string | undefined;
  if (items.length === 0 && outcome.errors.length === 0) {
    const message = `no task started since ${plan.since?.text} has failed clusters in ${plural(outcome.asked, 'project')}; nothing to retry`;
    result = { data: { ok: true, results: [] }, text: (s) => s.dim(`– ${message}`), exitCode: 0 };
    empty = message;
  } else {
    const run: RetryRun = { items, waited: plan.wait !== undefined };
    if (interrupted) run.interrupted = interrupted;
    result = retryResult(run);
    if (result.closing && result.closing.hint === undefined && items.filter((i) => !i.ok).length > 1) {
      result.closing = withHint(
        result.closing,
        `see each with \`hss task show TASK_ID --failed --region REGION --project-id PROJECT_ID\`, the project named above the task's lines`,
      );
    }
    // The text view: each project's lines, as a retry of that project alone shows them, under its name.
    result.text = (s) =>
      sections.map(({ name, run }) => `${s.bold(name)}\n${retryResult(run).text?.(s) ?? ''}`).join('\n');
  }
  if (plan.reports.junit === undefined && plan.reports.summary === undefined) return result;
  // A quiet morning is still reported: CI finds its report files, saying there was nothing to do.
  const failed = await writeTaskReports(report, plan, ctx, empty);
  if (failed) {
    ctx.renderer.warn(failed.message);
    result.exitCode = Math.max(result.exitCode, failed.exitCode);
  }
  return result;
}

/**
 * A task's item, placed in its project: its region and project ID, and the commands its hints suggest
 * (`hss task show ID --failed`, …) given the flags that reach that project, since the run's own
 * settings name several.
 */
function inProject(item: RetryItem, project: ProjectTarget): RetryItem {
  const flags = `--region ${project.region} --project-id ${project.projectId}`;
  const placed: RetryItem = {
    ...placeAttempt(item, flags),
    region: project.region,
    project_id: project.projectId,
  };
  if (item.rounds) placed.rounds = item.rounds.map((round) => placeAttempt(round, flags));
  return placed;
}

function placeAttempt<A extends RetryAttempt>(attempt: A, flags: string): A {
  if (!attempt.error?.hint) return attempt;
  const hint = attempt.error.hint.replace(
    /`(hss task [^`]*)`/g,
    (_, command: string) => `\`${command} ${flags}\``,
  );
  return { ...attempt, error: withHint(attempt.error, hint) };
}
