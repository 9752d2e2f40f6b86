/**
 * What is retried and when: the statuses and network failures worth another attempt, the certificate
 * failures that are not, and the backoff between attempts (exponential, full jitter, Retry-After).
 */
import { serverText } from './error-body.js';

export const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Certificate failures: retrying cannot help, and the fix (a CA bundle, the right host) is known. */
export const TLS_TRUST_CODES = new Set([
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

/**
 * The innermost coded error of a fetch failure (fetch wraps the socket's error in `cause`, two or three
 * deep). A chain of causes that comes back on itself ends at the first error seen twice.
 */
export function innermostCode(error: unknown): { code: string; message: string } | undefined {
  let found: { code: string; message: string } | undefined;
  const seen = new Set<Error>();
  for (let current = error; current instanceof Error && !seen.has(current); ) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') found = { code, message: current.message };
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}

/**
 * Failures that happen before a request is handed to the service: no connection was made (refused,
 * no route, no DNS answer, a connect timeout), or the gateway throttled it (429) before passing it on.
 * Only these are safe to retry for a request that must not run twice.
 */
const UNDELIVERED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function undelivered(outcome: Error | { status: number }): boolean {
  if (!(outcome instanceof Error)) return outcome.status === 429;
  const coded = innermostCode(outcome);
  return coded !== undefined && UNDELIVERED_CODES.has(coded.code);
}

/** The certificate failure behind `error`, if that is what it is. */
export function tlsTrustCode(error: unknown): string | undefined {
  const coded = innermostCode(error);
  return coded !== undefined && TLS_TRUST_CODES.has(coded.code) ? coded.code : undefined;
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

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

export function networkReason(error: unknown): string {
  if (!(error instanceof Error)) return serverText(String(error));
  const coded = innermostCode(error);
  if (coded) return serverText(`${coded.code} ${coded.message}`.replace(/^(\S+) \1/, '$1'));
  const cause = (error as { cause?: unknown }).cause;
  return serverText(cause instanceof Error ? cause.message : error.message);
}
