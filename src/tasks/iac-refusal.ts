/**
 * RetryTask re-runs cluster scans only. A task ID the API refuses to retry (or whose clusters it
 * refuses to list, for --only) may be an IaC scan task's: one ListTasks of task type iac_scan tells,
 * and the refusal then says so instead of the API's own words. Loaded only after such a refusal.
 */
import type { HssApi } from '../api/hss.js';
import { getIacTask } from '../api/task-calls.js';
import { ApiError, type HssError, UsageError } from '../core/errors.js';

/**
 * Refusals that may mean "this ID is no cluster-scan task": an invalid parameter (the task type does
 * not fit the task; what the service answers for an IaC task's ID is not documented, the sandbox
 * answers HSS.0001), or an HSS 404. Not found (HSS.0011: an unknown task or cluster) and refusals
 * about the task's state need no lookup: a retry refused for those costs one request, as before.
 */
function mayBeIac(error: HssError): boolean {
  if (error.code !== 'API' || error.httpStatus === undefined || error.httpStatus < 400) return false;
  // A gateway's refusal (APIGW.…: no such API, throttled) is not about the task.
  const code = error.apiErrorCode ?? '';
  return code === 'HSS.0001' || (error.httpStatus === 404 && code.startsWith('HSS.'));
}

/** Whether `taskId` is an IaC scan task's: false too when the lookup itself fails (the first error stands). */
async function isIacTask(api: HssApi, taskId: string): Promise<boolean> {
  try {
    return (await getIacTask(api, taskId)) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The refusal to report for `taskId`: `error` itself unless the task is an IaC scan task. `sent`
 * says whether the RetryTask request went out: the API's refusal (exit 5) when it did; when only the
 * task was looked up, nothing was retried and the task ID is the mistake (exit 2).
 */
export async function iacRefusal(
  api: HssApi,
  taskId: string,
  error: HssError,
  sent: boolean,
): Promise<HssError> {
  if (!mayBeIac(error) || !(await isIacTask(api, taskId))) return error;
  const message = `task ${taskId} is an IaC scan task (iac_scan): RetryTask re-runs cluster scans only${sent ? '' : '; nothing was retried'}`;
  const hint = `see its files and why they failed with \`hss task show ${taskId}\``;
  if (!sent) return new UsageError(message, { hint });
  return new ApiError(message, {
    hint,
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.apiErrorCode === undefined ? {} : { apiErrorCode: error.apiErrorCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
  });
}

/**
 * `task wait` found no cluster-scan task of that ID: when it is an IaC scan task's, say so (the wait
 * loop follows cluster scans only); else the not-found error as it was.
 */
export async function iacNotFollowed(api: HssApi, taskId: string, error: HssError): Promise<HssError> {
  if (!(await isIacTask(api, taskId))) return error;
  return new ApiError(
    `task ${taskId} is an IaC scan task (iac_scan): hss task wait follows cluster scans only`,
    { hint: `see its state and files with \`hss task show ${taskId}\`` },
  );
}
