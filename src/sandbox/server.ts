// A local emulator of the HSS v5 task APIs and of IAM on one port, for `hss sandbox`, the demo and the
// end-to-end tests. Order of a request's journey, as on Huawei Cloud: fault injection (network and
// gateway failures) → route (404/405) → authentication (401) → project check (403) → the service.
//
// Control endpoints, without auth, faults or recording:
//   GET  /__sandbox/requests   the recorded requests as JSON
//   POST /__sandbox/reset      restore the seed data, clear the record, re-arm the faults

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

export interface Sandbox {
  /** e.g. http://127.0.0.1:40123 — both the HSS endpoint and the IAM endpoint. */
  url: string;
  port: number;
  /** Every request except control calls, in arrival order. */
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
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
      return method === 'GET' ? { status: 200, body: requests } : methodNotAllowed(['GET']);
    }
    if (pathname === '/__sandbox/reset') {
      if (method !== 'POST') return methodNotAllowed(['POST']);
      sandbox.reset();
      return { status: 200, body: { ok: true } };
    }
    return notFoundRoute();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const received = req.url ?? '/';
    const rawPath = originForm(received);
    const q = rawPath.indexOf('?');
    const pathname = q === -1 ? rawPath : rawPath.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : rawPath.slice(q + 1));
    if (pathname.startsWith('/__sandbox/')) {
      send(res, control(method, pathname));
      return;
    }

    const headers = lowercaseHeaders(req.rawHeaders);
    const record: RecordedRequest = {
      method,
      path: received,
      headers,
      body: body.toString('utf8'),
      at: now(),
      status: 0,
      requestId: '',
    };
    requests.push(record);

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

  const sandbox: Sandbox = {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
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
