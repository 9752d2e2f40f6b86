/**
 * The thin HTTP layer: one request with a timeout, the retry policy for transient failures, the
 * mapping of HTTP answers to hss errors, and --debug traces with every secret masked.
 */
import {
  ApiError,
  AuthError,
  type ErrorDetails,
  HssError,
  InterruptedError,
  RequestTimeoutError,
  UnavailableError,
  UsageError,
} from '../core/errors.js';
import { quote } from '../core/text.js';
import { escapeControls } from '../output/escape.js';
import { redact, redactHeaders, redactJson } from '../output/redact.js';
import { isLoopback } from '../settings/resolve.js';
import {
  answerText,
  nodeTransport,
  ResponseTooLargeError,
  type Transport,
  type TransportInit,
  type TransportResponse,
} from './node-transport.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Names the call in messages: "RetryTask", "IAM login", … */
  operation: string;
  /** The body holds a secret (a password): --debug shows it with secret-looking fields masked. */
  sensitiveBody?: boolean;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  requestId?: string;
  attempts: number;
}

/** Adds credentials to a request; called once per attempt so signatures carry a fresh date. */
export type Authorize = (request: ApiRequest) => Promise<Record<string, string>> | Record<string, string>;

export interface HttpOptions {
  timeoutMs: number;
  maxAttempts: number;
  userAgent: string;
  signal: AbortSignal;
  debug?: (line: string) => void;
  /** A hint for 401/403 answers, e.g. how to refresh the credential in use. */
  authHint?: string;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Default: node:http(s), see node-transport.ts; transport.ts gives undici's for proxies and CAs. */
  fetch?: Transport;
  /** Base of the exponential backoff and its cap, in ms. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Largest answer body read; a larger one is refused rather than held in memory. */
  maxResponseBytes?: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Longest piece of server-given text (error message, code, request ID) put into a message. */
const MAX_SERVER_TEXT = 300;
/** Longest `encoded_authorization_message` kept: it is only useful whole, and is usually under 2 KB. */
const MAX_ENCODED_MESSAGE = 4096;

/**
 * Server-given text made safe for a one-line message: known secrets masked (before anything else, so
 * that no cut can leave part of a secret behind for the later masking to miss), whitespace runs made
 * one space, other control characters (terminal escapes among them) shown escaped (output/escape.ts),
 * and the text cut short.
 */
export function serverText(text: string, max = MAX_SERVER_TEXT): string {
  const flat = redact(text)
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
    .trim();
  const safe = escapeControls(flat);
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}

/** Certificate failures: retrying cannot help, and the fix (a CA bundle, the right host) is known. */
const TLS_TRUST_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The innermost coded error of a fetch failure (fetch wraps the socket's error in `cause`). */
function innermostCode(error: unknown): { code: string; message: string } | undefined {
  let found: { code: string; message: string } | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = { code, message: current.message };
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

function tlsTrustCode(error: unknown): string | undefined {
  const code = innermostCode(error)?.code;
  return code !== undefined && TLS_TRUST_CODES.has(code) ? code : undefined;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts only once, so the listener runs once anyway
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its month; Date.parse alone would take "1.5" or "-1" for a date long past.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Exponential backoff with full jitter: random in [0, min(cap, base·2^(attempt-1))], or Retry-After capped. */
export function backoffDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  baseMs = 200,
  capMs = 20_000,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, capMs);
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));
}

function headersToRecord(headers: TransportResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
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
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
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
  if (!trimmed) return {};
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

function maskedBody(body: string): string {
  try {
    return redact(JSON.stringify(redactJson(JSON.parse(body))));
  } catch {
    return '(body withheld: it holds a secret)';
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return serverText(String(error));
  const coded = innermostCode(error);
  if (coded) return serverText(`${coded.code} ${coded.message}`.replace(/^(\S+) \1/, '$1'));
  const cause = (error as { cause?: unknown }).cause;
  return serverText(cause instanceof Error ? cause.message : error.message);
}

export class HttpClient {
  private readonly options: HttpOptions;

  constructor(options: HttpOptions) {
    this.options = options;
  }

  /** A --debug line about an answer, for the callers that read it. */
  note(line: string): void {
    this.options.debug?.(line);
  }

  /** The same client listening to another signal, e.g. one that also fires at a wait's deadline. */
  withSignal(signal: AbortSignal): HttpClient {
    return new HttpClient({ ...this.options, signal });
  }

  /** Sends with the retry policy; a non-2xx final answer becomes the matching HssError. */
  async send(request: ApiRequest, authorize?: Authorize): Promise<ApiResponse> {
    const response = await this.exchange(request, authorize);
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(request.operation, response, this.options.authHint);
    }
    return response;
  }

  /** Sends with the retry policy and returns the last answer whatever its status. */
  async exchange(request: ApiRequest, authorize?: Authorize): Promise<ApiResponse> {
    const { maxAttempts, signal } = this.options;
    const random = this.options.random ?? Math.random;
    const wait = this.options.sleep ?? sleep;
    for (let attempt = 1; ; attempt++) {
      let outcome: ApiResponse | Error;
      try {
        outcome = await this.attempt(request, authorize, attempt);
      } catch (error) {
        if (signal.aborted)
          throw signal.reason instanceof HssError ? signal.reason : new InterruptedError('SIGINT');
        if (error instanceof HssError) throw error;
        outcome = error instanceof Error ? error : new Error(String(error));
      }
      const retryable =
        outcome instanceof Error ? tlsTrustCode(outcome) === undefined : RETRYABLE_STATUS.has(outcome.status);
      if (!retryable || attempt >= maxAttempts) {
        if (outcome instanceof Error) throw this.transportError(request, outcome, attempt);
        return outcome;
      }
      const retryAfter =
        outcome instanceof Error ? undefined : parseRetryAfter(outcome.headers['retry-after'], Date.now());
      const delay = backoffDelay(
        attempt,
        retryAfter,
        random,
        this.options.backoffBaseMs,
        this.options.backoffCapMs,
      );
      const why = outcome instanceof Error ? networkReason(outcome) : `HTTP ${outcome.status}`;
      this.options.debug?.(
        `attempt ${attempt}/${maxAttempts} of ${request.operation} failed (${why}); next in ${delay} ms`,
      );
      try {
        await wait(delay, signal);
      } catch {
        throw signal.reason instanceof HssError ? signal.reason : new InterruptedError('SIGINT');
      }
    }
  }

  private transportError(request: ApiRequest, error: Error, attempts: number): HssError {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const host = request.url.host;
    if (isAbort(error)) {
      return new RequestTimeoutError(
        `${request.operation}: no answer from ${host} within ${this.options.timeoutMs} ms${tries}`,
        { hint: 'raise --timeout, or check the network path to the endpoint' },
      );
    }
    const tlsCode = tlsTrustCode(error);
    if (tlsCode !== undefined) {
      const altName = tlsCode === 'ERR_TLS_CERT_ALTNAME_INVALID';
      return new UnavailableError(
        `${request.operation}: the TLS certificate of ${host} ${altName ? 'does not name this host' : 'cannot be trusted'} (${networkReason(error)})`,
        {
          hint: altName
            ? 'check the endpoint URL: the certificate is for another host name'
            : 'if the endpoint or a TLS-inspecting proxy uses a private CA, pass its certificate with --ca-bundle <file> (or HSS_CA_BUNDLE); certificate checks cannot be turned off',
        },
      );
    }
    return new UnavailableError(
      `${request.operation}: cannot reach ${host}${tries}: ${networkReason(error)}`,
      {
        hint: 'check the endpoint, your network and proxy settings (HTTPS_PROXY, NO_PROXY)',
      },
    );
  }

  /** The exact headers an attempt sends: User-Agent, the request's own, then the credentials. */
  async headersFor(request: ApiRequest, authorize?: Authorize): Promise<Record<string, string>> {
    const headers: Record<string, string> = { 'User-Agent': this.options.userAgent, ...request.headers };
    return authorize ? await authorize({ ...request, headers }) : headers;
  }

  private async attempt(
    request: ApiRequest,
    authorize: Authorize | undefined,
    attempt: number,
  ): Promise<ApiResponse> {
    const { timeoutMs, signal, debug } = this.options;
    const { url } = request;
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      // resolve.ts refuses such endpoints already; this keeps any other URL from carrying credentials in clear.
      throw new UsageError(
        `${request.operation}: ${quote(url.origin)} is refused: only https://, or http:// on loopback, is allowed`,
      );
    }
    const signed = await this.headersFor(request, authorize);
    const doFetch = this.options.fetch ?? nodeTransport;
    if (debug) {
      debug(`> ${request.method} ${request.url.href} (attempt ${attempt})`);
      for (const [k, v] of Object.entries(redactHeaders(signed))) debug(`> ${k}: ${v}`);
      if (request.body !== undefined)
        debug(`> ${request.sensitiveBody ? maskedBody(request.body) : redact(request.body)}`);
    }
    const started = Date.now();
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const init: TransportInit = {
      method: request.method,
      headers: signed,
      signal: combined,
      redirect: 'manual',
    };
    if (request.body !== undefined) init.body = request.body;
    const limit = this.options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    init.maxBytes = limit;
    let res: TransportResponse;
    let text: string;
    try {
      res = await doFetch(request.url, init);
      // The timeout signal covers the body too: a server that stalls mid-body is cut off like a silent one.
      text = await answerText(res, limit);
    } catch (error) {
      if (error instanceof ResponseTooLargeError) {
        throw new ApiError(
          `${request.operation}: the answer from ${request.url.host} is larger than ${limit} bytes; refused`,
          { httpStatus: error.status },
        );
      }
      throw error;
    }
    const responseHeaders = headersToRecord(res.headers);
    if (debug) {
      debug(`< ${res.status} ${serverText(res.statusText, 100)} in ${Date.now() - started} ms`);
      for (const [k, v] of Object.entries(redactHeaders(responseHeaders))) debug(`< ${k}: ${serverText(v)}`);
    }
    if (debug && text) debug(`< ${redact(serverText(text, 2000))}`);
    const response: ApiResponse = { status: res.status, headers: responseHeaders, text, attempts: attempt };
    const requestId = responseHeaders['x-request-id'];
    if (requestId) response.requestId = serverText(requestId, 128);
    return response;
  }
}
