/**
 * A sandbox per test file, on a free loopback port, with the recorded requests at hand.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import {
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_PROJECT_ID,
  SANDBOX_REGION,
  SANDBOX_TOKEN,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../src/sandbox/server.js';

export { SANDBOX_PROJECT_ID, SANDBOX_TOKEN };

export interface SandboxHandle {
  readonly sandbox: Sandbox;
  readonly url: string;
  /** Environment pointing the CLI at the sandbox with the static token. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>;
}

export function useSandbox(options: SandboxOptions = {}): SandboxHandle {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ progressMs: 60_000, ...options });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(() => {
    sandbox?.reset();
  });
  return {
    get sandbox() {
      if (!sandbox) throw new Error('sandbox not started');
      return sandbox;
    },
    get url() {
      if (!sandbox) throw new Error('sandbox not started');
      return sandbox.url;
    },
    env(extra = {}) {
      if (!sandbox) throw new Error('sandbox not started');
      return {
        HSS_ENDPOINT: sandbox.url,
        HSS_IAM_ENDPOINT: sandbox.url,
        HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
        HSS_TOKEN: SANDBOX_TOKEN,
        ...extra,
      };
    },
  };
}

/** An IAM password login of the sandbox user, as a client sends it: the answer's status and token. */
export async function sandboxLogin(url: string): Promise<{ status: number; token: string | null }> {
  const res = await fetch(`${url}/v3/auth/tokens?nocatalog=true`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: {
            user: { name: SANDBOX_USER, password: SANDBOX_PASSWORD, domain: { name: SANDBOX_DOMAIN } },
          },
        },
        scope: { project: { name: SANDBOX_REGION } },
      },
    }),
  });
  return { status: res.status, token: res.headers.get('x-subject-token') };
}
