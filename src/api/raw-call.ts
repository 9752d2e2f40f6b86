/**
 * Any API call as the user writes it (`hss api METHOD PATH`): the method, path, query and body
 * checked before anything is sent, and made into a request for the one HTTP client every command
 * uses, so it is signed, retried, timed out, proxied and error-mapped exactly as theirs are.
 */
import { ApiError, UnavailableError, UsageError } from '../core/errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../core/json.js';
import { quote } from '../core/text.js';
import { encodeRfc3986 } from './hss.js';
import type { ApiRequest, ApiResponse, HttpMethod } from './http.js';

export const RAW_METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** The placeholder filled in with the project ID of the call. */
export const PROJECT_PLACEHOLDER = '{project_id}';

export function checkMethod(method: string): HttpMethod {
  const upper = method.toUpperCase();
  const found = RAW_METHODS.find((m) => m === upper);
  if (!found) throw new UsageError(`method ${quote(method)}: must be one of ${RAW_METHODS.join(', ')}`);
  return found;
}

/** Characters of a path segment (RFC 3986 pchar, `%XX` escapes included), and the placeholder's braces. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@{}]|%[0-9A-Fa-f]{2})+$/;

/**
 * A path of the API's own host: begins with `/`, names no scheme or host, has no empty, `.` or `..`
 * segment (written or percent-encoded) and no query (that is what --param is for).
 */
export function checkPath(path: string): string {
  const refuse = (rule: string, hint?: string) =>
    new UsageError(`path ${quote(path, 80)}: ${rule}`, hint ? { hint } : {});
  if (/^[a-z][a-z0-9+.-]*:/i.test(path))
    throw refuse(
      'give the path only, without scheme and host',
      'the host is the endpoint in use (`hss config show`)',
    );
  if (!path.startsWith('/'))
    throw refuse('must begin with /', 'e.g. /v5/{project_id}/common/task-statistics');
  if (path.includes('?') || path.includes('#'))
    throw refuse('may not hold a query', 'give each query parameter with --param NAME=VALUE');
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') throw refuse('has an empty segment (//)');
    if (!SEGMENT.test(segment))
      throw refuse("may hold only letters, digits, - . _ ~ ! $ & ' ( ) * + , ; = : @ and %XX escapes");
    const decoded = segment.replace(/%2e/gi, '.');
    if (decoded === '.' || decoded === '..') throw refuse('may not hold . or .. segments');
  }
  const placeholder = /\{[^}]*\}/g;
  for (const match of path.match(placeholder) ?? []) {
    if (match !== PROJECT_PLACEHOLDER)
      throw refuse(`holds the placeholder ${match}; only ${PROJECT_PLACEHOLDER} is filled in`);
  }
  if (path.replace(placeholder, '').match(/[{}]/)) throw refuse('has an unmatched { or }');
  return path;
}

/** `NAME=VALUE` pairs of --param, in the order given. */
export function parseParams(params: readonly string[]): Array<[string, string]> {
  return params.map((param) => {
    const at = param.indexOf('=');
    if (at <= 0) {
      throw new UsageError(`--param ${quote(param)}: must be NAME=VALUE`, {
        hint: 'e.g. --param limit=10 (repeat --param for more)',
      });
    }
    return [param.slice(0, at), param.slice(at + 1)];
  });
}

/** A request body: JSON (checked, sent as given). `what` names where it came from. */
export function checkBody(text: string, what: string): string {
  const body = text.trim();
  if (body === '') throw new UsageError(`${what} is empty; a body must be JSON`);
  if (nestedDeeperThan(body)) throw new UsageError(`${what} is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    JSON.parse(body);
  } catch (error) {
    throw new UsageError(`${what} is not JSON: ${(error as Error).message}`);
  }
  return body;
}

export interface RawCall {
  method: HttpMethod;
  path: string;
  params: Array<[string, string]>;
  body?: string;
}

/** The request of a call against `base` (an endpoint URL), `{project_id}` filled in. */
export function rawRequest(call: RawCall, base: string, projectId: string | undefined): ApiRequest {
  let path = call.path;
  if (path.includes(PROJECT_PLACEHOLDER)) {
    if (projectId === undefined) throw new Error('a project ID is needed to fill in the path');
    path = path.replaceAll(PROJECT_PLACEHOLDER, encodeRfc3986(projectId));
  }
  const query = call.params.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`).join('&');
  const request: ApiRequest = {
    method: call.method,
    url: new URL(`${base.replace(/\/+$/, '')}${path}${query ? `?${query}` : ''}`),
    headers: { 'Content-Type': 'application/json' },
    operation: `${call.method} ${path}`,
    // What the user sends may hold a password (an IAM login): --debug masks secret-looking fields.
    sensitiveBody: true,
  };
  if (call.body !== undefined) request.body = call.body;
  return request;
}

/**
 * The answer's JSON, or null for an empty body (some calls answer 2xx with none). A 2xx answer that
 * is not JSON came from something else than the API (a proxy's page): exit 6, as for every command.
 */
export function answerJson(response: ApiResponse, operation: string): unknown {
  const text = response.text.trim();
  if (text === '') return null;
  const details = {
    httpStatus: response.status,
    hint: 'check that the endpoint is the API (`hss config show`), not a proxy or a web page',
    ...(response.requestId ? { requestId: response.requestId } : {}),
  };
  if (nestedDeeperThan(text)) {
    throw new ApiError(
      `${operation}: the answer is JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      details,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UnavailableError(
      `${operation}: unexpected answer: HTTP ${response.status} with a body that is not JSON`,
      details,
    );
  }
}
