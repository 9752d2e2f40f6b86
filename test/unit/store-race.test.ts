/**
 * A store or credential cache that another process creates after this run began (a parallel
 * `hss profile set`, `hss auth login`) is read as it was when the run started: empty. The run reads both
 * when its context is loaded, and every reader takes what was read then.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Context } from '../../src/cli/context.js';
import type { Io } from '../../src/core/io.js';

const STORE = '{"version":1,"current":"p","profiles":{"p":{"region":"cn-north-4"}}}';
const CACHE = JSON.stringify({
  logins: {
    p: { 'https://iam.myhuaweicloud.com': { token: 'cached-token', expires_at: '2099-01-01T00:00:00Z' } },
  },
  commands: {},
});

/** The context of a run whose config folder is `dir`, loaded in fresh module instances. */
async function contextIn(dir: string): Promise<Context> {
  vi.resetModules();
  const [{ loadContext }, { Renderer }, { outputOptions }] = await Promise.all([
    import('../../src/cli/context.js'),
    import('../../src/output/renderer.js'),
    import('../../src/settings/output.js'),
  ]);
  const sink = { write: () => true };
  const io: Io = {
    env: { HSS_CONFIG_DIR: dir },
    stdin: { async *[Symbol.asyncIterator]() {} },
    stdout: sink,
    stderr: sink,
    homeDir: dir,
    platform: process.platform,
    now: () => Date.now(),
    signal: new AbortController().signal,
  };
  return loadContext(io, {}, new Renderer(io, outputOptions({}, io.env, io)));
}

describe('files that appear after the run began', () => {
  it('a store created after the context was loaded without one reads as empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    const ctx = await contextIn(dir);
    writeFileSync(path.join(dir, 'config.json'), STORE);
    expect(ctx.readStore()).toEqual({ version: 1, profiles: {} });
    expect(ctx.settings().profileName).toEqual({ value: 'default', source: 'default' });
    expect(ctx.settings().region).toBeUndefined();
  });

  it('a store there at the start is read whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    writeFileSync(path.join(dir, 'config.json'), STORE);
    const ctx = await contextIn(dir);
    expect(ctx.readStore().profiles).toEqual({ p: { region: 'cn-north-4' } });
  });

  it('a store read with nothing prepared first is read whole, never silently empty', async () => {
    vi.resetModules();
    const { loadStore } = await import('../../src/settings/store.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    writeFileSync(path.join(dir, 'config.json'), STORE);
    expect((await loadStore(dir)).profiles).toEqual({ p: { region: 'cn-north-4' } });
  });

  it('a credential cache created after the context was loaded without one reads as empty', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hss-race-'));
    const ctx = await contextIn(dir);
    writeFileSync(path.join(dir, 'credentials.json'), CACHE);
    expect(ctx.readCache()).toEqual({ logins: {}, commands: {} });
  });
});
