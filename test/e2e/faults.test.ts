/**
 * One end-to-end test per fault: the built CLI against a sandbox with the fault injected, showing the
 * exit code, the attempts the server saw, and how long it took.
 */
import { describe, expect, it } from 'vitest';
import { HssApi } from '../../src/api/hss.js';
import { type ApiRequest, HttpClient } from '../../src/api/http.js';
import { HssError } from '../../src/core/errors.js';
import { startSandbox } from '../../src/sandbox/server.js';
import { hss } from '../helpers/cli.js';
import { spawnHss, stderrMatches, until } from '../helpers/process.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const RETRY = ['task', 'retry', 'task-0001', '--all-failed'];

async function timed<T>(fn: () => Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const result = await fn();
  return { ...result, ms: Date.now() - started };
}

/** The waits the client announced with --debug: "attempt n/m of … failed (why); next in N ms". */
function announcedWaits(stderr: string): Array<{ attempt: number; why: string; ms: number }> {
  return [...stderr.matchAll(/attempt (\d+)\/\d+ of RetryTask \S+ failed \((.*?)\); next in (\d+) ms/g)].map(
    (m) => ({ attempt: Number(m[1]), why: String(m[2]), ms: Number(m[3]) }),
  );
}

describe('503x2: retried with backoff, success on attempt 3', () => {
  const sb = useSandbox({ faults: ['503x2@retry'] });

  it('exit 0 after 3 attempts, waits within the full-jitter windows (≤ 200 ms, ≤ 400 ms)', async () => {
    const r = await timed(() => hss([...RETRY, '--debug'], { env: sb.env() }));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ task-0001: retry accepted/);
    const requests = sb.sandbox.requests;
    expect(requests.map((q) => q.status)).toEqual([503, 503, 200]);
    const waits = announcedWaits(r.stderr);
    expect(waits.map((w) => [w.attempt, w.why])).toEqual([
      [1, 'HTTP 503'],
      [2, 'HTTP 503'],
    ]);
    expect(waits[0]?.ms).toBeLessThanOrEqual(200);
    expect(waits[1]?.ms).toBeLessThanOrEqual(400);
    // The announced waits really happened between the attempts.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(waits[0]!.ms);
    expect(requests[2]!.at - requests[1]!.at).toBeGreaterThanOrEqual(waits[1]!.ms);
    expect(requests[2]!.at - requests[0]!.at).toBeLessThan(600 + 1500);
  });

  it('with --max-attempts 1 the first 503 is final: exit 6, one attempt', async () => {
    const r = await hss([...RETRY, '--max-attempts', '1'], { env: sb.env() });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(
      /^error: RetryTask task-0001: service unavailable \(HTTP 503\): Backend unavailable\n/,
    );
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('503x5 with --max-attempts 3: exit 6 after 3 attempts', () => {
  const sb = useSandbox({ faults: ['503x5@retry'] });

  it('gives up after exactly 3 attempts, naming them, within the backoff bound', async () => {
    const r = await timed(() => hss([...RETRY, '--max-attempts', '3', '--json'], { env: sb.env() }));
    expect(r.exitCode).toBe(6);
    expect(sb.sandbox.requests.map((q) => q.status)).toEqual([503, 503, 503]);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error).toMatchObject({
      code: 'UNAVAILABLE',
      exit_code: 6,
      http_status: 503,
      api_error_code: 'APIGW.0202',
      request_id: sb.sandbox.requests[2]!.requestId,
    });
    expect(doc.error.message).toContain('after 3 attempts');
    const [first, , last] = sb.sandbox.requests;
    expect(last!.at - first!.at).toBeLessThan(600 + 1500);
  });

  it('HSS_MAX_ATTEMPTS=2 is honoured too', async () => {
    const r = await hss(RETRY, { env: sb.env({ HSS_MAX_ATTEMPTS: '2' }) });
    expect(r.exitCode).toBe(6);
    expect(sb.sandbox.requests).toHaveLength(2);
  });
});

describe.each([500, 502, 504])('%dx1: retried once', (status) => {
  const sb = useSandbox({ faults: [`${status}x1@retry`] });

  it('exit 0 on attempt 2', async () => {
    const r = await hss(RETRY, { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.status)).toEqual([status, 200]);
  });
});

describe('429x1 with Retry-After: 1', () => {
  const sb = useSandbox({ faults: ['429x1@retry'] });

  it('waits the second the server asked for, then succeeds', async () => {
    const r = await hss([...RETRY, '--debug'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const [throttled, accepted] = sb.sandbox.requests;
    expect([throttled?.status, accepted?.status]).toEqual([429, 200]);
    expect(announcedWaits(r.stderr)).toEqual([{ attempt: 1, why: 'HTTP 429', ms: 1000 }]);
    expect(accepted!.at - throttled!.at).toBeGreaterThanOrEqual(990);
    expect(accepted!.at - throttled!.at).toBeLessThan(1000 + 1500);
  });
});

describe.each([
  [401, 4, 'AUTH'],
  [403, 4, 'AUTH'],
  [400, 5, 'API'],
  [404, 5, 'API'],
])('%d is never retried', (status, exitCode, code) => {
  const sb = useSandbox({ faults: [`${status}x5@retry`] });

  it(`exit ${exitCode} (${code}) after exactly one request, even with --max-attempts 5`, async () => {
    const r = await hss([...RETRY, '--max-attempts', '5', '--json'], { env: sb.env() });
    expect(r.exitCode).toBe(exitCode);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code, exit_code: exitCode, http_status: status });
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('reset: the connection is dropped without an answer', () => {
  const sb = useSandbox({ faults: ['resetx1@retry'] });

  it('is retried: exit 0 on attempt 2', async () => {
    const r = await hss([...RETRY, '--debug'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.status)).toEqual([0, 200]);
    expect(announcedWaits(r.stderr)).toHaveLength(1);
  });
});

describe('reset on every attempt', () => {
  const sb = useSandbox({ faults: ['resetx10@retry'] });

  it('exit 6 after 3 attempts, saying the endpoint could not be reached', async () => {
    const r = await hss(RETRY, { env: sb.env() });
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/^error: RetryTask task-0001: cannot reach 127\.0\.0\.1:\d+ after 3 attempts: /);
    expect(r.stderr).toContain('hint: ');
    expect(sb.sandbox.requests).toHaveLength(3);
  });
});

describe('nothing listening', () => {
  it('a refused connection is exit 6 after every attempt', async () => {
    const sandbox = await startSandbox();
    const url = sandbox.url;
    await sandbox.close();
    const r = await timed(() =>
      hss(RETRY, {
        env: { HSS_ENDPOINT: url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN },
      }),
    );
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+ after 3 attempts: ECONNREFUSED/);
    expect(r.ms).toBeLessThan(8000);
  });
});

describe('hang: the server accepts and never answers', () => {
  const sb = useSandbox({ faults: ['hang@retry'] });

  it('--timeout 500ms: each attempt is cut off at 500 ms; exit 6 (TIMEOUT) after 3', async () => {
    const r = await timed(() => hss([...RETRY, '--timeout', '500ms', '--json'], { env: sb.env() }));
    expect(r.exitCode).toBe(6);
    const doc = JSON.parse(r.stdout);
    expect(doc.error).toMatchObject({ code: 'TIMEOUT', exit_code: 6 });
    expect(doc.error.message).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500 ms after 3 attempts/);
    const requests = sb.sandbox.requests;
    expect(requests).toHaveLength(3);
    // 3 × 500 ms of waiting at least; at most that plus 200 + 400 ms of backoff, plus start-up.
    expect(r.ms).toBeGreaterThanOrEqual(1500);
    expect(r.ms).toBeLessThan(2100 + 2500);
  });

  it('--max-attempts 1 --timeout 300ms: one attempt, exit 6 in well under a second of waiting', async () => {
    const r = await timed(() =>
      hss([...RETRY, '--max-attempts', '1'], { env: sb.env({ HSS_TIMEOUT: '300ms' }) }),
    );
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toMatch(/^error: RetryTask task-0001: no answer from 127\.0\.0\.1:\d+ within 300 ms\n/);
    expect(r.stderr).toContain('hint: raise --timeout');
    expect(sb.sandbox.requests).toHaveLength(1);
    expect(r.ms).toBeLessThan(300 + 2500);
  });
});

describe('slow:1200: every answer is late', () => {
  const sb = useSandbox({ faults: ['slow:1200@retry'] });

  it('a timeout shorter than the delay: exit 6 within the timeout', async () => {
    const r = await timed(() =>
      hss([...RETRY, '--timeout', '400ms', '--max-attempts', '1'], { env: sb.env() }),
    );
    expect(r.exitCode).toBe(6);
    expect(r.stderr).toContain('within 400 ms');
    expect(r.ms).toBeLessThan(400 + 2500);
  });

  it('a timeout longer than the delay: exit 0, after the delay', async () => {
    // Another task: the timed-out request of the test before still lands on task-0001 after its delay.
    const r = await timed(() =>
      hss(['task', 'retry', 'task-0006', '--all-failed', '--timeout', '5s'], { env: sb.env() }),
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(1200);
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('badjson: HTTP 200 with a truncated JSON body', () => {
  const sb = useSandbox({ faults: ['badjsonx10'] });

  it('RetryTask: any 2xx is success, whatever the body (the API documents no body)', async () => {
    const r = await hss([...RETRY, '--json'], { env: sb.env() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ ok: true, http_status: 200 });
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  // list/show/wait read ListTasks and ListTaskResources; their answers are validated before use.
  function api(): HssApi {
    const http = new HttpClient({
      timeoutMs: 2000,
      maxAttempts: 3,
      userAgent: 'hss-cli/test',
      signal: new AbortController().signal,
    });
    return new HssApi(http, { endpoint: sb.url, projectId: SANDBOX_PROJECT_ID }, (req: ApiRequest) => ({
      ...req.headers,
      'X-Auth-Token': SANDBOX_TOKEN,
    }));
  }

  it.each([
    ['ListTasks', () => api().listTasks({}, 0, 10)],
    ['ListTaskResources', () => api().listTaskResources('task-0001', {}, 0, 10)],
  ])(
    '%s: an unexpected answer (exit 6, not "refused by the API"), not retried, no crash',
    async (operation, call) => {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HssError);
      const e = error as HssError;
      expect(e.exitCode).toBe(6);
      expect(e.code).toBe('UNAVAILABLE');
      expect(e.message).toBe(
        `${operation}: unexpected answer from the API: HTTP 200 with a body that is not JSON (content-type "application/json;charset=UTF-8")`,
      );
      expect(e.requestId).toBe(sb.sandbox.requests[0]?.requestId);
      expect(sb.sandbox.requests).toHaveLength(1);
    },
  );
});

describe('signals during the wait between attempts', () => {
  const sb = useSandbox({ faults: ['429x5@retry'] });

  it('SIGINT after a 429 (Retry-After: 1): exit 130 at once, no further attempt', async () => {
    const { child } = spawnHss(RETRY, { env: sb.env() });
    await until(() => sb.sandbox.requests.length === 1, 10_000, 'the request');
    const sent = Date.now();
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(Date.now() - sent).toBeLessThan(900);
    expect(sb.sandbox.requests).toHaveLength(1);
  });
});

describe('signals', () => {
  const sb = useSandbox({ faults: ['hang@retry'] });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while a request hangs: exit %d at once, nothing on stdout', async (signal, exitCode) => {
    const { child } = spawnHss(RETRY, { env: sb.env() });
    await until(() => sb.sandbox.requests.length === 1, 10_000, 'the request');
    const sent = Date.now();
    child.kill(signal);
    const r = await child;
    const ms = Date.now() - sent;
    expect(r.exitCode).toBe(exitCode);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: interrupted by ${signal}\n`);
    expect(ms).toBeLessThan(1000);
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('JSON mode: the interruption is the one JSON document', async () => {
    const { child } = spawnHss([...RETRY, '--json'], { env: sb.env() });
    await until(() => sb.sandbox.requests.length === 1, 10_000, 'the request');
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(JSON.parse(String(r.stdout))).toEqual({
      ok: false,
      error: { code: 'INTERRUPTED', message: 'interrupted by SIGINT', exit_code: 130 },
    });
  });

  it('SIGINT while waiting for standard input that never ends: exit 130 at once', async () => {
    const { child } = spawnHss([...RETRY, '--token-stdin', '--debug'], {
      env: sb.env({ HSS_TOKEN: undefined }),
    });
    await stderrMatches(child, /debug: reading --token-stdin from standard input\n/);
    const sent = Date.now();
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('\nerror: interrupted by SIGINT\n');
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(sb.sandbox.requests).toHaveLength(0);
  });
});

describe('hss sandbox --fault: rehearsing a pipeline against a failing service', () => {
  it('a sandbox started from the command line injects the faults it is given', async () => {
    const sandbox = spawnHss([
      'sandbox',
      '--port',
      '0',
      '--fault',
      '503x2@retry',
      '--fault',
      'slow:100',
      '--json',
    ]);
    try {
      const banner = await new Promise<{ url: string; faults: string[] }>((resolve, reject) => {
        let out = '';
        sandbox.child.stdout?.on('data', (chunk: Buffer) => {
          out += String(chunk);
          const line = out.split('\n')[0];
          if (out.includes('\n') && line) resolve(JSON.parse(line));
        });
        sandbox.child.once('exit', () => reject(new Error(`sandbox exited early: ${out}`)));
      });
      expect(banner.faults).toEqual(['503x2@retry', 'slow:100']);
      const r = await timed(() =>
        hss([...RETRY, '--debug'], {
          env: { HSS_ENDPOINT: banner.url, HSS_PROJECT_ID: SANDBOX_PROJECT_ID, HSS_TOKEN: SANDBOX_TOKEN },
        }),
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(announcedWaits(r.stderr).map((w) => w.why)).toEqual(['HTTP 503', 'HTTP 503']);
      expect(r.ms).toBeGreaterThanOrEqual(300);
    } finally {
      sandbox.child.kill('SIGINT');
    }
    const stopped = await sandbox.child;
    expect(stopped.exitCode).toBe(0);
    expect(stopped.stderr).toContain('sandbox stopped');
  });

  it('an unknown fault spec is a one-line usage error (exit 2)', async () => {
    const r = await hss(['sandbox', '--port', '0', '--fault', '503x2@nowhere']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --fault: invalid fault spec "503x2@nowhere": unknown operation "nowhere"; accepted forms: /,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
