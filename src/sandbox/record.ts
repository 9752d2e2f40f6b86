/**
 * The record of requests the sandbox keeps (for tests and `GET /__sandbox/requests`), and the bounds
 * that keep a client from making it grow without end.
 */
import type { IncomingMessage } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** Raw path and query exactly as received. */
  path: string;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Sandbox clock when the request arrived. */
  at: number;
  /** Status answered; 0 when the connection was reset or left hanging. */
  status: number;
  /** X-Request-Id answered; '' when there was no answer. */
  requestId: string;
}

/** The largest request body read; a larger one is answered 413 (APIGW.0201) and not read. */
export const SANDBOX_MAX_BODY_BYTES = 1024 * 1024;
/** Requests the record keeps (the newest). */
export const SANDBOX_MAX_RECORDED = 1000;
/** Bytes of each request body the record keeps. */
export const SANDBOX_MAX_RECORDED_BODY = 64 * 1024;

/** Header names lowercased, repeated headers joined with ", ", as recorded. */
export function lowercaseHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

/**
 * The request body, or undefined when it is larger than `max`: then reading stops (a declared length
 * over it is refused before any byte is read), and the connection is closed after the answer.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

const SECRET_HEADERS = new Set(['x-auth-token', 'x-subject-token', 'x-security-token', 'cookie']);
const SECRET_FIELDS = /("(?:[^"\\]*(?:password|secret|token)[^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const MASK = '***';

/** A recorded request as the control endpoint serves it: tokens, signatures and passwords masked. */
export function published(record: RecordedRequest): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.headers)) {
    if (SECRET_HEADERS.has(name)) headers[name] = MASK;
    else if (name === 'authorization') {
      headers[name] = /Signature=/.test(value)
        ? value.replace(/Signature=[^,\s]*/, `Signature=${MASK}`)
        : MASK;
    } else headers[name] = value;
  }
  return { ...record, headers, body: record.body.replace(SECRET_FIELDS, `$1"${MASK}"`) };
}

export function recordedBody(body: Buffer): string {
  if (body.length <= SANDBOX_MAX_RECORDED_BODY) return body.toString('utf8');
  return `${body.subarray(0, SANDBOX_MAX_RECORDED_BODY).toString('utf8')}…(${body.length} bytes in all)`;
}
