/**
 * Running `hss task create`: CreateTask once (never repeated once it may have reached the service,
 * see src/api/http.ts), then with --wait the new task followed with the wait loop of `task wait`.
 * Once the task exists, its ID is reported whatever happens next (an interruption, a failed poll).
 */
import type { ChalkInstance } from 'chalk';
import type { HssApi } from '../api/hss.js';
import { createTask, createTaskRequest } from '../api/task-calls.js';
import { HssError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { redactHeaders } from '../core/redact.js';
import { type CommandResult, errorJson, type Renderer } from '../output/renderer.js';
import { type CreatePlan, describeCreate } from './create-plan.js';
import type { DryRunDocument, TaskCreateDocument } from './documents.js';

/** --dry-run: the request as it would go out, secrets masked, as `task retry --dry-run` shows one. */
export async function dryRunCreate(api: HssApi, plan: CreatePlan): Promise<CommandResult<DryRunDocument>> {
  const request = createTaskRequest(api.target, plan.body);
  const headers = redactHeaders(await api.headersFor(request));
  const url = request.url.href;
  return {
    data: { ok: true, dry_run: true, requests: [{ method: request.method, url, headers, body: plan.body }] },
    text: (s) =>
      `${s.bold(`${request.method} ${url}`)}\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join(
          '\n',
        )}\n\n${JSON.stringify(plan.body, null, 2)}\n${s.dim('(dry run: nothing was sent, no task created)')}`,
    exitCode: 0,
  };
}

/**
 * A failure that leaves open whether the service created the task (no answer, a 5xx, an answer hss
 * cannot read): said in the hint, since sending it again could create a second task.
 */
function mayHaveCreated(error: unknown): unknown {
  if (!(error instanceof HssError)) return error;
  const unreadable = error.httpStatus !== undefined && error.httpStatus < 300;
  if (error.exitCode !== 6 && !unreadable) return error;
  return new HssError(error.code, error.exitCode, error.message, {
    hint: 'the task may have been created all the same: look for it with `hss task list --since 15m` before creating it again',
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.apiErrorCode === undefined ? {} : { apiErrorCode: error.apiErrorCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  });
}

function createdLine(doc: TaskCreateDocument, s: ChalkInstance): string {
  const rid = doc.request_id ? s.dim(` (X-Request-Id ${doc.request_id})`) : '';
  return `${s.green('✔')} ${doc.task_id}: created, a scan of ${describeCreate(doc.body)}${rid}`;
}

export async function executeCreate(
  api: HssApi,
  plan: CreatePlan,
  renderer: Renderer,
  io: Pick<Io, 'signal' | 'now'>,
): Promise<CommandResult<TaskCreateDocument>> {
  const spinner = await renderer.spinner(`Creating a scan of ${describeCreate(plan.body)}…`);
  let created: Awaited<ReturnType<typeof createTask>>;
  try {
    created = await createTask(api, plan.body);
  } catch (error) {
    throw mayHaveCreated(error);
  } finally {
    spinner.stop();
  }
  const doc: TaskCreateDocument = {
    ok: true,
    task_id: created.taskId,
    http_status: created.status,
    ...(created.requestId ? { request_id: created.requestId } : {}),
    body: plan.body,
  };
  if (!plan.wait) return { data: doc, text: (s) => createdLine(doc, s), ids: [doc.task_id], exitCode: 0 };
  return followCreated(api, doc, plan.wait, renderer, io);
}

/** --wait: the new task followed until it has finished; exit 7 or 8 as `task wait`. */
async function followCreated(
  api: HssApi,
  doc: TaskCreateDocument,
  settings: NonNullable<CreatePlan['wait']>,
  renderer: Renderer,
  io: Pick<Io, 'signal' | 'now'>,
): Promise<CommandResult<TaskCreateDocument>> {
  const [{ followTask }, { pollReporter, waitText }, { outcomeData, outcomeError }] = await Promise.all([
    import('./follow.js'),
    import('./follow-view.js'),
    import('./outcome.js'),
  ]);
  const taskId = doc.task_id;
  const spinner = await renderer.spinner(`Waiting for ${taskId}…`);
  const reporter = pollReporter(renderer, spinner, 1);
  let outcome: Awaited<ReturnType<typeof followTask>>;
  try {
    outcome = await followTask(api, taskId, settings, io, { onPoll: reporter.onPoll });
  } catch (error) {
    // Created, then the wait failed (Ctrl-C, a refused poll): the task's ID is still the answer.
    if (!(error instanceof HssError)) throw error;
    const failed: TaskCreateDocument = { ...doc, ok: false, error: errorJson(error) };
    return {
      data: failed,
      text: (s) => createdLine(doc, s),
      ids: [doc.task_id],
      exitCode: error.exitCode,
      closing: error,
    };
  } finally {
    spinner.stop();
  }
  const error = outcomeError(taskId, outcome, settings);
  const data: TaskCreateDocument = { ...doc, ...outcomeData(outcome, error), ok: error === undefined };
  const result: CommandResult<TaskCreateDocument> = {
    data,
    text: (s) => [createdLine(doc, s), waitText(taskId, outcome, settings, error, s)].join('\n'),
    ids: [taskId],
    exitCode: error?.exitCode ?? 0,
  };
  if (error) result.closing = error;
  return result;
}
