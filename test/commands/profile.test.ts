/**
 * The profile commands, in-process (test/helpers/in-process.ts): what each prints and stores, and how
 * each refuses a bad name, field or value.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { hssInProcess } from '../helpers/in-process.js';

const TOKEN = 'tok-0123456789abcdef';

function stored(configDir: string): { current?: string; profiles: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8'));
}

describe('profile set, list, show, use, remove', () => {
  it('creates a profile from global options and its own, the first one current, in a 0600 file', async () => {
    const configDir = tempDir();
    const r = await hssInProcess(
      [
        'profile',
        'set',
        'prod',
        '--region',
        'cn-north-4',
        '--project-id',
        'p-1',
        '--user',
        'alice',
        '--json',
      ],
      { configDir },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      profile: 'prod',
      created: true,
      changed: ['region', 'project_id', 'user'],
      current: true,
      file: path.join(configDir, 'config.json'),
    });
    expect(stored(configDir)).toMatchObject({
      current: 'prod',
      profiles: { prod: { region: 'cn-north-4', project_id: 'p-1', user: 'alice' } },
    });
    expect(statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('stores a token piped to --token-stdin, shows it masked, lists the profile with its auth kind', async () => {
    const configDir = tempDir();
    const set = await hssInProcess(['profile', 'set', 'ci', '--token-stdin'], {
      configDir,
      input: `${TOKEN}\n`,
    });
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toBe('✔ profile ci created (token, auth); it is the current profile\n');
    expect(stored(configDir).profiles['ci']).toEqual({ token: TOKEN, auth: 'token' });

    const show = await hssInProcess(['profile', 'show', 'ci', '--json'], { configDir });
    expect(JSON.parse(show.stdout)).toEqual({
      ok: true,
      name: 'ci',
      current: true,
      profile: { token: `*** (${TOKEN.length} chars)`, auth: 'token' },
    });
    expect(show.stdout).not.toContain(TOKEN);

    const list = await hssInProcess(['profile', 'list'], { configDir });
    expect(list.stdout).toBe(
      '   NAME  REGION  PROJECT ID  AUTH   ENDPOINT\n*  ci    -       -           token\n',
    );
  });

  it('use makes another profile current; remove deletes it and says when none is current', async () => {
    const configDir = tempDir();
    await hssInProcess(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir });
    await hssInProcess(['profile', 'set', 'b', '--region', 'cn-east-3'], { configDir });
    expect(stored(configDir).current).toBe('a');
    const use = await hssInProcess(['profile', 'use', 'b'], { configDir });
    expect(use.stdout).toBe('✔ now using profile b\n');
    expect(stored(configDir).current).toBe('b');
    const rm = await hssInProcess(['profile', 'delete', 'b', '--yes', '--json'], { configDir });
    expect(JSON.parse(rm.stdout)).toEqual({ ok: true, removed: 'b', was_current: true });
    expect(stored(configDir)).toEqual({ version: 1, profiles: { a: { region: 'cn-north-4' } } });
  });

  it('--unset removes a field, and refuses one the profile does not have (exit 2, nothing written)', async () => {
    const configDir = tempDir();
    await hssInProcess(['profile', 'set', 'p', '--region', 'cn-north-4', '--user', 'bob'], { configDir });
    const ok = await hssInProcess(['profile', 'set', 'p', '--unset', 'user'], { configDir });
    expect(ok.stdout).toBe('✔ profile p updated (-user); it is the current profile\n');
    expect(stored(configDir).profiles['p']).toEqual({ region: 'cn-north-4' });
    const bad = await hssInProcess(['profile', 'set', 'p', '--unset', 'toString'], { configDir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe(
      'error: --unset "toString": profile "p" has no such field\nhint: its fields: region\n',
    );
    expect(stored(configDir).profiles['p']).toEqual({ region: 'cn-north-4' });
  });
});

describe('profile commands refuse what the rules forbid', () => {
  it.each([
    [
      ['profile', 'set', 'bad name'],
      'error: profile name "bad name": profile name may hold only letters, digits, ".", "_" and "-"\n',
    ],
    [
      ['profile', 'set', '__proto__'],
      'error: profile name "__proto__": profile name "__proto__" is reserved\n',
    ],
    [
      ['profile', 'set', 'p', '--region', 'x@evil.example:443/#'],
      'error: region "x@evil.example:443/#": region may hold only lower-case letters, digits and "-" (e.g. cn-north-4)\n',
    ],
    [
      ['profile', 'set', 'p', '--endpoint', 'http://hss.example.com'],
      'error: endpoint "http://hss.example.com" (from command-line flag): plain http is refused except on loopback; use https://\n',
    ],
  ])('%j: exit 2, one line, no store written', async (args, stderr) => {
    const r = await hssInProcess(args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
    expect(() => statSync(path.join(r.configDir, 'config.json'))).toThrow();
  });

  it('an unknown profile is exit 3, naming the ones there are', async () => {
    const configDir = tempDir();
    await hssInProcess(['profile', 'set', 'prod', '--region', 'cn-north-4'], { configDir });
    const r = await hssInProcess(['profile', 'use', 'stage'], { configDir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe('error: unknown profile "stage"\nhint: known profiles: prod\n');
  });
});
