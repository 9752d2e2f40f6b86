/**
 * What an error answer says: its code and message in any of the forms the official SDKs read, and the
 * hss error it becomes (exit 4, 5 or 6 by status, with a hint). Server text is masked, escaped and cut
 * before it reaches a message.
 */
import { ApiError, AuthError, type ErrorDetails, type HssError, UnavailableError } from '../core/errors.js';
import { escapeControls } from '../core/escape.js';
import { redact } from '../core/redact.js';
import type { ApiResponse } from './http.js';

/** Longest piece of server-given text (error message, code, request ID) put into a message. */
export const MAX_SERVER_TEXT = 300;
/** Longest `encoded_authorization_message` kept: it is only useful whole, and is usually under 2 KB. */
export const MAX_ENCODED_MESSAGE = 4096;

/**
 * Server-given text made safe for a one-line message: known secrets masked (before anything else, so
 * that no cut can leave part of a secret behind for the later masking to miss), whitespace runs made
 * one space, other control characters (terminal escapes among them) shown escaped (core/escape.ts),
 * and the text cut short.
 */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const flat = redact(text)
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
    .trim();
  const safe = escapeControls(flat);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What an error body says: its code and message, and the encoded reason of a denied permission. */
export interface ErrorBody {
  code?: string;
  message?: string;
  encodedAuthorizationMessage?: string;
}

/**
 * The names an error body gives its code and message, in the order the official SDKs try them:
 * HSS and the API gateway, a camel-case variant, and the generic pair (IAM's `{"error":{…}}`).
 */
const ERROR_FORMS = [
  ['error_code', 'error_msg'],
  ['errorCode', 'errorMsg'],
  ['code', 'message'],
] as const;

/** A code is a string or a number (IAM sends `"code": 401`); blank strings say nothing. */
function codeOf(value: unknown): string | undefined {
  if (Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function messageOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The first form of `level` that names a code and a message (`whole`), or either of them; undefined
 * when none does.
 */
function formAt(level: Record<string, unknown>, whole: boolean): ErrorBody | undefined {
  for (const [codeKey, messageKey] of ERROR_FORMS) {
    const code = codeOf(level[codeKey]);
    const message = messageOf(level[messageKey]);
    if (whole ? code !== undefined && message !== undefined : code !== undefined || message !== undefined) {
      const out: ErrorBody = {};
      if (code !== undefined) out.code = code;
      if (message !== undefined) out.message = message;
      return out;
    }
  }
  return undefined;
}

/**
 * Reads an error body as the official SDKs do: a form at the top level, else the same forms one level
 * down (`{"error":{"code":…,"message":…}}`, or under any other key), a complete code-and-message pair
 * winning over a lone code or message wherever it is; `encoded_authorization_message` from the top
 * level or the object one level down. Anything else is shown as text. Every value is masked, escaped
 * and cut to one line.
 */
export function parseErrorBody(text: string): ErrorBody {
  // Stryker disable next-line MethodExpression: JSON.parse and serverText ignore white space around the text
  const trimmed = text.trim();
  let found: ErrorBody | undefined;
  let encoded: string | undefined;
  try {
    // JSON.parse itself does not recurse, and only two levels of what it gives are read.
    const raw: unknown = JSON.parse(trimmed);
    if (isObject(raw)) {
      const nested = Object.values(raw).filter(isObject);
      const levels = [raw, ...nested];
      for (const whole of [true, false]) {
        for (const level of levels) {
          found = formAt(level, whole);
          if (found) break;
        }
        if (found) break;
      }
      for (const level of levels) {
        encoded = messageOf(level['encoded_authorization_message']);
        if (encoded !== undefined) break;
      }
    }
  } catch {
    // not JSON: fall through to the text
  }
  const out: ErrorBody = {};
  if (found?.code !== undefined) out.code = serverText(found.code, 64);
  out.message = serverText(found?.message ?? (found?.code !== undefined ? '' : trimmed));
  if (out.message === '') delete out.message;
  if (encoded !== undefined) out.encodedAuthorizationMessage = serverText(encoded, MAX_ENCODED_MESSAGE);
  return out;
}

export function errorFromResponse(operation: string, response: ApiResponse, authHint?: string): HssError {
  const { code, message, encodedAuthorizationMessage } = parseErrorBody(response.text);
  const details: ErrorDetails = { httpStatus: response.status };
  if (code) details.apiErrorCode = code;
  if (encodedAuthorizationMessage) details.encodedAuthorizationMessage = encodedAuthorizationMessage;
  if (response.requestId) details.requestId = response.requestId;
  const what = message ? `: ${message}` : '';
  if (response.status === 401 || response.status === 403) {
    details.hint =
      authHint ??
      (response.status === 401
        ? 'check the credentials in use (`hss auth status`)'
        : 'the credentials lack permission for HSS in this project');
    return new AuthError(
      `${operation} was refused: ${response.status === 401 ? 'authentication failed' : 'permission denied'}${what}`,
      details,
    );
  }
  if (response.status === 429 || response.status >= 500) {
    const attempts = response.attempts > 1 ? ` after ${response.attempts} attempts` : '';
    details.hint =
      response.status === 429
        ? 'the API is throttling requests: wait a little and try again, or send fewer at once (--concurrency)'
        : 'the service is failing or busy: try again later; --max-attempts sets how often hss retries';
    return new UnavailableError(
      `${operation}: service unavailable (HTTP ${response.status})${attempts}${what}`,
      details,
    );
  }
  return new ApiError(`${operation} was refused by the API${what || ` (HTTP ${response.status})`}`, details);
}
