/**
 * Every failure the user can cause or meet is one of these classes; each carries the exit code and the
 * stable `code` string of the contract. Anything else that reaches main() is a bug (exit 1).
 */
export type ErrorCode =
  | 'USAGE'
  | 'CONFIG'
  | 'AUTH'
  | 'API'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'WAIT_FAILED'
  | 'WAIT_TIMEOUT'
  | 'INTERRUPTED'
  | 'INTERNAL';

export interface ErrorDetails {
  hint?: string;
  httpStatus?: number;
  apiErrorCode?: string;
  requestId?: string;
  /** The API's encoded reason for a denied permission (`encoded_authorization_message`). */
  encodedAuthorizationMessage?: string;
  cause?: unknown;
}

export class HssError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint?: string;
  readonly httpStatus?: number;
  readonly apiErrorCode?: string;
  readonly requestId?: string;
  readonly encodedAuthorizationMessage?: string;

  constructor(code: ErrorCode, exitCode: number, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    if (details.hint !== undefined) this.hint = details.hint;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.apiErrorCode !== undefined) this.apiErrorCode = details.apiErrorCode;
    if (details.requestId !== undefined) this.requestId = details.requestId;
    if (details.encodedAuthorizationMessage !== undefined)
      this.encodedAuthorizationMessage = details.encodedAuthorizationMessage;
  }
}

/** The same error (class, message, details) with another hint. */
export function withHint<E extends HssError>(error: E, hint: string | undefined): E {
  const copy = Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error)) as E;
  Object.defineProperty(copy, 'hint', { value: hint, enumerable: true, configurable: true });
  if (hint === undefined) delete (copy as { hint?: string }).hint;
  return copy;
}

/** The base of the errors of one code and exit code: each is thrown with a message and its details. */
function errorClass(code: ErrorCode, exitCode: number) {
  return class extends HssError {
    constructor(message: string, details?: ErrorDetails) {
      super(code, exitCode, message, details);
    }
  };
}

/** Exit 2: the input is wrong; nothing was sent. */
export class UsageError extends errorClass('USAGE', 2) {}

/** Exit 3: settings, profile store or credentials are missing or unreadable. */
export class ConfigError extends errorClass('CONFIG', 3) {}

/** Exit 4: authentication or permission failed. */
export class AuthError extends errorClass('AUTH', 4) {}

/** Exit 5: the API refused the request (a 4xx other than 401/403/429). */
export class ApiError extends errorClass('API', 5) {}

/** Exit 6: the service could not be reached or answered 5xx/429 on every attempt. */
export class UnavailableError extends errorClass('UNAVAILABLE', 6) {}

/** Exit 6: a request timed out on every attempt. */
export class RequestTimeoutError extends errorClass('TIMEOUT', 6) {}

/** Exit 7: a followed task finished with failed clusters. */
export class WaitFailedError extends errorClass('WAIT_FAILED', 7) {}

/** Exit 8: gave up waiting for a task. */
export class WaitTimeoutError extends errorClass('WAIT_TIMEOUT', 8) {}

/** Exit 130 (SIGINT) or 143 (SIGTERM). */
export class InterruptedError extends HssError {
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super('INTERRUPTED', signal === 'SIGINT' ? 130 : 143, `interrupted by ${signal}`);
  }
}

/** The `code` of a failed system call (`ENOENT`, `EACCES`, …), if the error has one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}
