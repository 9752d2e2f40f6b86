// A local emulator of the HSS v5 task APIs and of IAM on one port, for `hss sandbox`, the demo and the
// end-to-end tests. Order of a request's journey, as on Huawei Cloud: fault injection (network and
// gateway failures) → route (404/405) → authentication (401) → project check (403) → the service.
//
// Control endpoints, without auth, faults or recording:
//   GET  /__sandbox/requests   the recorded requests as JSON, secrets masked (tokens, signatures,
//                              passwords): anyone who can reach the port can read it
//   POST /__sandbox/reset      restore the seed data, clear the record, re-arm the faults
//
// Bounds, so that no client can make the sandbox grow without end: a request body larger than
// SANDBOX_MAX_BODY_BYTES is refused with 413 unread, as an API gateway does; the record keeps the
// newest SANDBOX_MAX_RECORDED requests, each body cut at SANDBOX_MAX_RECORDED_BODY bytes.

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  authErrors,
  faultAnswer,
  gatewayError,
  JSON_CONTENT_TYPE,
  methodNotAllowed,
  notFoundRoute,
  payloadTooLarge,
} from './answers.js';
import { authenticate, TokenStore } from './auth.js';
import {
  SANDBOX_DEFAULT_PROGRESS_MS,
  SANDBOX_DEFAULT_TOKEN_TTL_MS,
  SANDBOX_PROJECT_ID,
} from './constants.js';
import { FaultBook, type FaultScope, parseFaultSpec } from './faults.js';
import {
  type HssRequest,
  type HssState,
  listTaskResources,
  listTasks,
  Refusal,
  retryTask,
  taskStatistics,
} from './hss.js';
import { listProjects, login } from './iam.js';
import { settle } from './model.js';
import { createSeedTasks } from './seed.js';

export type { Fault, FaultScope } from './faults.js';
export { parseFaultSpec };

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Added to every answer. */
  latencyMs?: number;
  /** Fault specs, see faults.ts (e.g. `503x2@retry`, `reset`, `slow:2000`). */
  faults?: string[];
  /** How long a retried task stays running before it finishes (default 5000). */
  progressMs?: number;
  /** Lifetime of IAM-issued tokens (default 24 h). */
  tokenTtlMs?: number;
  /**
   * Clock, epoch ms (default Date.now). The seed tasks are laid out before its time at start and at
   * each reset, so the newest are minutes or hours old whenever the sandbox runs.
   */
  now?: () => number;
}

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

export interface Sandbox {
  /**
   * e.g. http://127.0.0.1:40123 — both the HSS endpoint and the IAM endpoint. A sandbox listening on
   * every address (0.0.0.0, ::) gives its loopback URL: the one a client on this machine uses.
   */
  url: string;
  port: number;
  /**
   * Requests except control calls, in arrival order, as they came (secrets included, for the tests'
   * view of the wire); the newest SANDBOX_MAX_RECORDED.
   */
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Restore the seed data, clear `requests`, re-arm the faults. Issued tokens stay valid. */
  reset(): void;
}

type Operation = 'retry' | 'list' | 'resources' | 'statistics' | 'login' | 'projects';

type RouteMatch =
  | { kind: 'match'; operation: Operation; projectId?: string; taskId?: string }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

const FAULT_SCOPE: Record<Operation, FaultScope | undefined> = {
  retry: 'retry',
  list: 'list',
  resources: 'resources',
  statistics: undefined,
  login: 'iam',
  projects: 'iam',
};

function matchRoute(method: string, pathname: string): RouteMatch {
  const s = pathname.split('/');
  let operation: Operation | undefined;
  let allowed = '';
  let projectId: string | undefined;
  let taskId: string | undefined;
  if (s[0] === '' && s[1] === 'v5' && s[3] === 'common') {
    projectId = s[2];
    if (s.length === 7 && s[4] === 'tasks' && s[6] === 'retry') {
      [operation, allowed, taskId] = ['retry', 'PUT', s[5]];
    } else if (s.length === 6 && s[4] === 'tasks' && s[5] === 'batch-query') {
      [operation, allowed] = ['list', 'POST'];
    } else if (s.length === 8 && s[4] === 'tasks' && s[6] === 'resources' && s[7] === 'batch-query') {
      [operation, allowed, taskId] = ['resources', 'POST', s[5]];
    } else if (s.length === 5 && s[4] === 'task-statistics') {
      [operation, allowed] = ['statistics', 'GET'];
    }
  } else if (pathname === '/v3/auth/tokens') {
    [operation, allowed] = ['login', 'POST'];
  } else if (pathname === '/v3/projects') {
    [operation, allowed] = ['projects', 'GET'];
  }
  if (operation === undefined) return { kind: 'none' };
  if (method !== allowed) return { kind: 'method', allowed: [allowed] };
  const match: RouteMatch = { kind: 'match', operation };
  if (projectId !== undefined) match.projectId = projectId;
  if (taskId !== undefined) match.taskId = taskId;
  return match;
}

function lowercaseHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}

function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path and query of a request target, also when a proxy sent it in absolute form. */
function originForm(target: string): string {
  const match = /^https?:\/\/[^/?]*/i.exec(target);
  if (!match) return target;
  const rest = target.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The request body, or undefined when it is larger than `max`: then reading stops (a declared length
 * over it is refused before any byte is read), and the connection is closed after the answer.
 */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
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
function published(record: RecordedRequest): RecordedRequest {
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

function recordedBody(body: Buffer): string {
  if (body.length <= SANDBOX_MAX_RECORDED_BODY) return body.toString('utf8');
  return `${body.subarray(0, SANDBOX_MAX_RECORDED_BODY).toString('utf8')}…(${body.length} bytes in all)`;
}

/** What badjson answers: the start of a ListTasks answer, cut off mid-string. */
const TRUNCATED_JSON = '{"total_num":245,"data_list":[{"task_id":"task-00';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const tokenTtlMs = options.tokenTtlMs ?? SANDBOX_DEFAULT_TOKEN_TTL_MS;
  const faults = new FaultBook((options.faults ?? []).map(parseFaultSpec));
  const state: HssState = {
    tasks: createSeedTasks(now()),
    progressMs: options.progressMs ?? SANDBOX_DEFAULT_PROGRESS_MS,
  };
  const tokens = new TokenStore();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  function send(res: ServerResponse, answer: Answer, record?: RecordedRequest): void {
    const requestId = newRequestId();
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

  function dispatch(
    req: IncomingMessage,
    route: Extract<RouteMatch, { kind: 'match' }>,
    rawPath: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: Buffer,
  ): Answer {
    const at = now();
    const address = req.socket.address() as AddressInfo;
    const fallbackHost = `${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    const baseUrl = `http://${headers.host ?? fallbackHost}`;
    const text = body.toString('utf8');
    if (route.operation === 'login') {
      return login({ query, body: text, now: at, baseUrl, rawPath }, tokens, tokenTtlMs);
    }
    const denied = authenticate(
      { method: req.method ?? 'GET', rawPath, headers, body, fallbackHost },
      tokens,
      at,
    );
    if (denied) return denied;
    if (route.operation === 'projects') return listProjects({ query, body: text, now: at, baseUrl, rawPath });

    const projectHeader = headers['x-project-id'];
    if (
      decodeSegment(route.projectId ?? '') !== SANDBOX_PROJECT_ID ||
      (projectHeader !== undefined && projectHeader !== SANDBOX_PROJECT_ID)
    ) {
      return authErrors.projectMismatch();
    }
    settle(state.tasks.values(), at);
    const hssRequest: HssRequest = { query, headers, body: text, now: at };
    try {
      switch (route.operation) {
        case 'retry':
          return retryTask(hssRequest, route.taskId ?? '', state);
        case 'list':
          return listTasks(hssRequest, state);
        case 'resources':
          return listTaskResources(hssRequest, route.taskId ?? '', state);
        case 'statistics':
          return taskStatistics(hssRequest, state);
      }
    } catch (error) {
      if (error instanceof Refusal) return error.answer;
      throw error;
    }
  }

  function control(method: string, pathname: string): Answer {
    if (pathname === '/__sandbox/requests') {
      return method === 'GET' ? { status: 200, body: requests.map(published) } : methodNotAllowed(['GET']);
    }
    if (pathname === '/__sandbox/reset') {
      if (method !== 'POST') return methodNotAllowed(['POST']);
      sandbox.reset();
      return { status: 200, body: { ok: true } };
    }
    return notFoundRoute();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, SANDBOX_MAX_BODY_BYTES);
    const method = req.method ?? 'GET';
    const received = req.url ?? '/';
    const rawPath = originForm(received);
    const q = rawPath.indexOf('?');
    const pathname = q === -1 ? rawPath : rawPath.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawPath.slice(q + 1));
    const tooLarge = body === undefined ? payloadTooLarge() : undefined;
    if (pathname.startsWith('/__sandbox/')) {
      send(res, tooLarge ?? control(method, pathname));
      return;
    }

    const headers = lowercaseHeaders(req.rawHeaders);
    const record: RecordedRequest = {
      method,
      path: received,
      headers,
      body: body === undefined ? '' : recordedBody(body),
      at: now(),
      status: 0,
      requestId: '',
    };
    requests.push(record);
    if (requests.length > SANDBOX_MAX_RECORDED) requests.splice(0, requests.length - SANDBOX_MAX_RECORDED);
    if (tooLarge || body === undefined) {
      send(res, tooLarge ?? payloadTooLarge(), record);
      return;
    }

    const route = matchRoute(method, pathname);
    const scope = route.kind === 'match' ? FAULT_SCOPE[route.operation] : undefined;
    const action = faults.take(scope);
    if (action?.kind === 'hang') return; // the socket is destroyed by close()
    const delay = latencyMs + faults.delayFor(scope);
    if (delay > 0) await sleep(delay);
    if (closed) return;

    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    if (action?.kind === 'badjson') answer = { status: 200, body: TRUNCATED_JSON };
    else if (action?.kind === 'status') answer = faultAnswer(action.status);
    else if (route.kind === 'none') answer = notFoundRoute();
    else if (route.kind === 'method') answer = methodNotAllowed(route.allowed);
    else answer = dispatch(req, route, rawPath, query, headers, body);
    send(res, answer, record);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      send(res, gatewayError(500, 'APIGW.0601', `Internal server error (sandbox bug: ${message})`));
    });
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const sandbox: Sandbox = {
    url: `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`,
    port,
    requests,
    reset() {
      state.tasks = createSeedTasks(now());
      requests.length = 0;
      faults.rearm();
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sandbox;
}
