// Fault injection: what `hss sandbox --fault <spec>` and `startSandbox({ faults })` accept.
//
//   <status>x<n>   the next n requests get HTTP <status> (400–599) with an APIGW-style body
//                  (429 also sends Retry-After: 1)
//   reset[x<n>]    destroy the socket without answering, once (or n times)
//   hang           accept every request and never answer it, until the sandbox closes
//   badjson[x<n>]  answer 200 with a truncated JSON body, once (or n times)
//   slow:<ms>      delay every answer by <ms>
//   …@<op>         limit the fault to one operation: retry, list, resources, create or iam
//   …@<project>    limit it to the HSS requests of one project, by name (cn-east-3, cn-north-4_dev);
//                  both may be given: 503x9@list@cn-east-3
//
// Faults act in front of the emulated service, like a gateway or network failure: a faulted request
// never reaches the task model, so it changes no state.

import { quote } from '../core/text.js';
import { SANDBOX_PROJECTS } from './constants.js';

export const FAULT_SCOPES = ['retry', 'list', 'resources', 'create', 'iam'] as const;
export type FaultScope = (typeof FAULT_SCOPES)[number];

interface FaultBase {
  /** The spec it was parsed from, e.g. `503x2@retry`. */
  spec: string;
  scope?: FaultScope;
  /** The name of the one project whose HSS requests it hits. */
  project?: string;
}

export type Fault =
  | (FaultBase & { kind: 'status'; status: number; times: number })
  | (FaultBase & { kind: 'reset'; times: number })
  | (FaultBase & { kind: 'hang' })
  | (FaultBase & { kind: 'badjson'; times: number })
  | (FaultBase & { kind: 'slow'; ms: number });

const ACCEPTED =
  '<status>x<n> (e.g. 503x2, 429x3), reset, resetx<n>, hang, badjson, badjsonx<n>, slow:<ms>, ' +
  'each optionally followed by @retry, @list, @resources, @create or @iam, and by @<project name>';
const MAX_TIMES = 1_000_000;
const MAX_SLOW_MS = 600_000;

function refuse(spec: string, why: string): never {
  throw new Error(`invalid fault spec ${quote(spec)}: ${why}; accepted forms: ${ACCEPTED}`);
}

function parseTimes(spec: string, digits: string | undefined): number {
  if (digits === undefined) return 1;
  const times = Number(digits);
  if (!Number.isSafeInteger(times) || times < 1 || times > MAX_TIMES) {
    refuse(spec, `the count must be 1–${MAX_TIMES}`);
  }
  return times;
}

function isScope(value: string): value is FaultScope {
  return (FAULT_SCOPES as readonly string[]).includes(value);
}

export function parseFaultSpec(spec: string): Fault {
  const text = spec.trim().toLowerCase();
  if (text === '') refuse(spec, 'it is empty');
  const [head = '', ...scopes] = text.split('@');
  const base: FaultBase = { spec };
  for (const name of scopes) {
    if (isScope(name) && base.scope === undefined) base.scope = name;
    else if (base.project === undefined && SANDBOX_PROJECTS.some((p) => p.name === name)) base.project = name;
    else refuse(spec, `unknown operation ${quote(name)}`);
  }

  let match = /^(\d{3})x(\d+)$/.exec(head);
  if (match) {
    const status = Number(match[1]);
    if (status < 400 || status > 599) refuse(spec, 'the status must be 400–599');
    return { ...base, kind: 'status', status, times: parseTimes(spec, match[2]) };
  }
  match = /^reset(?:x(\d+))?$/.exec(head);
  if (match) return { ...base, kind: 'reset', times: parseTimes(spec, match[1]) };
  if (head === 'hang') return { ...base, kind: 'hang' };
  match = /^badjson(?:x(\d+))?$/.exec(head);
  if (match) return { ...base, kind: 'badjson', times: parseTimes(spec, match[1]) };
  match = /^slow:(\d+)$/.exec(head);
  if (match) {
    const ms = Number(match[1]);
    if (!Number.isSafeInteger(ms) || ms > MAX_SLOW_MS) refuse(spec, `the delay must be 0–${MAX_SLOW_MS} ms`);
    return { ...base, kind: 'slow', ms };
  }
  refuse(spec, 'not a known fault');
}

/** The action a request gets from the armed faults. */
export type FaultAction =
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'badjson' };

interface ArmedFault {
  fault: Fault;
  remaining: number;
}

/**
 * The faults of one sandbox with their remaining counts. Each request takes the first armed fault,
 * in the order given, that matches its operation and is not used up; `slow` faults only add delay.
 */
export class FaultBook {
  private armed: ArmedFault[] = [];

  constructor(private readonly faults: readonly Fault[]) {
    this.rearm();
  }

  rearm(): void {
    this.armed = this.faults.map((fault) => ({
      fault,
      remaining: 'times' in fault ? fault.times : Number.POSITIVE_INFINITY,
    }));
  }

  delayFor(operation: FaultScope | undefined, project?: string): number {
    let ms = 0;
    for (const { fault } of this.armed) {
      if (fault.kind === 'slow' && applies(fault, operation, project)) ms += fault.ms;
    }
    return ms;
  }

  take(operation: FaultScope | undefined, project?: string): FaultAction | undefined {
    for (const entry of this.armed) {
      const { fault } = entry;
      if (fault.kind === 'slow' || entry.remaining <= 0 || !applies(fault, operation, project)) continue;
      entry.remaining -= 1;
      switch (fault.kind) {
        case 'status':
          return { kind: 'status', status: fault.status };
        case 'reset':
          return { kind: 'reset' };
        case 'hang':
          return { kind: 'hang' };
        case 'badjson':
          return { kind: 'badjson' };
      }
    }
    return undefined;
  }
}

function applies(fault: Fault, operation: FaultScope | undefined, project: string | undefined): boolean {
  return (
    (fault.scope === undefined || fault.scope === operation) &&
    (fault.project === undefined || fault.project === project)
  );
}
