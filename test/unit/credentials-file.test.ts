import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  credentialsFilePath,
  IniSyntaxError,
  parseCredentialsIni,
  readCredentialsFile,
} from '../../src/auth/credentials-file.js';

let home: string;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'hss-creds-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

async function writeDefault(text: string): Promise<string> {
  await mkdir(join(home, '.huaweicloud'), { recursive: true });
  const path = join(home, '.huaweicloud', 'credentials');
  await writeFile(path, text);
  return path;
}

describe('credentialsFilePath', () => {
  it('defaults to ~/.huaweicloud/credentials', () => {
    expect(credentialsFilePath({}, '/home/u')).toBe(join('/home/u', '.huaweicloud', 'credentials'));
    expect(credentialsFilePath({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: '' }, '/home/u')).toBe(
      join('/home/u', '.huaweicloud', 'credentials'),
    );
    expect(credentialsFilePath({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: '  ' }, '/home/u')).toBe(
      join('/home/u', '.huaweicloud', 'credentials'),
    );
  });
  it('honours $HUAWEICLOUD_SDK_CREDENTIALS_FILE', () => {
    expect(credentialsFilePath({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: '/etc/hw/creds' }, '/home/u')).toBe(
      '/etc/hw/creds',
    );
  });
});

describe('parseCredentialsIni', () => {
  it('parses sections, comments, blank lines, whitespace, CRLF, BOM and mixed-case keys', () => {
    const text =
      '\uFEFF# leading comment\r\n' +
      '; another comment\r\n' +
      '\r\n' +
      '[basic]\r\n' +
      '  AK =  AKEXAMPLE  \r\n' +
      'Sk=abc=def#not-a-comment;nor-this\r\n' +
      '\tproject_id\t=\t0123\t\r\n' +
      'empty =\r\n' +
      '   # indented comment\r\n' +
      '[ other ]\n' +
      'ak = second\r' +
      '[basic]\n' +
      'iam_endpoint = https://iam.example\n';
    expect(parseCredentialsIni(text)).toEqual({
      basic: {
        ak: 'AKEXAMPLE',
        sk: 'abc=def#not-a-comment;nor-this',
        project_id: '0123',
        empty: '',
        iam_endpoint: 'https://iam.example',
      },
      other: { ak: 'second' },
    });
  });

  it('returns no sections for empty or comment-only text', () => {
    expect(parseCredentialsIni('')).toEqual({});
    expect(parseCredentialsIni('\uFEFF\n# x\n;y\n\n')).toEqual({});
  });

  it('does not let section or key names touch Object.prototype', () => {
    const parsed = parseCredentialsIni('[__proto__]\n__proto__ = x\nconstructor = y\n');
    expect(Object.entries(parsed).map(([name, kv]) => [name, Object.entries(kv)])).toEqual([
      [
        '__proto__',
        [
          ['__proto__', 'x'],
          ['constructor', 'y'],
        ],
      ],
    ]);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it.each([
    ['no equals sign', '[basic]\nak = a\nsk SECRETVALUE\n', 3],
    ['empty key', '[basic]\n = SECRETVALUE\n', 2],
    ['unterminated section', '[basic\n', 1],
    ['empty section name', '[ ]\n', 1],
    ['key before any section', 'sk = SECRETVALUE\n[basic]\n', 1],
    ['line numbers count CRLF and CR', '[basic]\r\n\r\nak=1\rSECRETVALUE\n', 4],
  ])('rejects %s with the line number only', (_label, text, line) => {
    let caught: unknown;
    try {
      parseCredentialsIni(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(IniSyntaxError);
    const err = caught as IniSyntaxError;
    expect(err.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`^line ${line}: `));
    expect(err.message).not.toContain('SECRETVALUE');
  });
});

describe('readCredentialsFile', () => {
  it('returns undefined when the file does not exist', async () => {
    expect(await readCredentialsFile({}, home)).toBeUndefined();
    expect(
      await readCredentialsFile({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: join(home, 'missing', 'creds') }, home),
    ).toBeUndefined();
  });

  it('reads [basic] from ~/.huaweicloud/credentials', async () => {
    const path = await writeDefault(
      [
        '[other]',
        'ak = WRONG',
        '[basic]',
        'ak = AKEXAMPLE',
        'sk = SKEXAMPLE',
        'project_id = 0123456789abcdef0123456789abcdef',
        'security_token = tok==',
        'iam_endpoint = https://iam.cn-north-4.myhuaweicloud.com',
        'domain_id = ignored',
        '',
      ].join('\n'),
    );
    expect(await readCredentialsFile({}, home)).toEqual({
      path,
      accessKey: 'AKEXAMPLE',
      secretKey: 'SKEXAMPLE',
      projectId: '0123456789abcdef0123456789abcdef',
      securityToken: 'tok==',
      iamEndpoint: 'https://iam.cn-north-4.myhuaweicloud.com',
    });
  });

  it('prefers the file named by $HUAWEICLOUD_SDK_CREDENTIALS_FILE', async () => {
    await writeDefault('[basic]\nak = FROMHOME\n');
    const other = join(home, 'elsewhere.ini');
    await writeFile(other, '[basic]\r\nak = FROMENV\r\nsk = S\r\n');
    expect(await readCredentialsFile({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: other }, home)).toEqual({
      path: other,
      accessKey: 'FROMENV',
      secretKey: 'S',
    });
  });

  it('returns only the path when [basic] is missing or its values are empty', async () => {
    const path = await writeDefault('[default]\nak = A\n');
    expect(await readCredentialsFile({}, home)).toEqual({ path });
    await writeFile(path, '[basic]\nak =\nsk = \n');
    expect(await readCredentialsFile({}, home)).toEqual({ path });
  });

  it('names the file and line but not the content of a malformed line', async () => {
    const path = await writeDefault('[basic]\nak = A\nsk: SUPERSECRETSK\n');
    await expect(readCredentialsFile({}, home)).rejects.toThrow(
      `credentials file ${path}: line 3: not a section header, comment or key = value`,
    );
    await expect(readCredentialsFile({}, home)).rejects.not.toThrow(/SUPERSECRETSK/);
  });

  it('reports an unreadable path without its content', async () => {
    const dir = join(home, 'a-directory');
    await mkdir(dir);
    await expect(readCredentialsFile({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: dir }, home)).rejects.toThrow(
      /cannot read credentials file .*a-directory/,
    );
    if (process.getuid?.() !== 0) {
      const path = await writeDefault('[basic]\nsk = SECRET\n');
      await chmod(path, 0o000);
      await expect(readCredentialsFile({}, home)).rejects.toThrow(/EACCES/);
      await chmod(path, 0o600);
    }
  });
});

describe('parseCredentialsIni on arbitrary text', () => {
  // Lines built from INI-ish fragments and random text; each may carry a "secret" marker.
  const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `Sx${s}`);
  const junk = fc.string({ unit: 'binary', maxLength: 30 });
  const line = fc.oneof(
    fc.constant(''),
    fc.constantFrom('[basic]', '[other]', '# comment', '; comment', '[', ']', '[]', '=', ' = x'),
    fc
      .tuple(
        fc.constantFrom('ak', 'SK', ' project_id', 'security_token'),
        fc.constantFrom('=', ' = ', ':', ' '),
        secret,
      )
      .map(([k, sep, v]) => `${k}${sep}${v}`),
    fc.tuple(secret, junk).map(([s, j]) => `${j}${s}${j}`),
    secret,
    junk,
  );
  const text = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean());

  it('returns a table or throws an Error that carries only a line number', () => {
    fc.assert(
      fc.property(text, ([lines, eol, bom]) => {
        const input = `${bom ? '\uFEFF' : ''}${lines.join(eol)}`;
        try {
          const parsed = parseCredentialsIni(input);
          for (const section of Object.values(parsed)) {
            for (const [key, value] of Object.entries(section)) {
              expect(typeof value).toBe('string');
              expect(key).toBe(key.toLowerCase());
            }
          }
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          const message = (err as Error).message;
          expect(message).toMatch(
            /^line \d+: (not a section header, comment or key = value|empty section name|key = value before any \[section\])$/,
          );
          const lineNo = Number(/^line (\d+)/.exec(message)?.[1]);
          expect(lineNo).toBeGreaterThanOrEqual(1);
          expect(lineNo).toBeLessThanOrEqual(input.split(/\r\n|\r|\n/).length);
          for (const l of lines) {
            for (const token of l.match(/Sx[A-Za-z0-9]{12,24}/g) ?? []) expect(message).not.toContain(token);
          }
        }
      }),
      { numRuns: 1500, seed: 42 },
    );
  });
});
