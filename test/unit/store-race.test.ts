/**
 * A store or credential cache that another process creates after this run began (a parallel
 * `hss profile set`, `hss auth login`) is read as it was when the run started: empty. The schemas are
 * loaded at the start only when the files exist, so these tests use fresh module instances, free of
 * what the test setup loads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const STORE = '{"version":1,"current":"p","profiles":{"p":{"region":"cn-north-4"}}}';

async function freshStore() {
  vi.resetModules();
  return import('../../src/settings/store.js');
}

describe('files that appear after the run began', () => {
  it('a store created after prepareStore found none reads as empty', async () => {
    const store = await freshStore();
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    await store.prepareStore(dir);
    writeFileSync(path.join(dir, 'config.json'), STORE);
    expect(store.readStore(dir)).toEqual({ version: 1, profiles: {} });
  });

  it('a store there at the start is read whole', async () => {
    const store = await freshStore();
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    writeFileSync(path.join(dir, 'config.json'), STORE);
    await store.prepareStore(dir);
    expect(store.readStore(dir).profiles).toEqual({ p: { region: 'cn-north-4' } });
  });

  it('a folder nobody prepared is a bug that says so, never a silently empty store', async () => {
    const store = await freshStore();
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    writeFileSync(path.join(dir, 'config.json'), STORE);
    expect(() => store.readStore(dir)).toThrow(/schema is not loaded/);
  });

  it('a credential cache created after prepareCache found none reads as empty', async () => {
    vi.resetModules();
    const cache = await import('../../src/auth/cache.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    await cache.prepareCache(dir);
    writeFileSync(path.join(dir, 'credentials.json'), '{"logins":{},"commands":{}}');
    expect(cache.readCache(dir)).toEqual({ logins: {}, commands: {} });
  });
});
