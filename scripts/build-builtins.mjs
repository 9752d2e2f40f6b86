// The build's plugin for Node's built-in modules (scripts/build.mjs): what each import of one becomes in
// dist/, so that loading a file costs no more than the built-ins it uses when it uses them.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');

const BUILTIN = new RegExp(`^(node:.+|${builtinModules.map((m) => m.replace(/[/\\]/g, '\\/')).join('|')})$`);
const builtinName = (specifier) => (specifier.startsWith('node:') ? specifier : `node:${specifier}`);
const getBuiltin = (name) => `process.getBuiltinModule(${JSON.stringify(name)})`;
export const builtins = {
  name: 'hss-builtins',
  setup(b) {
    // commander requires node:child_process as it loads, only to run executable subcommands (hss has
    // none); that drags in net, dgram and the streams. It gets a stand-in that loads it on first use.
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'node:child_process', namespace: 'hss-lazy-builtin' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'hss-lazy-builtin' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get: (_, key) => ${getBuiltin(args.path)}[key] });\n`,
    }));
    // `import … from 'node:…'` goes through Node's ES module facade, which reads every export once: for
    // node:process that creates stdin, stdout and stderr; on Node ≥ 22 node:http loads Node's undici. It
    // is served by process.getBuiltinModule instead, as CommonJS (a named import is read when used), one
    // stand-in per importer (a shared one would be a tiny chunk of its own). An `import('node:…')` stays
    // one (`__toESM(require('node:…'))` in dist/): esbuild would split a dynamically imported stand-in
    // into a chunk exporting only `default` (scripts/check-dynamic-builtins.mjs fails the build then).
    b.onResolve({ filter: BUILTIN }, (args) => {
      if (args.kind === 'dynamic-import') return { path: builtinName(args.path), external: true };
      if (args.kind !== 'import-statement') return undefined;
      return { path: `${builtinName(args.path)}?${rel(args.importer)}`, namespace: 'hss-builtin' };
    });
    b.onLoad({ filter: /.*/, namespace: 'hss-builtin' }, (args) => ({
      contents: `module.exports = ${getBuiltin(args.path.replace(/\?.*/, ''))};\n`,
    }));
  },
};
