/**
 * The thin HTTP layer: one request with a timeout, the retry policy for transient failures, the
 * mapping of HTTP answers to hss errors, and --debug traces with every secret masked.
 */
import {
  ApiError,
  HssError,
  InterruptedError,
  RequestTimeoutError,
  UnavailableError,
  UsageError,
} from '../core/errors.js';
import { isLoopback } from '../core/net.js';
import { redact, redactHeaders, redactJson } from '../core/redact.js';
import { quote } from '../core/text.js';
import { errorFromResponse, serverText } from './error-body.js';
import {
  answerText,
  nodeTransport,
  ResponseTooLargeError,
  type Transport,
  type TransportInit,
  type TransportResponse,
} from './node-transport.js';
import {
  backoffDelay,
  isAbort,
  networkReason,
  parseRetryAfter,
  RETRYABLE_STATUS,
  sleep,
  tlsTrustCode,
  undelivered,
} from './retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface ApiRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Names the call in messages: "RetryTask", "IAM login", … */
  operation: string;
  /** The body holds a secret (a password): --debug shows it with secret-looking fields masked. */
  sensitiveBody?: boolean;
  /**
   * False for a request that must not run twice (CreateTask): it is tried again only when it surely
   * never reached the service (see `undelivered`), never after a timeout, a reset or a 5xx.
   */
  idempotent?: boolean;
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
  transport?: Transport;
  /** Base of the exponential backoff and its cap, in ms. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Largest answer body read; a larger one is refused rather than held in memory. */
  maxResponseBytes?: number;
}

export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function headersToRecord(headers: TransportResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

function maskedBody(body: string): string {
  try {
    return redact(JSON.stringify(redactJson(JSON.parse(body))));
  } catch {
    return '(body withheld: it holds a secret)';
  }
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
      let retryable =
        outcome instanceof Error ? tlsTrustCode(outcome) === undefined : RETRYABLE_STATUS.has(outcome.status);
      if (retryable && request.idempotent === false && !undelivered(outcome) && attempt < maxAttempts) {
        retryable = false;
        this.options.debug?.(
          `${request.operation} is not retried: it may have reached the service, and sending it again could repeat it`,
        );
      }
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
    const transport = this.options.transport ?? nodeTransport;
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
      res = await transport(request.url, init);
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
