/**
 * profile rename, copy, and remove's --yes, in-process: what each stores, what happens to a cached
 * login, and how each refuses.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';
import { writeLoginCache, writeStore } from '../helpers/credentials.js';
import { hssInProcess } from '../helpers/in-process.js';

const IAM = 'https://iam.myhuaweicloud.com';
const LOGIN = { token: 'login-token-0123456789', expires_at: '2099-01-01T00:00:00Z', user: 'u', domain: 'd' };

function stored(configDir: string) {
  return JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8'));
}
function cache(configDir: string) {
  return JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8'));
}

function threeProfiles(): string {
  const configDir = tempDir();
  writeStore(
    configDir,
    {
      a: { region: 'cn-north-4' },
      lab: { region: 'cn-east-3', auth: 'password', user: 'u', domain: 'd', token: 'stored-token-0001' },
      z: { region: 'ap-southeast-1' },
    },
    'lab',
  );
  writeLoginCache(configDir, 'lab', IAM, LOGIN);
  return configDir;
}

describe('profile rename', () => {
  it('keeps the place, the fields and being current; the cached login moves with it', async () => {
    const configDir = threeProfiles();
    const r = await hssInProcess(['profile', 'rename', 'lab', 'stage'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '✔ profile lab renamed to stage (the current profile); its cached login moved with it\n',
    );
    const store = stored(configDir);
    expect(Object.keys(store.profiles)).toEqual(['a', 'stage', 'z']);
    expect(store.current).toBe('stage');
    expect(store.profiles.stage).toMatchObject({ region: 'cn-east-3', token: 'stored-token-0001' });
    expect(cache(configDir).logins).toEqual({ stage: { [IAM]: LOGIN } });

    const status = await hssInProcess(['auth', 'status', '--offline', '--json'], { configDir });
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'stage', source: 'login:stage' });
  });

  it('--json; a profile that is not current stays not current', async () => {
    const configDir = threeProfiles();
    const r = await hssInProcess(['profile', 'mv', 'z', 'zz', '--json'], { configDir });
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      from: 'z',
      to: 'zz',
      current: false,
      moved_login: false,
      moved_command_output: false,
    });
    expect(stored(configDir).current).toBe('lab');
  });

  it('refuses a taken name (exit 2), an unknown profile (exit 3), a bad name (exit 2); nothing changes', async () => {
    const configDir = threeProfiles();
    const before = readFileSync(path.join(configDir, 'config.json'), 'utf8');
    const taken = await hssInProcess(['profile', 'rename', 'lab', 'a'], { configDir });
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toBe(
      'error: profile "a" already exists; rename refuses to overwrite it\n' +
        'hint: choose another name, or remove it first: `hss profile remove a`\n',
    );
    const unknown = await hssInProcess(['profile', 'rename', 'nope', 'x'], { configDir });
    expect(unknown.exitCode).toBe(3);
    expect(unknown.stderr).toMatch(/^error: unknown profile "nope"\n/);
    const bad = await hssInProcess(['profile', 'rename', 'lab', 'a b'], { configDir });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: profile name "a b": /);
    const same = await hssInProcess(['profile', 'rename', 'lab', 'lab'], { configDir });
    expect(same.exitCode).toBe(2);
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(before);
    expect(cache(configDir).logins).toEqual({ lab: { [IAM]: LOGIN } });
  });
});

describe('profile copy', () => {
  it('copies every field, stored secrets included, but not the cached login', async () => {
    const configDir = threeProfiles();
    const r = await hssInProcess(['profile', 'copy', 'lab', 'lab2'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      '✔ profile lab2 created as a copy of lab; change it with `hss profile set lab2 …`\n',
    );
    const store = stored(configDir);
    expect(store.profiles.lab2).toEqual(store.profiles.lab);
    expect(store.current).toBe('lab');
    expect(cache(configDir).logins).toEqual({ lab: { [IAM]: LOGIN } });
    const status = await hssInProcess(['-p', 'lab2', 'auth', 'status', '--offline'], { configDir });
    expect(status.exitCode).toBe(4);
    expect(status.stderr).toContain('hint: hss auth login -p lab2\n');

    const json = await hssInProcess(['profile', 'cp', 'a', 'a2', '--json'], { configDir });
    expect(JSON.parse(json.stdout)).toEqual({ ok: true, from: 'a', to: 'a2' });
  });

  it('a login left in the cache under the new name is dropped, not inherited', async () => {
    const configDir = tempDir();
    writeStore(configDir, { a: { region: 'cn-north-4', auth: 'password', user: 'u', domain: 'd' } });
    writeLoginCache(configDir, 'b', IAM, LOGIN);
    expect((await hssInProcess(['profile', 'copy', 'a', 'b'], { configDir })).exitCode).toBe(0);
    expect(cache(configDir).logins).toEqual({});
  });

  it('refuses a taken name and an unknown profile', async () => {
    const configDir = threeProfiles();
    expect((await hssInProcess(['profile', 'copy', 'lab', 'z'], { configDir })).exitCode).toBe(2);
    expect((await hssInProcess(['profile', 'copy', 'nope', 'x'], { configDir })).exitCode).toBe(3);
    expect(Object.keys(stored(configDir).profiles)).toEqual(['a', 'lab', 'z']);
  });
});

describe('profile remove without a terminal', () => {
  it('needs --yes (exit 2, nothing removed); with it, the profile and its login go', async () => {
    const configDir = threeProfiles();
    const r = await hssInProcess(['profile', 'remove', 'lab'], { configDir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: profile remove deletes "lab" for good, and standard input is not a terminal to ask on\n' +
        'hint: pass --yes: `hss profile remove lab --yes`\n',
    );
    expect(Object.keys(stored(configDir).profiles)).toEqual(['a', 'lab', 'z']);
    const json = await hssInProcess(['profile', 'remove', 'lab', '--json'], { configDir });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'USAGE', exit_code: 2 });

    const yes = await hssInProcess(['profile', 'remove', 'lab', '--yes'], { configDir });
    expect(yes.exitCode, yes.stderr).toBe(0);
    expect(yes.stdout).toBe('✔ profile lab removed; no profile is current now\n');
    expect(cache(configDir).logins).toEqual({});
  });

  it('an unknown profile is exit 3 before any question', async () => {
    const configDir = threeProfiles();
    const r = await hssInProcess(['profile', 'remove', 'nope'], { configDir });
    expect(r.exitCode).toBe(3);
    expect(existsSync(path.join(configDir, 'config.json'))).toBe(true);
  });
});
