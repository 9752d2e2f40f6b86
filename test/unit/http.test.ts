import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, parseErrorBody, serverText } from '../../src/api/error-body.js';
import { type ApiRequest, type ApiResponse, HttpClient, type HttpOptions } from '../../src/api/http.js';
import type { Transport } from '../../src/api/node-transport.js';
import { backoffDelay, parseRetryAfter, sleep } from '../../src/api/retry-policy.js';
import {
  ApiError,
  AuthError,
  HssError,
  InterruptedError,
  RequestTimeoutError,
  UnavailableError,
  UsageError,
} from '../../src/core/errors.js';
import { registerSecret } from '../../src/core/redact.js';
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
    ['the gateway form with only a code', '{"error":{"code":"X"}}', { code: 'X' }],
    ['a lone code, camel case, one level down', '{"error":{"errorCode":"Y.1"}}', { code: 'Y.1' }],
    ['a code of blanks as absent', '{"error_code":"  ","error_msg":"why"}', { message: 'why' }],
    ['a code that is not a finite number as absent', '{"code":1e999,"message":"m"}', { message: 'm' }],
    ['a code of another type as absent', '{"code":true,"message":"m"}', { message: 'm' }],
    ['a message of another type as absent', '{"error_code":"E.5","error_msg":7}', { code: 'E.5' }],
    [
      'a form under a later key, past a null',
      '{"a":null,"b":{"code":"X.2","message":"under b"}}',
      { code: 'X.2', message: 'under b' },
    ],
    [
      'a list of error objects as text (forms are read from objects only)',
      '[{"error_code":"E.1","error_msg":"m"}]',
      { message: '[{"error_code":"E.1","error_msg":"m"}]' },
    ],
    ['a JSON number as text', '503', { message: '503' }],
    [
      'a blank message does not complete a form',
      '{"error_code":"E.1","error_msg":" ","code":"C.2","message":"full"}',
      { code: 'C.2', message: 'full' },
    ],
    [
      'a nested complete pair before a top-level lone message',
      '{"message":"generic","error":{"code":"X.3","message":"nested"}}',
      { code: 'X.3', message: 'nested' },
    ],
    [
      'the first encoded_authorization_message, not a later level without one',
      '{"error_code":"X","error_msg":"d","encoded_authorization_message":"TOP","error":{"code":"Y"}}',
      { code: 'X', message: 'd', encodedAuthorizationMessage: 'TOP' },
    ],
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

  it.each([
    [401, 'authentication failed', 'check the credentials in use (`hss auth status`)'],
    [403, 'permission denied', 'the credentials lack permission for HSS in this project'],
  ])('maps %d to AuthError (exit 4): %s, with its own hint', (status, what, hint) => {
    const error = errorFromResponse('RetryTask t1', response(status, BODY, 'req-1'));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.code).toBe('AUTH');
    expect(error.exitCode).toBe(4);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('HSS.1005');
    expect(error.requestId).toBe('req-1');
    expect(error.hint).toBe(hint);
    expect(error.message).toBe(`RetryTask t1 was refused: ${what}: the task is still running`);
  });

  it('uses the caller hint for 401/403 when given, and only for them', () => {
    for (const status of [401, 403]) {
      const error = errorFromResponse('IAM login', response(status), 'run `hss auth login` again');
      expect(error.hint).toBe('run `hss auth login` again');
    }
    expect(errorFromResponse('IAM login', response(401)).message).toBe(
      'IAM login was refused: authentication failed',
    );
    expect(errorFromResponse('IAM login', response(503), 'run `hss auth login` again').hint).toBe(
      'the service is failing or busy: try again later; --max-attempts sets how often hss retries',
    );
    expect(errorFromResponse('IAM login', response(404), 'run `hss auth login` again').hint).toBeUndefined();
  });

  const THROTTLED =
    'the API is throttling requests: wait a little and try again, or send fewer at once (--concurrency)';
  const FAILING =
    'the service is failing or busy: try again later; --max-attempts sets how often hss retries';

  it.each([
    [429, THROTTLED],
    [500, FAILING],
    [501, FAILING],
    [502, FAILING],
    [503, FAILING],
    [504, FAILING],
    [599, FAILING],
  ])('maps %d to UnavailableError (exit 6) with its hint', (status, hint) => {
    const error = errorFromResponse('ListTasks', response(status, BODY, 'req-2', 3));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.exitCode).toBe(6);
    expect(error.httpStatus).toBe(status);
    expect(error.apiErrorCode).toBe('HSS.1005');
    expect(error.requestId).toBe('req-2');
    expect(error.hint).toBe(hint);
    expect(error.message).toBe(
      `ListTasks: service unavailable (HTTP ${status}) after 3 attempts: the task is still running`,
    );
  });

  it('names the attempts only when there were several', () => {
    expect(errorFromResponse('ListTasks', response(503, '', undefined, 1)).message).toBe(
      'ListTasks: service unavailable (HTTP 503)',
    );
    expect(errorFromResponse('ListTasks', response(503, '', undefined, 2)).message).toBe(
      'ListTasks: service unavailable (HTTP 503) after 2 attempts',
    );
  });

  it.each([300, 400, 404, 409, 428, 499])('maps %d to ApiError (exit 5)', (status) => {
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

  // Neither delay-seconds (digits only) nor an HTTP date (RFC 9110 §10.2.3), though Date.parse reads
  // "1.5" as a day of 2001 and "-1" as the year -1: a wait of zero.
  it.each([undefined, '', 'soon', 'tomorrow-ish', '5s', 'x5', '1.5', '-1'])('ignores %j', (value) => {
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
    expect(error.hint).toBe('check the endpoint, your network and proxy settings (HTTPS_PROXY, NO_PROXY)');
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

  it('says it is not retried only when an attempt was left (the last attempt ends the run anyway)', async () => {
    // One attempt in all: 503. Two: 429 (tried again), then 503 on the last.
    for (const [maxAttempts, statuses] of [
      [1, [503]],
      [2, [429, 503]],
    ] as const) {
      const server = await startRecordingServer((_req, res, n) => reply(res, statuses[n - 1] ?? 500));
      const lines: string[] = [];
      const { http } = client({ maxAttempts, debug: (line) => lines.push(line) });
      const error = await rejection(http.send(createRequest(server.base)));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.httpStatus).toBe(503);
      expect(server.seen).toHaveLength(maxAttempts);
      expect(lines.filter((line) => line.includes('is not retried'))).toEqual([]);
    }
  });

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

/* ------------------------------------------------------------------------------------------------ */
/* What counts as success, what is retried, what is trusted                                          */
/* ------------------------------------------------------------------------------------------------ */

describe('HttpClient: success is 2xx only', () => {
  it.each([200, 201, 204, 299])('%d is success', async (status) => {
    const server = await startRecordingServer((_req, res) => reply(res, status));
    const { http } = client();
    expect((await http.send(retryRequest(server.base))).status).toBe(status);
  });

  it.each([300, 301, 304])('%d is refused by the API (exit 5), not taken as success', async (status) => {
    const server = await startRecordingServer((_req, res) => reply(res, status));
    const { http } = client();
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe(`RetryTask t1 was refused by the API (HTTP ${status})`);
    expect(server.seen).toHaveLength(1);
  });

  it('an informational (1xx) final answer is not success either', async () => {
    const fetch: Transport = async () => ({
      status: 199,
      statusText: '',
      headers: new Headers(),
      text: async () => '',
    });
    const { http } = client({ transport: fetch });
    const error = await rejection(http.send(retryRequest('https://hss.example.test')));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe('RetryTask t1 was refused by the API (HTTP 199)');
  });

  it('501 is a failing service (exit 6), but not one that retrying helps', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 501));
    const { http, waits } = client({ maxAttempts: 3 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe('RetryTask t1: service unavailable (HTTP 501)');
    expect(server.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });
});

/** A transport that fails every call with `error`, counting the calls. */
function failingTransport(error: () => unknown): { transport: Transport; calls: URL[] } {
  const calls: URL[] = [];
  return {
    calls,
    transport: async (url) => {
      calls.push(url);
      throw error();
    },
  };
}

/** An error as node:tls reports a certificate check that failed: a message and an OpenSSL code. */
function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const UNTRUSTED_HINT =
  'if the endpoint or a TLS-inspecting proxy uses a private CA, pass its certificate with --ca-bundle <file> (or HSS_CA_BUNDLE); certificate checks cannot be turned off';

describe('HttpClient: certificates that cannot be trusted are never retried', () => {
  // Node's names for the certificate checks that fail whatever is retried (OpenSSL's verify codes).
  const UNTRUSTED = [
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'CERT_SIGNATURE_FAILURE',
    'CERT_HAS_EXPIRED',
    'CERT_NOT_YET_VALID',
  ];

  it.each(UNTRUSTED)('%s: one attempt, exit 6, "cannot be trusted" and the CA hint', async (code) => {
    for (const shape of ['node:https', 'undici'] as const) {
      const tls = codedError(code, `${code.toLowerCase().replaceAll('_', ' ')}`);
      const { transport, calls } = failingTransport(() =>
        shape === 'undici' ? new TypeError('fetch failed', { cause: tls }) : tls,
      );
      const { http, waits } = client({ transport, maxAttempts: 3 });
      const error = await rejection(http.send(retryRequest('https://hss.example.test')));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.exitCode).toBe(6);
      expect(error.message).toBe(
        `RetryTask t1: the TLS certificate of hss.example.test cannot be trusted (${code} ${tls.message})`,
      );
      expect(error.hint).toBe(UNTRUSTED_HINT);
      expect(calls).toHaveLength(1);
      expect(waits).toEqual([]);
    }
  });

  it('a certificate for another host: one attempt, "does not name this host", a hint to check the URL', async () => {
    const { transport, calls } = failingTransport(
      () =>
        new TypeError('fetch failed', {
          cause: codedError(
            'ERR_TLS_CERT_ALTNAME_INVALID',
            "Hostname/IP does not match certificate's altnames: Host: hss.example.test. is not in the cert's altnames: DNS:other.invalid",
          ),
        }),
    );
    const { http } = client({ transport, maxAttempts: 3 });
    const error = await rejection(http.send(retryRequest('https://hss.example.test')));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      "RetryTask t1: the TLS certificate of hss.example.test does not name this host (ERR_TLS_CERT_ALTNAME_INVALID Hostname/IP does not match certificate's altnames: Host: hss.example.test. is not in the cert's altnames: DNS:other.invalid)",
    );
    expect(error.hint).toBe('check the endpoint URL: the certificate is for another host name');
    expect(calls).toHaveLength(1);
  });

  it('a real TLS server whose certificate nothing trusts: refused at once, one connection', async () => {
    const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'tls');
    let connections = 0;
    const server = createTlsServer({
      key: readFileSync(path.join(fixtures, 'test-only-localhost.key')),
      cert: readFileSync(path.join(fixtures, 'test-only-localhost.pem')),
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { http, waits } = client({ maxAttempts: 3 });
      const error = await rejection(http.send(retryRequest(`https://127.0.0.1:${port}`)));
      expect(error).toBeInstanceOf(UnavailableError);
      expect(error.message).toMatch(
        new RegExp(
          `^RetryTask t1: the TLS certificate of 127\\.0\\.0\\.1:${port} cannot be trusted \\(UNABLE_TO_VERIFY_LEAF_SIGNATURE `,
        ),
      );
      expect(error.hint).toBe(UNTRUSTED_HINT);
      expect(connections).toBe(1);
      expect(waits).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['ECONNRESET', 'socket hang up'],
    ['EPROTO', 'wrong version number'],
    ['ERR_TLS_HANDSHAKE_TIMEOUT', 'TLS handshake timeout'],
    ['CERT_SOMETHING_NEW', 'a code hss does not know'],
  ])('any other failure (%s) is retried and reported as "cannot reach"', async (code, message) => {
    const { transport, calls } = failingTransport(
      () => new TypeError('fetch failed', { cause: codedError(code, message) }),
    );
    const { http, waits } = client({ transport, maxAttempts: 3 });
    const error = await rejection(http.send(retryRequest('https://hss.example.test')));
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.message).toBe(
      `RetryTask t1: cannot reach hss.example.test after 3 attempts: ${code} ${message}`,
    );
    expect(error.hint).toBe('check the endpoint, your network and proxy settings (HTTPS_PROXY, NO_PROXY)');
    expect(calls).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });
});

describe('HttpClient: how a network failure is named', () => {
  async function reason(error: () => unknown): Promise<string> {
    const { transport } = failingTransport(error);
    const { http } = client({ transport, maxAttempts: 1 });
    return (await rejection(http.send(retryRequest('https://hss.example.test')))).message;
  }

  it('gives the code once when the message starts with it', async () => {
    expect(await reason(() => codedError('EAI_AGAIN', 'EAI_AGAIN getaddrinfo hss.example.test'))).toBe(
      'RetryTask t1: cannot reach hss.example.test: EAI_AGAIN getaddrinfo hss.example.test',
    );
  });

  it('takes the innermost coded error of a chain', async () => {
    const inner = codedError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443');
    const middle = Object.assign(new Error('connection failed', { cause: inner }), {
      code: 'UND_ERR_CONNECT',
    });
    expect(await reason(() => new TypeError('fetch failed', { cause: middle }))).toBe(
      'RetryTask t1: cannot reach hss.example.test: ECONNREFUSED connect ECONNREFUSED 10.0.0.1:443',
    );
  });

  it('without any code: the cause, else the error itself, else what was thrown', async () => {
    expect(await reason(() => new TypeError('fetch failed', { cause: new Error('other side closed') }))).toBe(
      'RetryTask t1: cannot reach hss.example.test: other side closed',
    );
    expect(await reason(() => new Error('no route'))).toBe(
      'RetryTask t1: cannot reach hss.example.test: no route',
    );
    expect(await reason(() => 'a string')).toBe('RetryTask t1: cannot reach hss.example.test: a string');
  });

  it('names the failure of each attempt in --debug', async () => {
    const { transport } = failingTransport(() => codedError('ECONNRESET', 'read ECONNRESET'));
    const lines: string[] = [];
    const { http } = client({ transport, maxAttempts: 2, debug: (line) => lines.push(line) });
    await rejection(http.send(retryRequest('https://hss.example.test')));
    expect(lines).toContain(
      'attempt 1/2 of RetryTask t1 failed (ECONNRESET read ECONNRESET); next in 100 ms',
    );
  });
});

describe('HttpClient: plain http only to loopback', () => {
  /** A transport that answers 200 to everything, recording where it was asked to send. */
  function recorded(calls: URL[]): Transport {
    return async (url) => {
      calls.push(url);
      return { status: 200, statusText: 'OK', headers: new Headers(), text: async () => '' };
    };
  }

  it.each([
    'http://127.0.0.1:8080',
    'http://127.255.0.9',
    'http://localhost:1',
    'http://[::1]:9000',
    'https://hss.example.test',
  ])('sends to %s', async (base) => {
    const calls: URL[] = [];
    const { http } = client({ transport: recorded(calls) });
    expect((await http.send(retryRequest(base))).status).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it.each([
    'http://hss.example.test',
    'http://127.0.0.1.example.test',
    'http://localhost.example.test',
    'http://128.0.0.1',
    'http://10.0.0.1',
    'http://[::2]',
    'ftp://127.0.0.1',
  ])('refuses %s (exit 2), sending nothing and asking for no credentials', async (base) => {
    const calls: URL[] = [];
    let authorized = 0;
    const { http } = client({ transport: recorded(calls) });
    const error = await rejection(
      http.send(retryRequest(base), (req) => {
        authorized++;
        return req.headers;
      }),
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      `RetryTask t1: "${new URL(base).origin}" is refused: only https://, or http:// on loopback, is allowed`,
    );
    expect(calls).toHaveLength(0);
    expect(authorized).toBe(0);
  });
});

describe('HttpClient: --debug shows bodies with their secrets masked', () => {
  async function debugLines(request: ApiRequest): Promise<string[]> {
    const server = await startRecordingServer((_req, res) => reply(res, 200));
    const lines: string[] = [];
    const { http } = client({ debug: (line) => lines.push(line) });
    await http.send({ ...request, url: new URL(request.url.pathname, server.base) });
    return lines;
  }

  it('a body that holds a password: its secret-looking fields masked', async () => {
    const lines = await debugLines({
      method: 'POST',
      url: new URL('http://127.0.0.1/v3/auth/tokens'),
      headers: {},
      body: '{"auth":{"identity":{"password":{"user":{"name":"alice","password":"Pa55-word-0001"}}}}}',
      operation: 'IAM login',
      sensitiveBody: true,
    });
    expect(lines).toContain(
      '> {"auth":{"identity":{"password":{"user":{"name":"alice","password":"***"}}}}}',
    );
    expect(lines.join('\n')).not.toContain('Pa55-word-0001');
  });

  it('a body that holds a secret and is not JSON: withheld whole', async () => {
    const lines = await debugLines({
      method: 'POST',
      url: new URL('http://127.0.0.1/login'),
      headers: {},
      body: 'user=alice&password=Pa55-word-0002',
      operation: 'IAM login',
      sensitiveBody: true,
    });
    expect(lines).toContain('> (body withheld: it holds a secret)');
    expect(lines.join('\n')).not.toContain('Pa55-word-0002');
  });

  it('any other body: as it is, registered secrets masked', async () => {
    registerSecret('dbg-secret-0003');
    const lines = await debugLines({
      method: 'PUT',
      url: new URL('http://127.0.0.1/retry'),
      headers: {},
      body: '{"cluster_id":"c-1","note":"dbg-secret-0003"}',
      operation: 'RetryTask t1',
    });
    expect(lines).toContain('> {"cluster_id":"c-1","note":"***"}');
  });
});

describe('serverText', () => {
  it('makes every line break and vertical space one space, and keeps other text', () => {
    expect(serverText('a\tb\nc\u000bd\fe\r\nf\u0085g\u2028h\u2029i VV')).toBe('a b c d e f g h i VV');
  });

  it('cuts after 300 characters (or the given limit), marking the cut', () => {
    expect(serverText('x'.repeat(300))).toBe('x'.repeat(300));
    expect(serverText('x'.repeat(301))).toBe(`${'x'.repeat(300)}…`);
    expect(serverText('abcdef', 6)).toBe('abcdef');
    expect(serverText('abcdefg', 6)).toBe('abcdef…');
  });
});

describe('errorFromResponse: fields that say nothing are left out', () => {
  it('a code, an encoded message or a request ID that is blank once made one line', () => {
    const error = errorFromResponse('ListTasks', {
      status: 403,
      headers: {},
      text: '{"error_code":"\u0085","error_msg":"denied","encoded_authorization_message":"\u0085"}',
      attempts: 1,
      requestId: '',
    });
    expect(error.message).toBe('ListTasks was refused: permission denied: denied');
    expect(error.apiErrorCode).toBeUndefined();
    expect(error.encodedAuthorizationMessage).toBeUndefined();
    expect(error.requestId).toBeUndefined();
    expect(errorJson(error)).not.toHaveProperty('api_error_code');
    expect(errorJson(error)).not.toHaveProperty('request_id');
  });
});

describe('sleep', () => {
  it('waits, then leaves no listener on the signal', async () => {
    const controller = new AbortController();
    const started = Date.now();
    await sleep(30, controller.signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects at once with the reason of a signal already aborted', async () => {
    const controller = new AbortController();
    const reason = new InterruptedError('SIGTERM');
    controller.abort(reason);
    const started = Date.now();
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('rejects with the reason when the signal is aborted while waiting', async () => {
    const controller = new AbortController();
    const reason = new InterruptedError('SIGINT');
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    await expect(sleep(10_000, controller.signal)).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('HttpClient: timeouts and interruptions', () => {
  it('names a timeout of one attempt without counting attempts, with its hint', async () => {
    const server = await startRecordingServer(() => {});
    const { http } = client({ timeoutMs: 150, maxAttempts: 1 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error.message).toBe(`RetryTask t1: no answer from 127.0.0.1:${server.port} within 150 ms`);
    expect(error.hint).toBe('raise --timeout, or check the network path to the endpoint');
  });

  it.each(['TimeoutError', 'AbortError'])(
    'a transport that gives up with a %s is a timeout, retried',
    async (name) => {
      const { transport, calls } = failingTransport(
        () => new DOMException('The operation was aborted', name),
      );
      const { http } = client({ transport, maxAttempts: 2, timeoutMs: 1000 });
      const error = await rejection(http.send(retryRequest('https://hss.example.test')));
      expect(error).toBeInstanceOf(RequestTimeoutError);
      expect(error.message).toBe(
        'RetryTask t1: no answer from hss.example.test within 1000 ms after 2 attempts',
      );
      expect(calls).toHaveLength(2);
    },
  );

  it('Ctrl-C during the wait between attempts: exit 130, no further attempt, no credentials asked again', async () => {
    const { transport, calls } = failingTransport(() => codedError('ECONNRESET', 'socket hang up'));
    const controller = new AbortController();
    let authorized = 0;
    const http = new HttpClient({
      timeoutMs: 1000,
      maxAttempts: 3,
      userAgent: 'ua',
      signal: controller.signal,
      transport,
      sleep: async (_ms, signal) => {
        controller.abort();
        signal.throwIfAborted();
      },
    });
    const error = await rejection(
      http.send(retryRequest('https://hss.example.test'), (req) => {
        authorized++;
        return req.headers;
      }),
    );
    expect(error).toBeInstanceOf(InterruptedError);
    expect(error.exitCode).toBe(130);
    expect(error.message).toBe('interrupted by SIGINT');
    expect(calls).toHaveLength(1);
    expect(authorized).toBe(1);
  });

  it('withSignal: the same client, interrupted by another signal', async () => {
    const server = await startRecordingServer(() => {});
    const { http } = client({ timeoutMs: 5000 });
    const other = new AbortController();
    const pending = rejection(http.withSignal(other.signal).send(retryRequest(server.base)));
    await server.waitFor(1);
    other.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(InterruptedError);
    expect(server.seen[0]?.headers['user-agent']).toBe('hss-cli/0.0.0-test node/20 linux');
  });
});

describe('HttpClient: answers too large, and what --debug says of an answer', () => {
  it('refuses an answer larger than the limit (exit 5), naming the host and the limit', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 200, 'x'.repeat(2048)));
    const { http } = client({ maxResponseBytes: 1024 });
    const error = await rejection(http.send(retryRequest(server.base)));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.message).toBe(
      `RetryTask t1: the answer from 127.0.0.1:${server.port} is larger than 1024 bytes; refused`,
    );
    expect(error.httpStatus).toBe(200);
  });

  it('the status, the time taken and every header of the answer, secrets masked', async () => {
    const server = await startRecordingServer((_req, res) =>
      reply(res, 200, '{"ok":true}', { 'X-Subject-Token': 'MIIsubject-token-0004', 'X-Note': 'n' }),
    );
    const lines: string[] = [];
    const { http } = client({ debug: (line) => lines.push(line) });
    await http.send(retryRequest(server.base));
    expect(lines.find((l) => l.startsWith('< 200'))).toMatch(/^< 200 OK in \d{1,4} ms$/);
    expect(lines).toContain('< x-request-id: rid-200');
    expect(lines).toContain('< x-note: n');
    expect(lines).toContain('< x-subject-token: ***');
    expect(lines).toContain('< {"ok":true}');
  });

  it('a request without a body shows none', async () => {
    const server = await startRecordingServer((_req, res) => reply(res, 200));
    const lines: string[] = [];
    const { http } = client({ debug: (line) => lines.push(line) });
    const { body: _body, ...request } = retryRequest(server.base);
    await http.send({ ...request, method: 'GET' });
    expect(lines.filter((l) => l.startsWith('> ') && !l.startsWith('> GET') && !l.includes(': '))).toEqual(
      [],
    );
    expect(server.seen[0]?.body).toBe('');
  });
});

describe('HttpClient: the cause of a failure is read from the chain of errors', () => {
  async function reasonOf(error: unknown): Promise<string> {
    const { transport } = failingTransport(() => error);
    const { http } = client({ transport, maxAttempts: 1 });
    return (await rejection(http.send(retryRequest('https://hss.example.test')))).message;
  }

  it('a code that is not a string is no code', async () => {
    const inner = Object.assign(new Error('refused by peer'), { code: 42 });
    expect(await reasonOf(new TypeError('fetch failed', { cause: inner }))).toBe(
      'RetryTask t1: cannot reach hss.example.test: refused by peer',
    );
  });

  it('a chain that loops back on itself ends, its code found', async () => {
    const looped = codedError('CERT_HAS_EXPIRED', 'certificate has expired') as Error & { cause?: unknown };
    looped.cause = looped;
    expect(await reasonOf(looped)).toBe(
      'RetryTask t1: the TLS certificate of hss.example.test cannot be trusted (CERT_HAS_EXPIRED certificate has expired)',
    );
  });

  it('a code four wrappers down is found', async () => {
    let error: Error = codedError('CERT_HAS_EXPIRED', 'certificate has expired');
    for (let i = 0; i < 4; i++) error = new Error(`wrapper ${i}`, { cause: error });
    expect(await reasonOf(error)).toMatch(/cannot be trusted \(CERT_HAS_EXPIRED certificate has expired\)$/);
  });

  it('repeated words of the message are kept: only the code repeated at its start is dropped', async () => {
    expect(await reasonOf(codedError('EPIPE', 'write write EPIPE'))).toBe(
      'RetryTask t1: cannot reach hss.example.test: EPIPE write write EPIPE',
    );
  });
});
