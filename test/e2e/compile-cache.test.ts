/**
 * The compile cache of bin/hss.js (docs/performance.md): V8's compiled code of dist/ kept between runs,
 * in the user's cache folder, one folder per Node version and build. It must speed runs up and never
 * change what they do: a damaged, foreign or unwritable cache is as good as none, and says nothing.
 * Cached code runs as the user, so a cache someone else could have written is neither read nor written.
 */
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { baseEnv, type CliResult, hss, ROOT, tempDir } from '../helpers/cli.js';
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

/* ---------- a cache someone else could have written ---------- */

const asRoot = process.getuid?.() === 0;
/** The dry run's last line, and what it says when the code that printed it was planted. */
const HONEST = '(dry run: nothing was sent)';
const PLANTED = '(dry run: PWNED!! was sent)';

/** Every file and folder under `root`: what a run that writes anything there changes. */
function tree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const s = lstatSync(full);
      out.set(path.relative(root, full), `${s.ino} ${s.mode.toString(8)} ${s.uid} ${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(full);
    }
  };
  walk(root);
  return out;
}

/** A cache made by a run of this build under `root`, owned by the user and 0700/0600 as hss makes it. */
async function trustedCache(home: string, root: string): Promise<string> {
  const r = await run(home, { HSS_COMPILE_CACHE: root });
  expect(r.exitCode, r.stderr).toBe(0);
  const folder = folderOf(root);
  expect(existsSync(path.join(folder, 'hss.cjs'))).toBe(true);
  return folder;
}

/**
 * A FIFO at the cache entry of dist/hss.cjs (the first file every run loads), and a writer waiting for
 * someone to open it: `opened()` tells whether anyone did, which is how a test sees that hss did not
 * even open an entry it must not trust.
 */
async function tripwire(folder: string): Promise<{ opened(): Promise<boolean> }> {
  const fifo = path.join(folder, 'hss.cjs');
  rmSync(fifo);
  await execa('mkfifo', ['-m', '600', fifo]);
  const writer = execa('sh', ['-c', 'printf x > "$0"', fifo], { reject: false });
  let exited = false;
  void writer.then(() => {
    exited = true;
  });
  return {
    async opened() {
      // An open would have let the writer through at once; this is time for it to be seen exiting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const was = exited;
      writer.kill('SIGKILL');
      await writer;
      return was;
    },
  };
}

/** A copy of the package (bin/, dist/, package.json), as another install of the same build is. */
function copyOfPackage(): { copy: string; bin: string; chunks: string } {
  const copy = tempDir('hss-copy-');
  for (const part of ['bin', 'dist', 'package.json'])
    cpSync(path.join(ROOT, part), path.join(copy, part), { recursive: true });
  return { copy, bin: path.join(copy, 'bin', 'hss.js'), chunks: path.join(copy, 'dist', 'chunks') };
}

/** The file of dist/chunks that prints HONEST, by name. */
function honestChunk(chunks: string): string {
  const name = readdirSync(chunks).find(
    (f) => f.endsWith('.cjs') && readFileSync(path.join(chunks, f), 'utf8').includes(HONEST),
  );
  if (!name) throw new Error(`no file of dist/chunks prints ${HONEST}`);
  return name;
}

/** A dry run of a copy of the package, with this cache. */
async function runCopy(bin: string, cache: string): Promise<CliResult> {
  const home = tempDir();
  const r = await execa(process.execPath, [bin, ...DRY_RUN], {
    env: { ...baseEnv(home), ...sb.env(), HSS_COMPILE_CACHE: cache },
    extendEnv: false,
    reject: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/**
 * The attack: a copy of the package whose task-retry file prints PLANTED instead of HONEST (the same
 * length, as V8's own check of cached code is only the source's length), run once so that its loader
 * caches the code of that file — as an attacker does on a machine of their own. Returns the entry, and
 * its name in the build folder.
 */
async function plantedEntry(): Promise<{ name: string; bytes: Buffer }> {
  const { copy, bin, chunks } = copyOfPackage();
  const name = honestChunk(chunks);
  const file = path.join(chunks, name);
  writeFileSync(file, readFileSync(file, 'utf8').replace(HONEST, PLANTED));
  const cache = path.join(copy, 'cache');
  const made = await runCopy(bin, cache);
  expect(made.stdout).toContain(PLANTED);
  return { name, bytes: readFileSync(path.join(folderOf(cache), name)) };
}

/**
 * The planted entry as a local attacker who knows the entry format (bin/hss.js) forges it: the code of
 * the planted source, with the 56-byte trailer (tag `hss-code`, then as Float64 the code's length and
 * the size, mtime, ctime, inode and device of the victim's own dist file: metadata anyone can read) —
 * so that only the ownership check stands between it and the run.
 */
function forged(planted: { name: string; bytes: Buffer }): Buffer {
  const code = planted.bytes.subarray(0, planted.bytes.length - 56);
  const s = statSync(path.join(ROOT, 'dist', 'chunks', planted.name));
  const trailer = Buffer.alloc(56);
  trailer.write('hss-code', 'latin1');
  [code.length, s.size, s.mtimeMs, s.ctimeMs, s.ino, s.dev].forEach((n, i) => {
    trailer.writeDoubleLE(n, 8 + 8 * i);
  });
  return Buffer.concat([code, trailer]);
}

describe('the compile cache, when someone else could have written it', () => {
  it('a world-writable folder given as HSS_COMPILE_CACHE (a 1777 /tmp-like one) gets nothing written into it', async () => {
    const home = tempDir();
    const shared = tempDir('hss-shared-');
    chmodSync(shared, 0o1777);
    const r = await run(home, { HSS_COMPILE_CACHE: shared });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(HONEST);
    expect(readdirSync(shared)).toEqual([]);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
  });

  /** A cache of the user's with one folder loosened: no entry is even opened, nothing is written. */
  async function expectUnused(which: (root: string) => string, loosen: (dir: string) => void) {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const clean = await run(home, { HSS_COMPILE_CACHE: '0' });
    const wire = await tripwire(folder);
    loosen(which(root));
    const before = tree(root);

    const r = await run(home, { HSS_COMPILE_CACHE: root });
    expect(r).toEqual(clean);
    expect(await wire.opened()).toBe(false);
    expect(tree(root)).toEqual(before);
  }

  const writable = (mode: number) => (dir: string) => chmodSync(dir, mode);
  it.each([
    ['the root writable by others (0777)', (root: string) => root, writable(0o777)],
    ['the root writable by group (0770)', (root: string) => root, writable(0o770)],
    ['the root sticky and world-writable (1777)', (root: string) => root, writable(0o1777)],
    [
      'the Node-version folder writable by others',
      (root: string) => path.dirname(folderOf(root)),
      writable(0o777),
    ],
    ['the build folder writable by others', (root: string) => folderOf(root), writable(0o777)],
  ])(
    '%s: no entry is even opened, nothing is written, the run is as without a cache',
    async (_name, which, loosen) => {
      await expectUnused(which, loosen);
    },
  );

  // Giving a folder to another user takes root (as the suite runs in CI).
  const foreign = (dir: string) => chownSync(dir, 65534, 65534);
  it.skipIf(!asRoot).each([
    ['the root owned by another user (uid 65534)', (root: string) => root],
    ['the build folder owned by another user', (root: string) => folderOf(root)],
  ])(
    '%s: no entry is even opened, nothing is written, the run is as without a cache',
    async (_name, which) => {
      await expectUnused(which, foreign);
    },
  );

  it('the same cache made private again is used: the tripwire sees the entry opened, and it is rewritten', async () => {
    // The check of the test above can fail: a cache hss trusts has its entries opened.
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const wire = await tripwire(folder);
    const r = await run(home, { HSS_COMPILE_CACHE: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(await wire.opened()).toBe(true);
    expect(lstatSync(path.join(folder, 'hss.cjs')).isFile()).toBe(true);
  });

  it('an entry planted by someone else is not run: owned by another user or writable by others, it is left alone and nothing is written', async () => {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const planted = await plantedEntry();
    const entry = path.join(folder, planted.name);
    writeFileSync(entry, forged(planted));

    // As an attacker's file would be: first writable by others, then (as root) owned by someone else.
    const cases: Array<[string, () => void]> = [['mode 0666', () => chmodSync(entry, 0o666)]];
    if (asRoot)
      cases.push([
        'owned by uid 65534',
        () => {
          chmodSync(entry, 0o600);
          chownSync(entry, 65534, 65534);
        },
      ]);
    for (const [name, plant] of cases) {
      plant();
      const before = tree(root);
      const r = await run(home, { HSS_COMPILE_CACHE: root });
      expect(r.exitCode, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stdout, name).toContain(HONEST);
      expect(r.stdout, name).not.toContain('PWNED');
      expect(tree(root), name).toEqual(before);
    }

    // The forged entry is real: were it the user's own (0600, theirs), V8 would take it, and run it.
    if (asRoot) chownSync(entry, 0, 0);
    chmodSync(entry, 0o600);
    const own = await run(home, { HSS_COMPILE_CACHE: root });
    expect(own.stdout).toContain(PLANTED);
  }, 30_000);

  it("an entry made from another source of the same length, elsewhere (a restored cache), is not run, in the user's own cache too", async () => {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const planted = await plantedEntry();
    const entry = path.join(folder, planted.name);
    writeFileSync(entry, planted.bytes, { mode: 0o600 });

    const r = await run(home, { HSS_COMPILE_CACHE: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(HONEST);
    expect(r.stdout).not.toContain('PWNED');
    // Compiled afresh from the file it is loading, and rewritten.
    expect(readFileSync(entry).equals(planted.bytes)).toBe(false);
  }, 30_000);

  it('an entry is used only for the very file it was made from: another install of the same build, or the file edited since, compiles afresh', async () => {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const name = honestChunk(path.join(ROOT, 'dist', 'chunks'));
    const made = statSync(path.join(folder, name));

    // Another install of the same build (same build ID, same files): its own entries, not these.
    const { bin, chunks } = copyOfPackage();
    const other = await runCopy(bin, root);
    expect(other.exitCode, other.stderr).toBe(0);
    expect(statSync(path.join(folder, name)).mtimeMs).not.toBe(made.mtimeMs);

    // That install's file edited after its code was cached, keeping its length and build ID line.
    const file = path.join(chunks, name);
    writeFileSync(file, readFileSync(file, 'utf8').replace(HONEST, PLANTED));
    const edited = await runCopy(bin, root);
    expect(edited.stdout).toContain(PLANTED);
  }, 30_000);

  it('--debug says once, on stderr, why the cache is off, naming the folder or entry; a private cache draws no word', async () => {
    const home = tempDir();
    const root = path.join(home, 'cache');
    const folder = await trustedCache(home, root);
    const debugRun = () => run(home, { HSS_COMPILE_CACHE: root }, [...DRY_RUN, '--debug']);
    const cacheLines = (r: CliResult) => r.stderr.split('\n').filter((l) => l.includes('compile cache'));

    const fine = await debugRun();
    expect(fine.exitCode, fine.stderr).toBe(0);
    expect(cacheLines(fine)).toEqual([]);

    chmodSync(root, 0o777);
    const open = await debugRun();
    expect(open.exitCode, open.stderr).toBe(0);
    expect(cacheLines(open)).toEqual([
      `debug: compile cache not used: folder ${root}: it is writable by others (mode 777); hss neither reads nor writes it (remove it, or point HSS_COMPILE_CACHE at a folder of your own)`,
    ]);
    chmodSync(root, 0o700);

    if (asRoot) {
      const entry = path.join(folder, 'hss.cjs');
      chownSync(entry, 65534, 65534);
      const foreign = await debugRun();
      expect(cacheLines(foreign)).toEqual([
        `debug: compile cache not used: entry ${entry}: it is owned by uid 65534, not by uid 0 that runs hss (or root); hss neither reads nor writes it (remove it, or point HSS_COMPILE_CACHE at a folder of your own)`,
      ]);
    }
  });
});
