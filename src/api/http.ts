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
} from '../errors.js';
import { redact, redactHeaders } from '../output/redact.js';
import { GatewayErrorBody, HssErrorBody } from '../schema.js';
import { nodeTransport, type Transport, type TransportInit, type TransportResponse } from './transport.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Names the call in messages: "RetryTask", "IAM login", … */
  operation: string;
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
  /** Default: node:http(s), see transport.ts; the global fetch or undici's fits too. */
  fetch?: Transport;
  /** Base of the exponential backoff and its cap, in ms. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

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
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
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

/** Reads the three error body forms of the API: HSS/APIGW, IAM's `{"error":{…}}`, and plain text. */
export function parseErrorBody(text: string): { code?: string; message?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  try {
    const raw: unknown = JSON.parse(trimmed);
    const hss = HssErrorBody.safeParse(raw);
    if (hss.success) {
      const out: { code?: string; message?: string } = { code: hss.data.error_code };
      if (hss.data.error_msg !== undefined) out.message = hss.data.error_msg;
      return out;
    }
    const gateway = GatewayErrorBody.safeParse(raw);
    if (gateway.success) {
      const out: { code?: string; message?: string } = {};
      if (gateway.data.error.code !== undefined) out.code = String(gateway.data.error.code);
      if (gateway.data.error.message !== undefined) out.message = gateway.data.error.message;
      if (out.code !== undefined || out.message !== undefined) return out;
    }
  } catch {
    // not JSON: fall through to the text
  }
  return { message: trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed };
}

export function errorFromResponse(operation: string, response: ApiResponse, authHint?: string): HssError {
  const { code, message } = parseErrorBody(response.text);
  const details: ErrorDetails = { httpStatus: response.status };
  if (code) details.apiErrorCode = code;
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
    return new UnavailableError(
      `${operation}: service unavailable (HTTP ${response.status})${attempts}${what}`,
      details,
    );
  }
  return new ApiError(`${operation} was refused by the API${what || ` (HTTP ${response.status})`}`, details);
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code;
    return code ? `${code} ${cause.message}`.replace(/^(\S+) \1/, '$1') : cause.message;
  }
  return error.message;
}

export class HttpClient {
  private readonly options: HttpOptions;

  constructor(options: HttpOptions) {
    this.options = options;
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
      const retryable = outcome instanceof Error || RETRYABLE_STATUS.has(outcome.status);
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
    const signed = await this.headersFor(request, authorize);
    const doFetch = this.options.fetch ?? nodeTransport;
    if (debug) {
      debug(`> ${request.method} ${request.url.href} (attempt ${attempt})`);
      for (const [k, v] of Object.entries(redactHeaders(signed))) debug(`> ${k}: ${v}`);
      if (request.body !== undefined) debug(`> ${redact(request.body)}`);
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
    const res = await doFetch(request.url, init);
    const text = await res.text();
    const responseHeaders = headersToRecord(res.headers);
    const requestId = responseHeaders['x-request-id'];
    if (debug) {
      debug(`< ${res.status} ${res.statusText} in ${Date.now() - started} ms`);
      for (const [k, v] of Object.entries(redactHeaders(responseHeaders))) debug(`< ${k}: ${v}`);
      if (text) debug(`< ${redact(text.length > 2000 ? `${text.slice(0, 2000)}…` : text)}`);
    }
    const response: ApiResponse = { status: res.status, headers: responseHeaders, text, attempts: attempt };
    if (requestId) response.requestId = requestId;
    return response;
  }
}
