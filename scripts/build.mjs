// Bundles src/ into dist/ so that an invocation loads only what it needs, in as few files as possible
// (every file Node loads costs start-up time; see docs/performance.md).
//
//   dist/hss.cjs   the core: src/cli/run.ts and what it imports (main.ts, program.ts, commander, the error
//                  classes) — what parsing argv and printing help or a usage error needs. One file.
//   dist/chunks/   everything the core imports with `await import(…)` (the context, each command, the
//                  renderer) and what those load, split by esbuild so shared code is loaded once.
//   dist/help.txt  `hss --help` as commander renders it off a terminal, printed by bin/hss.js directly.
//
// The output is CommonJS: bin/hss.js loads it with a small loader of its own that keeps V8's compiled
// code between runs (Node 20 has no compile cache for ES modules, and its ES module loader alone costs a
// fifth of a bare `node -e 0`). esbuild splits only ES modules, so the build runs twice: first to ES
// modules, split into chunks, in node_modules/.cache/hss/esm/; then each of those files, on its own, to
// CommonJS in dist/ (`import` becomes `require`, `import()` a promise of `require`), the source maps
// chained back to src/. Every file ends with the build's ID, which keys its compiled code in the cache.
//
// A lazy chunk that imports a module of the core is given the core's own instance of it (one HssError
// class, one set of registered secrets) through a small proxy module, never a second copy.
// Source maps are linked (`--debug` stack traces point at src/ when Node has them enabled). The module
// graph goes to node_modules/.cache/hss/build-graph.json for test/perf/lazy-loading.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { checkDynamicBuiltins } from './check-dynamic-builtins.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = path.join(ROOT, 'src', 'cli', 'run.ts');
const CORE_ENTRY = 'hss-core-entry';
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** The ES module build, before it becomes CommonJS in dist/. */
const STAGE = path.join(ROOT, 'node_modules', '.cache', 'hss', 'esm');
rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
rmSync(STAGE, { recursive: true, force: true });

/**
 * commander requires node:child_process as it loads, only to run executable subcommands (hss has none);
 * loading child_process drags in net, dgram and the stream machinery, a cost every invocation would pay
 * for nothing. commander is given a stand-in that loads the real module on first use.
 */
const lazyBuiltins = {
  name: 'hss-lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'node:child_process', namespace: 'hss-lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'hss-lazy-builtin' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule(${JSON.stringify(args.path)})[key] });\n`,
      loader: 'js',
    }));
  },
};

/**
 * `import … from 'node:…'` goes through Node's ES module facade of the built-in, which reads every one of
 * its exports once: for node:process that creates stdin, stdout and stderr; on Node ≥ 22 for node:http it
 * loads Node's bundled undici. Every such import is served by process.getBuiltinModule instead (as a
 * CommonJS module, so named imports are read when used, not when loaded).
 *
 * An `import('node:…')` stays an import of the built-in itself, which the CommonJS step turns into
 * `__toESM(require('node:…'))`: every named export there, each read only when used. A stand-in would
 * not do: esbuild splits a dynamically imported CommonJS module into a chunk of its own that exports
 * only `default` (checkDynamicBuiltins below fails the build if one ever comes back).
 */
const BUILTIN = new RegExp(`^(node:.+|${builtinModules.map((m) => m.replace(/[/\\]/g, '\\/')).join('|')})$`);
const builtinName = (specifier) => (specifier.startsWith('node:') ? specifier : `node:${specifier}`);
const builtinsWithoutFacade = {
  name: 'hss-builtins-without-facade',
  setup(b) {
    // One stand-in per importing module: shared, esbuild would give each its own tiny chunk to load.
    b.onResolve({ filter: BUILTIN }, (args) => {
      if (args.kind === 'dynamic-import') return { path: builtinName(args.path), external: true };
      if (args.kind !== 'import-statement') return undefined;
      return { path: `${builtinName(args.path)}?${rel(args.importer)}`, namespace: 'hss-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'hss-builtin' }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path.replace(/\?.*/, ''))});\n`,
      loader: 'js',
    }));
  },
};

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  define: { __HSS_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies (commander, proper-lockfile) `require` Node's built-in modules through
  // esbuild's `__require`, which uses the module's own `require` once the files are CommonJS.
  logLevel: 'warning',
  metafile: true,
};

const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

/**
 * Resolves a dynamic import the usual way; those of cli.ts (and of the core entry) stay in the core, the
 * others become lazy entries, mapped by `lazyPath` (undefined: keep it in the core).
 */
function coreBoundary(lazyEntries, lazyPath) {
  return {
    name: 'hss-core-boundary',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.plain) return undefined;
        if (args.importer === ENTRY || args.namespace === CORE_ENTRY) return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: { plain: true },
        });
        if (resolved.errors.length > 0 || resolved.external) return resolved;
        const target = lazyPath(resolved.path);
        if (target === undefined) return resolved;
        lazyEntries.add(resolved.path);
        return { path: target, external: true };
      });
    },
  };
}

/* 1. Which modules make the core, and which dynamic imports leave it. */
const found = new Set();
const probe = await build({
  ...common,
  entryPoints: [ENTRY],
  outdir: 'dist',
  write: false,
  plugins: [lazyBuiltins, builtinsWithoutFacade, coreBoundary(found, (file) => `lazy:${file}`)],
});
const coreInputs = new Set(Object.keys(probe.metafile.inputs));
const lazyEntries = [...found].filter((file) => !coreInputs.has(rel(file))).sort();

/* 2. The lazy chunks; imports of core modules go through proxies to the core's instances. */
async function exportNames(file) {
  const r = await build({
    absWorkingDir: ROOT,
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    outdir: 'out',
    logLevel: 'silent',
  });
  return Object.values(r.metafile.outputs)[0]?.exports ?? [];
}

/** `task-retry` for src/commands/task/retry/index.ts, `renderer` for src/output/renderer.ts. */
function chunkName(file) {
  const name = rel(file);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(name);
  if (pkg) return pkg[1].replace(/[@/]/g, '-').replace(/^-/, '');
  const parts = name.replace(/\.ts$/, '').split('/').slice(1);
  if (parts.at(-1) === 'index') parts.pop();
  return (parts[0] === 'commands' ? parts.slice(1) : parts.slice(-1)).join('-');
}

const proxied = new Map();
const lazy = await build({
  ...common,
  // A command's handler is src/commands/<group>/<name>/index.ts: its chunk is named <group>-<name>.
  entryPoints: Object.fromEntries(lazyEntries.map((file) => [chunkName(file), file])),
  outdir: path.join(STAGE, 'chunks'),
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  plugins: [
    lazyBuiltins,
    builtinsWithoutFacade,
    {
      name: 'hss-core-proxy',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (args) => {
          if (args.namespace === 'hss-core') return { path: '../hss.js', external: true };
          if (args.pluginData?.plain || !args.path.startsWith('.')) return undefined;
          const resolved = await b.resolve(args.path, {
            kind: args.kind,
            importer: args.importer,
            resolveDir: args.resolveDir,
            pluginData: { plain: true },
          });
          if (resolved.errors.length > 0 || !coreInputs.has(rel(resolved.path))) return resolved;
          return { path: resolved.path, namespace: 'hss-core' };
        });
        b.onLoad({ filter: /.*/, namespace: 'hss-core' }, async (args) => {
          const key = rel(args.path);
          const names = await exportNames(args.path);
          proxied.set(key, args.path);
          const named = names.filter((n) => n !== 'default');
          return {
            contents:
              `import { __hssCore } from '../hss.js';\n` +
              `const m = __hssCore[${JSON.stringify(key)}]();\n` +
              (named.length ? `export const { ${named.join(', ')} } = m;\n` : '') +
              (names.includes('default') ? 'export default m.default;\n' : ''),
            loader: 'js',
            resolveDir: path.dirname(args.path),
          };
        });
      },
    },
  ],
});
const lazyOutput = new Map();
for (const [file, output] of Object.entries(lazy.metafile.outputs)) {
  if (output.entryPoint)
    lazyOutput.set(path.resolve(ROOT, output.entryPoint), `./chunks/${path.basename(file)}`);
}

/*
 * 3. The core, exporting run() and, for the proxies, a getter of each core module they use: `require`
 * inside the bundle is synchronous and initialises the module on first use (the renderer and chalk, say,
 * are not run by `--help`), where `import()` would be a promise, and the chunks would need top-level
 * await, which CommonJS has not.
 */
const lazySource = new Map([...lazyOutput].map(([file, target]) => [target, rel(file)]));
const coreEntry =
  `export { run } from ${JSON.stringify(ENTRY)};\n` +
  `export const __hssCore = {\n${[...proxied]
    .map(([key, file]) => `  ${JSON.stringify(key)}: () => require(${JSON.stringify(file)}),\n`)
    .join('')}};\n`;
const core = await build({
  ...common,
  entryPoints: { hss: CORE_ENTRY },
  outdir: STAGE,
  plugins: [
    lazyBuiltins,
    builtinsWithoutFacade,
    {
      name: 'hss-core-entry',
      setup(b) {
        b.onResolve({ filter: new RegExp(`^${CORE_ENTRY}$`) }, () => ({
          path: CORE_ENTRY,
          namespace: CORE_ENTRY,
        }));
        b.onLoad({ filter: /.*/, namespace: CORE_ENTRY }, () => ({
          contents: coreEntry,
          loader: 'js',
          resolveDir: ROOT,
        }));
      },
    },
    coreBoundary(new Set(), (file) => {
      if (coreInputs.has(rel(file))) return undefined;
      const target = lazyOutput.get(file);
      if (!target) throw new Error(`no lazy chunk was built for ${rel(file)}`);
      return target;
    }),
  ],
});

/*
 * 3b. Each ES module file on its own to CommonJS in dist/ (its imports stay imports of the other files,
 * now `require('./x.cjs')`), with its source map chained through the first build's back to src/.
 */
const stageFiles = (dir) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(dir, f));
// Without a package.json of their own, the files would be in the scope of ours ("type": "module"), and
// esbuild would give an `import()` of another file Node's interop (the default export is the whole
// module) instead of the one esbuild's own ES-module-to-CommonJS output expects.
writeFileSync(path.join(STAGE, 'package.json'), '{}\n');
const cjs = await build({
  absWorkingDir: ROOT,
  entryPoints: stageFiles(STAGE),
  outbase: STAGE,
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  // `import()` of another file becomes `Promise.resolve().then(() => require(…))`.
  supported: { 'dynamic-import': false },
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [
    {
      name: 'hss-files-stay-apart',
      setup(b) {
        b.onResolve({ filter: /.*/ }, (args) =>
          args.kind === 'entry-point'
            ? undefined
            : {
                path: args.path.startsWith('.') ? args.path.replace(/\.js$/, '.cjs') : args.path,
                external: true,
              },
        );
      },
    },
  ],
});
/** dist/… for a file of the first build. */
const distName = (stageFile) =>
  `dist/${path.relative(STAGE, path.resolve(ROOT, stageFile)).split(path.sep).join('/').replace(/\.js$/, '.cjs')}`;

// The build ID: which compiled code cached by bin/hss.js belongs to these files. V8 checks only that a
// cached script had the same length, so the loader must never be handed code cached for other files.
const outputs = Object.keys(cjs.metafile.outputs).filter((f) => f.endsWith('.cjs'));
const digest = createHash('sha256');
for (const f of outputs.sort()) digest.update(f).update(readFileSync(path.join(ROOT, f)));
const buildId = digest.digest('hex').slice(0, 16);
for (const f of outputs) {
  const file = path.join(ROOT, f);
  const text = readFileSync(file, 'utf8');
  const at = text.lastIndexOf('\n//# sourceMappingURL=');
  if (at === -1) throw new Error(`${f} has no source map comment`);
  writeFileSync(file, `${text.slice(0, at)}\n//# hss-build=${buildId}${text.slice(at)}`);
}

/*
 * 3c. Every `import('node:…')` of src/ gives, in dist/, the exports src/ takes from it (see
 * scripts/check-dynamic-builtins.mjs): a stand-in that exports only `default` fails the build here
 * rather than a command on a user's machine.
 */
{
  const { default: ts } = await import('typescript');
  const problems = checkDynamicBuiltins({
    ts,
    src: path.join(ROOT, 'src'),
    dist: path.join(ROOT, 'dist'),
    root: ROOT,
  });
  if (problems.length > 0) {
    throw new Error(`dynamic imports of Node built-ins in dist/:\n  ${problems.join('\n  ')}`);
  }
}

/*
 * 4. The help of a lone `hss --help` as commander renders it for anything but a terminal, which
 * bin/hss.js prints without loading the CLI (it stays on the normal path while this file is missing).
 */
const help = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hss.js'), '--help'], {
  env: { PATH: process.env.PATH ?? '' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (help.status !== 0 || help.stderr !== '' || !help.stdout.startsWith('Usage: hss')) {
  throw new Error(`rendering the help failed (exit ${help.status}): ${help.stderr}`);
}
writeFileSync(path.join(ROOT, 'dist', 'help.txt'), help.stdout);

/*
 * 5. The module graph, for the test that keeps start-up lean (test/perf): which modules each output
 * file holds and what each module imports, in source terms. Kept out of dist/ (it is not shipped).
 */
const graph = { outputs: {}, imports: {} };
// Inputs from plugin namespaces read `namespace:path`: a built-in stand-in is named as the built-in, a
// proxy to the core as `core:` and the module.
const moduleName = (input) => {
  if (input.startsWith('hss-builtin:')) return input.slice('hss-builtin:'.length).replace(/\?.*/, '');
  if (input.startsWith('hss-core:')) return `core:${rel(input.slice('hss-core:'.length))}`;
  return input;
};
for (const result of [lazy, core]) {
  for (const [output, info] of Object.entries(result.metafile.outputs)) {
    if (output.endsWith('.map')) continue;
    graph.outputs[distName(output)] = Object.keys(info.inputs).map(moduleName);
  }
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    const from = moduleName(input);
    graph.imports[from] ??= [];
    const edges = graph.imports[from];
    for (const edge of info.imports) {
      const to = lazySource.get(edge.path) ?? (edge.external ? edge.path : moduleName(edge.path));
      if (!edges.some((e) => e.to === to && e.kind === edge.kind)) edges.push({ to, kind: edge.kind });
    }
  }
}
// Which file of dist/ requires which (statically, or in a promise for an `import()`).
graph.files = {};
for (const [output, info] of Object.entries(cjs.metafile.outputs)) {
  if (!output.endsWith('.cjs')) continue;
  graph.files[output] = info.imports
    .filter((i) => i.path.startsWith('.'))
    .map((i) => ({ to: rel(path.resolve(ROOT, path.dirname(output), i.path)), kind: i.kind }));
}
mkdirSync(path.join(ROOT, 'node_modules', '.cache', 'hss'), { recursive: true });
writeFileSync(
  path.join(ROOT, 'node_modules', '.cache', 'hss', 'build-graph.json'),
  `${JSON.stringify(graph, null, 1)}\n`,
);
