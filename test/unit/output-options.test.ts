import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { Renderer } from '../../src/output/renderer.js';
import { PLAIN } from '../../src/output/styles.js';
import { outputOptions } from '../../src/settings/output.js';

const out = { write: (): boolean => true, isTTY: true, columns: 80 };

describe('outputOptions: when a spinner is shown', () => {
  it('on a terminal with a width', () => {
    expect(outputOptions({}, {}, { stdout: out, stderr: { ...out } }).interactive).toBe(true);
  });

  it.each([
    ['a terminal that reports no width', {}, { ...out, columns: 0 }],
    ['a terminal with an unknown width', {}, { write: (): boolean => true, isTTY: true }],
    ['a pipe', {}, { write: (): boolean => true, isTTY: false, columns: 80 }],
    ['CI', { CI: 'true' }, out],
    ['TERM=dumb', { TERM: 'dumb' }, out],
  ])('never on %s', (_name, env, stderr) => {
    expect(outputOptions({}, env, { stdout: out, stderr }).interactive).toBe(false);
  });

  it('never with --json or -q', () => {
    expect(outputOptions({ json: true }, {}, { stdout: out, stderr: out }).interactive).toBe(false);
    expect(outputOptions({ quiet: true }, {}, { stdout: out, stderr: out }).interactive).toBe(false);
  });
});

describe('PLAIN: the styles of a stream without colour', () => {
  const chalk0 = new Chalk({ level: 0 });
  const styles = ['bold', 'dim', 'red', 'green', 'yellow', 'cyan', 'gray', 'underline'] as const;

  it.each(styles)('%s gives what chalk gives at level 0, alone and chained', (name) => {
    for (const args of [['text'], [''], ['a', 'b'], [42], ['multi\nline']] as unknown[][]) {
      expect(PLAIN[name](...args)).toBe(chalk0[name](...args));
      expect(PLAIN.bold[name].dim(...args)).toBe(chalk0.bold[name].dim(...args));
    }
  });

  it('reports level 0, and a style taken apart still works', () => {
    expect(PLAIN.level).toBe(0);
    const { red } = PLAIN;
    expect(red('x')).toBe('x');
  });
});

describe('Renderer.create', () => {
  const pipe = { write: (): boolean => true, isTTY: false };
  const tty = { write: (): boolean => true, isTTY: true, columns: 80 };

  it('colours a terminal with chalk, and nothing else', async () => {
    const written: string[] = [];
    const out = { ...tty, write: (s: string): boolean => written.push(s) > 0 };
    const r = await Renderer.create(
      { stdout: out, stderr: pipe },
      outputOptions({}, {}, { stdout: out, stderr: pipe }),
    );
    r.result({ data: {}, text: (s) => `${s.red('x')} ${s.bold.green('y')}`, exitCode: 0 });
    expect(written).toEqual(['\u001b[31mx\u001b[39m \u001b[1m\u001b[32my\u001b[39m\u001b[22m\n']);
    expect(r.err).toBe(PLAIN);
  });

  it('keeps its own colours and escapes every control character of the text it colours', async () => {
    const written: string[] = [];
    const out = { ...tty, write: (s: string): boolean => written.push(s) > 0 };
    const r = await Renderer.create(
      { stdout: out, stderr: pipe },
      outputOptions({}, {}, { stdout: out, stderr: pipe }),
    );
    const hostile = 'a\u001b[2Jb\u0007c\u009bd\u202ee\u0000<red>f';
    r.result({ data: {}, text: (s) => s.red(`1 ${s.bold(hostile)} 2`), exitCode: 0 });
    expect(written).toEqual([
      '\u001b[31m1 \u001b[1ma\\u001b[2Jb\\u0007c\\u009bd\\u202ee\\u0000<red>f\u001b[22m\u001b[31m 2\u001b[39m\n',
    ]);
  });

  it('without colour, escapes the same characters and writes no colour code', async () => {
    const written: string[] = [];
    const stream = { ...pipe, write: (s: string): boolean => written.push(s) > 0 };
    const r = await Renderer.create(
      { stdout: stream, stderr: stream },
      outputOptions({}, {}, { stdout: stream, stderr: stream }),
    );
    r.result({ data: {}, text: (s) => s.red('x\u001b]0;owned\u0007\ny\r'), exitCode: 0 });
    r.warn('w\u202e');
    expect(written).toEqual(['x\\u001b]0;owned\\u0007\ny\\r\n', 'warning: w\\u202e\n']);
  });

  it('needs no chalk where no stream has colour', async () => {
    const r = await Renderer.create(
      { stdout: pipe, stderr: pipe },
      outputOptions({}, {}, { stdout: pipe, stderr: pipe }),
    );
    expect(r.out).toBe(PLAIN);
    expect(r.err).toBe(PLAIN);
  });
});
