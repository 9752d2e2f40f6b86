import { request as httpRequest } from 'node:http';
import { SANDBOX_BASE_TIME, SANDBOX_PROJECT_ID, SANDBOX_TOKEN } from '../../../src/sandbox/constants.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../../src/sandbox/server.js';

export const PROJECT = SANDBOX_PROJECT_ID;

/** A clock the test moves by hand; starts a day after SANDBOX_BASE_TIME. */
export interface FakeClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = SANDBOX_BASE_TIME + 24 * 60 * 60 * 1000): FakeClock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export interface CallOptions {
  body?: unknown;
  /** Default: the static sandbox token; null sends no X-Auth-Token. */
  token?: string | null;
  headers?: Record<string, string>;
}

export async function call(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? SANDBOX_TOKEN : options.token;
  if (token !== null) headers['X-Auth-Token'] = token;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  Object.assign(headers, options.headers);
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** An HSS path of the sandbox project, e.g. hssPath('/common/tasks/task-0001/retry'). */
export function hssPath(rest: string): string {
  return `/v5/${PROJECT}${rest}`;
}

export function retryBody(clusterScanInfo: unknown): Record<string, unknown> {
  return { task_type: 'cluster_scan', cluster_scan_info: clusterScanInfo };
}

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request with exactly the given headers (fetch would add or refuse some, e.g. Host). */
export function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body?: string,
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function withSandbox<T>(
  options: SandboxOptions,
  run: (sandbox: Sandbox) => Promise<T>,
): Promise<T> {
  const sandbox = await startSandbox(options);
  try {
    return await run(sandbox);
  } finally {
    await sandbox.close();
  }
}
