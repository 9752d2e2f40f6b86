// What the sandbox answers with, and every error it can give.
//
// API gateway errors (before a request reaches HSS; body {"error_code","error_msg"}):
//   401 APIGW.0301  Incorrect IAM authentication information: x-auth-token not found | verify token fail
//                   | token expires, expires_at: … | verify aksk signature fail (bad signature, unknown AK,
//                   X-Sdk-Date missing or more than 15 minutes from the sandbox clock)
//   403 APIGW.0302  The IAM user is not authorized to access the API: project id mismatch
//   404 APIGW.0101  The API does not exist or has not been published in the environment
//   405 APIGW.0101  The API request method does not exist (with an Allow header)
//   413 APIGW.0201  Request entity too large: a body over 1 MiB, refused unread (Connection: close)
//   faults: 429 APIGW.0308 (+ Retry-After: 1), 500 APIGW.0601, 502/503 APIGW.0202, 504 APIGW.0203,
//           other 4xx APIGW.0201
//
// HSS errors (body {"error_code","error_msg","error_description"}, codes from HSS's published table
// where one fits; HSS.13xx are the sandbox's own choice, as the real codes are unpublished):
//   400 HSS.0001  invalid parameter: a value outside the documented limits or enums, bad paging
//   400 HSS.0002  failed to parse the request: Content-Type not JSON, body not JSON or not an object
//   400 HSS.0010  access denied: enterprise_project_id is not one of the account's enterprise projects
//   400 HSS.0011  requested resource not found: unknown task, or a cluster that is not part of the task.
//                 The real API most likely answers unknown ids with 400 and an HSS code rather than
//                 404; the sandbox does the same.
//   400 HSS.1301  the task is running (or not yet started) and cannot be retried
//   400 HSS.1302  nothing to retry: no failed cluster, or a specific cluster with no failed scan item
//
// IAM errors use IAM's own shape: {"error":{"code":401,"message":"…","title":"Unauthorized"}}.

import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** A value is sent as JSON; a string as is; undefined as an empty body. */
  body?: unknown;
}

export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

export function gatewayError(
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): Answer {
  const answer: Answer = { status, body: { error_code: code, error_msg: message } };
  if (headers) answer.headers = headers;
  return answer;
}

const AUTH_PREFIX = 'Incorrect IAM authentication information: ';

export const authErrors = {
  missingToken: () => gatewayError(401, 'APIGW.0301', `${AUTH_PREFIX}x-auth-token not found`),
  badToken: () => gatewayError(401, 'APIGW.0301', `${AUTH_PREFIX}verify token fail`),
  expiredToken: (expiresAt: string) =>
    gatewayError(401, 'APIGW.0301', `${AUTH_PREFIX}token expires, expires_at: ${expiresAt}`),
  badSignature: () => gatewayError(401, 'APIGW.0301', `${AUTH_PREFIX}verify aksk signature fail`),
  projectMismatch: () =>
    gatewayError(403, 'APIGW.0302', 'The IAM user is not authorized to access the API: project id mismatch'),
};

export function notFoundRoute(): Answer {
  return gatewayError(
    404,
    'APIGW.0101',
    'The API does not exist or has not been published in the environment',
  );
}

export function methodNotAllowed(allowed: readonly string[]): Answer {
  return gatewayError(405, 'APIGW.0101', 'The API request method does not exist', {
    Allow: allowed.join(', '),
  });
}

export function payloadTooLarge(): Answer {
  return gatewayError(413, 'APIGW.0201', 'Request entity too large', { Connection: 'close' });
}

/** The body of an injected status fault, as the gateway would send it. */
export function faultAnswer(status: number): Answer {
  if (status === 429) {
    return gatewayError(429, 'APIGW.0308', 'The throttling threshold has been reached', {
      'Retry-After': '1',
    });
  }
  if (status === 401) return authErrors.badToken();
  if (status === 403) return authErrors.projectMismatch();
  if (status === 404) return notFoundRoute();
  if (status === 500) return gatewayError(500, 'APIGW.0601', 'Internal server error');
  if (status === 502 || status === 503) return gatewayError(status, 'APIGW.0202', 'Backend unavailable');
  if (status === 504) return gatewayError(504, 'APIGW.0203', 'Backend timeout');
  if (status < 500) return gatewayError(status, 'APIGW.0201', 'API request error');
  return gatewayError(status, 'APIGW.0202', 'Backend unavailable');
}

export type HssErrorCode = 'HSS.0001' | 'HSS.0002' | 'HSS.0010' | 'HSS.0011' | 'HSS.1301' | 'HSS.1302';

const HSS_MESSAGES: Record<HssErrorCode, string> = {
  'HSS.0001': 'Invalid parameter',
  'HSS.0002': 'Failed to parse the request',
  'HSS.0010': 'Access denied',
  'HSS.0011': 'Requested resource not found',
  'HSS.1301': 'The task is running',
  'HSS.1302': 'No failed cluster to retry',
};

/** error_msg is the code's title and the detail; error_description the detail alone. */
export function hssError(code: HssErrorCode, detail: string): Answer {
  return {
    status: 400,
    body: { error_code: code, error_msg: `${HSS_MESSAGES[code]}: ${detail}`, error_description: detail },
  };
}

const IAM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
};

export function iamError(code: number, message: string): Answer {
  return { status: code, body: { error: { code, message, title: IAM_TITLES[code] ?? 'Error' } } };
}

/** Writes an answer with a fresh X-Request-Id, noting status and request ID in its record. */
export function sendAnswer(
  res: ServerResponse,
  answer: Answer,
  record?: { status: number; requestId: string },
): void {
  const requestId = randomBytes(16).toString('hex');
  const headers: Record<string, string | number> = { 'X-Request-Id': requestId, ...answer.headers };
  let payload = '';
  if (answer.body !== undefined) {
    payload = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    headers['Content-Type'] = JSON_CONTENT_TYPE;
  }
  headers['Content-Length'] = Buffer.byteLength(payload);
  if (record) {
    record.status = answer.status;
    record.requestId = requestId;
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

/** What the badjson fault answers: the start of a ListTasks answer, cut off mid-string. */
export function truncatedJson(): Answer {
  return { status: 200, body: '{"total_num":245,"data_list":[{"task_id":"task-00' };
}
