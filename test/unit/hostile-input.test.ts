/**
 * Hostile input, generated: every parser and validator, and every API answer, either yields valid data
 * or fails with a clear error — an HssError of the right class (never exit 1), one line, bounded, no
 * stack trace. Thousands of cases in all.
 */
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorFromResponse, parseErrorBody, serverText } from '../../src/api/error-body.js';
import { HssApi, type Page, pageThrough, parseJson } from '../../src/api/hss.js';
import { type ApiResponse, HttpClient } from '../../src/api/http.js';
import type { Transport } from '../../src/api/node-transport.js';
import { ListTaskResourcesResponse, ListTasksResponse } from '../../src/api/schemas.js';
import { createTransport, loadCaBundle } from '../../src/api/transport.js';
import { runCredentialCommand } from '../../src/auth/credential-command.js';
import { parseDuration, parseInteger } from '../../src/core/duration.js';
import { HssError } from '../../src/core/errors.js';
import { readFileLimited } from '../../src/core/io.js';
import { nestedDeeperThan } from '../../src/core/json.js';
import { registerSecret } from '../../src/core/redact.js';
import { parseFaultSpec } from '../../src/sandbox/faults.js';
import { checkEndpoint } from '../../src/settings/endpoints.js';
import { resolveNetwork } from '../../src/settings/network.js';
import { parseStore, StoreFile } from '../../src/settings/store-schema.js';
import { buildRetryBody, parseClusterFile, parseClusterSpec } from '../../src/tasks/cluster-specs.js';
import { collectTaskIds } from '../../src/tasks/retry-plan.js';
import { tempDir } from '../helpers/cli.js';
import { startRecordingServer } from '../helpers/recording-server.js';

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
/* The API's limits, written out from its reference (hss-task-api §1) rather than taken from src/,   */
/* whose rules are what these tests check                                                            */
/* ------------------------------------------------------------------------------------------------ */

const API_SCAN_TYPES = ['cluster_vul', 'risk_assessment', 'benchmark'];
/** C0, DEL and C1 controls: never part of an identifier hss sends. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/** An identifier the API takes: 1 to `max` characters, none of them a control character. */
function withinLimits(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length >= 1 && value.length <= max && !CONTROL_CHARS.test(value);
}

/** A task ID that can go into the URL path: within 1–64, and not a dot segment the URL parser would drop. */
function isSendableTaskId(value: unknown): boolean {
  return withinLimits(value, 64) && value !== '.' && value !== '..';
}

/** A `cluster_info_list` item: cluster_id 1–64; scan_type_list absent or 1–3 distinct known types; nothing else. */
function isApiClusterInfo(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { cluster_id, scan_type_list, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || !withinLimits(cluster_id, 64)) return false;
  if (!('scan_type_list' in value)) return true;
  return (
    Array.isArray(scan_type_list) &&
    scan_type_list.length >= 1 &&
    scan_type_list.length <= 3 &&
    new Set(scan_type_list).size === scan_type_list.length &&
    scan_type_list.every((t) => API_SCAN_TYPES.includes(t))
  );
}

/** A RetryTask body of `specific_cluster`: 1–200 valid items, each cluster once. */
function isApiSpecificRetryBody(value: unknown): boolean {
  const body = value as { task_type?: unknown; cluster_scan_info?: Record<string, unknown> };
  const info = body.cluster_scan_info;
  if (body.task_type !== 'cluster_scan' || info?.['range_type'] !== 'specific_cluster') return false;
  const list = info['cluster_info_list'];
  return (
    Array.isArray(list) &&
    list.length >= 1 &&
    list.length <= 200 &&
    list.every(isApiClusterInfo) &&
    new Set(list.map((c: { cluster_id: string }) => c.cluster_id)).size === list.length
  );
}

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
  fc.constantFrom(...API_SCAN_TYPES),
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
          expect(isApiClusterInfo(r.value)).toBe(true);
          // What was typed, trimmed: the ID before the first ":", the scan types after it.
          const colon = spec.indexOf(':');
          expect(r.value.cluster_id).toBe((colon === -1 ? spec : spec.slice(0, colon)).trim());
          if (colon === -1) expect(r.value.scan_type_list).toBeUndefined();
          else {
            expect(r.value.scan_type_list).toEqual(
              spec
                .slice(colon + 1)
                .split(',')
                .map((t) => t.trim()),
            );
          }
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
        if (r.ok) expect(isApiSpecificRetryBody(r.value)).toBe(true);
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
            for (const id of r.value) expect(isSendableTaskId(id)).toBe(true);
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
          if (r.ok) for (const id of r.value) expect(isSendableTaskId(id)).toBe(true);
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
    transport: async () => {
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
      transport: async () =>
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

/* ------------------------------------------------------------------------------------------------ */
/* A server that lies: what comes back, over a real local connection                               */
/* ------------------------------------------------------------------------------------------------ */

/** An HssApi on a real local server (node:http transport, or `transport` given), with --debug lines kept. */
function apiOn(
  base: string,
  options: { transport?: Transport; maxAttempts?: number; debug?: string[] } = {},
) {
  const debug = options.debug;
  const http = new HttpClient({
    timeoutMs: 5000,
    maxAttempts: options.maxAttempts ?? 1,
    userAgent: 'hss-cli/test',
    signal: new AbortController().signal,
    sleep: async () => {},
    ...(options.transport ? { transport: options.transport } : {}),
    ...(debug ? { debug: (line: string) => debug.push(line) } : {}),
  });
  return new HssApi(http, { endpoint: base, projectId: 'p1' }, (req) => req.headers);
}

async function failure(promise: Promise<unknown>): Promise<HssError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HssError);
  return error as HssError;
}

/** 1 GiB of zeros as 64 concatenated gzip members of 16 MiB: about 1 MB on the wire. */
const GZIP_BOMB = (() => {
  const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: 64 }, () => member));
})();

describe('a compressed answer is limited by what it decodes to', () => {
  const bomb = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(GZIP_BOMB);
  };

  it('node:http transport: a gzip bomb is refused at 16 MiB decoded (exit 5), without decoding the rest', async () => {
    const server = await startRecordingServer(bomb);
    const started = Date.now();
    const e = await failure(apiOn(server.base).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toBe(
      `ListTasks: the answer from 127.0.0.1:${server.port} is larger than 16777216 bytes; refused`,
    );
    // Decoding all of it takes seconds; stopping at the limit takes a fraction of one.
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('undici transport (proxies, CA bundles): the same bomb is refused the same way', async () => {
    const server = await startRecordingServer(bomb);
    // A proxy variable makes the transport undici's; plain http to loopback goes around the proxy.
    const transport = createTransport(resolveNetwork({}, { HTTPS_PROXY: 'http://127.0.0.1:9' }));
    const e = await failure(apiOn(server.base, { transport }).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toBe(
      `ListTasks: the answer from 127.0.0.1:${server.port} is larger than 16777216 bytes; refused`,
    );
  });

  it.each(['deflate', 'br'])('%s is decoded within the limit too', async (coding) => {
    const data = Buffer.alloc(32 * 1024 * 1024, 0x20);
    const body = coding === 'br' ? brotliCompressSync(data) : deflateSync(data);
    const server = await startRecordingServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': coding });
      res.end(body);
    });
    const e = await failure(apiOn(server.base).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toContain('is larger than 16777216 bytes; refused');
  });

  it('a small compressed answer is read as before', async () => {
    const server = await startRecordingServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('{"total_num":1,"data_list":[{"task_id":"t1"}]}'));
    });
    const page = await apiOn(server.base).listTasks({}, 0, 10);
    expect(page.tasks.map((t) => t.task_id)).toEqual(['t1']);
  });

  it('a Content-Length that promises more than comes is cut off at the timeout', async () => {
    const server = await startRecordingServer((_req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"total_num":');
    });
    const http = new HttpClient({
      timeoutMs: 300,
      maxAttempts: 1,
      userAgent: 'ua',
      signal: new AbortController().signal,
    });
    const api = new HssApi(http, { endpoint: server.base, projectId: 'p1' }, (r) => r.headers);
    const started = Date.now();
    const e = await failure(api.listTasks({}, 0, 10));
    expect(e.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('a body that never ends', () => {
  it.each([
    ['node:http', undefined],
    ['undici', () => createTransport(resolveNetwork({}, { HTTPS_PROXY: 'http://127.0.0.1:9' }))],
  ])('%s: a body that trickles on forever is cut off at the timeout', async (_name, makeTransport) => {
    const timers = new Set<NodeJS.Timeout>();
    const server = await startRecordingServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"total_num":1,"data_list":[');
      const timer = setInterval(() => res.write(' '), 20);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const http = new HttpClient({
        timeoutMs: 300,
        maxAttempts: 2,
        userAgent: 'ua',
        signal: new AbortController().signal,
        sleep: async () => {},
        ...(makeTransport ? { transport: makeTransport() } : {}),
      });
      const api = new HssApi(http, { endpoint: server.base, projectId: 'p1' }, (r) => r.headers);
      const started = Date.now();
      const e = await failure(api.listTasks({}, 0, 10));
      expect(e.code).toBe('TIMEOUT');
      expect(e.message).toBe(
        `ListTasks: no answer from 127.0.0.1:${server.port} within 300 ms after 2 attempts`,
      );
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const timer of timers) clearInterval(timer);
    }
  });
});

describe('answers nested too deep', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('a list answer nested 200,000 deep is a clear API error (exit 5), not a stack overflow', async () => {
    const server = await startRecordingServer((_req, res) => {
      res.end(`{"total_num":1,"data_list":[{"task_id":"t1","extra":${deep(200_000)}}]}`);
    });
    const e = await failure(apiOn(server.base).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toBe('ListTasks: unexpected answer from the API: JSON nested deeper than 64 levels');
  });

  it('nestedDeeperThan counts arrays and objects, not brackets inside strings', () => {
    expect(nestedDeeperThan(deep(64), 64)).toBe(false);
    expect(nestedDeeperThan(deep(65), 64)).toBe(true);
    expect(nestedDeeperThan(`{"a":"${'['.repeat(500)}\\"["}`, 64)).toBe(false);
    expect(nestedDeeperThan('{"a":{"b":{"c":[1,{"d":2}]}}}', 5)).toBe(false);
    expect(nestedDeeperThan('{"a":{"b":{"c":[1,{"d":2}]}}}', 4)).toBe(true);
  });

  it('a profile store nested too deep is a configuration error (exit 3) naming the file', () => {
    const text = `{"profiles":{"a":{"region":"cn-north-4","x":${deep(200_000)}}}}`;
    const e = (() => {
      try {
        parseStore(text, '/tmp/x/config.json');
      } catch (error) {
        return error as HssError;
      }
      return undefined;
    })();
    expect(e?.exitCode).toBe(3);
    expect(e?.message).toBe('the profile store /tmp/x/config.json is nested deeper than 64 levels');
  });
});

describe('files named on the command line are read up to 4 MiB', () => {
  it('4 MiB is read whole; one byte more is a usage error (exit 2) naming the file', () => {
    const dir = tempDir();
    const exact = path.join(dir, 'exact');
    const over = path.join(dir, 'over');
    writeFileSync(exact, Buffer.alloc(4 * 1024 * 1024, 0x61));
    writeFileSync(over, Buffer.alloc(4 * 1024 * 1024 + 1, 0x61));
    expect(readFileLimited(exact, '--cluster-file "exact"')).toHaveLength(4 * 1024 * 1024);
    expect(() => readFileLimited(over, '--cluster-file "over"')).toThrow(
      expect.objectContaining({ exitCode: 2, message: '--cluster-file "over" is larger than 4 MiB' }),
    );
    expect(() => readFileLimited(dir, '--cluster-file "dir"')).toThrow(
      expect.objectContaining({ exitCode: 2, message: '--cluster-file "dir": cannot read it (EISDIR)' }),
    );
  });

  it('a CA bundle that never ends (/dev/zero) is refused after 4 MiB', () => {
    expect(() => loadCaBundle({ value: '/dev/zero', source: 'flag' })).toThrow(
      expect.objectContaining({ exitCode: 2, message: '--ca-bundle "/dev/zero": it is larger than 4 MiB' }),
    );
  });
});

describe('a 2xx answer that is not JSON', () => {
  it.each([
    [
      'text/html',
      '<html><body>Please log in</body></html>',
      'a body that is not JSON (content-type "text/html")',
    ],
    [undefined, '', 'an empty body (no content-type)'],
  ])('ListTasks, %s: an unexpected answer, exit 6, not "refused by the API"', async (type, body, what) => {
    const server = await startRecordingServer((_req, res) => {
      if (type) res.setHeader('content-type', type);
      res.end(body);
    });
    const e = await failure(apiOn(server.base, { maxAttempts: 3 }).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(6);
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.message).toBe(`ListTasks: unexpected answer from the API: HTTP 200 with ${what}`);
    expect(e.message).not.toContain('refused');
    expect(server.seen).toHaveLength(1);
  });

  it('RetryTask: any 2xx with an empty or non-JSON body is still success', async () => {
    const server = await startRecordingServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(req.url?.includes('t1') ? '<html>ok</html>' : '');
    });
    const body = {
      task_type: 'cluster_scan',
      cluster_scan_info: { range_type: 'all_failed_cluster' },
    } as const;
    await expect(apiOn(server.base).retryTask('t1', body)).resolves.toMatchObject({ status: 200 });
    await expect(apiOn(server.base).retryTask('t2', body)).resolves.toMatchObject({ status: 200 });
  });
});

describe('answers that leave fields out, as the official models allow', () => {
  const answering = (bodies: unknown[]) =>
    startRecordingServer((_req, res, n) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(bodies[Math.min(n, bodies.length) - 1]));
    });

  it('ListTasks without total_num counts data_list; without data_list is empty', async () => {
    const server = await answering([{ data_list: [{ task_id: 't1' }, { task_id: 't2' }] }, {}]);
    const api = apiOn(server.base);
    const page = await api.listTasks({}, 0, 10);
    expect(page.total).toBeUndefined();
    expect(page.tasks.map((t) => t.task_id)).toEqual(['t1', 't2']);
    expect(await api.allTasks({})).toMatchObject({ items: [], total: 0 });
  });

  it('paging without total_num goes on while pages are full and stops at a short one', async () => {
    const ids = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ task_id: `t${from + i}` }));
    const server = await answering([
      { data_list: ids(0, 200) },
      { data_list: ids(200, 200) },
      { data_list: ids(400, 7) },
    ]);
    const listing = await apiOn(server.base).allTasks({});
    expect(listing.items).toHaveLength(407);
    expect(listing.total).toBe(407);
    expect(server.seen.map((s) => s.url.replace(/^.*\?/, ''))).toEqual([
      'offset=0&limit=200',
      'offset=200&limit=200',
      'offset=400&limit=200',
    ]);
  });

  it('an entry without its ID is left out with a --debug note; the others are kept', async () => {
    const server = await answering([
      {
        total_num: 3,
        data_list: [{ task_id: 't1' }, { task_name: 'no id' }, { task_id: 't3' }],
        cluster_scan_data_list: [
          { cluster_name: 'no id' },
          { cluster_id: 'c2', scan_detail_list: [{ status: 'failed' }, { scan_type: 'benchmark' }] },
        ],
      },
    ]);
    const debug: string[] = [];
    const api = apiOn(server.base, { debug });
    const page = await api.listTasks({}, 0, 10);
    expect(page.tasks.map((t) => t.task_id)).toEqual(['t1', 't3']);
    expect(page.received).toBe(3);
    const clusters = await api.listTaskResources('t1', {}, 0, 10);
    expect(clusters.clusters).toEqual([{ cluster_id: 'c2', scan_detail_list: [{ scan_type: 'benchmark' }] }]);
    expect(debug).toEqual(
      expect.arrayContaining([
        'ListTasks: 1 of 3 tasks without task_id left out',
        'ListTaskResources: 1 of 2 clusters without cluster_id left out',
        'ListTaskResources: 1 scan items of cluster "c2" without scan_type left out',
      ]),
    );
  });

  it('entries of which none has an ID are nothing usable: an API error (exit 5)', async () => {
    const server = await answering([{ total_num: 2, data_list: [{ task_name: 'a' }, { task_name: 'b' }] }]);
    const e = await failure(apiOn(server.base).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toBe('ListTasks: unexpected answer from the API: none of the 2 tasks has a task_id');
  });

  it('a field present with the wrong type is still refused (exit 5)', async () => {
    const server = await answering([{ total_num: 'many', data_list: [] }]);
    const e = await failure(apiOn(server.base).listTasks({}, 0, 10));
    expect(e.exitCode).toBe(5);
    expect(e.message).toMatch(/^ListTasks: unexpected answer from the API \(total_num: /);
  });
});

describe('paging a server that never stops', () => {
  const page = (ids: string[], total?: number): Page<string> => ({
    items: ids,
    received: ids.length,
    bytes: 100,
    ...(total === undefined ? {} : { total }),
  });
  const options = { id: (s: string) => s, what: 'tasks', operation: 'ListTasks', hint: 'narrow it' };

  it('stops on a repeated page: one that brings nothing not seen before', async () => {
    const same = Array.from({ length: 200 }, (_, i) => `t${i}`);
    let calls = 0;
    const listing = await pageThrough(async () => {
      calls += 1;
      return page(same, 1e9);
    }, options);
    expect(calls).toBe(2);
    expect(listing.items).toHaveLength(200);
    expect(listing.stopped).toBe('the API repeated a page (offset 200, nothing new on it)');
  });

  it('a page that overlaps the last by a few (a task created while paging) is not a repeat', async () => {
    const listing = await pageThrough(
      async (offset) =>
        offset === 0
          ? page(
              Array.from({ length: 200 }, (_, i) => `t${i}`),
              250,
            )
          : page(['t198', 't199', ...Array.from({ length: 48 }, (_, i) => `u${i}`)], 250),
      options,
    );
    expect(listing.items).toHaveLength(248);
    expect(listing.stopped).toBeUndefined();
  });

  it('refuses to hold more than 100,000 items (exit 5), after no more than 501 pages', async () => {
    let calls = 0;
    const e = await failure(
      pageThrough(async (offset) => {
        calls += 1;
        return page(
          Array.from({ length: 200 }, (_, i) => `t${offset + i}`),
          1e9,
        );
      }, options),
    );
    expect(calls).toBe(501);
    expect(e.exitCode).toBe(5);
    expect(e.message).toBe(
      'ListTasks: stopped after 100200 tasks (1 MiB of answers): more than hss holds in one listing',
    );
    expect(e.hint).toBe('narrow it');
  });

  it('refuses to read more than 64 MiB of answers in one listing (exit 5)', async () => {
    let calls = 0;
    const e = await failure(
      pageThrough(async (offset) => {
        calls += 1;
        return { ...page([`t${offset}`], 1e9), received: 200, bytes: 16 * 1024 * 1024 };
      }, options),
    );
    expect(calls).toBe(5);
    expect(e.message).toBe(
      'ListTasks: stopped after 5 tasks (80 MiB of answers): more than hss holds in one listing',
    );
  });

  it('asks for no page that reaches past the API maximum offset (2,000,000)', async () => {
    const offsets: number[] = [];
    // One new ID per page of 200 entries: never a repeat, never many items held.
    const listing = await pageThrough(async (offset, limit) => {
      offsets.push(offset);
      return { ...page([`t${offset}`], 1e9), received: limit, bytes: 10 };
    }, options);
    expect(offsets.at(-1)).toBe(2_000_000 - 200);
    expect(offsets).toHaveLength(10_000);
    expect(listing.stopped).toBe('the API pages no further than offset 2000000');
  });
});

describe('server text that echoes a secret', () => {
  const SECRET = 'MIIsecretTokenValue0123456789abcdef';
  /** The longest prefix (4 characters or more) of the secret that shows in `text`; 0 when none. */
  function leakedPrefix(text: string): number {
    for (let n = SECRET.length; n >= 4; n--) if (text.includes(SECRET.slice(0, n))) return n;
    return 0;
  }
  beforeEach(() => registerSecret(SECRET));

  it('serverText masks before it cuts: no cut leaves 4 or more characters of a secret', () => {
    fc.assert(
      fc.property(fc.nat({ max: 400 }), fc.integer({ min: 1, max: 400 }), (at, max) => {
        const text = `${'x'.repeat(at)}${SECRET}${'y'.repeat(50)}`;
        expect(leakedPrefix(serverText(text, max))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('an error message that echoes the token where the 300-character cut falls', () => {
    const body = JSON.stringify({
      error_code: 'HSS.1000',
      error_msg: `${'x'.repeat(266)}${SECRET} was refused`,
    });
    const error = errorFromResponse('ListTasks', { status: 400, headers: {}, text: body, attempts: 1 });
    expect(leakedPrefix(error.message)).toBe(0);
    expect(error.message).toContain('***');
  });

  it("a credential command's stderr that ends with a secret's tail where the 2000-character cut falls", async () => {
    const e = await failure(
      runCredentialCommand('sh -c \'printf "%s%s" "$LEAK" "$PAD" >&2; exit 1\'', {
        origin: 'profile "p"',
        hint: 'fix it',
        env: { PATH: process.env['PATH'], LEAK: SECRET, PAD: 'y'.repeat(1990) },
        signal: new AbortController().signal,
      }),
    );
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain('***');
    // A suffix would leak as much as a prefix: no 4 characters of the secret in a row.
    for (let at = 0; at + 4 <= SECRET.length; at++) expect(e.message).not.toContain(SECRET.slice(at, at + 4));
  });

  it('a --debug body that echoes the token where the 2000-character cut falls', async () => {
    const server = await startRecordingServer((_req, res) => {
      res.statusCode = 400;
      res.end(`${'x'.repeat(1990)}${SECRET}`);
    });
    const debug: string[] = [];
    await failure(apiOn(server.base, { debug }).listTasks({}, 0, 10));
    const body = debug.find((l) => l.startsWith('< x'));
    expect(body).toBeDefined();
    expect(leakedPrefix(debug.join('\n'))).toBe(0);
  });
});
