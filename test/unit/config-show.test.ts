/**
 * `hss config show` reports every setting with where it came from: the profile's, and those of output
 * and of every request, which no profile holds. Run in-process through main() with buffered streams.
 */
import { describe, expect, it } from 'vitest';
import { envFlag } from '../../src/settings/source.js';
import { hssInProcess } from '../helpers/in-process.js';

type Row = { value: string | boolean | null; source: string };

async function configShow(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await hssInProcess([...args, 'config', 'show'], { env });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
}

async function settings(args: string[], env: Record<string, string> = {}): Promise<Record<string, Row>> {
  const r = await configShow(['--json', ...args], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).settings;
}

describe('config show: output and request settings, with their sources', () => {
  it('says where each came from when nothing is set: the defaults', async () => {
    expect(await settings([])).toMatchObject({
      output: { value: 'json', source: 'flag' },
      quiet: { value: false, source: 'default' },
      color: { value: 'auto', source: 'default' },
      debug: { value: false, source: 'default' },
      plain: { value: false, source: 'default' },
      timeout: { value: '30s', source: 'default' },
      max_attempts: { value: '3', source: 'default' },
      ca_bundle: { value: null, source: 'unset' },
    });
  });

  it('names the flag or variable that set each one', async () => {
    const env = { HSS_DEBUG: '1', CI: 'true', HSS_TIMEOUT: '10s', HSS_MAX_ATTEMPTS: '5' };
    expect(await settings(['-q', '--no-color'], env)).toMatchObject({
      quiet: { value: true, source: 'flag' },
      color: { value: 'never', source: 'flag' },
      debug: { value: true, source: 'env:HSS_DEBUG' },
      plain: { value: true, source: 'env:CI' },
      timeout: { value: '10s', source: 'env:HSS_TIMEOUT' },
      max_attempts: { value: '5', source: 'env:HSS_MAX_ATTEMPTS' },
    });
    expect(
      await settings(['--debug', '--timeout', '2m'], { HSS_DEBUG: '0', TERM: 'dumb', FORCE_COLOR: '1' }),
    ).toMatchObject({
      debug: { value: true, source: 'flag' },
      color: { value: 'always', source: 'env:FORCE_COLOR' },
      plain: { value: true, source: 'env:TERM' },
      timeout: { value: '2m', source: 'flag' },
    });
    expect(await settings([], { HSS_DEBUG: 'false', NO_COLOR: '1', FORCE_COLOR: '1' })).toMatchObject({
      debug: { value: false, source: 'env:HSS_DEBUG' },
      color: { value: 'never', source: 'env:NO_COLOR' },
    });
  });

  it('shows them in the text table too', async () => {
    const r = await configShow([], { HSS_DEBUG: 'yes', HSS_OUTPUT: 'text' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^output +text +environment HSS_OUTPUT$/m);
    expect(r.stdout).toMatch(/^debug +true +environment HSS_DEBUG$/m);
    expect(r.stdout).toMatch(/^color +auto +default$/m);
  });
});

describe('envFlag: the one truth test of switches such as HSS_DEBUG and CI', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['FALSE', false],
    ['1', true],
    ['true', true],
    ['yes', true],
  ])('%j is %s', (value, on) => {
    expect(envFlag(value)).toBe(on);
  });
});
