import { describe, expect, it } from 'vitest';
import {
  MASK,
  maskSecret,
  redact,
  redactHeaders,
  redactJson,
  registerSecret,
} from '../../src/core/redact.js';

// The registry is module state shared by the tests of this file: every test uses secrets of its own.

describe('registerSecret and redact', () => {
  it('leaves text alone until the secret is registered', () => {
    const secret = 'tok-AAAA-1111';
    expect(redact(`token ${secret}`)).toBe(`token ${secret}`);
    registerSecret(secret);
    expect(redact(`token ${secret}`)).toBe(`token ${MASK}`);
    expect(MASK).toBe('***');
  });

  it('masks every occurrence of a secret', () => {
    const secret = 'sk-BBBB-2222';
    registerSecret(secret);
    const text = `${secret}|${secret} and again ${secret}${secret}.`;
    expect(redact(text)).toBe('***|*** and again ******.');
  });

  it('masks several different secrets in one text', () => {
    registerSecret('pw-CCCC-3333');
    registerSecret('st-DDDD-4444');
    expect(redact('{"password":"pw-CCCC-3333","security_token":"st-DDDD-4444"}')).toBe(
      '{"password":"***","security_token":"***"}',
    );
  });

  it('ignores values shorter than 4 characters, empty and undefined', () => {
    registerSecret('abc');
    registerSecret('');
    registerSecret(undefined);
    expect(redact('abc abcabc a b c')).toBe('abc abcabc a b c');
  });

  it('registers a 4-character value', () => {
    registerSecret('q9Z!');
    expect(redact('x q9Z! y')).toBe('x *** y');
  });

  it('treats secrets as text, not as patterns', () => {
    registerSecret('a.b*c+d(e)$');
    expect(redact('a.b*c+d(e)$ and aXbbc+d(e)$')).toBe('*** and aXbbc+d(e)$');
  });

  it('never leaves a whole secret when two secrets overlap', () => {
    const left = 'ovl-LEFT-xyz';
    const right = 'xyz-RIGHT-ovl';
    registerSecret(left);
    registerSecret(right);
    const out = redact(`before ovl-LEFT-xyz-RIGHT-ovl after`);
    expect(out).not.toContain(left);
    expect(out).not.toContain(right);
    expect(out.startsWith('before ***')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
  });

  // BUG (src/output/redact.ts `redact`): secrets are replaced one after another in registration order, so
  // when a shorter secret registered earlier (e.g. a password) occurs inside a longer one registered later
  // (e.g. a token), the short one is masked first and the rest of the long secret is printed in clear.
  // Input: registerSecret('Pa55word'); registerSecret('MIIEtokenPa55wordTAILofTheToken');
  //        redact('MIIEtokenPa55wordTAILofTheToken') → 'MIIEtoken***TAILofTheToken' (expected '***').
  it('masks a long secret whole even when a shorter registered secret lies inside it', () => {
    registerSecret('Pa55word');
    const token = 'MIIEtokenPa55wordTAILofTheToken';
    registerSecret(token);
    expect(redact(`X-Auth-Token: ${token}`)).toBe('X-Auth-Token: ***');
  });
});

describe('redactHeaders', () => {
  it.each(['X-Auth-Token', 'x-auth-token', 'X-Subject-Token', 'X-Security-Token', 'Cookie', 'Set-Cookie'])(
    'masks the whole %s header, whatever its value',
    (name) => {
      expect(redactHeaders({ [name]: 'unregistered-value-1234' })).toEqual({ [name]: '***' });
    },
  );

  it('masks only the signature of an AK/SK Authorization header', () => {
    const value =
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=0892a2afe58dd25b3aeb89cb4504b669bcfdc71b356fb09584d26b3a185a46e8';
    for (const name of ['Authorization', 'authorization', 'AUTHORIZATION']) {
      expect(redactHeaders({ [name]: value })[name]).toBe(
        'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=content-type;host;x-sdk-date, Signature=***',
      );
    }
  });

  it('masks an upper-case hex signature too', () => {
    expect(redactHeaders({ Authorization: 'X Access=a, Signature=ABCDEF0123' })['Authorization']).toBe(
      'X Access=a, Signature=***',
    );
  });

  it('passes other headers through redact, keeping names and order', () => {
    registerSecret('hdr-secret-5555');
    const out = redactHeaders({
      'Content-Type': 'application/json',
      'X-Project-Id': 'p1',
      'X-Note': 'carries hdr-secret-5555 inside',
    });
    expect(out).toEqual({
      'Content-Type': 'application/json',
      'X-Project-Id': 'p1',
      'X-Note': 'carries *** inside',
    });
    expect(Object.keys(out)).toEqual(['Content-Type', 'X-Project-Id', 'X-Note']);
  });

  it('does not change the headers it was given', () => {
    const headers = { 'X-Auth-Token': 'tok-in-place-6666' };
    redactHeaders(headers);
    expect(headers).toEqual({ 'X-Auth-Token': 'tok-in-place-6666' });
  });
});

describe('redactJson', () => {
  it('masks secret-looking string fields at any depth, and nothing else', () => {
    const input = {
      user: 'alice',
      password: 'hunter2',
      secret_key: 'sk-value',
      SK: 'sk-upper',
      sk: 'sk-lower',
      skip: 'kept',
      access_key: 'AK-is-not-secret',
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', password: 'inner-pw' } } },
      },
      list: [{ security_token: 'st' }, { token: 'tk' }, 'plain'],
      count: 3,
      flag: true,
      nothing: null,
    };
    expect(redactJson(input)).toEqual({
      user: 'alice',
      password: '***',
      secret_key: '***',
      SK: '***',
      sk: '***',
      skip: 'kept',
      access_key: 'AK-is-not-secret',
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'u', password: '***' } } },
      },
      list: [{ security_token: '***' }, { token: '***' }, 'plain'],
      count: 3,
      flag: true,
      nothing: null,
    });
    // The input is not changed.
    expect(input.password).toBe('hunter2');
  });

  it('masks registered secrets inside other strings', () => {
    registerSecret('json-secret-7777');
    expect(redactJson({ note: 'x json-secret-7777 y', arr: ['json-secret-7777'] })).toEqual({
      note: 'x *** y',
      arr: ['***'],
    });
  });

  it('returns scalars as they are (strings redacted)', () => {
    expect(redactJson(5)).toBe(5);
    expect(redactJson(null)).toBeNull();
    expect(redactJson('json-secret-7777')).toBe('***');
  });
});

describe('maskSecret', () => {
  it('shows that a secret is set and its length, not the secret', () => {
    expect(maskSecret('abcdefgh')).toBe('*** (8 chars)');
    expect(maskSecret('abcdefgh')).not.toContain('abc');
    expect(maskSecret('')).toBe('*** (0 chars)');
    expect(maskSecret(undefined)).toBeUndefined();
  });
});
