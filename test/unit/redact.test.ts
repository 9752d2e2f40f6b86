import { describe, expect, it } from 'vitest';
import {
  MASK,
  maskSecret,
  redact,
  redactHeaders,
  redactJson,
  registerEnvSecrets,
  registerSecret,
  SECRET_ENV_VARS,
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

  it('masks two overlapping secrets as one, leaving no character of either', () => {
    registerSecret('ovl-LEFT-xyz');
    registerSecret('xyz-RIGHT-ovl');
    expect(redact('before ovl-LEFT-xyz-RIGHT-ovl after')).toBe('before *** after');
  });

  it('masks overlapping secrets whatever order they were registered in', () => {
    // Registered right first, found left first in the text.
    registerSecret('rev-RIGHT-qq');
    registerSecret('pp-LEFT-rev');
    expect(redact('<pp-LEFT-rev-RIGHT-qq>')).toBe('<***>');
    // A secret that ends inside the span of an earlier one, then one that starts after both.
    registerSecret('chain-AAAA-chain');
    registerSecret('AAAA');
    registerSecret('tail-ZZZZ');
    expect(redact('1 chain-AAAA-chain 2 tail-ZZZZ 3')).toBe('1 *** 2 *** 3');
  });

  it('masks secrets found out of registration order', () => {
    registerSecret('first-reg-8888');
    registerSecret('second-reg-9999');
    expect(redact('a second-reg-9999 b first-reg-8888 c second-reg-9999 d')).toBe('a *** b *** c *** d');
  });

  it('masks occurrences of one secret that overlap each other', () => {
    registerSecret('zqzq');
    expect(redact('[zqzqzq]')).toBe('[***]');
    expect(redact('zqzqz zqzq')).toBe('***z ***');
  });

  it('masks a long secret whole even when a shorter registered secret lies inside it', () => {
    registerSecret('Pa55word');
    const token = 'MIIEtokenPa55wordTAILofTheToken';
    registerSecret(token);
    expect(redact(`X-Auth-Token: ${token}`)).toBe('X-Auth-Token: ***');
  });
});

describe('registerEnvSecrets', () => {
  it('registers the token, secret key and security token of the environment, not the access key', () => {
    expect(SECRET_ENV_VARS).toEqual(['HSS_TOKEN', 'HUAWEICLOUD_SDK_SK', 'HUAWEICLOUD_SDK_SECURITY_TOKEN']);
    registerEnvSecrets({
      HSS_TOKEN: 'env-token-1111',
      HUAWEICLOUD_SDK_SK: 'env-sk-2222',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'env-st-3333',
      HUAWEICLOUD_SDK_AK: 'env-ak-4444',
      HSS_REGION: 'cn-north-4',
      HSS_PROFILE: undefined,
    });
    expect(redact('env-token-1111 env-sk-2222 env-st-3333 env-ak-4444 cn-north-4')).toBe(
      '*** *** *** env-ak-4444 cn-north-4',
    );
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

  it('decides by the field name, in any case: password, secret and token anywhere in it, sk alone', () => {
    const input = {
      Password: 'a',
      OLD_PASSWORD: 'b',
      client_secret: 'c',
      SecretAccessKey: 'd',
      'X-Auth-Token': 'e',
      refreshToken: 'f',
      Sk: 'g',
      task: 'task-0001',
      disk: 'disk-1',
      risk: 'risk_assessment',
      skew: 'kept',
      sk_id: 'kept too',
      ask: 'kept as well',
      tok: 'short',
      passwd: 'not the word',
    };
    expect(redactJson(input)).toEqual({
      Password: '***',
      OLD_PASSWORD: '***',
      client_secret: '***',
      SecretAccessKey: '***',
      'X-Auth-Token': '***',
      refreshToken: '***',
      Sk: '***',
      task: 'task-0001',
      disk: 'disk-1',
      risk: 'risk_assessment',
      skew: 'kept',
      sk_id: 'kept too',
      ask: 'kept as well',
      tok: 'short',
      passwd: 'not the word',
    });
  });

  it('looks inside a secret-named field that is not a string, masking what it holds', () => {
    registerSecret('nested-secret-0000');
    expect(
      redactJson({
        token: { id: 'kept', value: 'nested-secret-0000' },
        password: ['nested-secret-0000', 'other'],
        secret: 42,
      }),
    ).toEqual({ token: { id: 'kept', value: '***' }, password: ['***', 'other'], secret: 42 });
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
