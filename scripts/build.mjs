// Bundles src/ into dist/ so that a run loads the code it needs in few files: each file is read, checked
// and compiled (docs/performance.md, "How the build keeps start-up fast", says how and what it bought).
//
//   dist/hss.cjs   the core: src/cli/run.ts and what it imports statically, all that `--help` needs.
//   dist/chunks/   a file per `await import(…)` (the renderer, the context, each command's handler, named
//                  `task-retry-<hash>` for src/commands/task/retry/index.ts) and files of shared code.
//   dist/help.txt  `hss --help` as commander renders it off a terminal, printed by bin/hss.js itself.
//
// 1. esbuild bundles src/cli/run.ts into ES modules split into chunks: one per `import()`, and one per
//    set of those that share code (~20 for a retry).
// 2. Each shared chunk joins the file of a chunk that every run needing it has loaded already or loads
//    with it (the core; LOADED_BEFORE_HANDLERS), else stays a file of its own: a retry loads 4 or 5
//    files, and no run loads code it would not have loaded anyway.
// 3. esbuild turns each group into one CommonJS file, which bin/hss.js loads with its compile cache.
// Then: the build ID, a check of dynamic imports of built-ins, the help, and the module graph for the
// start-up guard (test/perf/lazy-loading.test.ts).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { builtins } from './build-builtins.mjs';
import { checkDynamicBuiltins } from './check-dynamic-builtins.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'hss');
const STAGE = path.join(CACHE, 'esm');
/** What src/cli/main.ts loads, in this order, before any command's handler (src/commands/…) runs. */
const LOADED_BEFORE_HANDLERS = ['src/output/renderer.ts', 'src/cli/context.ts'];
const version = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
// The commit built, for `hss version` (empty outside a git checkout, e.g. built from a tarball).
const git = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
const commit = git.status === 0 ? git.stdout.trim() : '';
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
rmSync(STAGE, { recursive: true, force: true });

const options = { absWorkingDir: ROOT, bundle: true, platform: 'node', target: 'node20.18', metafile: true };
const output = { sourcemap: 'linked', sourcesContent: false, legalComments: 'none', minifySyntax: true };

/* 1. The split ES modules. */
const esm = await build({
  ...options,
  ...output,
  entryPoints: { hss: path.join(ROOT, 'src', 'cli', 'run.ts') },
  outdir: STAGE,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  define: { __HSS_VERSION__: JSON.stringify(version), __HSS_COMMIT__: JSON.stringify(commit) },
  plugins: [builtins],
});

/* 2. The groups. An entry is the core's chunk or an `import()`'s (its code, or a re-export of it). */
const chunks = Object.fromEntries(Object.entries(esm.metafile.outputs).filter(([f]) => f.endsWith('.js')));
const importsOf = (c, kind) => chunks[c].imports.filter((i) => i.kind === kind && chunks[i.path]);
const source = (c) => chunks[c].entryPoint;
const entries = Object.keys(chunks).filter(source);
const entryOf = (file) => entries.find((e) => source(e) === file);
const core = entryOf('src/cli/run.ts');
/** The chunks loaded with an entry: itself and what it imports statically, all the way down. */
const loads = new Map(entries.map((e) => [e, new Set([e])]));
for (const [, seen] of loads)
  for (const c of seen) for (const i of importsOf(c, 'import-statement')) seen.add(i.path);
const dynamicOf = (e) => [...loads.get(e)].flatMap((c) => importsOf(c, 'dynamic-import').map((i) => i.path));
const importers = (e) => entries.filter((i) => dynamicOf(i).includes(e));
const ordered = LOADED_BEFORE_HANDLERS.map((file) => {
  if (!entryOf(file)) throw new Error(`LOADED_BEFORE_HANDLERS: ${file} is not imported with import()`);
  return entryOf(file);
});
const loadedByCore = (e) =>
  source(e).startsWith('src/commands/') ? ordered : ordered.slice(0, ordered.indexOf(e) + 1);
/** The entries that every run has loaded before (or with) an entry: narrowed from all to a fixed point. */
const before = new Map(entries.map((e) => [e, new Set(e === core ? [] : entries)]));
for (let changed = true; changed; ) {
  changed = false;
  for (const e of entries.filter((x) => x !== core)) {
    const ways = importers(e).map((i) => [i, ...before.get(i), ...(i === core ? loadedByCore(e) : [])]);
    const next = new Set(
      [...before.get(e)].filter((x) => x !== e && ways.every((loaded) => loaded.includes(x))),
    );
    changed ||= next.size < before.get(e).size;
    before.set(e, next);
  }
}
/** The chunk in whose file a chunk goes: an entry needing it that the others needing it have loaded. */
const home = new Map();
for (const c of Object.keys(chunks)) {
  const users = entries.filter((e) => loads.get(e).has(c));
  home.set(c, source(c) ? c : (users.find((u) => users.every((e) => e === u || before.get(e).has(u))) ?? c));
}
/** `task-retry` for src/commands/task/retry/index.ts, `renderer` for src/output/renderer.ts, `undici`. */
function readableName(file) {
  const pkg = /node_modules\/(?:@([^/]+)\/)?([^/]+)/.exec(file);
  if (pkg) return pkg.slice(1).filter(Boolean).join('-');
  const name = file.replace(/(\/index)?\.[jt]s$/, '');
  return name.startsWith('src/commands/') ? name.slice(13).replaceAll('/', '-') : path.posix.basename(name);
}
const hash = (c) => /-(\w+)\.js$/.exec(c)?.[1];
const fileOf = (h) =>
  h === core ? 'dist/hss.cjs' : `dist/chunks/${source(h) ? readableName(source(h)) : 'chunk'}-${hash(h)}.cjs`;
const requirePath = (from, to) =>
  `./${path.posix.relative(path.posix.dirname(fileOf(from)), fileOf(to))}`.replace(/^\.\/\.\./, '..');
/** The chunks some file other than their own uses: their file exports their names, prefixed with their hash. */
const lent = new Set(Object.values(chunks).flatMap((c) => c.imports.map((i) => i.path)));
for (const c of lent) if (!chunks[c] || home.get(c) === c) lent.delete(c);
const names = (c, lend) =>
  chunks[c].exports.map((n) => (lend ? `${n} as __${hash(c)}_${n}` : `__${hash(c)}_${n} as ${n}`));

/* 3. Each group to one CommonJS file, its source map chained through the ES modules' to src/. */
const groups = {
  name: 'hss-groups',
  setup(b) {
    // A file: its home chunk's exports, and the names of its lent chunks.
    b.onResolve({ filter: /^hss-file:/ }, (args) => ({ path: args.path.slice(9), namespace: 'hss-file' }));
    b.onLoad({ filter: /.*/, namespace: 'hss-file' }, ({ path: h }) => {
      const lines = [`export * from './${h}';`];
      if (chunks[h].exports.includes('default')) lines.push(`export { default } from './${h}';`);
      for (const c of lent) if (home.get(c) === h) lines.push(`export { ${names(c, true)} } from './${c}';`);
      return { contents: lines.join('\n'), resolveDir: ROOT };
    });
    // A chunk of another file: its names, from that file.
    b.onLoad({ filter: /.*/, namespace: 'hss-lent' }, ({ path: key }) => {
      const [c, from] = key.split('>');
      return { contents: `export { ${names(c, false)} } from '${requirePath(from, home.get(c))}';` };
    });
    b.onResolve({ filter: /.*/ }, (args) => {
      const target = rel(path.resolve(args.resolveDir, args.path));
      if (args.namespace === 'hss-lent' || !chunks[target]) return { path: args.path, external: true };
      const from = args.namespace === 'hss-file' ? args.importer : home.get(rel(args.importer));
      if (home.get(target) === from) return { path: path.join(ROOT, target) };
      if (home.get(target) === target) return { path: requirePath(from, target), external: true };
      return { path: `${target}>${from}`, namespace: 'hss-lent' };
    });
  },
};
// In the scope of our package.json ("type": "module"), esbuild would give an `import()` of another file
// Node's interop (`default` is the whole module) instead of the one its own CommonJS output expects.
writeFileSync(path.join(STAGE, 'package.json'), '{}\n');
const cjs = await build({
  ...options,
  ...output,
  entryPoints: [...new Set(home.values())].map((h) => ({ in: `hss-file:${h}`, out: fileOf(h).slice(5, -4) })),
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  supported: { 'dynamic-import': false },
  plugins: [groups],
});

// The build ID: which compiled code cached by bin/hss.js belongs to these files. V8 checks only that a
// cached script had the same length, so the loader must never be handed code cached for other files.
const outputs = Object.keys(cjs.metafile.outputs).filter((f) => f.endsWith('.cjs'));
const digest = createHash('sha256');
for (const f of outputs.sort()) digest.update(f).update(readFileSync(path.join(ROOT, f)));
const buildId = digest.digest('hex').slice(0, 16);
for (const f of outputs) {
  const text = readFileSync(path.join(ROOT, f), 'utf8');
  const at = text.lastIndexOf('\n//# sourceMappingURL=');
  if (at === -1) throw new Error(`${f} has no source map comment`);
  writeFileSync(path.join(ROOT, f), `${text.slice(0, at)}\n//# hss-build=${buildId}${text.slice(at)}`);
}

// Every `import('node:…')` of src/ gives, in dist/, the exports src/ takes from it: a stand-in that
// exports only `default` fails the build here rather than a command on a user's machine.
const [src, dist] = [path.join(ROOT, 'src'), path.join(ROOT, 'dist')];
const problems = checkDynamicBuiltins({ ts: (await import('typescript')).default, src, dist, root: ROOT });
if (problems.length > 0)
  throw new Error(`dynamic imports of built-ins in dist/:\n  ${problems.join('\n  ')}`);

// A lone `hss --help` as commander renders it for anything but a terminal, which bin/hss.js prints
// without loading the CLI (it stays on the normal path while this file is missing).
const bin = path.join(ROOT, 'bin', 'hss.js');
const help = spawnSync(process.execPath, [bin, '--help'], {
  env: { PATH: process.env.PATH },
  encoding: 'utf8',
});
if (help.status !== 0 || help.stderr !== '' || !help.stdout.startsWith('Usage: hss'))
  throw new Error(`rendering the help failed (exit ${help.status}): ${help.stderr}`);
writeFileSync(path.join(dist, 'help.txt'), help.stdout);

// The module graph, for test/perf (not shipped): the modules in each file of dist/, what each module
// imports, and which file requires which. A built-in's stand-in is named as the built-in.
const moduleName = (input) => input.replace(/^hss-builtin:/, '').replace(/\?.*/, '');
const graph = { outputs: {}, imports: {}, files: {} };
for (const [c, h] of home)
  graph.outputs[fileOf(h)] = [...(graph.outputs[fileOf(h)] ?? []), ...Object.keys(chunks[c].inputs)];
for (const [f, inputs] of Object.entries(graph.outputs)) graph.outputs[f] = inputs.map(moduleName);
for (const [input, { imports }] of Object.entries(esm.metafile.inputs)) {
  const edges = new Set(imports.map(({ path: to, kind }) => JSON.stringify({ to: moduleName(to), kind })));
  graph.imports[moduleName(input)] = [...edges].map((e) => JSON.parse(e));
}
for (const f of outputs) {
  const [dir, required] = [path.dirname(path.join(ROOT, f)), cjs.metafile.outputs[f].imports];
  graph.files[f] = required
    .filter((i) => i.path.startsWith('.'))
    .map((i) => ({ to: rel(path.resolve(dir, i.path)), kind: i.kind }));
}
writeFileSync(path.join(CACHE, 'build-graph.json'), `${JSON.stringify(graph, null, 1)}\n`);
