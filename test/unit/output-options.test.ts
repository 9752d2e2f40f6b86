import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { outputOptions, PLAIN, Renderer } from '../../src/output/renderer.js';

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
    const r = await Renderer.create(
      { stdout: tty, stderr: pipe },
      outputOptions({}, {}, { stdout: tty, stderr: pipe }),
    );
    expect(r.out.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(r.err).toBe(PLAIN);
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
