import { describe, expect, it } from 'vitest';
import { outputOptions } from '../../src/output/renderer.js';

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
