/**
 * The pieces of --query, -o yaml and the pager that need no process: when the pager is used, how its
 * command line is split, and how what they print is kept safe for a terminal.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../src/core/errors.js';
import type { OutStream } from '../../src/core/io.js';
import { rowCount } from '../../src/output/formats.js';
import { pagerWords } from '../../src/output/pager.js';
import { compileQuery, queryText } from '../../src/output/query.js';
import { yamlText } from '../../src/output/yaml.js';
import { outputOptions } from '../../src/settings/output.js';

const tty: OutStream = { write: (): boolean => true, isTTY: true, columns: 80, rows: 24 };
const pipe: OutStream = { write: (): boolean => true, isTTY: false };

describe('outputOptions: the pager', () => {
  const pagerOf = (flags: object, env: Record<string, string>, stdout = tty) =>
    outputOptions(flags, env, { stdout, stderr: tty }).pager;

  it('$HSS_PAGER, else $PAGER, else less -FRX, on a terminal, for every format', () => {
    expect(pagerOf({}, {})).toBe('less -FRX');
    expect(pagerOf({}, { PAGER: 'more' })).toBe('more');
    expect(pagerOf({}, { HSS_PAGER: 'most', PAGER: 'more' })).toBe('most');
    expect(pagerOf({ output: 'yaml' }, {})).toBe('less -FRX');
    expect(pagerOf({ json: true }, {})).toBe('less -FRX');
  });

  it.each([
    ['a pipe', {}, {}, pipe],
    ['--no-pager', { pager: false }, {}, tty],
    ['CI', {}, { CI: 'true' }, tty],
    ['TERM=dumb', {}, { TERM: 'dumb' }, tty],
    ['HSS_PAGER empty', {}, { HSS_PAGER: '', PAGER: 'more' }, tty],
    ['HSS_PAGER=cat', {}, { HSS_PAGER: 'cat' }, tty],
    ['PAGER=cat', {}, { PAGER: ' cat ' }, tty],
  ])('none for %s', (_name, flags, env, stdout) => {
    expect(pagerOf(flags, env, stdout)).toBeUndefined();
  });
});

describe('rowCount: the rows a text takes, to tell whether it is longer than the terminal', () => {
  it('a row a line; a line wider than the terminal wraps; colour codes take no room', () => {
    expect(rowCount('a\nb\n', 80)).toBe(2);
    expect(rowCount('a\n\nb', 80)).toBe(3);
    expect(rowCount(`${'x'.repeat(81)}\n`, 80)).toBe(2);
    expect(rowCount(`\u001b[31m${'x'.repeat(80)}\u001b[39m\n`, 80)).toBe(1);
    expect(rowCount(`${'x'.repeat(200)}\n`, 0)).toBe(1);
  });
});

describe('pagerWords: the pager command line, split as a shell splits words, run without one', () => {
  it.each([
    ['less -FRX', ['less', '-FRX']],
    ['  less   -R  ', ['less', '-R']],
    [`"/opt/my pager/bin/p" --x 'a b'`, ['/opt/my pager/bin/p', '--x', 'a b']],
    [String.raw`p a\ b "q\"r" ''`, ['p', 'a b', 'q"r', '']],
    ['less; rm -rf ~ | x $(y)', ['less;', 'rm', '-rf', '~', '|', 'x', '$(y)']],
    ['', []],
  ])('%j', (command, words) => {
    expect(pagerWords(command)).toEqual(words);
  });
});

describe('queryText: what -o text prints of a query', () => {
  it('scalars raw, lists one a line, rows tab-separated, null as nothing, the rest as JSON', () => {
    expect(queryText('a')).toBe('a');
    expect(queryText(3)).toBe('3');
    expect(queryText(null)).toBe('');
    expect(queryText(['a', 1, true, null])).toBe('a\n1\ntrue\n');
    expect(
      queryText([
        ['a', 1],
        ['b', 2],
      ]),
    ).toBe('a\t1\nb\t2');
    expect(queryText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(queryText([{ a: 1 }])).toBe('[\n  {\n    "a": 1\n  }\n]');
  });

  it("escapes what a terminal would act on, and keeps a field's tab or line break from splitting it", () => {
    expect(queryText('x\u001b]0;owned\u0007')).toBe('x\\u001b]0;owned\\u0007');
    expect(queryText([['a\tb', 'c\nd']])).toBe('a\\tb\tc\\nd');
    expect(queryText({ k: '\u202e' })).toBe('{\n  "k": "\\u202e"\n}');
  });
});

describe('compileQuery', () => {
  it('an expression that does not parse, or calls an unknown function: a UsageError naming it', () => {
    expect(() => compileQuery('a[', '--query "a["')).toThrow(UsageError);
    expect(() => compileQuery('nope(a)', '--query "nope(a)"')).toThrow(
      /^--query "nope\(a\)": unknown function nope\(\)$/,
    );
  });

  it('reads legacy literals as aws does', () => {
    expect(
      compileQuery('a[?s==`x`].n', 'q').apply({
        a: [
          { s: 'x', n: 1 },
          { s: 'y', n: 2 },
        ],
      }),
    ).toEqual([1]);
  });
});

describe('yamlText', () => {
  it('reads back as the same value, in YAML 1.1 and 1.2 readers alike', () => {
    const data = { a: 'yes', b: '0755', c: 'on', d: [1, 'two', null], e: 'multi\nline', f: '' };
    const text = yamlText(data);
    expect(parseYaml(text)).toEqual(data);
    expect(parseYaml(text, { version: '1.1' })).toEqual(data);
  });

  it('writes a character a terminal acts on as an escape inside double quotes', () => {
    const text = yamlText({ name: 'x\u001b[31mred\u009b\u202e' });
    expect(text).toBe('name: "x\\e[31mred\\u009b\\u202e"\n');
    expect(parseYaml(text)).toEqual({ name: 'x\u001b[31mred\u009b\u202e' });
  });
});
