import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ApiRequest, HttpClient } from '../../src/api/http.js';
import { isExpired, parseExpiry } from '../../src/auth/cache.js';
import { parseCommandOutput } from '../../src/auth/command-output.js';
import { splitCommandLine } from '../../src/auth/credential-command.js';
import { authorizerFor, type Credential, maskAccessKey } from '../../src/auth/credentials.js';
import { ask } from '../../src/auth/prompt.js';
import { verifyRequest } from '../../src/auth/signer.js';
import { UsageError } from '../../src/core/errors.js';
import { redact } from '../../src/core/redact.js';

describe('splitCommandLine', () => {
  it.each([
    ['vault kv get -field=token secret/hss', ['vault', 'kv', 'get', '-field=token', 'secret/hss']],
    ['  spaced\tout \n words  ', ['spaced', 'out', 'words']],
    [`'/opt/my tools/get' "a b" c\\ d`, ['/opt/my tools/get', 'a b', 'c d']],
    [`printf '%s' "say \\"hi\\" \\\\ \\$HOME \\n"`, ['printf', '%s', 'say "hi" \\ $HOME \\n']],
    [`'it'\\''s'`, ["it's"]],
    [`a''b "" ''`, ['ab', '', '']],
    ['$HOME `id` $(id) ; | &&', ['$HOME', '`id`', '$(id)', ';', '|', '&&']],
    ['', []],
  ])('%j → %j', (line, argv) => {
    expect(splitCommandLine(line)).toEqual(argv);
  });

  it.each([
    [`'open`, /single quote is not closed/],
    [`"open`, /double quote is not closed/],
    ['trailing\\', /lone backslash/],
  ])('refuses %j', (line, message) => {
    expect(() => splitCommandLine(line)).toThrow(UsageError);
    expect(() => splitCommandLine(line)).toThrow(message);
  });
});

describe('parseCommandOutput', () => {
  const hour = '2030-01-01T01:00:00Z';
  it.each([
    ['a bare token', 'tok-0123456789\n', { kind: 'token', token: 'tok-0123456789' }],
    [
      'a token document',
      `{"token":"tok-0123456789","expires_at":"${hour}"}`,
      { kind: 'token', token: 'tok-0123456789', expiresAt: Date.parse(hour) },
    ],
    [
      'a key pair',
      '{"access_key":"AK1","secret_key":"sk-secret","security_token":"st-secret","expires_at":1893459600}',
      {
        kind: 'aksk',
        accessKey: 'AK1',
        secretKey: 'sk-secret',
        securityToken: 'st-secret',
        expiresAt: 1893459600000,
      },
    ],
    [
      'a key pair without expiry, null security token',
      '{"access_key":"AK1","secret_key":"sk-secret","security_token":null}',
      { kind: 'aksk', accessKey: 'AK1', secretKey: 'sk-secret' },
    ],
  ])('reads %s', (_name, stdout, expected) => {
    expect(parseCommandOutput(stdout)).toEqual(expected);
  });

  it.each([
    ['nothing', '  \n', /printed nothing/],
    ['two words', 'my token', /more than one word/],
    ['broken JSON', '{"token":', /not valid JSON/],
    ['a JSON array', '[1]', /JSON that is not an object/],
    ['no credential', '{"user":"x"}', /neither "token" nor both/],
    ['half a pair', '{"access_key":"AK1"}', /neither "token" nor both/],
    ['both kinds', '{"token":"t-0123","access_key":"AK1","secret_key":"s"}', /both "token" and/],
    ['a number token', '{"token":42}', /"token" is not a string/],
    ['a bad expiry', '{"token":"t-0123","expires_at":"tomorrow"}', /"expires_at" is not/],
    ['a bad access key', '{"access_key":"A K","secret_key":"s"}', /"access_key" contains invalid/],
  ])('refuses %s, without quoting it', (_name, stdout, message) => {
    let error: unknown;
    try {
      parseCommandOutput(stdout);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    if (stdout.trim().length > 4) expect((error as Error).message).not.toContain(stdout.trim());
  });

  it('registers every secret it reads before anything else', () => {
    parseCommandOutput(
      '{"access_key":"AK1","secret_key":"sk-registered-1","security_token":"st-registered-1"}',
    );
    parseCommandOutput('bare-token-registered-1');
    expect(redact('sk-registered-1 st-registered-1 bare-token-registered-1')).toBe('*** *** ***');
  });
});

describe('parseExpiry', () => {
  it.each([
    ['2026-11-28T10:00:00.000000Z', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T10:00:00Z', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T10:00:00.5Z', Date.UTC(2026, 10, 28, 10, 0, 0, 500)],
    ['2026-11-28T10:00Z', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28 10:00:00', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T18:00:00+08:00', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T18:00:00+0800', Date.UTC(2026, 10, 28, 10)],
    [1_795_860_000, 1_795_860_000_000],
    [1_795_860_000_000, 1_795_860_000_000],
    ['1795860000', 1_795_860_000_000],
    ['tomorrow', undefined],
    ['2026-13-01T00:00:00Z', undefined],
    [-1, undefined],
    [null, undefined],
  ])('%j → %j', (value, expected) => {
    expect(parseExpiry(value)).toBe(expected);
  });

  it('treats a token as expired five minutes early', () => {
    const at = Date.UTC(2026, 0, 1);
    expect(isExpired(at, at - 5 * 60_000 - 1)).toBe(false);
    expect(isExpired(at, at - 5 * 60_000)).toBe(true);
  });
});

describe('maskAccessKey', () => {
  it.each([
    ['SANDBOXAK0000000000000', 'SAND…0000'],
    ['AKIDSHORT', 'AKID…HORT'],
    ['AK123', 'AK…'],
  ])('%s → %s', (ak, masked) => {
    expect(maskAccessKey(ak)).toBe(masked);
  });
});

describe('authorizerFor', () => {
  const keys: Credential = {
    kind: 'aksk',
    accessKey: 'AK-TEST',
    secretKey: 'sk-test-secret',
    source: 'test',
  };
  const request: ApiRequest = {
    method: 'PUT',
    url: new URL(
      'https://hss.cn-north-4.myhuaweicloud.com/v5/p1/common/tasks/t%201/retry?enterprise_project_id=0',
    ),
    headers: { 'Content-Type': 'application/json' },
    body: '{"task_type":"cluster_scan"}',
    operation: 'RetryTask',
  };

  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts X-Auth-Token for a token', async () => {
    const authorize = authorizerFor({ kind: 'token', token: 'tok-1', source: 'test' }, 'p1');
    expect(await authorize(request)).toEqual({ 'Content-Type': 'application/json', 'X-Auth-Token': 'tok-1' });
  });

  it('signs AK/SK requests with X-Project-Id and X-Security-Token, verifiably', async () => {
    const authorize = authorizerFor({ ...keys, securityToken: 'st-1' }, 'p1');
    const headers = await authorize(request);
    expect(headers['X-Project-Id']).toBe('p1');
    expect(headers['X-Security-Token']).toBe('st-1');
    expect(headers['Authorization']).toMatch(
      /^SDK-HMAC-SHA256 Access=AK-TEST, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/,
    );
    const verdict = verifyRequest({ ...request, headers, body: request.body ?? '' }, (ak) =>
      ak === 'AK-TEST' ? 'sk-test-secret' : undefined,
    );
    expect(verdict).toEqual({ ok: true, accessKey: 'AK-TEST' });
  });

  it('leaves X-Project-Id out when none is given (IAM calls)', async () => {
    const headers = await authorizerFor(keys)(request);
    expect(headers['X-Project-Id']).toBeUndefined();
    expect(headers['Authorization']).toContain('SignedHeaders=content-type;host;x-sdk-date, ');
  });

  it('signs every attempt anew, with the time of that attempt', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 27, 10, 0, 0));
    const sent: Array<Record<string, string>> = [];
    const answers = [503, 200];
    const http = new HttpClient({
      timeoutMs: 1000,
      maxAttempts: 3,
      userAgent: 'test',
      signal: new AbortController().signal,
      sleep: async () => {
        vi.setSystemTime(Date.now() + 61_000);
      },
      transport: (async (_url: URL, init: RequestInit) => {
        sent.push({ ...(init.headers as Record<string, string>) });
        return new Response('', { status: answers.shift() ?? 500 });
      }) as typeof fetch,
    });
    await http.send(request, authorizerFor(keys, 'p1'));
    expect(sent.map((h) => h['X-Sdk-Date'])).toEqual(['20261127T100000Z', '20261127T100101Z']);
    expect(sent[0]?.['Authorization']).not.toBe(sent[1]?.['Authorization']);
  });
});

describe('ask (terminal prompt)', () => {
  function terminal() {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    let written = '';
    const stderr = {
      isTTY: true,
      write(chunk: string) {
        written += chunk;
        return true;
      },
    };
    return { stdin, stderr, written: () => written };
  }

  it('never echoes a hidden answer', async () => {
    const t = terminal();
    const answer = ask(
      { stdin: t.stdin, stderr: t.stderr, signal: new AbortController().signal },
      'Password: ',
      {
        hidden: true,
      },
    );
    t.stdin.write('hunter2-secret\r');
    expect(await answer).toBe('hunter2-secret');
    expect(t.written()).toContain('Password: ');
    expect(t.written()).not.toContain('hunter2');
  });

  it('echoes a visible answer', async () => {
    const t = terminal();
    const answer = ask({ stdin: t.stdin, stderr: t.stderr, signal: new AbortController().signal }, 'User: ');
    t.stdin.write('alice\r');
    expect(await answer).toBe('alice');
    expect(t.written()).toContain('alice');
  });

  it('gives up when the terminal input closes', async () => {
    const t = terminal();
    const answer = ask(
      { stdin: t.stdin, stderr: t.stderr, signal: new AbortController().signal },
      'Password: ',
      {
        hidden: true,
      },
    );
    t.stdin.end();
    await expect(answer).rejects.toThrow(/terminal input was closed/);
  });
});
