// Bundles src/ into dist/ so that an invocation loads only what it needs, in as few files as possible
// (every file Node loads costs start-up time; see docs/performance.md).
//
//   dist/hss.cjs   the core: src/cli/run.ts and what it imports statically (main.ts, program.ts,
//                  commander, the error classes) — what parsing argv and printing help or a usage error
//                  needs. One file: `hss task --help` loads nothing else.
//   dist/chunks/   one file per `await import(…)` of src/ (the renderer, the context, each command's
//                  handler, named `task-retry-<hash>` after src/commands/task/retry/index.ts), holding
//                  what it needs that was not loaded before it; and code shared by several of them.
//   dist/help.txt  `hss --help` as commander renders it off a terminal, printed by bin/hss.js directly.
//
// 1. esbuild bundles src/cli/run.ts once, to ES modules split into chunks (node_modules/.cache/hss/esm/):
//    every `import()` starts a chunk, and code used by several chunks goes to a shared chunk of its own.
// 2. Those chunks are grouped into the files of dist/: a shared chunk joins the file of the chunk that
//    is always loaded before (or with) every chunk that needs it — the core for what the core needs,
//    the context for what it shares with the command handlers. Splitting alone made ~20 files for a
//    retry, each one read, checked and compiled; grouped, it is 4, with nothing loaded that was not.
// 3. Each group becomes one CommonJS file in dist/ (esbuild again), its source map chained back to src/:
//    `import` becomes `require`, `import()` a promise of `require`. bin/hss.js loads CommonJS with a
//    small loader of its own that keeps V8's compiled code between runs (Node 20 has no compile cache
//    for ES modules, and its ES module loader alone costs a fifth of a bare `node -e 0`). A file that
//    imports a chunk grouped into another file gets it from that file (one instance of each module).
// Then every file is stamped with the build's ID (which keys its compiled code in the cache), dynamic
// imports of built-ins are checked, the help is rendered, and the module graph is written to
// node_modules/.cache/hss/build-graph.json for test/perf/lazy-loading.test.ts.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { checkDynamicBuiltins } from './check-dynamic-builtins.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
/** The ES module build, before it becomes CommonJS in dist/. */
const STAGE = path.join(ROOT, 'node_modules', '.cache', 'hss', 'esm');
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
/**
 * src/cli/main.ts loads these, in this order (each with or after the ones before it), before it runs
 * any command's handler (src/commands/…): code they share with the handlers is loaded with them.
 */
const LOADED_BEFORE_HANDLERS = ['src/output/renderer.ts', 'src/cli/context.ts'];
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
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/* 1. One bundle of ES modules, split: a chunk per `import()`, shared code in chunks of its own. */
const esm = await build({
  ...common,
  entryPoints: { hss: path.join(ROOT, 'src', 'cli', 'run.ts') },
  outdir: STAGE,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  define: { __HSS_VERSION__: JSON.stringify(pkg.version) },
  plugins: [lazyBuiltins, builtinsWithoutFacade],
});

/* 2. The groups: which chunk goes into which file of dist/. */
const chunks = Object.fromEntries(Object.entries(esm.metafile.outputs).filter(([f]) => f.endsWith('.js')));
const importsOf = (chunk, kind) =>
  chunks[chunk].imports.filter((i) => i.kind === kind && chunks[i.path]).map((i) => i.path);
/** The entry chunks: the core's, and one per `import()` (its module's code, or a re-export of it). */
const entries = Object.keys(chunks).filter((c) => chunks[c].entryPoint);
const core = entries.find((c) => chunks[c].entryPoint === 'src/cli/run.ts');
/** The chunks each entry loads: itself and what it imports, statically, all the way down. */
const loads = new Map(
  entries.map((e) => {
    const seen = new Set([e]);
    for (const c of seen) for (const next of importsOf(c, 'import-statement')) seen.add(next);
    return [e, seen];
  }),
);
const importers = new Map(entries.map((e) => [e, entries.filter((i) => [...loads.get(i)].some((c) => importsOf(c, 'dynamic-import').includes(e)))]));
const ordered = LOADED_BEFORE_HANDLERS.map((source) => {
  const entry = entries.find((e) => chunks[e].entryPoint === source);
  if (!entry) throw new Error(`${source} (LOADED_BEFORE_HANDLERS) is not loaded with import(): update the list`);
  return entry;
});
/** Which entries are loaded, in every run, before (or with) each entry: the fixed point, from "all". */
const before = new Map(entries.map((e) => [e, new Set(e === core ? [] : entries)]));
for (let changed = true; changed; ) {
  changed = false;
  for (const e of entries.filter((x) => x !== core)) {
    const known = importers.get(e).map((i) => {
      const source = chunks[e].entryPoint;
      const first = i !== core ? [] : source.startsWith('src/commands/') ? ordered : ordered.slice(0, Math.max(0, ordered.indexOf(e)));
      return new Set([i, ...before.get(i), ...first]);
    });
    const next = [...before.get(e)].filter((x) => known.every((s) => s.has(x)));
    if (next.length < before.get(e).size) [before.set(e, new Set(next)), (changed = true)];
  }
}
/** The group (its first entry, or the chunk itself) of each chunk. */
const groupOf = new Map();
for (const c of Object.keys(chunks)) {
  const neededBy = entries.filter((e) => loads.get(e).has(c));
  const first = neededBy.find((g) => neededBy.every((e) => e === g || before.get(e).has(g)));
  groupOf.set(c, chunks[c].entryPoint ? c : (first ?? c));
}
/** `task-retry` for src/commands/task/retry/index.ts, `renderer` for src/output/renderer.ts. */
function readableName(source) {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return pkg[1].replace(/[@/]/g, '-').replace(/^-/, '');
  const parts = source.replace(/\.[jt]s$/, '').split('/').slice(1);
  if (parts.at(-1) === 'index') parts.pop();
  return (parts[0] === 'commands' ? parts.slice(1) : parts.slice(-1)).join('-');
}
const groups = [...new Set(groupOf.values())];
const fileOf = new Map(
  groups.map((g) => {
    const hash = /-(\w+)\.js$/.exec(g)?.[1];
    const name = chunks[g].entryPoint ? readableName(chunks[g].entryPoint) : 'chunk';
    return [g, g === core ? 'dist/hss.cjs' : `dist/chunks/${name}-${hash}.cjs`];
  }),
);
/** How a file of dist/ requires another. */
const requirePath = (from, to) => {
  const p = path.posix.relative(path.posix.dirname(fileOf.get(from)), fileOf.get(to));
  return p.startsWith('.') ? p : `./${p}`;
};
/** Chunks grouped into another chunk's file that a file of another group imports: that file exports them. */
const exportName = (chunk, name) => `__${/-(\w+)\.js$/.exec(chunk)[1]}_${name}`;
const reexport = (chunk, exported) =>
  `export { ${chunks[chunk].exports.map((n) => (exported ? `${n} as ${exportName(chunk, n)}` : `${exportName(chunk, n)} as ${n}`)).join(', ')} }`;
const shared = new Set(
  Object.keys(chunks).flatMap((c) =>
    importsOf(c, 'import-statement').filter((t) => groupOf.get(t) !== groupOf.get(c) && groupOf.get(t) !== t),
  ),
);

/* 3. Each group to one CommonJS file in dist/, its source map chained through the first build's to src/. */
// Without a package.json of their own, the chunks would be in the scope of ours ("type": "module"), and
// esbuild would give an `import()` of another file Node's interop (the default export is the whole
// module) instead of the one esbuild's own ES-module-to-CommonJS output expects.
writeFileSync(path.join(STAGE, 'package.json'), '{}\n');
const cjs = await build({
  ...common,
  entryPoints: groups.map((g) => ({ in: `hss-group:${g}`, out: fileOf.get(g).slice(5, -4) })),
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // `import()` of another file becomes `Promise.resolve().then(() => require(…))`.
  supported: { 'dynamic-import': false },
  plugins: [
    {
      name: 'hss-groups',
      setup(b) {
        // A group's file: its first chunk's exports, and those of its chunks that other files import.
        b.onResolve({ filter: /^hss-group:/ }, (args) => ({ path: args.path.slice(10), namespace: 'hss-group' }));
        b.onLoad({ filter: /.*/, namespace: 'hss-group' }, ({ path: g }) => ({
          contents: [
            `export * from './${g}';`,
            chunks[g].exports.includes('default') ? `export { default } from './${g}';` : '',
            ...[...shared].filter((c) => groupOf.get(c) === g).map((c) => `${reexport(c, true)} from './${c}';`),
          ].join('\n'),
          resolveDir: ROOT,
        }));
        // An import of a chunk from another group's file, as a module of the importing file.
        b.onLoad({ filter: /.*/, namespace: 'hss-shared' }, ({ path: key }) => {
          const [chunk, from] = key.split('>');
          return { contents: `${reexport(chunk, false)} from ${JSON.stringify(requirePath(from, groupOf.get(chunk)))};` };
        });
        b.onResolve({ filter: /.*/ }, (args) => {
          if (args.namespace === 'hss-shared') return { path: args.path, external: true };
          const target = rel(path.resolve(args.resolveDir, args.path));
          if (!chunks[target]) return { path: args.path, external: true };
          const from = args.namespace === 'hss-group' ? args.importer : groupOf.get(rel(args.importer));
          if (groupOf.get(target) === from) return { path: path.join(ROOT, target) };
          if (groupOf.get(target) === target) return { path: requirePath(from, target), external: true };
          return { path: `${target}>${from}`, namespace: 'hss-shared' };
        });
      },
    },
  ],
});

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

// Every `import('node:…')` of src/ gives, in dist/, the exports src/ takes from it (see
// scripts/check-dynamic-builtins.mjs): a stand-in that exports only `default` fails the build here
// rather than a command on a user's machine.
const { default: ts } = await import('typescript');
const problems = checkDynamicBuiltins({ ts, src: path.join(ROOT, 'src'), dist: path.join(ROOT, 'dist'), root: ROOT });
if (problems.length > 0) throw new Error(`dynamic imports of Node built-ins in dist/:\n  ${problems.join('\n  ')}`);

// The help of a lone `hss --help` as commander renders it for anything but a terminal, which bin/hss.js
// prints without loading the CLI (it stays on the normal path while this file is missing).
const help = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hss.js'), '--help'], {
  env: { PATH: process.env.PATH ?? '' },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (help.status !== 0 || help.stderr !== '' || !help.stdout.startsWith('Usage: hss')) {
  throw new Error(`rendering the help failed (exit ${help.status}): ${help.stderr}`);
}
writeFileSync(path.join(ROOT, 'dist', 'help.txt'), help.stdout);

// The module graph, for the test that keeps start-up lean (test/perf), kept out of dist/ (it is not
// shipped): the modules in each file of dist/, what each module imports, and which file requires which.
// A built-in's stand-in is named as the built-in.
const moduleName = (input) => input.replace(/^hss-builtin:/, '').replace(/\?.*/, '');
const graph = { outputs: {}, imports: {}, files: {} };
for (const [chunk, g] of groupOf) {
  const modules = Object.keys(chunks[chunk].inputs).map(moduleName);
  graph.outputs[fileOf.get(g)] = [...new Set([...(graph.outputs[fileOf.get(g)] ?? []), ...modules])];
}
for (const [input, info] of Object.entries(esm.metafile.inputs)) {
  const edges = (graph.imports[moduleName(input)] ??= []);
  for (const { path: to, kind } of info.imports) {
    const name = moduleName(to);
    if (!edges.some((e) => e.to === name && e.kind === kind)) edges.push({ to: name, kind });
  }
}
for (const [output, info] of Object.entries(cjs.metafile.outputs)) {
  if (!output.endsWith('.cjs')) continue;
  graph.files[output] = info.imports
    .filter((i) => i.path.startsWith('.'))
    .map((i) => ({ to: rel(path.resolve(ROOT, path.dirname(output), i.path)), kind: i.kind }));
}
mkdirSync(path.dirname(STAGE), { recursive: true });
writeFileSync(path.join(path.dirname(STAGE), 'build-graph.json'), `${JSON.stringify(graph, null, 1)}\n`);
