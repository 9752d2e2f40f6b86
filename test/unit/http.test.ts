import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiRequest,
  type ApiResponse,
  backoffDelay,
  errorFromResponse,
  HttpClient,
  type HttpOptions,
  parseErrorBody,
  parseRetryAfter,
} from '../../src/api/http.js';
import {
  ApiError,
  AuthError,
  HssError,
  InterruptedError,
  RequestTimeoutError,
  UnavailableError,
} from '../../src/core/errors.js';
import { errorJson } from '../../src/output/renderer.js';
import { startRecordingServer } from '../helpers/recording-server.js';

/* ------------------------------------------------------------------------------------------------ */
/* Pure parts                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

describe('parseErrorBody', () => {
  it.each([
    [
      'the HSS/APIGW form',
      '{"error_code":"HSS.1005","error_msg":"task is running","error_description":"x"}',
      { code: 'HSS.1005', message: 'task is running' },
    ],
    ['the HSS form without a message', '{"error_code":"APIGW.0301"}', { code: 'APIGW.0301' }],
    [
      'the gateway form',
      '{"error":{"code":"APIGW.0307","message":"token expires"}}',
      { code: 'APIGW.0307', message: 'token expires' },
    ],
    [
      'the gateway form with a numeric code',
      '{"error":{"code":401,"message":"nope"}}',
      { code: '401', message: 'nope' },
    ],
    ['the gateway form with only a message', '{"error":{"message":"only this"}}', { message: 'only this' }],
    ['plain text', 'Service Unavailable', { message: 'Service Unavailable' }],
    ['plain text with spaces around', '  \n bad gateway \n', { message: 'bad gateway' }],
    ['an empty body', '', {}],
    ['a blank body', '  \r\n ', {}],
    ['HTML', '<html><body>502</body></html>', { message: '<html><body>502</body></html>' }],
    ['broken JSON', '{"error_code":', { message: '{"error_code":' }],
    ['JSON of another shape', '{"status":"fail"}', { message: '{"status":"fail"}' }],
    ['a numeric error_code (the SDKs take any value as the code)', '{"error_code":1005}', { code: '1005' }],
    ['an empty error object', '{"error":{}}', { message: '{"error":{}}' }],
    ['a JSON array', '[1,2]', { message: '[1,2]' }],
    ['JSON null', 'null', { message: 'null' }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseErrorBody(text)).toStrictEqual(expected);
  });

  // The forms the official SDKs read (huaweicloud-sdk-*-v3 core: error handlers), each with the exact
  // code and message expected.
  it.each([
    ['camel case', '{"errorCode":"HSS.1001","errorMsg":"camel"}', { code: 'HSS.1001', message: 'camel' }],
    [
      'a top-level code and message',
      '{"code":"APIGW.0101","message":"top"}',
      { code: 'APIGW.0101', message: 'top' },
    ],
    [
      'a top-level numeric code',
      '{"code":400,"message":"Bad Request"}',
      { code: '400', message: 'Bad Request' },
    ],
    [
      'error_code nested under error',
      '{"error":{"error_code":"HSS.2002","error_msg":"nested"}}',
      { code: 'HSS.2002', message: 'nested' },
    ],
    [
      'camel case nested under error',
      '{"error":{"errorCode":"HSS.2003","errorMsg":"nested camel"}}',
      { code: 'HSS.2003', message: 'nested camel' },
    ],
    [
      'a form nested under any key',
      '{"x":{"code":"Y.0002","message":"under x"}}',
      { code: 'Y.0002', message: 'under x' },
    ],
    [
      'error_code before code at the same level',
      '{"code":"C.1","message":"generic","error_code":"E.1","error_msg":"hss"}',
      { code: 'E.1', message: 'hss' },
    ],
    [
      'errorCode before code at the same level',
      '{"message":"generic","code":"C.1","errorMsg":"camel","errorCode":"E.2"}',
      { code: 'E.2', message: 'camel' },
    ],
    [
      'the top level before a nested form',
      '{"error":{"code":"B.1","message":"nested"},"error_code":"A.1","error_msg":"top"}',
      { code: 'A.1', message: 'top' },
    ],
    [
      'a nested complete pair before a top-level lone code',
      '{"code":500,"error":{"code":"IAM.0001","message":"full"}}',
      { code: 'IAM.0001', message: 'full' },
    ],
    ['a lone top-level message', '{"message":"Not Found"}', { message: 'Not Found' }],
    ['a lone camel-case code', '{"errorCode":"HSS.9"}', { code: 'HSS.9' }],
    [
      'encoded_authorization_message at the top level',
      '{"error_code":"X.0403","error_msg":"denied","encoded_authorization_message":"Egpjbi1ub*****GoxMzgrcA=="}',
      { code: 'X.0403', message: 'denied', encodedAuthorizationMessage: 'Egpjbi1ub*****GoxMzgrcA==' },
    ],
    [
      'encoded_authorization_message one level down',
      '{"error":{"code":"X.0403","message":"denied","encoded_authorization_message":"E2=="}}',
      { code: 'X.0403', message: 'denied', encodedAuthorizationMessage: 'E2==' },
    ],
    [
      'nothing two levels down (the SDKs read one)',
      '{"a":{"b":{"code":"X","message":"deep"}}}',
      { message: '{"a":{"b":{"code":"X","message":"deep"}}}' },
    ],
    [
      'blank values as absent',
      '{"error_code":" ","error_msg":"","code":"K.1","message":"kept"}',
      { code: 'K.1', message: 'kept' },
    ],
  ])('reads %s', (_name, text, expected) => {
    expect(parseErrorBody(text)).toStrictEqual(expected);
  });

  it('escapes and cuts what the forms carry', () => {
    const parsed = parseErrorBody(
      JSON.stringify({ errorCode: 'A\u001b[2J', errorMsg: `m\u001b]0;t\u0007${'x'.repeat(400)}` }),
    );
    expect(parsed.code).toBe('A\\u001b[2J');
    expect(parsed.message?.startsWith('m\\u001b]0;t\\u0007xx')).toBe(true);
    expect(parsed.message).toHaveLength(301);
  });

  it('cuts a long text body to 300 characters', () => {
    const parsed = parseErrorBody('x'.repeat(1000));
    expect(parsed.message).toBe(`${'x'.repeat(300)}…`);
  });
});

function response(status: number, text = '', requestId?: string, attempts = 1): ApiResponse {
  const out: ApiResponse = { status, headers: {}, text, attempts };
  if (requestId) out.requestId = requestId;
  return out;
}

describe('errorFromResponse', () => {
  const BODY = '{"error_code":"HSS.1005","error_msg":"the task is still running"}';

  it.each([401, 403])('maps %d to AuthError (exit 4) with a hint', (status) => {
    const error = errorFromResponse('RetryTask t1', response(status, BODY, 'req-1'));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('AUTH');
    expect(error.exitCode).toBe(4);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('HSS.1005');
    expect(error.requestId).toBe('req-1');
    expect(error.hint).toBeTruthy();
    expect(error.message).toContain('RetryTask t1');
    expect(error.message).toContain('the task is still running');
    expect(error.message).toContain(status === 401 ? 'authentication failed' : 'permission denied');
  });

  it('uses the caller hint for 401/403 when given', () => {
    const error = errorFromResponse('IAM login', response(401), 'run `hss auth login` again');
    expect(error.hint).toBe('run `hss auth login` again');
  });

  it.each([429, 500, 502, 503, 504])('maps %d to UnavailableError (exit 6)', (status) => {
    const error = errorFromResponse('ListTasks', response(status, BODY, 'req-2', 3));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.exitCode).toBe(6);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('HSS.1005');
    expect(error.requestId).toBe('req-2');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('after 3 attempts');
  });

  it.each([400, 404, 409])('maps %d to ApiError (exit 5)', (status) => {
    const error = errorFromResponse('RetryTask t1', response(status, BODY, 'req-3'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('API');
    expect(error.exitCode).toBe(5);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('HSS.1005');
    expect(error.requestId).toBe('req-3');
    expect(error.message).toBe('RetryTask t1 was refused by the API: the task is still running');
  });

  it('names the HTTP status when the body says nothing, and leaves absent fields out', () => {
    const error = errorFromResponse('RetryTask t1', response(404));
    expect(error.message).toBe('RetryTask t1 was refused by the API (HTTP 404)');
    expect(error.apiErrorCode).toBeUndefined();
    expect(error.requestId).toBeUndefined();
  });

  it('carries encoded_authorization_message into the error and its JSON', () => {
    const error = errorFromResponse(
      'ListTasks',
      response(
        403,
        '{"error":{"code":"APIGW.0302","message":"no permission","encoded_authorization_message":"QUJD"}}',
      ),
    );
    expect(error).toBeInstanceOf(AuthError);
    expect(error.apiErrorCode).toBe('APIGW.0302');
    expect(error.message).toBe('ListTasks was refused: permission denied: no permission');
    expect(error.encodedAuthorizationMessage).toBe('QUJD');
    expect(errorJson(error)).toMatchObject({
      api_error_code: 'APIGW.0302',
      encoded_authorization_message: 'QUJD',
    });
  });

  it('reads the gateway body form too', () => {
    const error = errorFromResponse(
      'x',
      response(401, '{"error":{"code":"APIGW.0301","message":"bad sig"}}'),
    );
    expect(error.apiErrorCode).toBe('APIGW.0301');
    expect(error.message).toContain('bad sig');
  });
});

describe('parseRetryAfter', () => {
  const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

  it.each([
    ['0', 0],
    ['1', 1000],
    ['120', 120_000],
    [' 5 ', 5000],
  ])('reads %j seconds', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it('reads an HTTP date as the time from now', () => {
    expect(parseRetryAfter(new Date(NOW + 30_000).toUTCString(), NOW)).toBe(30_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:01:00 GMT', NOW)).toBe(60_000);
  });

  it('reads a date in the past as zero', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it.each([undefined, '', 'soon', 'tomorrow-ish'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('is full jitter: 0 ≤ d ≤ min(cap, base·2^(n-1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(attempt, undefined, () => r);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(Math.min(20_000, 200 * 2 ** (attempt - 1)));
          expect(Number.isInteger(d)).toBe(true);
        },
      ),
    );
  });

  it('spans the whole window: 0 at random 0, just under the bound near 1', () => {
    expect(backoffDelay(1, undefined, () => 0)).toBe(0);
    expect(backoffDelay(1, undefined, () => 0.5)).toBe(100);
    expect(backoffDelay(3, undefined, () => 0.5)).toBe(400);
    expect(backoffDelay(3, undefined, () => 0.9999)).toBe(799);
    expect(backoffDelay(20, undefined, () => 0.5)).toBe(10_000);
    expect(backoffDelay(20, undefined, () => 0.99999)).toBe(19_999);
  });

  it('honours custom base and cap', () => {
    expect(backoffDelay(2, undefined, () => 0.5, 10, 1000)).toBe(10);
    expect(backoffDelay(30, undefined, () => 0.5, 10, 1000)).toBe(500);
  });

  it('uses Retry-After as is, capped at the cap, ignoring jitter', () => {
    expect(backoffDelay(1, 3000, () => 0)).toBe(3000);
    expect(backoffDelay(5, 0, () => 0.9)).toBe(0);
    expect(backoffDelay(1, 60_000, () => 0)).toBe(20_000);
    expect(backoffDelay(1, 60_000, () => 0, 200, 5000)).toBe(5000);
  });
});

/* ------------------------------------------------------------------------------------------------ */
/* HttpClient against a real local server                                                           */
/* ------------------------------------------------------------------------------------------------ */

function reply(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'X-Request-Id': `rid-${status}`, ...headers });
  res.end(body);
}

function retryRequest(base: string): ApiRequest {
  return {
    method: 'PUT',
    url: new URL(`${base}/v5/proj/common/tasks/t1/retry?enterprise_project_id=0`),
    headers: { 'Content-Type': 'application/json' },
    body: '{"task_type":"cluster_scan"}',
    operation: 'RetryTask t1',
  };
}

function client(options: Partial<HttpOptions> = {}) {
  const waits: number[] = [];
  const http = new HttpClient({
    timeoutMs: 2000,
    maxAttempts: 3,
    userAgent: 'hss-cli/0.0.0-test node/20 linux',
    signal: new AbortController().signal,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
  return { http, waits };
}

async function rejection(promise: Promise<unknown>): Promise<HssError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HssError);
    return error as HssError;
  }
  throw new Error('expected a rejection');
}

describe('HttpClient', () => {
  it('sends the method, URL, headers, user agent and body as given', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 200));
    const { http } = client();
    const res = await http.send(retryRequest(server.base));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(res.requestId).toBe('rid-200');
    expect(res.attempts).toBe(1);
    expect(server.seen).toHaveLength(1);
    const [seen] = server.seen;
    expect(seen?.method).toBe('PUT');
    expect(seen?.url).toBe('/v5/proj/common/tasks/t1/retry?enterprise_project_id=0');
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers['user-agent']).toBe('hss-cli/0.0.0-test node/20 linux');
    expect(seen?.body).toBe('{"task_type":"cluster_scan"}');
  });

  it('retries 503 and then succeeds', async () => {
    const server = await startRecordingServer((_req, res, n) =>
      n < 3 ? reply(res, 503, 'busy') : reply(res, 200, '{}'),
    );
    const { http, waits } = client({ maxAttempts: 3 });
    const res = await http.send(retryRequest(server.base));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(server.seen).toHaveLength(3);
    // random 0.5: half of 200·2^0 and of 200·2^1.
    expect(waits).toEqual([100, 200]);
    // Every attempt carries the same request.
    expect(new Set(server.seen.map((s) => `${s.method} ${s.url} ${s.body}`)).size).toBe(1);
  });

  it.each([429, 500, 502, 504])('retries %d too', async (status) => {
    const server = await startRecordingServer((_req, res, n) =>
      n === 1 ? reply(res, status) : reply(res, 200),
    );
    const { http } = client();
    expect((await http.send(retryRequest(server.base))).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it('gives up after maxAttempts with an exit-6 error naming the attempts', async () => {
    const server = await startRecordingServer((_req, res) =>
      reply(res, 503, '{"error_code":"HSS.0503","error_msg":"overloaded"}'),
    );
    const { http, waits } = client({ maxAttempts: 4 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.exitCode).toBe(6);
    expect(error.message).toContain('after 4 attempts');
    expect(error.message).toContain('HTTP 503');
    expect(error.message).toContain('overloaded');
    expect(error.httpStatus).toBe(503);
    expect(error.apiErrorCode).toBe('HSS.0503');
    expect(error.requestId).toBe('rid-503');
    expect(server.seen).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('makes one attempt only with maxAttempts 1', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 503));
    const { http, waits } = client({ maxAttempts: 1 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error.exitCode).toBe(6);
    expect(error.message).not.toContain('attempts');
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each([
    [401, AuthError, 4],
    [403, AuthError, 4],
    [400, ApiError, 5],
    [404, ApiError, 5],
  ])('never retries %d', async (status, type, exitCode) => {
    const server = await startRecordingServer((_req, res) =>
      reply(res, status, '{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}'),
    );
    const { http, waits } = client({ maxAttempts: 5, authHint: 'refresh it' });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(type);
    expect(error.exitCode).toBe(exitCode);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('APIGW.0301');
    expect(error.requestId).toBe(`rid-${status}`);
    if (exitCode === 4) expect(error.hint).toBe('refresh it');
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('exchange returns the final answer whatever its status', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 404, 'no such task'));
    const { http } = client();
    const res = await http.exchange(retryRequest(server.base));
    expect(res.status).toBe(404);
    expect(res.text).toBe('no such task');
    expect(server.seen).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const server = await startRecordingServer((_req, res, n) =>
      n === 1 ? reply(res, 302, '', { Location: '/elsewhere' }) : reply(res, 200),
    );
    const { http } = client();
    const res = await http.exchange(retryRequest(server.base));
    expect(res.status).toBe(302);
    expect(server.seen).toHaveLength(1);
  });

  it.each([
    ['2', 2000],
    ['0', 0],
    ['3600', 20_000],
  ])('honours Retry-After %j (capped at 20 s)', async (value, wait) => {
    const server = await startRecordingServer((_req, res, n) =>
      n === 1 ? reply(res, 429, '', { 'Retry-After': value }) : reply(res, 200),
    );
    const { http, waits } = client();
    await http.send(retryRequest(server.base));
    expect(waits).toEqual([wait]);
    expect(server.seen).toHaveLength(2);
  });

  it('honours a Retry-After date, capped at a custom cap', async () => {
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const server = await startRecordingServer((_req, res, n) =>
      n === 1 ? reply(res, 503, '', { 'Retry-After': later }) : reply(res, 200),
    );
    const { http, waits } = client({ backoffCapMs: 1500 });
    await http.send(retryRequest(server.base));
    expect(waits).toEqual([1500]);
  });

  it('times out a server that never answers: RequestTimeoutError, TIMEOUT, exit 6', async () => {
    const server = await startRecordingServer(() => {
      /* never answers */
    });
    const { http } = client({ timeoutMs: 200, maxAttempts: 1 });
    const started = Date.now();
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.exitCode).toBe(6);
    expect(error.message).toContain('within 200 ms');
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.seen).toHaveLength(1);
  });

  it('retries a timeout and names the attempts', async () => {
    const server = await startRecordingServer(() => {});
    const { http, waits } = client({ timeoutMs: 150, maxAttempts: 2 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.message).toContain('after 2 attempts');
    expect(server.seen).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('times out a body that stalls after the headers', async () => {
    const server = await startRecordingServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"total_num":');
    });
    const { http } = client({ timeoutMs: 200, maxAttempts: 1 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(RequestTimeoutError);
  });

  it('reports a refused connection as UnavailableError after every attempt', async () => {
    const server = await startRecordingServer(() => {});
    await server.close();
    const { http, waits } = client({ maxAttempts: 3 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.exitCode).toBe(6);
    expect(error.message).toContain(`cannot reach 127.0.0.1:${server.port}`);
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.hint).toBeTruthy();
    expect(waits).toHaveLength(2);
  });

  it('writes debug lines with the method and URL but never the X-Auth-Token value', async () => {
    const TOKEN = 'MIIT0kenValue-abcdef-0123456789-secret';
    const server = await startRecordingServer((_req, res, n) =>
      n === 1
        ? reply(res, 503, 'busy')
        : reply(res, 200, '{"ok":true}', { 'X-Subject-Token': TOKEN, 'Set-Cookie': `s=${TOKEN}` }),
    );
    const lines: string[] = [];
    let authorized = 0;
    const { http } = client({ debug: (line) => lines.push(line) });
    const request = retryRequest(server.base);
    await http.send(request, (req) => {
      authorized++;
      return { ...req.headers, 'X-Auth-Token': TOKEN };
    });
    // The token was really sent, on each attempt.
    expect(authorized).toBe(2);
    expect(server.seen.map((s) => s.headers['x-auth-token'])).toEqual([TOKEN, TOKEN]);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(line).not.toContain(TOKEN);
    expect(lines).toContain(`> PUT ${request.url.href} (attempt 1)`);
    expect(lines).toContain(`> PUT ${request.url.href} (attempt 2)`);
    expect(lines).toContain('> X-Auth-Token: ***');
    expect(lines.some((l) => l.startsWith('< 503'))).toBe(true);
    expect(
      lines.some((l) => /attempt 1\/3 of RetryTask t1 failed \(HTTP 503\); next in 100 ms/.test(l)),
    ).toBe(true);
  });

  it('turns a signal aborted before sending into InterruptedError, sending nothing', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 200));
    const controller = new AbortController();
    controller.abort();
    const { http } = client({ signal: controller.signal });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.code).toBe('INTERRUPTED');
    expect(error.exitCode).toBe(130);
    expect(server.seen).toHaveLength(0);
  });

  it('keeps the HssError the signal was aborted with (SIGTERM → 143)', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 200));
    const controller = new AbortController();
    const reason = new InterruptedError('SIGTERM');
    controller.abort(reason);
    const { http } = client({ signal: controller.signal });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBe(reason);
    expect(error.exitCode).toBe(143);
  });

  it('interrupts a request in flight rather than waiting for the timeout', async () => {
    const server = await startRecordingServer(() => {});
    const controller = new AbortController();
    const { http } = client({ signal: controller.signal, timeoutMs: 5000 });
    const pending = rejection(http.send(retryRequest(server.base)));
    await server.waitFor(1);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(InterruptedError);
    expect(server.seen).toHaveLength(1);
  });

  it('interrupts the backoff wait between attempts (real sleep)', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 503, '', { 'Retry-After': '10' }));
    const controller = new AbortController();
    const http = new HttpClient({
      timeoutMs: 2000,
      maxAttempts: 3,
      userAgent: 'ua',
      signal: controller.signal,
    });
    const started = Date.now();
    const pending = rejection(http.send(retryRequest(server.base)));
    await server.waitFor(1);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error).toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(server.seen).toHaveLength(1);
  });
});

describe('HttpClient: a request that must not run twice (idempotent: false)', () => {
  const createRequest = (base: string): ApiRequest => ({
    method: 'POST',
    url: new URL(`${base}/v5/proj/common/task`),
    headers: { 'Content-Type': 'application/json' },
    body: '{"task_type":"cluster_scan"}',
    operation: 'CreateTask',
    idempotent: false,
  });

  it.each([500, 502, 503, 504])(
    'is not sent again after HTTP %d: it may have been carried out',
    async (status) => {
      const server = await startRecordingServer((_req, res) => reply(res, status));
      const lines: string[] = [];
      const { http, waits } = client({ maxAttempts: 5, debug: (line) => lines.push(line) });
      const error = await rejection(http.send(createRequest(server.base)));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(server.seen).toHaveLength(1);
      expect(waits).toEqual([]);
      expect(lines).toContain(
        'CreateTask is not retried: it may have reached the service, and sending it again could repeat it',
      );
    },
  );

  it('is not sent again after a timeout', async () => {
    const server = await startRecordingServer(() => {});
    const { http } = client({ timeoutMs: 150, maxAttempts: 3 });
    const error = await rejection(http.send(createRequest(server.base)));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(server.seen).toHaveLength(1);
  });

  it('is not sent again after the connection dropped without an answer', async () => {
    const server = await startRecordingServer((req) => req.socket.destroy());
    const { http } = client({ maxAttempts: 3 });
    await rejection(http.send(createRequest(server.base)));
    expect(server.seen).toHaveLength(1);
  });

  it('is tried again after HTTP 429: the gateway did not pass it on', async () => {
    const server = await startRecordingServer((_req, res, n) =>
      n === 1 ? reply(res, 429) : reply(res, 200, '{}'),
    );
    const { http } = client({ maxAttempts: 3 });
    expect((await http.send(createRequest(server.base))).status).toBe(200);
    expect(server.seen).toHaveLength(2);
  });

  it('is tried again after a refused connection: it never left', async () => {
    const server = await startRecordingServer(() => {});
    await server.close();
    const { http, waits } = client({ maxAttempts: 3 });
    const error = await rejection(http.send(createRequest(server.base)));
    expect(error.message).toContain('after 3 attempts');
    expect(waits).toHaveLength(2);
  });
});
