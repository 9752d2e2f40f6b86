/**
 * The compile cache of bin/hss.js (docs/performance.md): V8's compiled code of dist/ kept between runs,
 * in the user's cache folder, one folder per Node version and build. It must speed runs up and never
 * change what they do: a damaged, foreign or unwritable cache is as good as none, and says nothing.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, hss, ROOT, tempDir } from '../helpers/cli.js';
import { useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const DRY_RUN = ['task', 'retry', 'task-0001', '--all-failed', '--dry-run'];

/** The build ID at the end of every file of dist/. */
function buildId(file = path.join(ROOT, 'dist', 'hss.cjs')): string {
  const id = /\/\/# hss-build=([0-9a-f]{16})\n/.exec(readFileSync(file, 'utf8'))?.[1];
  if (!id) throw new Error(`${file} carries no build ID: rebuild (npm run build)`);
  return id;
}

/** Where a run with this cache root keeps the compiled code of this build. */
const folderOf = (root: string) => path.join(root, `${process.version}-${process.arch}`, buildId());

/** Runs with the compile cache in its default place under HOME, or where `env` says. */
function run(home: string, env: Record<string, string | undefined> = {}, args = DRY_RUN): Promise<CliResult> {
  return hss(args, { configDir: home, env: { ...sb.env(), HSS_COMPILE_CACHE: undefined, ...env } });
}

function snapshot(folder: string): Map<string, { ino: number; mtimeMs: number; size: number }> {
  return new Map(
    readdirSync(folder).map((name) => {
      const s = statSync(path.join(folder, name));
      return [name, { ino: s.ino, mtimeMs: s.mtimeMs, size: s.size }];
    }),
  );
}

describe('the compile cache', () => {
  it('is written under ~/.cache/hss/compile at the first run, 0700 folders and 0600 files, and only read after', async () => {
    const home = tempDir();
    const first = await run(home);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const root = path.join(home, '.cache', 'hss', 'compile');
    const folder = folderOf(root);
    const entries = readdirSync(folder).sort();
    expect(entries).toContain('hss.cjs');
    expect(entries.some((e) => e.startsWith('task-retry-'))).toBe(true);
    // One entry per file of dist/ the run loaded, named as the file.
    for (const entry of entries) {
      expect(
        existsSync(path.join(ROOT, 'dist', entry)) || existsSync(path.join(ROOT, 'dist', 'chunks', entry)),
      ).toBe(true);
      expect(statSync(path.join(folder, entry)).mode & 0o777, entry).toBe(0o600);
    }
    for (const dir of [path.join(home, '.cache', 'hss'), root, path.dirname(folder), folder]) {
      expect(statSync(dir).mode & 0o777, dir).toBe(0o700);
    }

    // V8 takes the cached code: the second run writes nothing, and does the same.
    const before = snapshot(folder);
    const second = await run(home);
    expect(second).toEqual(first);
    expect(snapshot(folder)).toEqual(before);
  });

  it('follows XDG_CACHE_HOME, and HSS_COMPILE_CACHE over both', async () => {
    const home = tempDir();
    const xdg = path.join(home, 'xdg');
    expect((await run(home, { XDG_CACHE_HOME: xdg })).exitCode).toBe(0);
    expect(existsSync(path.join(folderOf(path.join(xdg, 'hss', 'compile')), 'hss.cjs'))).toBe(true);

    const chosen = path.join(home, 'chosen');
    expect((await run(home, { XDG_CACHE_HOME: xdg, HSS_COMPILE_CACHE: chosen })).exitCode).toBe(0);
    expect(existsSync(path.join(folderOf(chosen), 'hss.cjs'))).toBe(true);
  });

  it.each([
    ['HSS_COMPILE_CACHE=0', { HSS_COMPILE_CACHE: '0' }],
    ['HSS_COMPILE_CACHE=off', { HSS_COMPILE_CACHE: 'off' }],
    ['NODE_DISABLE_COMPILE_CACHE=1', { NODE_DISABLE_COMPILE_CACHE: '1' }],
    ['--debug (Node loads dist/ itself, for source-mapped stack traces)', { HSS_DEBUG: '1' }],
  ])('is neither read nor written with %s', async (_name, env) => {
    const home = tempDir();
    const r = await run(home, env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('(dry run: nothing was sent)');
    expect(existsSync(path.join(home, '.cache'))).toBe(false);
  });

  it('replaces a damaged entry, silently, and the run does what it would have done', async () => {
    const home = tempDir();
    const clean = await run(home);
    const folder = folderOf(path.join(home, '.cache', 'hss', 'compile'));
    const good = readFileSync(path.join(folder, 'hss.cjs'));
    // What V8 checks, and rejects: not code it wrote, cut short, empty, made by another V8 or with
    // other flags (a flipped byte inside the code itself it does not check: docs/performance.md).
    const versionHash = 4; // the V8 header: magic number, then the hash of V8's version
    const damaged: Array<[string, Buffer]> = [
      ['garbage', Buffer.from('not V8 code at all\n'.repeat(50))],
      ['truncated', good.subarray(0, Math.floor(good.length / 2))],
      ['empty', Buffer.alloc(0)],
      ['another V8', Buffer.from(good.map((b, i) => (i === versionHash ? b ^ 0xff : b)))],
    ];
    for (const [name, bytes] of damaged) {
      writeFileSync(path.join(folder, 'hss.cjs'), bytes, { mode: 0o600 });
      const r = await run(home);
      expect(r, name).toEqual(clean);
      expect(readFileSync(path.join(folder, 'hss.cjs')).equals(bytes), name).toBe(false);
    }
  });

  it('costs nothing when it cannot be written: a read-only folder, or a file where the folder should be', async () => {
    const home = tempDir();
    const readOnly = path.join(home, 'ro');
    mkdirSync(readOnly, { mode: 0o500 });
    const blocked = path.join(home, 'blocked');
    writeFileSync(blocked, 'a file, not a folder\n');
    for (const root of [readOnly, blocked]) {
      const r = await run(home, { HSS_COMPILE_CACHE: root });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('(dry run: nothing was sent)');
    }
    chmodSync(readOnly, 0o700);
    // (root can write anywhere: then the read-only folder is simply used.)
    if (process.getuid?.() !== 0) expect(readdirSync(readOnly)).toEqual([]);
    expect(readFileSync(blocked, 'utf8')).toBe('a file, not a folder\n');
  });

  it('takes many first runs at once: each succeeds, and what they leave is whole', async () => {
    const home = tempDir();
    const results = await Promise.all(Array.from({ length: 8 }, () => run(home)));
    for (const r of results) {
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(results[0]?.stdout);
    }
    const folder = folderOf(path.join(home, '.cache', 'hss', 'compile'));
    expect(readdirSync(folder).filter((e) => e.endsWith('.tmp'))).toEqual([]);
    // Whole entries: the next run takes every one of them and rewrites none.
    const before = snapshot(folder);
    expect((await run(home)).exitCode).toBe(0);
    expect(snapshot(folder)).toEqual(before);
  }, 60_000);

  it('removes what older builds and Node versions left, untouched for 30 days, and nothing else', async () => {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const version = path.join(root, `${process.version}-${process.arch}`);
    const old = Date.now() / 1000 - 40 * 24 * 3600;
    const recent = Date.now() / 1000 - 2 * 24 * 3600;
    const made: Array<[string, number]> = [
      [path.join(version, '0123456789abcdef'), old], // an older build: removed
      [path.join(version, 'fedcba9876543210'), recent], // a build in use elsewhere: kept
      [path.join(version, 'not-a-build'), old], // not a name the cache gives: kept
      [path.join(root, 'v18.20.0-x64'), old], // an older Node: removed
      [path.join(root, 'v22.11.0-x64'), recent], // kept
      [path.join(root, 'notes'), old], // kept
    ];
    for (const [dir, time] of made) {
      mkdirSync(path.join(dir, 'inner'), { recursive: true });
      writeFileSync(path.join(dir, 'inner', 'file'), 'x');
      utimesSync(dir, time, time);
    }
    utimesSync(version, old, old);
    utimesSync(root, old, old);

    const r = await run(home, { HSS_COMPILE_CACHE: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(path.join(folderOf(root), 'hss.cjs'))).toBe(true);
    expect(readdirSync(version).sort()).toEqual([buildId(), 'fedcba9876543210', 'not-a-build'].sort());
    expect(readdirSync(root).sort()).toEqual([path.basename(version), 'notes', 'v22.11.0-x64'].sort());
  });

  it('runs with no HOME and no cache folder to be had', async () => {
    const home = tempDir();
    const r = await run(home, { HOME: undefined, XDG_CACHE_HOME: undefined });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('(dry run: nothing was sent)');
  });

  it('keys every file of dist/ by one build ID', () => {
    const files = [
      path.join(ROOT, 'dist', 'hss.cjs'),
      ...readdirSync(path.join(ROOT, 'dist', 'chunks'))
        .filter((f) => f.endsWith('.cjs'))
        .map((f) => path.join(ROOT, 'dist', 'chunks', f)),
    ];
    expect(new Set(files.map((f) => buildId(f)))).toEqual(new Set([buildId()]));
  });
});
