#!/usr/bin/env node
// The installed entry point: load the bundled CLI, run it, and set the exit code (never process.exit,
// so piped stdout is always flushed).
//
// Every invocation runs this file, so it does as little as it can (see docs/performance.md): it is
// CommonJS (bin/package.json), as is dist/ — on Node 20 the ES module loader alone costs about a fifth
// of a bare `node -e 0`; it answers a lone `--version` and `--help` itself (the version from
// package.json, the help from dist/help.txt, which the build renders with commander from the same
// command tree); and it loads dist/ with a loader of its own that keeps V8's compiled code between
// runs (the compile cache), which Node 20 does not do.
//
// Cached code runs as the user, with their environment and tokens: the cache is used only where no one
// else can have written it (its folders and every entry owned by the user and writable by no one else,
// as ssh's StrictModes), and an entry only for the file it was made from: the build's own hash of its
// sources names the entry's folder, and the entry names the very file (its size, times, inode), so an
// entry made anywhere else — planted, restored, or left from before an edit — is never run. See
// loadCompiled.
'use strict';

const argv = process.argv.slice(2);
const fs = require('node:fs');
const path = require('node:path');

/**
 * Writes text to stdout in one go, without creating process.stdout (a stream costs milliseconds to
 * set up). False when it cannot, leaving the rest to the normal path.
 */
function writeStdout(text) {
  const data = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < data.length) offset += fs.writeSync(1, data, offset);
    return true;
  } catch {
    if (offset > 0) process.stdout.write(data.subarray(offset));
    return offset > 0;
  }
}

/** The answer to a lone --version or --help, when it is the same as commander's; else undefined. */
function fastAnswer() {
  if (argv.length !== 1) return undefined;
  // With HSS_DEBUG the normal path adds what a bug report needs (Node version, platform) on stderr.
  if (on(process.env.HSS_DEBUG)) return undefined;
  const [arg] = argv;
  if (arg === '--version' || arg === '-V') {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    return `${pkg.version}\n`;
  }
  if (arg === '--help' || arg === '-h') {
    // On a terminal commander wraps the help to its width; dist/help.txt is the 80-column text
    // commander writes anywhere else (a pipe, a file).
    try {
      if (fs.fstatSync(1).isCharacterDevice()) return undefined;
      return fs.readFileSync(path.join(__dirname, '..', 'dist', 'help.txt'), 'utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether an HSS_DEBUG-style value turns the switch on. */
const on = (value) => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Where compiled code is kept between runs: HSS_COMPILE_CACHE (a folder, or 0 to keep none), else the
 * user's cache folder. One folder per Node version and build; undefined when there is none to use
 * (NODE_DISABLE_COMPILE_CACHE, as for Node's own cache, also turns it off).
 */
function compileCacheRoot() {
  const env = process.env;
  const setting = env.HSS_COMPILE_CACHE;
  if (on(env.NODE_DISABLE_COMPILE_CACHE)) return undefined;
  if (setting !== undefined && setting !== '') {
    return ['0', 'false', 'off'].includes(setting.toLowerCase()) ? undefined : path.resolve(setting);
  }
  if (process.platform === 'win32')
    return env.LOCALAPPDATA && path.join(env.LOCALAPPDATA, 'hss', 'Cache', 'compile');
  if (process.platform === 'darwin' && env.HOME)
    return path.join(env.HOME, 'Library', 'Caches', 'hss', 'compile');
  const base = env.XDG_CACHE_HOME || (env.HOME && path.join(env.HOME, '.cache'));
  return base && path.join(base, 'hss', 'compile');
}

/**
 * The user hss runs as, whose cache folders and entries alone are trusted; undefined where ownership
 * and permission bits say nothing (Windows), and nothing is checked.
 */
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

/**
 * Why a cache folder or entry must not be used, as ssh's StrictModes judges its files: anything not
 * owned by the user running hss, or writable by group or others, may hold code someone else planted.
 * Undefined when it may be used.
 */
function distrust(stats) {
  if (uid === undefined) return undefined;
  // root may write anything anyway, as ssh's StrictModes also reasons.
  if (stats.uid !== uid && stats.uid !== 0)
    return `it is owned by uid ${stats.uid}, not by uid ${uid} that runs hss (or root)`;
  if ((stats.mode & 0o022) !== 0)
    return `it is writable by ${stats.mode & 0o002 ? 'others' : 'group'} (mode ${(stats.mode & 0o7777).toString(8)})`;
  return undefined;
}

/** A folder of the cache: 'absent', 'ok', or why it must not be used. */
function folderState(folder) {
  let stats;
  try {
    stats = fs.statSync(folder, { throwIfNoEntry: false });
  } catch (error) {
    return `it cannot be read (${error?.code ?? error})`;
  }
  if (stats === undefined) return 'absent';
  if (!stats.isDirectory()) return 'it is not a folder';
  return distrust(stats) ?? 'ok';
}

/**
 * The end of a cache entry: a tag, then as Float64 (little-endian) the length of V8's data before it and
 * the identity of the file of dist/ the code was compiled from, as stat gave it before that file was
 * read — size, mtime, ctime, inode, device. Read through a DataView: no string to build or decode.
 */
const IDENTITY = ['size', 'mtimeMs', 'ctimeMs', 'ino', 'dev'];
const TAG = [0x2d737368, 0x65646f63]; // 'hss-code', as two little-endian Uint32
const TRAILER = 8 + 8 * (1 + IDENTITY.length);

function trailerFor(codeLength, stats) {
  const trailer = Buffer.alloc(TRAILER);
  const view = new DataView(trailer.buffer, trailer.byteOffset, TRAILER);
  view.setUint32(0, TAG[0], true);
  view.setUint32(4, TAG[1], true);
  view.setFloat64(8, codeLength, true);
  for (let i = 0; i < IDENTITY.length; i++) view.setFloat64(16 + 8 * i, stats[IDENTITY[i]], true);
  return trailer;
}

/** Whether `bytes` ends with the trailer of code compiled from the file `stats` describes. */
function hasTrailer(bytes, stats) {
  const end = bytes.length - TRAILER;
  const view = new DataView(bytes.buffer, bytes.byteOffset + end, TRAILER);
  if (view.getUint32(0, true) !== TAG[0] || view.getUint32(4, true) !== TAG[1]) return false;
  if (view.getFloat64(8, true) !== end) return false;
  for (let i = 0; i < IDENTITY.length; i++)
    if (view.getFloat64(16 + 8 * i, true) !== stats[IDENTITY[i]]) return false;
  return true;
}
/** An entry larger than this is not read (the largest file of dist/ makes one of a few megabytes). */
const ENTRY_LIMIT = 64 * 1024 * 1024;
// O_NONBLOCK: a FIFO at an entry's name must not block the run at open (fstat then refuses it).
const ENTRY_OPEN = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

/** The build ID at the end of a file of dist/ (`//# hss-build=` and 16 hex digits), if it has one. */
function buildIdOf(source) {
  const at = source.lastIndexOf('//# hss-build=');
  const id = at === -1 || source.length - at > 200 ? undefined : source.slice(at + 14, at + 31);
  return id !== undefined && /^[0-9a-f]{16}\n$/.test(id) ? id.slice(0, 16) : undefined;
}

/**
 * Loads dist/ (CommonJS written by scripts/build.mjs) with V8's compiled code kept between runs, as Node
 * ≥ 22 does for its own loader with module.enableCompileCache and Node 20 cannot: each file is compiled
 * with the code cached for it, if any, and the code of each file compiled afresh is written to the cache
 * as the process exits, with every function the run used. The files of dist/ require each other by
 * relative path only, and are loaded here without Node's resolution (no stat, realpath or package.json
 * lookups); anything else they require is Node's.
 *
 * Cached code runs as the user, with their environment and tokens, so the cache is trusted only as far
 * as its files can be:
 * - Who may write it (ssh's StrictModes): the cache root, its Node-version folder and its build folder
 *   must each be owned by the user running hss and writable by no one else, and so must every entry,
 *   checked with fstat on the descriptor the entry is read from (opened without following a symlink),
 *   so nothing can be swapped in between. Otherwise the cache is off for the run: nothing more is read
 *   from it and nothing is written to it (a --debug run says why: reportDistrustedCache). The folders
 *   above the root are not checked: a user's ~/.cache is theirs.
 * - What it was made from: V8 itself checks only that cached code was made by the same V8 with the
 *   same flags for a source of the same *length*. Entries are kept in a folder per build ID, the hash
 *   of every file of dist/ that the build writes at the end of each (a hash of the sources, computed
 *   once, when they are made); and each entry ends with the identity of the very file it was compiled
 *   from — size, mtime, ctime, inode, device — which must be the loaded file's. A file changed since
 *   (an edit keeps the build ID, but not the ctime, which no user can set back), or another copy of it
 *   (a reinstall, a cache restored from another machine or container, an entry made elsewhere from the
 *   right content, which is public), never gets that code. Hashing each file as it loads would load
 *   node:crypto (~3 ms, a tenth of a run); keeping a copy of the source in each entry and comparing it
 *   cost about 2 % of a run, and binds only to content anyone can reproduce.
 * V8 rejects code from another Node version or other flags, and a rejected, mismatched or unreadable
 * entry in a trusted folder is compiled afresh and rewritten. The cache is a speed-up only: no run fails
 * for it, and outside --debug nothing about it is reported.
 */
function loadCompiled(entry) {
  const vm = require('node:vm');
  const root = compileCacheRoot();
  const folder = root && path.join(root, `${process.version}-${process.arch}`);
  // Whether the cache may be read and written this run: false once anything in it is not trusted.
  const rootState = folder === undefined ? undefined : folderState(root);
  const versionState = rootState === 'ok' ? folderState(folder) : rootState;
  let usable = versionState === 'ok' || versionState === 'absent';
  const builds = new Map();
  const loaded = new Map();
  const fresh = [];
  // Paths are joined by hand where that is safe (every require in dist/ is `./x.cjs`, `./chunks/x.cjs`
  // or `../hss.cjs`): path.join costs more than the rest of finding a file.
  const sep = process.platform === 'win32' ? undefined : '/';

  /** The compiled code in `cacheFile`, if the entry may be used and was made from the file `identity` is. */
  function readEntry(cacheFile, identity) {
    let fd;
    try {
      fd = fs.openSync(cacheFile, ENTRY_OPEN);
    } catch {
      return undefined;
    }
    try {
      const stats = fs.fstatSync(fd);
      if (!stats.isFile()) return undefined;
      if (distrust(stats) !== undefined) {
        usable = false;
        return undefined;
      }
      if (stats.size < TRAILER || stats.size > ENTRY_LIMIT) return undefined;
      // Read here rather than by readFileSync(fd), which would fstat the descriptor once more.
      const bytes = Buffer.allocUnsafe(stats.size);
      for (let read = 0; read < bytes.length; ) {
        const n = fs.readSync(fd, bytes, read, bytes.length - read, read);
        if (n === 0) return undefined;
        read += n;
      }
      const end = bytes.length - TRAILER;
      return hasTrailer(bytes, identity) ? bytes.subarray(0, end) : undefined;
    } catch {
      return undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  function load(file) {
    const known = loaded.get(file);
    if (known) return known.exports;
    const module = { exports: {}, id: file, filename: file, loaded: false };
    loaded.set(file, module);
    // The file's identity, then its text (a file replaced in between has another build ID, and its code
    // is looked for in another build's folder, where no entry names the replaced file).
    const identity = usable ? fs.statSync(file) : undefined;
    const source = fs.readFileSync(file, 'utf8');
    const build = buildIdOf(source);
    const dir = path.dirname(file);
    let cacheFile;
    let cachedData;
    if (usable && build) {
      const buildFolder = `${folder}${path.sep}${build}`;
      let state = builds.get(buildFolder);
      if (state === undefined) {
        state = folderState(buildFolder);
        builds.set(buildFolder, state);
      }
      if (state === 'ok' || state === 'absent') {
        cacheFile = `${buildFolder}${path.sep}${file.slice(dir.length + 1)}`;
        if (state === 'ok') cachedData = readEntry(cacheFile, identity);
      } else usable = false;
    }
    // Node's own CommonJS wrapper (Module.wrap), without loading node:module for it.
    const script = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) { ${source}\n});`,
      { filename: file, cachedData },
    );
    if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
      fresh.push({ cacheFile, script, identity });
    const localRequire = (id) => {
      if (sep && id.startsWith('./')) return load(dir + sep + id.slice(2));
      return id.startsWith('./') || id.startsWith('../') ? load(path.join(dir, id)) : require(id);
    };
    script.runInThisContext().call(module.exports, module.exports, localRequire, module, file, dir);
    module.loaded = true;
    return module.exports;
  }

  if (usable) process.once('exit', () => usable && saveCompiled(root, fresh));
  return load(entry);
}

/**
 * Makes a folder of the cache 0700 if it is missing: true when it was made, false when it was there
 * and may be used; throws when it may not.
 */
function makeFolder(folder) {
  try {
    fs.mkdirSync(folder, { mode: 0o700 });
    return true;
  } catch (error) {
    if (error?.code !== 'EEXIST' || folderState(folder) !== 'ok') throw error;
    return false;
  }
}

/**
 * Writes the compiled code of files compiled afresh to the cache, 0600: whole files only, on disk before
 * they take their name (V8 checks an entry's header and length, not its content; a torn one could crash).
 * Each folder from the root down is made here, one at a time, or checked again when it is there: one
 * that someone else made since the run began is not written to.
 */
function saveCompiled(root, fresh) {
  const made = new Map();
  for (const { cacheFile, script, identity } of fresh) {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      const buildFolder = path.dirname(cacheFile);
      if (!made.has(buildFolder)) {
        made.set(buildFolder, false);
        const versionFolder = path.dirname(buildFolder);
        fs.mkdirSync(path.dirname(root), { recursive: true, mode: 0o700 });
        makeFolder(root);
        makeFolder(versionFolder);
        if (makeFolder(buildFolder)) pruneStale(buildFolder);
        made.set(buildFolder, true);
      }
      if (!made.get(buildFolder)) continue;
      const code = script.createCachedData();
      const fd = fs.openSync(temporary, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, Buffer.concat([code, trailerFor(code.length, identity)]));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temporary, cacheFile);
    } catch {
      try {
        fs.unlinkSync(temporary);
      } catch {}
    }
  }
}

/** A folder of the cache not written to for this long is removed when another build starts one of its own. */
const STALE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Keeps the cache from growing with every upgrade of hss or Node: beside a newly made build folder,
 * removes the build folders, and beside its Node version's folder the version folders, that have seen
 * no write for STALE_MS. Only names the cache gives its folders are touched, whatever else is there.
 */
function pruneStale(buildFolder) {
  const limit = Date.now() - STALE_MS;
  const versionFolder = path.dirname(buildFolder);
  for (const [folder, keep, ours] of [
    [versionFolder, path.basename(buildFolder), /^[0-9a-f]{16}$/],
    [path.dirname(versionFolder), path.basename(versionFolder), /^v\d+\.\d+\.\d+-[a-z0-9]+$/],
  ]) {
    let names = [];
    try {
      names = fs.readdirSync(folder);
    } catch {}
    for (const name of names) {
      if (name === keep || !ours.test(name)) continue;
      const full = path.join(folder, name);
      try {
        if (fs.statSync(full).mtimeMs < limit) fs.rmSync(full, { recursive: true, force: true });
      } catch {}
    }
  }
}

/** A path as a terminal line may show it: control and bidirectional characters escaped. */
const printable = (text) =>
  text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * A --debug run loads dist/ without the cache; it still says, in one line on stderr, when the cache
 * would be off because a folder or an entry of it is not trusted (loadCompiled), so that a slow start
 * or a planted file is not a mystery. Reads nothing but the folders' and entries' metadata.
 */
function reportDistrustedCache(entry) {
  const root = compileCacheRoot();
  if (root === undefined) return;
  let build;
  try {
    build = buildIdOf(fs.readFileSync(entry, 'utf8'));
  } catch {}
  const versionFolder = path.join(root, `${process.version}-${process.arch}`);
  const folders = [root, versionFolder];
  if (build) folders.push(path.join(versionFolder, build));
  let problem;
  for (const folder of folders) {
    const state = folderState(folder);
    if (state === 'absent') return;
    if (state !== 'ok') {
      problem = `folder ${printable(folder)}: ${state}`;
      break;
    }
  }
  if (!problem && build) {
    const buildFolder = folders[2];
    let names = [];
    try {
      names = fs.readdirSync(buildFolder).filter((name) => name.endsWith('.cjs'));
    } catch {}
    for (const name of names) {
      try {
        const reason = distrust(fs.lstatSync(path.join(buildFolder, name)));
        if (reason) {
          problem = `entry ${printable(path.join(buildFolder, name))}: ${reason}`;
          break;
        }
      } catch {}
    }
  }
  if (problem) {
    fs.writeSync(
      2,
      `debug: compile cache not used: ${problem}; hss neither reads nor writes it (remove it, or point HSS_COMPILE_CACHE at a folder of your own)\n`,
    );
  }
}

function start() {
  const fast = fastAnswer();
  if (fast !== undefined && writeStdout(fast)) return;

  // With --debug (or HSS_DEBUG), stack traces point at src/ through the bundle's source maps, which Node
  // reads only for files its own loader compiles: then dist/ is loaded by Node, without the cache.
  const end = argv.indexOf('--');
  const debug = (end === -1 ? argv : argv.slice(0, end)).includes('--debug') || on(process.env.HSS_DEBUG);
  const entry = path.join(__dirname, '..', 'dist', 'hss.cjs');
  let cli;
  try {
    if (debug) {
      process.setSourceMapsEnabled(true);
      reportDistrustedCache(entry);
    }
    cli = debug ? require(entry) : loadCompiled(entry);
  } catch (error) {
    if (error?.code !== 'ENOENT' && error?.code !== 'MODULE_NOT_FOUND') throw error;
    process.stderr.write(
      `hss: cannot load dist/hss.cjs (${error.message}): run \`npm run build\` in a checkout, or reinstall hss-cli\n`,
    );
    process.exitCode = 1;
    return;
  }
  // process.exit is handed over only for the signal paths, where leaving at once is the promise.
  cli
    .run(argv, (code) => process.exit(code))
    .then((code) => {
      process.exitCode = code;
    });
}

start();
