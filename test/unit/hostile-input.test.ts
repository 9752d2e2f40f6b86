/**
 * Hostile input, generated: every parser and validator, and every API answer, either yields valid data
 * or fails with a clear error — an HssError of the right class (never exit 1), one line, bounded, no
 * stack trace. Thousands of cases in all.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HssApi, parseJson } from '../../src/api/hss.js';
import { type ApiResponse, errorFromResponse, HttpClient, parseErrorBody } from '../../src/api/http.js';
import { buildRetryBody, parseClusterFile, parseClusterSpec } from '../../src/cluster-specs.js';
import { collectTaskIds } from '../../src/commands/task-retry.js';
import { parseDuration, parseInteger } from '../../src/duration.js';
import { HssError } from '../../src/errors.js';
import { parseFaultSpec } from '../../src/sandbox/faults.js';
import {
  ClusterInfo,
  ListTaskResourcesResponse,
  ListTasksResponse,
  RetryBody,
  SCAN_TYPES,
  StoreFile,
  TaskId,
} from '../../src/schema.js';
import { checkEndpoint } from '../../src/settings/resolve.js';
import { parseStore } from '../../src/settings/store.js';

/* ------------------------------------------------------------------------------------------------ */
/* What "a clear error" means                                                                        */
/* ------------------------------------------------------------------------------------------------ */

/** Line breaks, and control characters a terminal would act on (escape sequences among them). */
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function expectClearError(error: unknown, exitCodes: readonly number[], maxLength = 700): HssError {
  expect(error).toBeInstanceOf(HssError);
  const e = error as HssError;
  expect(exitCodes).toContain(e.exitCode);
  expect(e.exitCode).not.toBe(1);
  expect(e.message).not.toMatch(NOT_ONE_LINE);
  expect(e.message).not.toMatch(/\n\s+at /);
  expect(e.message.length).toBeLessThanOrEqual(maxLength);
  expect(e.message.trim()).not.toBe('');
  if (e.hint !== undefined) expect(e.hint).not.toMatch(NOT_ONE_LINE);
  return e;
}

function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    const value = fn();
    seen.counts.ok++;
    return { ok: true, value };
  } catch (error) {
    seen.counts.refused++;
    return { ok: false, error };
  }
}

async function outcomeAsync<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    const value = await fn();
    seen.counts.ok++;
    return { ok: true, value };
  } catch (error) {
    seen.counts.refused++;
    return { ok: false, error };
  }
}

/**
 * Both outcomes of every generated property: a generator that only ever produced valid (or only
 * invalid) input would prove nothing about the other side.
 */
let seen = { counts: { ok: 0, refused: 0 } };
beforeEach(() => {
  seen = { counts: { ok: 0, refused: 0 } };
});
afterEach(() => {
  if (seen.counts.ok + seen.counts.refused < 100) return;
  expect(seen.counts.ok, 'accepted cases').toBeGreaterThan(0);
  expect(seen.counts.refused, 'refused cases').toBeGreaterThan(0);
});

/* ------------------------------------------------------------------------------------------------ */
/* Generators                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

/** Any text at all: every code point, lone surrogates included. */
const anyText = fc.string({ unit: 'binary', maxLength: 120 });
/** Text near the edges of the rules: lengths around 64, separators, whitespace, controls, look-alikes. */
const trickyUnit = fc.constantFrom(
  'a',
  'Z',
  '0',
  '-',
  '_',
  '.',
  ':',
  ',',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u0000',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '#',
  '/',
  '%',
  '"',
  '\\',
  'é',
  '中',
  '😀',
  '\ud800',
);
const trickyText = fc.oneof(
  fc.string({ unit: trickyUnit, maxLength: 80 }),
  fc.integer({ min: 60, max: 70 }).map((n) => 'c'.repeat(n)),
  anyText,
);
const scanTypeLike = fc.oneof(
  fc.constantFrom(...SCAN_TYPES),
  fc.constantFrom('', ' ', 'CLUSTER_VUL', 'cluster_vul ', 'vuln', 'benchmark,benchmark', 'all'),
  trickyText,
);
const clusterSpec = fc.oneof(
  trickyText,
  fc
    .tuple(trickyText, fc.array(scanTypeLike, { maxLength: 5 }), fc.boolean())
    .map(([id, types, colon]) => (colon || types.length ? `${id}:${types.join(',')}` : id)),
);

const RUNS = { numRuns: 1500 };

/* ------------------------------------------------------------------------------------------------ */
/* What the user types                                                                               */
/* ------------------------------------------------------------------------------------------------ */

describe('cluster specs', () => {
  it('parseClusterSpec: a valid ClusterInfo, or a one-line usage error (exit 2)', () => {
    fc.assert(
      fc.property(clusterSpec, (spec) => {
        const r = outcome(() => parseClusterSpec(spec));
        if (r.ok) {
          expect(ClusterInfo.safeParse(r.value).success).toBe(true);
          expect(spec.startsWith(r.value.cluster_id) || spec.trimStart().startsWith(r.value.cluster_id)).toBe(
            true,
          );
        } else {
          const e = expectClearError(r.error, [2]);
          expect(e.message.startsWith('--cluster "')).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('parseClusterFile + buildRetryBody: a body within every API limit, or a one-line usage error', () => {
    const line = fc.oneof(clusterSpec, fc.constantFrom('', '   ', '# comment', 'c-1 # trailing', '\r'));
    const file = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'));
    fc.assert(
      fc.property(file, ([lines, eol]) => {
        const r = outcome(() => {
          const clusters = parseClusterFile(lines.join(eol), 'cluster file "f.txt"');
          return buildRetryBody({ kind: 'clusters', clusters, origin: 'cluster file "f.txt"' });
        });
        if (r.ok) expect(RetryBody.safeParse(r.value).success).toBe(true);
        else expect(expectClearError(r.error, [2]).message.startsWith('cluster file "f.txt"')).toBe(true);
      }),
      RUNS,
    );
  });

  it('many clusters: over 200 or a duplicate is refused in one line, never sent half', () => {
    const ids = fc.tuple(fc.integer({ min: 190, max: 215 }), fc.option(fc.nat())).map(([n, dup]) => {
      const list = Array.from({ length: n }, (_, i) => `c-${i}`);
      if (dup !== null) list.push(`c-${dup % n}`);
      return list;
    });
    fc.assert(
      fc.property(ids, (list) => {
        const r = outcome(() =>
          buildRetryBody({
            kind: 'clusters',
            clusters: list.map((id) => ({ cluster_id: id })),
            origin: '--cluster',
          }),
        );
        const valid = list.length <= 200 && new Set(list).size === list.length;
        expect(r.ok).toBe(valid);
        if (!r.ok) expectClearError(r.error, [2]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('task IDs', () => {
  it('arguments: valid IDs (deduplicated, in order), or a one-line usage error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(trickyText, fc.stringMatching(/^task-[0-9]{4}$/)), { minLength: 1, maxLength: 5 }),
        async (args) => {
          const r = await outcomeAsync(() =>
            collectTaskIds(
              args.filter((a) => a !== '-'),
              { stdinText: async () => '' },
            ),
          );
          if (r.ok) {
            for (const id of r.value) expect(TaskId.safeParse(id).success).toBe(true);
            expect(new Set(r.value).size).toBe(r.value.length);
          } else {
            expectClearError(r.error, [2]);
          }
        },
      ),
      RUNS,
    );
  });

  it('"-" reads standard input: any text gives valid IDs or a one-line usage error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(trickyText, fc.constant('# c'), fc.constant('task-0001')), { maxLength: 8 }),
        async (lines) => {
          const r = await outcomeAsync(() =>
            collectTaskIds(['-'], { stdinText: async () => lines.join('\n') }),
          );
          if (r.ok) for (const id of r.value) expect(TaskId.safeParse(id).success).toBe(true);
          else expectClearError(r.error, [2]);
        },
      ),
      RUNS,
    );
  });
});

describe('durations and whole numbers', () => {
  const numberish = fc.oneof(
    trickyText,
    fc
      .tuple(fc.constantFrom('', ' ', '\t'), fc.integer({ min: -3, max: 14 }), fc.constantFrom('', ' ', '\n'))
      .map(([a, n, b]) => `${a}${n}${b}`),
    fc
      .tuple(
        fc.constantFrom('', ' ', '-', '+', '0', '00', '.', '1e3'),
        fc.oneof(fc.nat(), fc.double({ noNaN: true }), fc.constant(Number.MAX_SAFE_INTEGER)),
        fc.constantFrom('', 'ms', 's', 'm', 'h', 'd', 'S', ' s', 'sec', 'µs'),
      )
      .map(([a, n, u]) => `${a}${n}${u}`),
  );

  it('parseDuration: 1 ms to 7 days, or a one-line usage error naming the flag', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        const r = outcome(() => parseDuration(text, '--timeout'));
        if (r.ok) {
          expect(Number.isInteger(r.value)).toBe(true);
          expect(r.value).toBeGreaterThan(0);
          expect(r.value).toBeLessThanOrEqual(7 * 24 * 3_600_000);
        } else {
          expect(expectClearError(r.error, [2]).message.startsWith('--timeout "')).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('parseInteger: a whole number within the bounds, or a one-line usage error', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        const r = outcome(() => parseInteger(text, '--max-attempts', 1, 10));
        if (r.ok) {
          expect(Number.isInteger(r.value)).toBe(true);
          expect(r.value).toBeGreaterThanOrEqual(1);
          expect(r.value).toBeLessThanOrEqual(10);
        } else {
          expectClearError(r.error, [2]);
        }
      }),
      RUNS,
    );
  });
});

describe('endpoints and fault specs', () => {
  const urlish = fc.oneof(
    trickyText,
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(fc.constantFrom('http://', 'https://', 'ftp://', 'HTTP://', '//', ''), trickyText)
      .map(([a, b]) => a + b),
    fc.constantFrom(
      'http://127.0.0.1:1',
      'http://[::1]:8',
      'http://localhost',
      'http://127.1',
      'http://0x7f.0.0.1',
    ),
  );

  it('checkEndpoint: https, or http on loopback, or a one-line usage error', () => {
    fc.assert(
      fc.property(urlish, (value) => {
        const r = outcome(() => checkEndpoint(value, 'endpoint', 'flag'));
        if (r.ok) {
          const url = new URL(r.value);
          expect(['https:', 'http:']).toContain(url.protocol);
          if (url.protocol === 'http:')
            expect(['127.0.0.1', 'localhost', '[::1]']).toContain(
              url.hostname.replace(/^127\.\d+\.\d+\.\d+$/, '127.0.0.1'),
            );
          expect(url.username + url.password).toBe('');
        } else {
          expectClearError(r.error, [2]);
        }
      }),
      RUNS,
    );
  });

  it('parseFaultSpec: a fault, or a one-line error (hss sandbox turns it into a usage error)', () => {
    const spec = fc.oneof(
      trickyText,
      fc.stringMatching(
        /^(\d{1,4}x\d{1,8}|reset(x\d{1,3})?|hang|badjson(x\d)?|slow:\d{1,7})(@(retry|list|iam|x))?$/,
      ),
    );
    fc.assert(
      fc.property(spec, (text) => {
        const r = outcome(() => parseFaultSpec(text));
        if (!r.ok) {
          expect(r.error).toBeInstanceOf(Error);
          expect((r.error as Error).message).not.toMatch(NOT_ONE_LINE);
        }
      }),
      RUNS,
    );
  });
});

/* ------------------------------------------------------------------------------------------------ */
/* The store file                                                                                    */
/* ------------------------------------------------------------------------------------------------ */

describe('store files', () => {
  const profile = fc.dictionary(
    fc.oneof(
      fc.constantFrom('region', 'project_id', 'auth', 'token', 'endpoint', 'secret_key', 'future'),
      trickyText,
    ),
    fc.oneof(fc.jsonValue({ maxDepth: 2 }), trickyText, fc.constantFrom('token', 'aksk', 'magic')),
    { maxKeys: 5 },
  );
  const storeLike = fc.record(
    {
      version: fc.oneof(fc.integer(), fc.constant('1'), fc.constant(null)),
      current: fc.oneof(trickyText, fc.integer()),
      profiles: fc.oneof(fc.dictionary(trickyText, profile, { maxKeys: 3 }), fc.jsonValue({ maxDepth: 2 })),
      extra: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );
  const text = fc.oneof(
    storeLike.map((v) => JSON.stringify(v)),
    storeLike.chain((v) => {
      const full = JSON.stringify(v);
      return fc.nat({ max: full.length }).map((n) => full.slice(0, n));
    }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    anyText,
  );

  it('parseStore: a valid store, or a one-line configuration error (exit 3) naming the file', () => {
    fc.assert(
      fc.property(text, (t) => {
        const r = outcome(() => parseStore(t, '/home/u/.config/hss/config.json'));
        if (r.ok) expect(StoreFile.safeParse(r.value).success).toBe(true);
        else expect(expectClearError(r.error, [3]).message).toContain('/home/u/.config/hss/config.json');
      }),
      RUNS,
    );
  });
});

/* ------------------------------------------------------------------------------------------------ */
/* API answers                                                                                       */
/* ------------------------------------------------------------------------------------------------ */

const STATUSES = [200, 201, 202, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 599];
const CONTENT_TYPES = [
  'application/json',
  'application/json;charset=UTF-8',
  'text/html',
  'text/plain',
  'application/octet-stream',
  '',
  'application/json\u001b[31m',
];

const task = fc.record(
  {
    task_id: fc.oneof(fc.stringMatching(/^task-\d{4}$/), fc.integer(), trickyText),
    task_status: fc.oneof(fc.constantFrom('ready', 'running', 'finished'), fc.integer(), trickyText),
    start_time: fc.oneof(fc.integer(), fc.double(), fc.string()),
    cluster_scan_info: fc.oneof(
      fc.record({
        failed_cluster_num: fc.oneof(fc.nat(), fc.string()),
        scan_type_list: fc.array(scanTypeLike),
      }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: [] },
);
const cluster = fc.record(
  {
    cluster_id: fc.oneof(fc.stringMatching(/^c-\d{2}$/), fc.integer(), trickyText),
    scan_status: fc.oneof(fc.constantFrom('success', 'failed', 'scanning'), fc.boolean()),
    scan_detail_list: fc.oneof(
      fc.array(
        fc.record(
          { scan_type: scanTypeLike, status: fc.oneof(fc.string(), fc.nat()), failed_reason: trickyText },
          { requiredKeys: [] },
        ),
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  },
  { requiredKeys: [] },
);
const listBody = fc.record(
  {
    total_num: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.string()),
    data_list: fc.oneof(fc.array(task, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
    cluster_scan_data_list: fc.oneof(fc.array(cluster, { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
  },
  { requiredKeys: [] },
);
const errorBody = fc.oneof(
  fc.record(
    { error_code: fc.oneof(trickyText, fc.integer()), error_msg: fc.oneof(trickyText, fc.integer()) },
    { requiredKeys: [] },
  ),
  fc.record({
    error: fc.oneof(
      fc.record({ code: fc.oneof(fc.integer(), trickyText), message: trickyText }, { requiredKeys: [] }),
      trickyText,
    ),
  }),
);
/** A body as the wire carries it: JSON of the right shape or not, truncated, huge, not JSON at all. */
const bodyText = fc.oneof(
  listBody.map((b) => JSON.stringify(b)),
  listBody.chain((b) => {
    const full = JSON.stringify(b);
    return fc.nat({ max: full.length }).map((n) => full.slice(0, n));
  }),
  errorBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  anyText,
  fc.constantFrom('', '<html><body>502 Bad Gateway</body></html>', 'null', '[]', '{}', '{"total_num":1e309}'),
  fc.tuple(fc.integer({ min: 1, max: 4 }), trickyText).map(([k, t]) => `${t}\n`.repeat(k * 500)),
);
const requestId = fc.option(fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 300 })));
/**
 * A well-formed 2xx answer of either list (strings where strings belong, tricky as they may be): one
 * answer in six, so that every run has accepted cases to check, not only by luck of the draw.
 */
const wellFormed = fc.record({
  status: fc.constantFrom(200, 201, 202),
  contentType: fc.constantFrom('application/json', 'application/json;charset=UTF-8'),
  body: fc
    .record({
      total_num: fc.nat(),
      data_list: fc.array(fc.record({ task_id: trickyText, task_status: trickyText }), { maxLength: 3 }),
      cluster_scan_data_list: fc.array(
        fc.record({
          cluster_id: trickyText,
          scan_status: fc.constantFrom('success', 'failed', 'scanning'),
          scan_detail_list: fc.array(
            fc.record({ scan_type: scanTypeLike, status: trickyText, failed_reason: trickyText }),
            { maxLength: 3 },
          ),
        }),
        { maxLength: 3 },
      ),
    })
    .map((b) => JSON.stringify(b)),
  requestId,
});
const answer = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      status: fc.constantFrom(...STATUSES),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      body: bodyText,
      requestId,
    }),
  },
  { weight: 1, arbitrary: wellFormed },
);
type Answer = typeof answer extends fc.Arbitrary<infer T> ? T : never;

/** An HssApi whose every request gets `answer`, through the real HttpClient (no network). */
function apiAnswering(a: Answer, maxResponseBytes = 8192): HssApi {
  const http = new HttpClient({
    timeoutMs: 1000,
    maxAttempts: 2,
    userAgent: 'hss-cli/test',
    signal: new AbortController().signal,
    sleep: async () => {},
    maxResponseBytes,
    fetch: async () => {
      const headers = new Headers();
      // Header values cannot hold line breaks or NUL; a server cannot send them either.
      if (a.contentType) headers.set('content-type', a.contentType.replace(/[\u0000-\u001f]/g, ''));
      if (a.requestId) {
        const rid = a.requestId.replace(/[\u0000-\u001f\u007f]/g, '');
        if (/^[\u0020-\u00ff]*$/.test(rid)) headers.set('x-request-id', rid);
      }
      const empty = a.status === 204;
      return new Response(empty ? null : a.body, { status: a.status, headers });
    },
  });
  return new HssApi(http, { endpoint: 'https://hss.example.com', projectId: 'p1' }, (req) => req.headers);
}

describe('API answers', () => {
  it('ListTasks: validated data, or a one-line error of exit 4, 5 or 6', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (a) => {
        const r = await outcomeAsync(() => apiAnswering(a).listTasks({}, 0, 10));
        if (r.ok) {
          expect(a.status).toBeGreaterThanOrEqual(200);
          expect(a.status).toBeLessThan(300);
          expect(
            ListTasksResponse.safeParse({ total_num: r.value.total, data_list: r.value.tasks }).success,
          ).toBe(true);
        } else {
          expectClearError(r.error, [4, 5, 6]);
        }
      }),
      RUNS,
    );
  });

  it('ListTaskResources: validated data, or a one-line error of exit 4, 5 or 6', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (a) => {
        const r = await outcomeAsync(() => apiAnswering(a).listTaskResources('t1', {}, 0, 10));
        if (r.ok) {
          expect(
            ListTaskResourcesResponse.safeParse({
              total_num: r.value.total,
              cluster_scan_data_list: r.value.clusters,
            }).success,
          ).toBe(true);
        } else {
          expectClearError(r.error, [4, 5, 6]);
        }
      }),
      RUNS,
    );
  });

  it('RetryTask: any 2xx is success whatever the body; anything else a one-line error of the status class', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (a) => {
        const r = await outcomeAsync(() =>
          apiAnswering(a).retryTask('t1', {
            task_type: 'cluster_scan',
            cluster_scan_info: { range_type: 'all_failed_cluster' },
          }),
        );
        const tooBig = Buffer.byteLength(a.body) > 8192 && a.status !== 204;
        if (a.status < 300 && !tooBig) {
          expect(r.ok).toBe(true);
        } else {
          expect(r.ok).toBe(false);
          const e = expectClearError((r as { error: unknown }).error, [4, 5, 6]);
          if (!tooBig) {
            const expected =
              a.status === 401 || a.status === 403 ? 4 : a.status === 429 || a.status >= 500 ? 6 : 5;
            expect(e.exitCode).toBe(expected);
            expect(e.httpStatus).toBe(a.status);
          }
        }
      }),
      RUNS,
    );
  });

  it('a body over the size limit is refused without being held whole (exit 5)', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let served = 0;
    const http = new HttpClient({
      timeoutMs: 5000,
      maxAttempts: 1,
      userAgent: 'ua',
      signal: new AbortController().signal,
      fetch: async () =>
        new Response(
          new ReadableStream({
            pull(controller) {
              served += chunk.byteLength;
              controller.enqueue(chunk);
              if (served > 64 * 1024 * 1024) controller.close();
            },
          }),
          { status: 200 },
        ),
    });
    const api = new HssApi(http, { endpoint: 'https://hss.example.com', projectId: 'p' }, (r) => r.headers);
    const r = await outcomeAsync(() => api.listTasks({}, 0, 10));
    expect(r.ok).toBe(false);
    const e = expectClearError((r as { error: unknown }).error, [5]);
    expect(e.message).toBe(
      'ListTasks: the answer from hss.example.com is larger than 16777216 bytes; refused',
    );
    // Reading stopped soon after the limit: the rest was never pulled.
    expect(served).toBeLessThan(17 * 1024 * 1024 + 4 * chunk.byteLength);
  });

  it('parseErrorBody and errorFromResponse never throw, and give one line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES.filter((s) => s >= 400)), bodyText, (status, text) => {
        const parsed = parseErrorBody(text);
        if (parsed.message !== undefined) {
          expect(parsed.message).not.toMatch(NOT_ONE_LINE);
          expect(parsed.message.length).toBeLessThanOrEqual(301);
        }
        if (parsed.code !== undefined) expect(parsed.code).not.toMatch(NOT_ONE_LINE);
        const response: ApiResponse = { status, headers: {}, text, attempts: 1 };
        expectClearError(errorFromResponse('RetryTask t1', response, 'refresh it'), [4, 5, 6]);
      }),
      RUNS,
    );
  });

  it('parseJson trusts no content type: JSON of the right shape is read whatever the header says', () => {
    for (const type of CONTENT_TYPES) {
      const response: ApiResponse = {
        status: 200,
        headers: type ? { 'content-type': type } : {},
        text: '{"total_num":1,"data_list":[{"task_id":"t1"}]}',
        attempts: 1,
      };
      expect(parseJson(ListTasksResponse, response, 'ListTasks').data_list[0]?.task_id).toBe('t1');
    }
  });
});
