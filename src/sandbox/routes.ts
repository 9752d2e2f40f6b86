/**
 * Which operation a request names, by method and path, as the API gateway routes it; and the fault
 * scope (--fault …@retry) each operation falls under.
 */
import type { IncomingMessage } from 'node:http';
import type { FaultScope } from './faults.js';
import { lowercaseHeaders } from './record.js';

export type Operation = 'retry' | 'list' | 'resources' | 'statistics' | 'create' | 'login' | 'projects';

export type RouteMatch =
  | { kind: 'match'; operation: Operation; projectId?: string; taskId?: string }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

export const FAULT_SCOPE: Record<Operation, FaultScope | undefined> = {
  retry: 'retry',
  list: 'list',
  resources: 'resources',
  statistics: undefined,
  create: 'create',
  login: 'iam',
  projects: 'iam',
};

export function matchRoute(method: string, pathname: string): RouteMatch {
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
    } else if (s.length === 5 && s[4] === 'task') {
      [operation, allowed] = ['create', 'POST'];
    }
  } else if (pathname === '/v3/auth/tokens') {
    [operation, allowed] = ['login', 'POST'];
  } else if (pathname === '/v3/projects' || pathname === '/v3/auth/projects') {
    [operation, allowed] = ['projects', 'GET'];
  }
  if (operation === undefined) return { kind: 'none' };
  if (method !== allowed) return { kind: 'method', allowed: [allowed] };
  const match: RouteMatch = { kind: 'match', operation };
  if (projectId !== undefined) match.projectId = projectId;
  if (taskId !== undefined) match.taskId = taskId;
  return match;
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The path and query of a request target, also when a proxy sent it in absolute form. */
export function originForm(target: string): string {
  const match = /^https?:\/\/[^/?]*/i.exec(target);
  if (!match) return target;
  const rest = target.slice(match[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** A request as the sandbox reads it before routing. */
export interface Incoming {
  method: string;
  rawPath: string;
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}

export function incoming(req: IncomingMessage): Incoming {
  const rawPath = originForm(req.url ?? '/');
  const q = rawPath.indexOf('?');
  return {
    method: req.method ?? 'GET',
    rawPath,
    pathname: q === -1 ? rawPath : rawPath.slice(0, q),
    query: new URLSearchParams(q === -1 ? '' : rawPath.slice(q + 1)),
    headers: lowercaseHeaders(req.rawHeaders),
  };
}
