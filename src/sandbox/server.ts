// A local emulator of the HSS v5 task APIs and of IAM on one port, for `hss sandbox`, the demo and the
// end-to-end tests. Order of a request's journey, as on Huawei Cloud: fault injection (network and
// gateway failures) → route (404/405) → authentication (401) → project check (403) → the service.
//
// Control endpoints, without auth, faults or recording:
//   GET  /__sandbox/requests   the recorded requests as JSON, secrets masked (anyone may read it)
//   POST /__sandbox/reset      restore the seed data, clear the record, re-arm the faults
//
// Bounds, so that no client can make the sandbox grow without end: a request body larger than
// SANDBOX_MAX_BODY_BYTES is refused with 413 unread, as an API gateway does; the record keeps the
// newest SANDBOX_MAX_RECORDED requests, each body cut at SANDBOX_MAX_RECORDED_BODY bytes.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  authErrors,
  faultAnswer,
  gatewayError,
  methodNotAllowed,
  notFoundRoute,
  payloadTooLarge,
  sendAnswer,
  truncatedJson,
} from './answers.js';
import { authenticate, mayUseProject, TokenStore } from './auth.js';
import { SANDBOX_DEFAULT_PROGRESS_MS, SANDBOX_DEFAULT_TOKEN_TTL_MS } from './constants.js';
import { FaultBook, parseFaultSpec } from './faults.js';
import { createFleet, type ProjectState } from './fleet.js';
import { listProjects, login } from './iam.js';
import type { Sandbox, SandboxOptions } from './options.js';
import {
  published,
  type RecordedRequest,
  readBody,
  recordedBody,
  SANDBOX_MAX_BODY_BYTES,
  SANDBOX_MAX_RECORDED,
} from './record.js';
import {
  decodeSegment,
  FAULT_SCOPE,
  type Incoming,
  incoming,
  matchRoute,
  type RouteMatch,
} from './routes.js';
import { serveHss } from './service.js';

export type { Fault, FaultScope } from './faults.js';
export type { Sandbox, SandboxOptions } from './options.js';
export { parseFaultSpec };

/** The emulator behind one listening port: its state, its record and its faults. */
class SandboxServer {
  readonly requests: RecordedRequest[] = [];
  readonly tokens = new TokenStore();
  /** Each hosting project's task model, by project ID. */
  private fleet: Map<string, ProjectState>;
  readonly faults: FaultBook;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  private readonly now: () => number;
  readonly server: Server;

  constructor(private readonly options: SandboxOptions) {
    this.now = options.now ?? Date.now;
    this.faults = new FaultBook((options.faults ?? []).map(parseFaultSpec));
    this.fleet = createFleet(this.now(), this.progressMs);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return;
        const message = error instanceof Error ? error.message : String(error);
        sendAnswer(res, gatewayError(500, 'APIGW.0601', `Internal server error (sandbox bug: ${message})`));
      });
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  private get progressMs(): number {
    return this.options.progressMs ?? SANDBOX_DEFAULT_PROGRESS_MS;
  }

  /** The project a request's path names, when the sandbox hosts it. */
  projectOf(route: RouteMatch): ProjectState | undefined {
    if (route.kind !== 'match' || route.projectId === undefined) return undefined;
    return this.fleet.get(decodeSegment(route.projectId));
  }

  reset(): void {
    this.fleet = createFleet(this.now(), this.progressMs);
    this.requests.length = 0;
    this.faults.rearm();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  /**
   * Authentication, the project check, then the service: what a routed request is answered. A project
   * the account does not have, a token scoped to another project, or an X-Project-Id naming another
   * one than the path's are refused as the API gateway refuses them (403 APIGW.0302).
   */
  private dispatch(
    req: IncomingMessage,
    route: Extract<RouteMatch, { kind: 'match' }>,
    request: Incoming,
    body: Buffer,
  ): Answer {
    const at = this.now();
    const { rawPath, query, headers } = request;
    const port = (req.socket.address() as AddressInfo).port;
    const fallbackHost = `${this.host.includes(':') ? `[${this.host}]` : this.host}:${port}`;
    const baseUrl = `http://${headers.host ?? fallbackHost}`;
    const text = body.toString('utf8');
    const tokenTtlMs = this.options.tokenTtlMs ?? SANDBOX_DEFAULT_TOKEN_TTL_MS;
    if (route.operation === 'login') {
      return login({ query, body: text, now: at, baseUrl, rawPath }, this.tokens, tokenTtlMs);
    }
    const denied = authenticate(
      { method: request.method, rawPath, headers, body, fallbackHost },
      this.tokens,
      at,
    );
    if (denied) return denied;
    if (route.operation === 'projects') return listProjects({ query, body: text, now: at, baseUrl, rawPath });
    const hosted = this.projectOf(route);
    if (!hosted || !mayUseProject(headers, this.tokens, hosted.project.id)) {
      return authErrors.projectMismatch();
    }
    return serveHss(
      route.operation,
      route.taskId ?? '',
      { query, headers, body: text, now: at },
      hosted.state,
    );
  }

  private control(method: string, pathname: string): Answer {
    if (pathname === '/__sandbox/requests') {
      return method === 'GET'
        ? { status: 200, body: this.requests.map(published) }
        : methodNotAllowed(['GET']);
    }
    if (pathname === '/__sandbox/reset') {
      if (method !== 'POST') return methodNotAllowed(['POST']);
      this.reset();
      return { status: 200, body: { ok: true } };
    }
    return notFoundRoute();
  }

  private record(req: IncomingMessage, request: Incoming, body: Buffer | undefined): RecordedRequest {
    const record: RecordedRequest = {
      method: request.method,
      path: req.url ?? '/',
      headers: request.headers,
      body: body === undefined ? '' : recordedBody(body),
      at: this.now(),
      status: 0,
      requestId: '',
    };
    this.requests.push(record);
    if (this.requests.length > SANDBOX_MAX_RECORDED) {
      this.requests.splice(0, this.requests.length - SANDBOX_MAX_RECORDED);
    }
    return record;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, SANDBOX_MAX_BODY_BYTES);
    const request = incoming(req);
    if (request.pathname.startsWith('/__sandbox/')) {
      sendAnswer(
        res,
        body === undefined ? payloadTooLarge() : this.control(request.method, request.pathname),
      );
      return;
    }
    const record = this.record(req, request, body);
    if (body === undefined) {
      sendAnswer(res, payloadTooLarge(), record);
      return;
    }
    const route = matchRoute(request.method, request.pathname);
    const scope = route.kind === 'match' ? FAULT_SCOPE[route.operation] : undefined;
    const project = this.projectOf(route)?.project.name;
    const action = this.faults.take(scope, project);
    if (action?.kind === 'hang') return; // the socket is destroyed by close()
    const delay = Math.max(0, this.options.latencyMs ?? 0) + this.faults.delayFor(scope, project);
    if (delay > 0) await this.sleep(delay);
    if (this.closed) return;
    if (action?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    let answer: Answer;
    if (action?.kind === 'badjson') answer = truncatedJson();
    else if (action?.kind === 'status') answer = faultAnswer(action.status);
    else if (route.kind === 'none') answer = notFoundRoute();
    else if (route.kind === 'method') answer = methodNotAllowed(route.allowed);
    else answer = this.dispatch(req, route, request, body);
    sendAnswer(res, answer, record);
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const emulator = new SandboxServer(options);
  const { server, host } = emulator;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return {
    url: `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`,
    port,
    requests: emulator.requests,
    reset: () => emulator.reset(),
    close: () => emulator.close(),
  };
}
