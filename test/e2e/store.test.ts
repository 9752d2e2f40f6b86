/**
 * The profile store under concurrency, interruption, newer versions and loose permissions, with real
 * processes.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { READY, spawnHss, stderrMatches } from '../helpers/process.js';

const STORE = 'config.json';

function storeOf(
  dir: string,
): { profiles: Record<string, Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(dir, STORE), 'utf8'));
}

/** Files left in the config dir besides the store: temp files or locks would show a half-done write. */
function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name !== STORE);
}

describe('many processes writing at once', () => {
  it('24 concurrent `hss profile set` lose no update and leave one valid 0600 file', async () => {
    const dir = tempDir();
    const n = 24;
    const runs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        hss(['profile', 'set', `p${i}`, '--region', 'cn-north-4', '--project-id', `project-${i}`], {
          configDir: dir,
          timeoutMs: 60_000,
        }),
      ),
    );
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const store = storeOf(dir);
    expect(Object.keys(store.profiles).sort()).toEqual(Array.from({ length: n }, (_, i) => `p${i}`).sort());
    for (let i = 0; i < n; i++) {
      expect(store.profiles[`p${i}`]).toEqual({ region: 'cn-north-4', project_id: `project-${i}` });
    }
    // Exactly one of them found the store empty and made its profile the current one.
    expect(runs.filter((r) => r.stdout.includes('it is the current profile'))).toHaveLength(1);
    expect(statSync(path.join(dir, STORE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it('concurrent updates of the same profile each land whole (no field of one write lost to another)', async () => {
    const dir = tempDir();
    const first = await hss(['profile', 'set', 'shared', '--region', 'cn-north-4'], { configDir: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const fields = [
      ['--project-id', 'p-1'],
      ['--enterprise-project', 'ep-1'],
      ['--endpoint', 'https://hss.example.com'],
      ['--iam-endpoint', 'https://iam.example.com'],
      ['--user', 'alice'],
      ['--domain', 'acme'],
      ['--ak', 'AKEXAMPLE'],
      ['--auth', 'aksk'],
    ];
    const runs = await Promise.all(
      fields.map((f) => hss(['profile', 'set', 'shared', ...f], { configDir: dir, timeoutMs: 60_000 })),
    );
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    expect(storeOf(dir).profiles['shared']).toEqual({
      region: 'cn-north-4',
      project_id: 'p-1',
      enterprise_project_id: 'ep-1',
      endpoint: 'https://hss.example.com',
      iam_endpoint: 'https://iam.example.com',
      user: 'alice',
      domain: 'acme',
      access_key: 'AKEXAMPLE',
      auth: 'aksk',
    });
  }, 120_000);
});

describe('interrupted writers', () => {
  it('writers interrupted at random moments leave a valid store, no temp file and no lock', async () => {
    const dir = tempDir();
    const n = 10;
    const spawned = Array.from({ length: n }, (_, i) =>
      spawnHss(['profile', 'set', `p${i}`, '--region', 'cn-north-4', '--debug'], { configDir: dir }),
    );
    await Promise.all(
      spawned.map(async ({ child }, i) => {
        await stderrMatches(child, READY);
        await new Promise((resolve) => setTimeout(resolve, (i * 37) % 150));
        child.kill(i % 2 ? 'SIGINT' : 'SIGTERM');
      }),
    );
    const results = await Promise.all(spawned.map((s) => s.child));
    const written: string[] = [];
    results.forEach((r, i) => {
      // Either the write finished before the signal (exit 0) or the run was interrupted (130/143).
      expect([0, i % 2 ? 130 : 143], r.stderr).toContain(r.exitCode);
      if (r.exitCode === 0) written.push(`p${i}`);
    });
    let store: ReturnType<typeof storeOf> = { profiles: {} };
    try {
      store = storeOf(dir);
    } catch (error) {
      // No writer got as far as writing: then there is no store file at all, never a broken one.
      expect((error as { code?: string }).code).toBe('ENOENT');
    }
    // Every profile that is there is whole; every writer that said it wrote is there.
    for (const profile of Object.values(store.profiles)) expect(profile).toEqual({ region: 'cn-north-4' });
    for (const name of written) expect(store.profiles).toHaveProperty(name);
    expect(leftovers(dir)).toEqual([]);
    // The store is usable at once: no stale lock to wait for.
    const after = await hss(['profile', 'set', 'after', '--region', 'cn-north-4'], {
      configDir: dir,
      timeoutMs: 5000,
    });
    expect(after.exitCode, after.stderr).toBe(0);
  }, 120_000);

  it('Ctrl-C while waiting for the lock held by another process: exit 130 at once, store untouched', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, STORE), '{"version":1,"profiles":{"a":{"region":"cn-north-4"}}}');
    chmodSync(path.join(dir, STORE), 0o600);
    // The lock of another hss process, fresh (proper-lockfile's lock is a folder).
    mkdirSync(path.join(dir, `${STORE}.lock`));
    const { child } = spawnHss(['profile', 'set', 'b', '--region', 'cn-north-4', '--debug'], {
      configDir: dir,
    });
    await stderrMatches(child, READY);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = Date.now();
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toContain('\nerror: interrupted by SIGINT\n');
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(storeOf(dir).profiles).toEqual({ a: { region: 'cn-north-4' } });
  });
});

describe('a store written by a newer version', () => {
  const NEWER = {
    version: 9,
    current: 'prod',
    telemetry: { enabled: false, id: 'x-1' },
    profiles: {
      prod: { region: 'cn-north-4', project_id: 'p-prod', mfa: { device: 'yubikey' }, tags: ['a', 'b'] },
      lab: { region: 'ap-southeast-1', future_only: true },
    },
  };

  it('is read, and updated without losing any field it does not know', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, STORE), JSON.stringify(NEWER));
    chmodSync(path.join(dir, STORE), 0o600);
    const list = await hss(['profile', 'list', '--json'], { configDir: dir });
    expect(list.exitCode, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['prod', 'lab']);
    const set = await hss(['profile', 'set', 'prod', '--region', 'cn-north-1'], { configDir: dir });
    expect(set.exitCode, set.stderr).toBe(0);
    const add = await hss(['profile', 'set', 'new', '--region', 'eu-west-101'], { configDir: dir });
    expect(add.exitCode, add.stderr).toBe(0);
    expect(storeOf(dir)).toEqual({
      ...NEWER,
      profiles: {
        prod: { ...NEWER.profiles.prod, region: 'cn-north-1' },
        lab: NEWER.profiles.lab,
        new: { region: 'eu-west-101' },
      },
    });
  });
});

describe('a store others can read', () => {
  function exposedStore(): string {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, STORE),
      '{"version":1,"current":"a","profiles":{"a":{"region":"cn-north-4","project_id":"p1"}}}',
    );
    chmodSync(path.join(dir, STORE), 0o644);
    return dir;
  }

  it.each([
    ['profile show', ['profile', 'show']],
    ['profile list', ['profile', 'list']],
    ['config show', ['config', 'show']],
    ['task retry --dry-run', ['task', 'retry', 't1', '--all-failed', '--dry-run']],
  ])('%s warns once, naming the file and the fix', async (_name, args) => {
    const dir = exposedStore();
    const r = await hss(args, {
      configDir: dir,
      env: { HSS_TOKEN: 'a-token-value', HSS_REGION: 'cn-north-4' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const file = path.join(dir, STORE);
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(warnings).toEqual([
      `warning: the profile store ${file} can be read by other users (mode 644); run \`chmod 600 ${file}\``,
    ]);
  });

  it('-q silences the warning; a 0600 store gives none', async () => {
    const dir = exposedStore();
    expect((await hss(['profile', 'list', '-q'], { configDir: dir })).stderr).toBe('');
    chmodSync(path.join(dir, STORE), 0o600);
    expect((await hss(['profile', 'list'], { configDir: dir })).stderr).toBe('');
  });

  it('writing the store makes it 0600 again', async () => {
    const dir = exposedStore();
    const r = await hss(['profile', 'set', 'a', '--region', 'cn-north-1'], { configDir: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(statSync(path.join(dir, STORE)).mode & 0o777).toBe(0o600);
    expect((await hss(['profile', 'list'], { configDir: dir })).stderr).toBe('');
  });
});
