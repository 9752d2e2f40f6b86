// The modules under mutation testing (mutate.config.json) and the unit tests that import each,
// found by reading the tests' import specifiers. Used by scripts/mutate.mjs and by a unit test
// that keeps the list in step with the source tree.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** `from '…'`, `import '…'`, `import('…')`, `export … from '…'` (single or double quotes). */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

/** Relative specifiers of a TypeScript or JavaScript file's imports, as written. */
export function importSpecifiers(source) {
  const out = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const spec = match[2];
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in a TypeScript tree; undefined if none. */
export function resolveSpecifier(fromFile, spec) {
  const target = path.resolve(path.dirname(fromFile), spec);
  const candidates = [target];
  if (/\.[cm]?js$/.test(target)) candidates.unshift(target.replace(/\.([cm]?)js$/, '.$1ts'));
  else candidates.push(`${target}.ts`, path.join(target, 'index.ts'));
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

function filesUnder(dir, accept) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full, accept));
    else if (accept(entry.name)) out.push(full);
  }
  return out.sort();
}

function importsOf(file) {
  return importSpecifiers(readFileSync(file, 'utf8'))
    .map((spec) => resolveSpecifier(file, spec))
    .filter((f) => f !== undefined);
}

/**
 * The test files under testDir that import `module` (a path relative to root). When none imports it
 * directly, the ones that reach it through other source files (`through: true`), so that a module
 * only ever used through another one still gets a run; a test of its own is what mutation testing
 * then asks for.
 */
export function testsFor(root, module, testDir) {
  const target = path.resolve(root, module);
  const tests = filesUnder(path.resolve(root, testDir), (name) => /\.test\.[cm]?[jt]s$/.test(name));
  const rel = (f) => path.relative(root, f).split(path.sep).join('/');
  const direct = tests.filter((t) => importsOf(t).includes(target));
  if (direct.length > 0) return { tests: direct.map(rel), through: false };

  const srcRoot = path.resolve(root, 'src');
  const reaches = new Map();
  const reachesTarget = (file, seen = new Set()) => {
    if (file === target) return true;
    if (reaches.has(file)) return reaches.get(file);
    if (seen.has(file) || !file.startsWith(srcRoot + path.sep)) return false;
    seen.add(file);
    const result = importsOf(file).some((f) => reachesTarget(f, seen));
    reaches.set(file, result);
    return result;
  };
  const indirect = tests.filter((t) => importsOf(t).some((f) => reachesTarget(f)));
  return { tests: indirect.map(rel), through: true };
}

/**
 * mutate.config.json, checked: `{ testDir, thresholds: { high, low, break }, modules: { path: { break?, ci? } } }`.
 * Returns the modules as a list with their own thresholds.
 */
export function readMutateConfig(root) {
  const file = path.join(root, 'mutate.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  const { testDir, thresholds, modules } = config;
  if (typeof testDir !== 'string') throw new Error(`${file}: testDir must be a folder`);
  for (const key of ['high', 'low', 'break']) {
    if (typeof thresholds?.[key] !== 'number') throw new Error(`${file}: thresholds.${key} must be a number`);
  }
  if (typeof modules !== 'object' || modules === null) throw new Error(`${file}: modules must be an object`);
  return {
    testDir,
    thresholds: { high: thresholds.high, low: thresholds.low, break: thresholds.break },
    modules: Object.entries(modules).map(([module, options]) => ({
      module,
      ci: options?.ci === true,
      thresholds: {
        high: thresholds.high,
        low: thresholds.low,
        break: typeof options?.break === 'number' ? options.break : thresholds.break,
      },
    })),
  };
}
