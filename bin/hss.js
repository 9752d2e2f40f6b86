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
 * Loads dist/ (CommonJS written by scripts/build.mjs) with V8's compiled code kept between runs, as Node
 * ≥ 22 does for its own loader with module.enableCompileCache and Node 20 cannot: each file is compiled
 * with the code cached for it, if any, and the code of each file compiled afresh is written to the cache
 * as the process exits, with every function the run used. The files of dist/ require each other by
 * relative path only, and are loaded here without Node's resolution (no stat, realpath or package.json
 * lookups); anything else they require is Node's.
 *
 * A cache entry is named by the file and the build ID at the end of it (V8 checks only that cached code
 * was made for a source of the same length); V8 rejects code from another Node version or other flags,
 * and a rejected or unreadable entry is compiled afresh and rewritten. The cache is a speed-up only:
 * nothing that goes wrong with it is reported, and no run fails for it.
 */
function loadCompiled(entry) {
  const vm = require('node:vm');
  const root = compileCacheRoot();
  const folder = root && path.join(root, `${process.version}-${process.arch}`);
  const loaded = new Map();
  const fresh = [];
  // Paths are joined by hand where that is safe (every require in dist/ is `./x.cjs`, `./chunks/x.cjs`
  // or `../hss.cjs`): path.join costs more than the rest of finding a file.
  const sep = process.platform === 'win32' ? undefined : '/';

  function load(file) {
    const known = loaded.get(file);
    if (known) return known.exports;
    const module = { exports: {}, id: file, filename: file, loaded: false };
    loaded.set(file, module);
    const source = fs.readFileSync(file, 'utf8');
    const build = /\/\/# hss-build=([0-9a-f]{16})\n/.exec(source.slice(-200))?.[1];
    const dir = path.dirname(file);
    const cacheFile =
      folder && build && `${folder}${path.sep}${build}${path.sep}${file.slice(dir.length + 1)}`;
    let cachedData;
    if (cacheFile) {
      try {
        cachedData = fs.readFileSync(cacheFile);
      } catch {}
    }
    // Node's own CommonJS wrapper (Module.wrap), without loading node:module for it.
    const script = new vm.Script(
      `(function (exports, require, module, __filename, __dirname) { ${source}\n});`,
      { filename: file, cachedData },
    );
    if (cacheFile && (cachedData === undefined || script.cachedDataRejected))
      fresh.push({ cacheFile, script });
    const localRequire = (id) => {
      if (sep && id.startsWith('./')) return load(dir + sep + id.slice(2));
      return id.startsWith('./') || id.startsWith('../') ? load(path.join(dir, id)) : require(id);
    };
    script.runInThisContext().call(module.exports, module.exports, localRequire, module, file, dir);
    module.loaded = true;
    return module.exports;
  }

  if (folder) process.once('exit', () => saveCompiled(fresh));
  return load(entry);
}

/**
 * Writes the compiled code of files compiled afresh to the cache, 0600: whole files only, on disk before
 * they take their name (V8 checks an entry's header and length, not its content; a torn one could crash).
 */
function saveCompiled(fresh) {
  for (const { cacheFile, script } of fresh) {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    try {
      const buildFolder = path.dirname(cacheFile);
      if (fs.mkdirSync(buildFolder, { recursive: true, mode: 0o700 }) !== undefined) pruneStale(buildFolder);
      const fd = fs.openSync(temporary, 'wx', 0o600);
      try {
        fs.writeFileSync(fd, script.createCachedData());
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
    if (debug) process.setSourceMapsEnabled(true);
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
