/**
 * What a failed attempt is taken for (api/retry-policy.ts): the code behind a network failure, found
 * through the causes fetch wraps it in; a certificate failure (never retried, docs/reliability.md:
 * "TLS certificate not trusted / for another host": one attempt); and the reason a user reads.
 * test/unit/http.test.ts drives the same rules through the client against real servers.
 */
import { describe, expect, it } from 'vitest';
import { innermostCode, networkReason, tlsTrustCode, undelivered } from '../../src/api/retry-policy.js';

/** An error with a Node-style `code`, and optionally the error it wraps. */
function coded(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
}

/** What fetch throws: a TypeError without a code, wrapping the socket's error. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

describe('innermostCode', () => {
  it('finds the socket error fetch wraps', () => {
    const error = fetchFailed(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'));
    expect(innermostCode(error)).toEqual({
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('takes the innermost of several coded errors, however deep', () => {
    let error: unknown = coded('CERT_HAS_EXPIRED', 'certificate has expired');
    for (let i = 0; i < 9; i++)
      error = i === 4 ? coded('UND_ERR_CONNECT', 'outer', error) : fetchFailed(error);
    expect(innermostCode(error)).toEqual({ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' });
  });

  it('ignores codes that are not text, and causes that are not errors', () => {
    expect(innermostCode(Object.assign(new Error('x'), { code: 113 }))).toBeUndefined();
    expect(innermostCode(coded('EPIPE', 'broken pipe', { code: 'ENOTERROR' }))).toEqual({
      code: 'EPIPE',
      message: 'broken pipe',
    });
    expect(innermostCode({ code: 'ECONNRESET', message: 'not an Error' })).toBeUndefined();
    expect(innermostCode(undefined)).toBeUndefined();
    expect(innermostCode(new Error('no code'))).toBeUndefined();
  });

  it('ends a chain of causes that comes back on itself', () => {
    const outer = coded('EOUTER', 'outer');
    const inner = coded('EINNER', 'inner', outer);
    (outer as { cause?: unknown }).cause = inner;
    expect(innermostCode(outer)).toEqual({ code: 'EINNER', message: 'inner' });
    const self = coded('ESELF', 'self');
    (self as { cause?: unknown }).cause = self;
    expect(innermostCode(self)).toEqual({ code: 'ESELF', message: 'self' });
  });
});

describe('undelivered: the failures after which a request that must not run twice may be sent again', () => {
  // docs/reliability.md: CreateTask is tried again only when it cannot have reached the service.
  it.each([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'EADDRNOTAVAIL',
    'UND_ERR_CONNECT_TIMEOUT',
  ])('%s, however deep fetch wraps it: never sent', (code) => {
    expect(undelivered(coded(code, 'no connection'))).toBe(true);
    expect(undelivered(fetchFailed(coded(code, 'no connection')))).toBe(true);
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'EPIPE'])(
    '%s: the request may have reached the service',
    (code) => {
      expect(undelivered(fetchFailed(coded(code, 'lost')))).toBe(false);
    },
  );

  it('an error with no code at all (a timeout of our own, an abort) may have been delivered', () => {
    expect(undelivered(new Error('timed out'))).toBe(false);
    expect(undelivered(fetchFailed(new Error('no code')))).toBe(false);
  });

  it('an answer: only 429 (throttled at the gateway) was not handed to the service', () => {
    expect(undelivered({ status: 429 })).toBe(true);
    for (const status of [500, 502, 503, 504, 408, 400]) expect(undelivered({ status })).toBe(false);
  });
});

describe('tlsTrustCode: the certificate failures retrying cannot fix', () => {
  // Node's codes for a certificate that does not check out (the chain, the signature, the dates) or
  // that names another host.
  it.each([
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
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('%s, wrapped by fetch', (code) => {
    expect(tlsTrustCode(fetchFailed(coded(code, 'certificate problem')))).toBe(code);
  });

  it.each([
    ['a refused connection', fetchFailed(coded('ECONNREFUSED', 'connect ECONNREFUSED'))],
    ['a reset', fetchFailed(coded('ECONNRESET', 'read ECONNRESET'))],
    ['a TLS alert that is not about the certificate', coded('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version')],
    ['a code in other letters', coded('cert_has_expired', 'lower case')],
    ['an error without a code', fetchFailed(new Error('other side closed'))],
    ['no error at all', 'CERT_HAS_EXPIRED'],
  ])('not %s', (_what, error) => {
    expect(tlsTrustCode(error)).toBeUndefined();
  });

  it('goes by the innermost code: a certificate failure wrapped in a coded connect error', () => {
    expect(
      tlsTrustCode(coded('UND_ERR_CONNECT', 'connect failed', coded('CERT_HAS_EXPIRED', 'expired'))),
    ).toBe('CERT_HAS_EXPIRED');
  });
});

describe('networkReason: what "cannot reach" says', () => {
  it('the code and message of the socket error, the code once', () => {
    expect(networkReason(fetchFailed(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9')))).toBe(
      'ECONNREFUSED connect ECONNREFUSED 127.0.0.1:9',
    );
    expect(networkReason(fetchFailed(coded('ECONNRESET', 'ECONNRESET socket closed')))).toBe(
      'ECONNRESET socket closed',
    );
  });

  it('without a code: the cause, else the error itself', () => {
    expect(networkReason(fetchFailed(new Error('other side closed')))).toBe('other side closed');
    expect(networkReason(new Error('proxy refused the tunnel'))).toBe('proxy refused the tunnel');
    expect(networkReason(fetchFailed('not an error'))).toBe('fetch failed');
  });

  it('whatever was thrown, as text', () => {
    expect(networkReason('socket hang up')).toBe('socket hang up');
    expect(networkReason(42)).toBe('42');
    expect(networkReason(undefined)).toBe('undefined');
  });

  it('one line, escaped: a reason is server-influenced text', () => {
    expect(networkReason(new Error('line one\nline two\u001b[31m'))).toBe('line one line two\\u001b[31m');
  });
});
