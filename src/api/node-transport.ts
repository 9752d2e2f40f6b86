/**
 * The default transport of HttpClient: the part of fetch's contract it uses (method, headers, string
 * body, signal, no redirects; status, headers and text of the answer), over node:http and node:https.
 *
 * Why not the global fetch: on first use it loads Node's bundled undici and compiles its llhttp
 * WebAssembly, which costs a CLI making one request about 90 ms and 40 MB on every run — more than all
 * of hss. A transport with other needs (a proxy, a custom CA through an undici dispatcher) passes its own
 * `fetch` in HttpOptions (see transport.ts: undici, for proxies and CA bundles).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';

/** What HttpClient passes: a subset of fetch's RequestInit, so the global fetch or undici's fits. */
export interface TransportInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  redirect?: 'manual';
  /** An answer body larger than this is refused with ResponseTooLargeError, never held in memory. */
  maxBytes?: number;
}

/** The answer's body (declared or received) exceeds `maxBytes`. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly status: number,
    readonly limit: number,
  ) {
    super(`the answer is larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface TransportResponse {
  status: number;
  statusText: string;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

export type Transport = (url: URL, init: TransportInit) => Promise<TransportResponse>;

/** Like fetch's Headers: names merged case-insensitively (`a, b`), values trimmed of HTTP whitespace. */
function outgoingHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, raw] of Object.entries(headers)) {
    const value = raw.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
    const lower = name.toLowerCase();
    const first = names.get(lower);
    if (first === undefined) {
      names.set(lower, name);
      out[name] = value;
    } else out[first] = `${out[first]}, ${value}`;
  }
  return out;
}

/** The answer's headers as fetch's Headers iterates them: lowercased, sorted, repeated values joined. */
function incomingHeaders(res: IncomingMessage): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (name === 'set-cookie') for (const v of value) out.push([name, v]);
      else out.push([name, value.join(', ')]);
    } else out.push([name, value]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * A decompressing stream for the answer's Content-Encoding, as fetch decodes them; undefined for
 * identity and for codings hss does not know (the body is then read as it came).
 */
function decoderFor(encoding: string | undefined): Transform | undefined {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity') return undefined;
  const zlib = process.getBuiltinModule('node:zlib');
  if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip();
  if (coding === 'deflate') return zlib.createInflate();
  if (coding === 'br') return zlib.createBrotliDecompress();
  return undefined;
}

/** As fetch reports a failure to connect or read: a TypeError whose cause is the system error. */
function networkError(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

/** How a pending exchange ends: once, with an answer or an error. */
interface Outcome {
  resolve(response: TransportResponse): void;
  fail(error: unknown): void;
  readonly settled: boolean;
}

/**
 * Reads an answer as it arrives, decoding it, within `limit` on both sides: the bytes received, and
 * the bytes they decode to, so that a small compressed answer cannot inflate past it (a gzip bomb).
 * `stop` tears the exchange down; the decoder is returned for an abort to destroy.
 */
function receive(
  res: IncomingMessage,
  limit: number,
  outcome: Outcome,
  stop: () => void,
): Transform | undefined {
  const chunks: Buffer[] = [];
  const decoder = decoderFor(res.headers['content-encoding']);
  const tooLarge = () => {
    outcome.fail(new ResponseTooLargeError(res.statusCode ?? 0, limit));
    stop();
    decoder?.destroy();
  };
  if (Number(res.headers['content-length'] ?? '0') > limit) {
    tooLarge();
    return decoder;
  }
  let received = 0;
  let decoded = 0;
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > limit) tooLarge();
  });
  res.on('error', (error) => outcome.fail(networkError(error)));
  res.on('close', () => {
    if (!res.complete) outcome.fail(networkError(new Error('the connection closed mid-answer')));
  });
  const body = decoder ? res.pipe(decoder) : res;
  decoder?.on('error', (error) => outcome.fail(networkError(error)));
  body.on('data', (chunk: Buffer) => {
    if (outcome.settled) return;
    decoded += chunk.length;
    if (decoded > limit) tooLarge();
    else chunks.push(chunk);
  });
  body.on('end', () => {
    if (outcome.settled) return;
    const list = incomingHeaders(res);
    const text = new TextDecoder().decode(Buffer.concat(chunks));
    outcome.resolve({
      status: res.statusCode ?? 0,
      statusText: res.statusMessage ?? '',
      headers: {
        forEach: (callback) => {
          for (const [name, value] of list) callback(value, name);
        },
      },
      text: async () => text,
    });
  });
  return decoder;
}

export const nodeTransport: Transport = async (url, init) => {
  const signal = init.signal;
  if (signal?.aborted) throw signal.reason;
  // Not `import('node:http')`: on Node ≥ 22 the ES module facade of node:http reads every export,
  // including the getters that load Node's bundled undici, the very cost this transport avoids.
  const { request } =
    url.protocol === 'https:'
      ? process.getBuiltinModule('node:https')
      : process.getBuiltinModule('node:http');
  const method = init.method ?? 'GET';
  const headers = outgoingHeaders(init.headers ?? {});
  const body = init.body === undefined ? undefined : Buffer.from(init.body, 'utf8');
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
    if (body !== undefined) headers['Content-Length'] = String(body.length);
    else if (method === 'POST' || method === 'PUT') headers['Content-Length'] = '0';
  }

  return new Promise<TransportResponse>((resolve, reject) => {
    let settled = false;
    const finish = (end: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      end();
    };
    const outcome: Outcome = {
      resolve: (response) => finish(() => resolve(response)),
      fail: (error) => finish(() => reject(error)),
      get settled() {
        return settled;
      },
    };
    let req: ClientRequest;
    try {
      req = request(url, { method, headers });
    } catch (error) {
      // An invalid header name or value, refused before anything is sent.
      reject(networkError(error));
      return;
    }
    let decoder: Transform | undefined;
    const onAbort = () => {
      outcome.fail(signal?.reason);
      req.destroy();
      decoder?.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => outcome.fail(networkError(error)));
    req.on('response', (res) => {
      decoder = receive(res, init.maxBytes ?? Number.POSITIVE_INFINITY, outcome, () => req.destroy());
    });
    req.end(body);
  });
};

/**
 * The body of an answer as text, refusing one larger than `limit`. A web Response (an injected fetch)
 * is read as a stream and cut off past the limit; node:http answers were limited while they arrived.
 */
export async function answerText(res: TransportResponse, limit: number): Promise<string> {
  const body = (res as { body?: ReadableStream<Uint8Array> | null }).body;
  if (body === undefined) {
    const text = await res.text();
    if (Buffer.byteLength(text) > limit) throw new ResponseTooLargeError(res.status, limit);
    return text;
  }
  let declared = Number.NaN;
  res.headers.forEach((value, name) => {
    if (name === 'content-length') declared = Number(value);
  });
  if (Number.isFinite(declared) && declared > limit) {
    await body?.cancel().catch(() => {});
    throw new ResponseTooLargeError(res.status, limit);
  }
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLargeError(res.status, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
