/**
 * Proving that a credential works for HSS in a project, with one cheap call: ShowTaskStatistics, a GET
 * whose answer is three numbers, which needs the same task permission as every other command of hss.
 * `hss auth status` and `hss configure` make it; a refusal is the API's own (401/403 → exit 4).
 */
import { type HssTarget, hssUrl } from '../api/hss.js';
import type { ApiRequest, HttpClient } from '../api/http.js';
import { authorizerFor } from './authorize.js';
import type { Credential } from './credential.js';
import type { CredentialCheck } from './credential-check.js';

export type { CredentialCheck } from './credential-check.js';

export const CHECK_OPERATION = 'ShowTaskStatistics';

/** The check's request; its operation names the project and region, so a refusal says what was checked. */
export function checkRequest(target: HssTarget, region: string | undefined): ApiRequest {
  const where = `project ${target.projectId}${region ? ` (${region})` : ''}`;
  return {
    method: 'GET',
    url: hssUrl(target, ['common', 'task-statistics'], { task_type: 'cluster_scan' }),
    headers: { 'Content-Type': 'application/json' },
    operation: `${CHECK_OPERATION} in ${where}`,
  };
}

/**
 * Sends the check with the credential, signed or with its token as every HSS call is; a refusal or
 * failure is thrown as the matching error (exit 4 for 401/403), as for any call.
 */
export async function verifyCredential(
  http: HttpClient,
  credential: Credential,
  target: HssTarget,
  region: string | undefined,
): Promise<CredentialCheck> {
  const response = await http.send(checkRequest(target, region), authorizerFor(credential, target.projectId));
  return checkDocument(target, region, response);
}

/** The check's part of a document, with the answer's status and request ID. */
export function checkDocument(
  target: HssTarget,
  region: string | undefined,
  answer: { status: number; requestId?: string | undefined },
): CredentialCheck {
  const out: CredentialCheck = {
    operation: CHECK_OPERATION,
    endpoint: target.endpoint,
    region: region ?? null,
    project_id: target.projectId,
    http_status: answer.status,
  };
  if (answer.requestId !== undefined) out.request_id = answer.requestId;
  return out;
}
