// What `startSandbox` (server.ts) takes and gives back.

import type { RecordedRequest } from './record.js';

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
