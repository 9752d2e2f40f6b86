import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverText } from '../../src/api/error-body.js';
import { HttpClient } from '../../src/api/http.js';
import {
  createTransport,
  describeProxy,
  loadCaBundle,
  maskProxyUserinfo,
  needsUndici,
  parseProxyUrl,
} from '../../src/api/transport.js';
import { ConfigError, type HssError, UnavailableError, UsageError } from '../../src/core/errors.js';
import { redact } from '../../src/core/redact.js';
import { caBundleSetting, proxySettings, resolveNetwork } from '../../src/settings/network.js';
import { tempDir } from '../helpers/cli.js';
import { TEST_CA, UNRELATED_CA } from '../helpers/network.js';
import { startRecordingServer } from '../helpers/recording-server.js';

describe('proxySettings', () => {
  it('reads lower case before upper case, as curl and undici do', () => {
    expect(
      proxySettings({
        http_proxy: 'http://lower:1',
        HTTP_PROXY: 'http://upper:1',
        HTTPS_PROXY: 'http://upper:2',
        NO_PROXY: 'a.example',
      }),
    ).toEqual({
      http: { value: 'http://lower:1', source: 'env:http_proxy' },
      https: { value: 'http://upper:2', source: 'env:HTTPS_PROXY' },
      noProxy: { value: 'a.example', source: 'env:NO_PROXY' },
    });
  });

  it('treats empty and blank variables as unset', () => {
    expect(proxySettings({ https_proxy: '', HTTPS_PROXY: '  ', http_proxy: '' })).toEqual({});
  });
});

describe('needsUndici', () => {
  it.each([
    [{}, undefined, false],
    [{ NO_PROXY: 'x' }, undefined, false],
    [{ HTTPS_PROXY: 'http://p:1' }, undefined, true],
    [{ http_proxy: 'http://p:1' }, undefined, true],
    [{}, { value: '/ca.pem', source: 'flag' }, true],
    [{ NODE_TLS_REJECT_UNAUTHORIZED: '0' }, undefined, true],
    [{ NODE_TLS_REJECT_UNAUTHORIZED: '1' }, undefined, false],
  ])('env %j, bundle %j → %s', (env, caBundle, expected) => {
    expect(needsUndici(resolveNetwork(caBundle ? { caBundle: caBundle.value } : {}, env))).toBe(expected);
  });
});

describe('parseProxyUrl', () => {
  it('reads a bare host:port as http', () => {
    expect(parseProxyUrl({ value: 'proxy.example:3128', source: 'env:HTTPS_PROXY' }).href).toBe(
      'http://proxy.example:3128/',
    );
  });

  it('registers the password as a secret and leaves it out of descriptions', () => {
    const url = parseProxyUrl({ value: 'http://bob:p%40ss-w0rd-91@proxy:8080', source: 'env:HTTP_PROXY' });
    expect(redact('p@ss-w0rd-91 and p%40ss-w0rd-91')).toBe('*** and ***');
    expect(describeProxy(url)).toBe('http://proxy:8080');
  });

  it.each([
    ['http://bob:Pw9@127.0.0.1:99999', 'HTTPS_PROXY "http://bob:***@127.0.0.1:99999": not a proxy URL'],
    ['http://bob:pa/ss@host:1', 'HTTPS_PROXY "http://bob:***@host:1": not a proxy URL'],
    ['bob:Pw9@[::1', 'HTTPS_PROXY "bob:***@[::1": not a proxy URL'],
    ['http://t0ken@[::1', 'HTTPS_PROXY "http://***@[::1": not a proxy URL'],
  ])('masks the password of %j even though it does not parse', (value, message) => {
    let error: unknown;
    try {
      parseProxyUrl({ value, source: 'env:HTTPS_PROXY' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
  });

  it('registers a password found by text, so other output masks it too', () => {
    try {
      parseProxyUrl({ value: 'http://bob:unparsed-pass-5a1@host:99999', source: 'env:HTTP_PROXY' });
    } catch {}
    expect(redact('proxy said unparsed-pass-5a1')).toBe('proxy said ***');
  });

  it('survives a password that is not valid percent-encoding', () => {
    expect(parseProxyUrl({ value: 'http://bob:%zz-pass@proxy:3128', source: 'env:HTTP_PROXY' }).host).toBe(
      'proxy:3128',
    );
    expect(redact('%zz-pass')).toBe('***');
  });

  it.each([
    ['http://proxy:3128', 'http://proxy:3128'],
    ['http://alice:secret@proxy:3128', 'http://alice:***@proxy:3128'],
    ['socks5://a:b:c@proxy:1080', 'socks5://a:***@proxy:1080'],
    ['http://u:p@ss@proxy:3128', 'http://u:***@proxy:3128'],
    ['proxy:3128', 'proxy:3128'],
  ])('maskProxyUserinfo(%j) is %j', (value, shown) => {
    expect(maskProxyUserinfo(value)).toBe(shown);
  });

  it.each([
    ['http://[::1', /^HTTPS_PROXY "http:\/\/\[::1": not a proxy URL$/],
    ['ftp://proxy:21', /^HTTPS_PROXY: proxy scheme "ftp:" is not supported/],
  ])('refuses %j with a configuration error (exit 3)', (value, message) => {
    let error: unknown;
    try {
      parseProxyUrl({ value, source: 'env:HTTPS_PROXY' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
  });
});

describe('CA bundles', () => {
  it('caBundleSetting: the flag wins over HSS_CA_BUNDLE; empty means unset', () => {
    expect(caBundleSetting('/a.pem', { HSS_CA_BUNDLE: '/b.pem' })).toEqual({
      value: '/a.pem',
      source: 'flag',
    });
    expect(caBundleSetting(undefined, { HSS_CA_BUNDLE: '/b.pem' })).toEqual({
      value: '/b.pem',
      source: 'env:HSS_CA_BUNDLE',
    });
    expect(caBundleSetting(undefined, { HSS_CA_BUNDLE: '' })).toBeUndefined();
  });

  it('loadCaBundle reads every certificate of the file, skipping text around them', () => {
    const dir = tempDir();
    const file = path.join(dir, 'bundle.pem');
    writeFileSync(
      file,
      `junk\n${readFileSync(TEST_CA, 'utf8')}\nmore junk\n${readFileSync(UNRELATED_CA, 'utf8')}`,
    );
    const certs = loadCaBundle({ value: file, source: 'flag' });
    expect(certs).toHaveLength(2);
    for (const cert of certs)
      expect(cert).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/);
  });

  it.each([
    ['flag', UsageError, 2, '--ca-bundle'],
    ['env:HSS_CA_BUNDLE', ConfigError, 3, 'HSS_CA_BUNDLE'],
  ] as const)(
    'an unreadable bundle from %s is exit %s… naming where it came from',
    (source, type, exitCode, what) => {
      let error: unknown;
      try {
        loadCaBundle({ value: '/nonexistent/ca.pem', source });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(type);
      expect((error as HssError).exitCode).toBe(exitCode);
      expect((error as HssError).message).toBe(`${what} "/nonexistent/ca.pem": cannot read it (ENOENT)`);
    },
  );
});

describe('createTransport', () => {
  it('reports a bad CA bundle on every call, before sending, and never as a network error', async () => {
    let hits = 0;
    const { base } = await startRecordingServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    const send = createTransport({ proxies: {}, caBundle: { value: '/nonexistent.pem', source: 'flag' } });
    const http = new HttpClient({
      timeoutMs: 1000,
      maxAttempts: 3,
      userAgent: 'ua',
      signal: new AbortController().signal,
      transport: send,
      sleep: async () => {},
    });
    const request = {
      method: 'GET' as const,
      url: new URL(`${base}/x`),
      headers: {},
      operation: 'Probe',
    };
    for (let i = 0; i < 2; i++) {
      const error = await http.send(request).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UsageError);
    }
    expect(hits).toBe(0);
  });
});

describe('HttpClient guards', () => {
  it('refuses plain http to a host that is not loopback, before sending or authorizing', async () => {
    let authorized = false;
    const http = new HttpClient({
      timeoutMs: 1000,
      maxAttempts: 3,
      userAgent: 'ua',
      signal: new AbortController().signal,
      transport: async () => {
        throw new Error('must not be called');
      },
    });
    const error = await http
      .send(
        {
          method: 'PUT',
          url: new URL('http://hss.example.com/v5/x'),
          headers: {},
          operation: 'RetryTask t1',
        },
        () => {
          authorized = true;
          return {};
        },
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      'RetryTask t1: "http://hss.example.com" is refused: only https://, or http:// on loopback, is allowed',
    );
    expect(authorized).toBe(false);
  });

  it('does not retry a certificate failure, and says how to fix it', async () => {
    let calls = 0;
    const http = new HttpClient({
      timeoutMs: 1000,
      maxAttempts: 3,
      userAgent: 'ua',
      signal: new AbortController().signal,
      sleep: async () => {},
      transport: async () => {
        calls++;
        const cause = Object.assign(new Error('self-signed certificate in certificate chain'), {
          code: 'SELF_SIGNED_CERT_IN_CHAIN',
        });
        throw new TypeError('fetch failed', { cause });
      },
    });
    const error = await http
      .send({ method: 'GET', url: new URL('https://hss.example.com/x'), headers: {}, operation: 'ListTasks' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).message).toBe(
      'ListTasks: the TLS certificate of hss.example.com cannot be trusted (SELF_SIGNED_CERT_IN_CHAIN self-signed certificate in certificate chain)',
    );
    expect((error as UnavailableError).hint).toContain('--ca-bundle <file>');
  });
});

describe('serverText', () => {
  it.each([
    ['plain', 'plain'],
    ['two\nlines\r\nhere', 'two lines here'],
    ['  padded\t', 'padded'],
    ['\u001b[31mred\u001b[0m', '\\u001b[31mred\\u001b[0m'],
    ['bell\u0007 nul\u0000 del\u007f c1\u009b', 'bell\\u0007 nul\\u0000 del\\u007f c1\\u009b'],
    ['line\u2028sep\u2029para\u0085nel', 'line sep para nel'],
  ])('makes %j one safe line: %j', (input, expected) => {
    expect(serverText(input)).toBe(expected);
  });

  it('cuts long text', () => {
    expect(serverText('x'.repeat(400))).toBe(`${'x'.repeat(300)}…`);
    expect(serverText('y'.repeat(50), 10)).toBe(`${'y'.repeat(10)}…`);
  });
});
