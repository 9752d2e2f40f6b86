/**
 * Hostile input end to end: generated arguments and files given to the built CLI. The in-process
 * parsers are the oracle: what they refuse, the CLI refuses with exit 2, one line, and zero requests;
 * what they accept is sent.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskId } from '../../src/api/schemas.js';
import { parseDuration, parseInteger } from '../../src/core/duration.js';
import { ClusterIdList, ScanTypeList } from '../../src/core/rules.js';
import { buildRetryBody, parseClusterFile, parseClusterSpec } from '../../src/tasks/cluster-specs.js';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';
import { type Handler, startRecordingServer } from '../helpers/recording-server.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();

function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text a command line can carry: no NUL, well-formed Unicode, not mistaken for an option. */
const argText = fc
  .oneof(
    fc.string({ unit: 'binary', maxLength: 70 }),
    fc.string({
      unit: fc.constantFrom(
        'a',
        '0',
        '-',
        '_',
        ':',
        ',',
        ' ',
        '\t',
        '\n',
        '\u001b',
        '\u2028',
        'é',
        '😀',
        '#',
      ),
      maxLength: 70,
    }),
    fc.integer({ min: 62, max: 66 }).map((n) => 'x'.repeat(n)),
  )
  .filter((s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s) && !s.startsWith('-'));

const RUNS = { numRuns: 12 };

interface Run {
  args: string[];
  input?: string;
  valid: boolean;
}

async function check({ args, input, valid }: Run): Promise<void> {
  sb.sandbox.reset();
  const r = await hss(args, { env: sb.env(), ...(input === undefined ? {} : { input }) });
  if (valid) {
    expect(sb.sandbox.requests, r.stderr).toHaveLength(1);
    expect([0, 5]).toContain(r.exitCode);
    return;
  }
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^error: \S/);
  // The error and at most a hint: never a stack trace.
  expect(lines.length).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
  expect(sb.sandbox.requests).toHaveLength(0);
}

describe('generated bad input never reaches the network', () => {
  it('task IDs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(argText, fc.constant('task-0001')), async (id) => {
        await check({ args: ['task', 'retry', id, '--all-failed'], valid: TaskId.safeParse(id).success });
      }),
      RUNS,
    );
  });

  it('--cluster specs', async () => {
    const spec = fc.oneof(
      argText,
      fc
        .tuple(
          argText,
          fc.array(fc.constantFrom('cluster_vul', 'benchmark', 'vuln', '', ' risk_assessment'), {
            maxLength: 4,
          }),
        )
        .map(([id, types]) => `${id}:${types.join(',')}`),
    );
    await fc.assert(
      fc.asyncProperty(spec, async (s) => {
        await check({
          args: ['task', 'retry', 'task-0001', '--cluster', s],
          valid: accepts(() => parseClusterSpec(s)),
        });
      }),
      RUNS,
    );
  });

  it('cluster files on standard input', async () => {
    const line = fc.oneof(argText, fc.constantFrom('', '# note', 'cce-prod-02:benchmark', 'c-1 # x'));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 6 }), async (lines) => {
        const text = lines.join('\n');
        await check({
          args: ['task', 'retry', 'task-0001', '--cluster-file', '-'],
          input: text,
          valid: accepts(() =>
            buildRetryBody({ kind: 'clusters', clusters: parseClusterFile(text, 'f'), origin: 'f' }),
          ),
        });
      }),
      RUNS,
    );
  });

  it('task create: --cluster and --scan-types values', async () => {
    const types = fc.oneof(
      argText,
      fc.constantFrom('benchmark', 'cluster_vul,benchmark', 'vuln', ' risk_assessment'),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(argText, fc.constant('cce-prod-01')), types, async (id, scanTypes) => {
        await check({
          args: ['task', 'create', '--cluster', id, '--scan-types', scanTypes],
          valid:
            ClusterIdList.safeParse([id]).success &&
            ScanTypeList.safeParse(scanTypes.split(',').map((t) => t.trim())).success,
        });
      }),
      RUNS,
    );
  });

  it('--timeout and --max-attempts values', async () => {
    const value = fc.oneof(
      argText,
      fc.constantFrom('0', '0s', '500ms', '2s', '1.5', '-1', '8d', '99999999999', '3', '11', ' 2 ', '1e3'),
    );
    await fc.assert(
      fc.asyncProperty(value, fc.boolean(), async (v, timeout) => {
        const flag = timeout ? '--timeout' : '--max-attempts';
        await check({
          args: ['task', 'retry', 'task-0001', '--all-failed', flag, v],
          valid: accepts(() => (timeout ? parseDuration(v, flag) : parseInteger(v, flag, 1, 10))),
        });
      }),
      RUNS,
    );
  });
});

/* ------------------------------------------------------------------------------------------------ */
/* A server (or proxy) that lies: what the built CLI makes of it                                    */
/* ------------------------------------------------------------------------------------------------ */

const TOKEN = 'MIIsecretTokenValue0123456789abcdef';

/** A recording server standing in for HSS, and the environment that points the CLI at it. */
async function lyingServer(handler: Handler) {
  const server = await startRecordingServer(handler);
  const env = { HSS_ENDPOINT: server.base, HSS_TOKEN: TOKEN, HSS_PROJECT_ID: 'p1', HSS_REGION: 'cn-north-4' };
  return { server, env };
}

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const isResources = (req: IncomingMessage) => (req.url ?? '').includes('/resources/');
/** The offset a list request asks for. */
const offsetOf = (req: IncomingMessage) => Number(/[?&]offset=(\d+)/.exec(req.url ?? '')?.[1] ?? '0');

/** stderr is one error line, and at most a hint and a details line: never a stack trace. */
function expectOneError(stderr: string, first: string | RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  if (typeof first === 'string') expect(lines[0]).toBe(first);
  else expect(lines[0]).toMatch(first);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(lines.length).toBeLessThanOrEqual(3);
}

/** The longest prefix (4 characters or more) of the token in `text`; 0 when none shows. */
function leakedPrefix(text: string): number {
  for (let n = TOKEN.length; n >= 4; n--) if (text.includes(TOKEN.slice(0, n))) return n;
  return 0;
}

describe('a compressed answer that inflates without end (gzip bomb)', () => {
  /** 1 GiB of zeros as 64 gzip members of 16 MiB each: about 1 MB on the wire. */
  const bomb = (() => {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    return Buffer.concat(Array.from({ length: 64 }, () => member));
  })();

  it.each([
    ['node:http', {}],
    ['undici (a proxy is set)', { HTTPS_PROXY: 'http://127.0.0.1:9' }],
  ])('%s: refused at 16 MiB decoded, exit 5, one line, no stack', async (_name, extra) => {
    const { server, env } = await lyingServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const r = await hss(['task', 'list'], { env: { ...env, ...extra } });
    expect(r.exitCode, r.stderr).toBe(5);
    expectOneError(
      r.stderr,
      `error: ListTasks: the answer from 127.0.0.1:${server.port} is larger than 16777216 bytes; refused`,
    );
    expect(r.stdout).toBe('');
  });
});

describe('paging a server that never stops', () => {
  const page = (offset: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ task_id: `t${offset + i}` }));

  it('task list --all: total_num 10^9 and the same page again stops at the repeat, with a warning', async () => {
    const { server, env } = await lyingServer((_req, res) =>
      json(res, { total_num: 1e9, data_list: page(0, 200) }),
    );
    const r = await hss(['task', 'list', '--all', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(server.seen).toHaveLength(2);
    expect(JSON.parse(r.stdout).tasks).toHaveLength(200);
    expect(r.stderr).toBe(
      'warning: the listing stops at 200 tasks: the API repeated a page (offset 200, nothing new on it)\n',
    );
  });

  it('task show: cluster pages that repeat stop at the repeat, and what was read is shown', async () => {
    const { server, env } = await lyingServer((req, res) => {
      if (isResources(req)) json(res, { total_num: 1e9, cluster_scan_data_list: [{ cluster_id: 'c1' }] });
      else json(res, { total_num: 1, data_list: [{ task_id: 't1', task_status: 'finished' }] });
    });
    const r = await hss(['task', 'show', 't1'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(server.seen.filter((s) => s.url.includes('/resources/'))).toHaveLength(2);
    expect(r.stdout).toContain('c1');
  });

  it('task list --all: fresh IDs without end stop at 100,000 tasks, exit 5, after at most 501 requests', async () => {
    const { server, env } = await lyingServer((req, res) =>
      json(res, { total_num: 1e9, data_list: page(offsetOf(req), 200) }),
    );
    const r = await hss(['task', 'list', '--all'], { env, timeoutMs: 60_000 });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(server.seen.length).toBeLessThanOrEqual(501);
    expectOneError(
      r.stderr,
      /^error: ListTasks: stopped after 100200 tasks \(\d+ MiB of answers\): more than hss holds in one listing$/,
    );
  });

  it('task wait: --wait-timeout bounds reading the failed clusters of a finished task', async () => {
    const { server, env } = await lyingServer((req, res) => {
      if (!isResources(req)) {
        json(res, {
          total_num: 1,
          data_list: [
            { task_id: 't1', task_status: 'finished', cluster_scan_info: { failed_cluster_num: 3 } },
          ],
        });
        return;
      }
      // Slow pages of fresh clusters, claiming there are always more.
      const offset = offsetOf(req);
      const clusters = Array.from({ length: 200 }, (_, i) => ({ cluster_id: `c${offset + i}` }));
      setTimeout(() => json(res, { total_num: 1e9, cluster_scan_data_list: clusters }), 200);
    });
    const started = Date.now();
    const r = await hss(['task', 'wait', 't1', '--wait-timeout', '1500ms'], { env });
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(r.exitCode, r.stderr).toBe(7);
    expect(r.stdout).toContain('finished: 3 of 3 clusters failed');
    expect(server.seen.filter((s) => s.url.includes('/resources/')).length).toBeLessThan(15);
  });
});

describe('a task status hss does not know', () => {
  const status = 'finished\u001b]0;pwned\u0007';
  const serve = () =>
    lyingServer((_req, res) =>
      json(res, { total_num: 1, data_list: [{ task_id: 't1', task_status: status }] }),
    );

  it('task wait ends with exit 5 after three polls, naming the status escaped', async () => {
    const { server, env } = await serve();
    const r = await hss(['task', 'wait', 't1', '--interval', '100ms'], { env });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(server.seen).toHaveLength(3);
    const error = r.stderr.split('\n').find((l) => l.startsWith('error: '));
    expect(error).toBe(
      'error: task t1: the API reports task_status "finished\\u001b]0;pwned\\u0007", which is none of ready, running, finished; hss cannot tell whether the task has finished',
    );
  });

  it('at --wait-timeout before the third poll: still exit 5, not a time-out', async () => {
    const { env } = await serve();
    const r = await hss(['task', 'wait', 't1', '--interval', '10s', '--wait-timeout', '500ms', '--json'], {
      env,
    });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'API', exit_code: 5 });
  });
});

describe('server text that echoes the token', () => {
  it('in a long error message: masked before it is cut, in text and JSON', async () => {
    const { env } = await lyingServer((_req, res) =>
      json(res, { error_code: 'HSS.1000', error_msg: `${'x'.repeat(266)}${TOKEN} is not allowed` }, 400),
    );
    for (const args of [
      ['task', 'list'],
      ['task', 'list', '--json'],
    ]) {
      const r = await hss(args, { env });
      expect(r.exitCode, r.stderr).toBe(5);
      expect(leakedPrefix(r.stdout + r.stderr)).toBe(0);
      expect(r.stdout + r.stderr).toContain('***');
    }
  });

  it('in a --debug body: masked before it is cut', async () => {
    const { env } = await lyingServer((_req, res) => {
      res.statusCode = 400;
      res.end(`${'x'.repeat(1990)}${TOKEN}`);
    });
    const r = await hss(['task', 'list', '--debug'], { env });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(r.stderr).toContain('debug: < xxxx');
    expect(leakedPrefix(r.stdout + r.stderr)).toBe(0);
  });
});

describe('a malformed proxy URL with a password', () => {
  // Too short to be registered as a secret: only masking the URL's text keeps it out.
  const proxy = 'http://bob:Pw9@127.0.0.1:99999';

  it('is exit 3, and the password shows nowhere: error, JSON message, config show', async () => {
    const { server, env } = await lyingServer(() => {});
    const withProxy = { ...env, HTTPS_PROXY: proxy, HTTP_PROXY: proxy };
    const r = await hss(['task', 'list'], { env: withProxy });
    expect(r.exitCode).toBe(3);
    expectOneError(
      r.stderr,
      /^error: (HTTPS|HTTP)_PROXY "http:\/\/bob:\*\*\*@127\.0\.0\.1:99999": not a proxy URL$/,
    );
    const j = await hss(['task', 'list', '--json'], { env: withProxy });
    expect(JSON.parse(j.stdout).error.message).toContain('http://bob:***@127.0.0.1:99999');
    const show = await hss(['config', 'show'], { env: withProxy });
    const showJson = await hss(['config', 'show', '--json'], { env: withProxy });
    expect(JSON.parse(showJson.stdout).settings.https_proxy.value).toBe('http://bob:***@127.0.0.1:99999');
    for (const out of [r, j, show, showJson]) expect(out.stdout + out.stderr).not.toContain('Pw9');
    expect(server.seen).toHaveLength(0);
  });
});

describe('unbounded inputs', () => {
  it('--cluster-file /dev/zero: exit 2 after reading 4 MiB, nothing sent', async () => {
    const { server, env } = await lyingServer(() => {});
    const started = Date.now();
    const r = await hss(['task', 'retry', 't1', '--cluster-file', '/dev/zero'], { env });
    expect(r.exitCode).toBe(2);
    expectOneError(r.stderr, 'error: --cluster-file "/dev/zero" is larger than 4 MiB');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.seen).toHaveLength(0);
  });

  it('an answer nested 200,000 deep: exit 5 with a clear message, in text and JSON', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const { env } = await lyingServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(`{"total_num":1,"data_list":[{"task_id":"t1","extra":${deep}}]}`);
    });
    const message = 'ListTasks: unexpected answer from the API: JSON nested deeper than 64 levels';
    const text = await hss(['task', 'list'], { env });
    expect(text.exitCode, text.stderr).toBe(5);
    expectOneError(text.stderr, `error: ${message}`);
    const j = await hss(['task', 'list', '--json'], { env });
    expect(j.exitCode, j.stderr).toBe(5);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'API', message });
  });

  it('standard output on a full disk: one line on stderr, exit 1, no stack', async () => {
    const { env } = await lyingServer((_req, res) =>
      json(res, { total_num: 1, data_list: [{ task_id: 't1' }] }),
    );
    for (const args of [
      ['help', 'exit-codes'],
      ['task', 'list'],
      ['task', 'list', '--json'],
    ]) {
      const full = openSync('/dev/full', 'w');
      try {
        // The descriptor itself, not a pipe: the CLI's own writes meet ENOSPC.
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { ...baseEnv(tempDir()), ...env },
          stdio: ['ignore', full, 'pipe'],
        });
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
        });
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        expect(code, stderr).toBe(1);
        expect(stderr).toBe(
          'error: cannot write to standard output (ENOSPC: no space left on device, write)\n',
        );
      } finally {
        closeSync(full);
      }
    }
  });
});

describe('a proxy that refuses every tunnel', () => {
  /** Counts CONNECT requests and closes each connection as soon as it has one. */
  async function refusingProxy() {
    let connects = 0;
    const sockets = new Set<Socket>();
    const server = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.once('data', (data) => {
        if (data.toString('latin1').startsWith('CONNECT ')) connects += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      connects: () => connects,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  }

  it.each([1, 3])(
    '--max-attempts %i: that many CONNECTs, exit 6 at once, nothing after',
    async (attempts) => {
      const proxy = await refusingProxy();
      try {
        const started = Date.now();
        const r = await hss(['task', 'list', '--max-attempts', String(attempts)], {
          env: {
            HSS_ENDPOINT: 'https://hss.cn-north-4.myhuaweicloud.com',
            HSS_TOKEN: TOKEN,
            HSS_PROJECT_ID: 'p1',
            HTTPS_PROXY: proxy.url,
          },
        });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(r.exitCode, r.stderr).toBe(6);
        expectOneError(
          r.stderr,
          `error: ListTasks: cannot reach hss.cn-north-4.myhuaweicloud.com${attempts > 1 ? ` after ${attempts} attempts` : ''}: ECONNRESET the proxy closed the connection instead of opening a tunnel (other side closed)`,
        );
        expect(proxy.connects()).toBe(attempts);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(proxy.connects()).toBe(attempts);
      } finally {
        await proxy.close();
      }
    },
  );
});

describe('a 2xx answer that is not JSON', () => {
  it('task list: an unexpected answer, exit 6; task retry: accepted, exit 0', async () => {
    const { server, env } = await lyingServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in to continue</body></html>');
    });
    const list = await hss(['task', 'list'], { env });
    expect(list.exitCode, list.stderr).toBe(6);
    expectOneError(
      list.stderr,
      'error: ListTasks: unexpected answer from the API: HTTP 200 with a body that is not JSON (content-type "text/html")',
    );
    const retry = await hss(['task', 'retry', 't1', '--all-failed'], { env });
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(server.seen.map((s) => s.method)).toEqual(['POST', 'PUT']);
  });
});

describe('error bodies in every form the official SDKs read', () => {
  it('403 {"error":{"error_code","error_msg","encoded_authorization_message"}}: exit 4, all three in JSON', async () => {
    const { env } = await lyingServer((_req, res) =>
      json(
        res,
        { error: { error_code: 'HSS.0403', error_msg: 'denied', encoded_authorization_message: 'QUJDREVG' } },
        403,
      ),
    );
    const r = await hss(['task', 'list', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(4);
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'AUTH',
      message: 'ListTasks was refused: permission denied: denied',
      api_error_code: 'HSS.0403',
      encoded_authorization_message: 'QUJDREVG',
      http_status: 403,
    });
  });

  it.each([
    ['{"errorCode","errorMsg"}', { errorCode: 'HSS.1001', errorMsg: 'camel' }, 'HSS.1001', 'camel'],
    ['top-level {"code","message"}', { code: 'APIGW.0101', message: 'generic' }, 'APIGW.0101', 'generic'],
    ['{"x":{"code","message"}}', { x: { code: 'Y.0002', message: 'under x' } }, 'Y.0002', 'under x'],
  ])('400 %s: exit 5, the code and message shown', async (_name, body, code, message) => {
    const { env } = await lyingServer((_req, res) => json(res, body, 400));
    const r = await hss(['task', 'list'], { env });
    expect(r.exitCode, r.stderr).toBe(5);
    expect(r.stderr).toBe(
      `error: ListTasks was refused by the API: ${message}\n  error_code ${code} · HTTP 400\n`,
    );
  });
});

describe('answers that leave fields out', () => {
  it('no total_num and an entry without task_id: the others listed, counted, with a --debug note', async () => {
    const { env } = await lyingServer((_req, res) =>
      json(res, { data_list: [{ task_id: 't1' }, { task_name: 'no id' }, { task_id: 't3' }] }),
    );
    const r = await hss(['task', 'list', '--json', '--debug'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.tasks.map((t: { task_id: string }) => t.task_id)).toEqual(['t1', 't3']);
    expect(doc.total_num).toBe(3);
    expect(r.stderr).toContain('debug: ListTasks: 1 of 3 tasks without task_id left out');
  });
});
