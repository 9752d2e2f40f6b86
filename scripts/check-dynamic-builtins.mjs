// The build's check that every `import('node:…')` of src/ still gives, in dist/, each export that src/
// takes from it. The bundler can quietly turn such an import into one of a module that exports only
// `default` (the CommonJS stand-ins of scripts/build.mjs, split into a chunk of their own), and then
// `const { Writable } = await import('node:stream')` is undefined in what ships while src/ type-checks and
// its tests pass.
//
// How: src/ is parsed (TypeScript's parser) for each `import()` of a built-in and the names taken from
// it; dist/ is read for each dynamic import (esbuild writes them `Promise.resolve().then(() =>
// __toESM(require(…)))`), and its source map says which `import()` of src/ it came from. What the
// import gives is then read off its target: a built-in gives all of its exports; a file of dist/ what
// its `__export(…)` lists; a module bundled in the same file, all of the built-in it stands for.
import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin, SourceMap } from 'node:module';
import path from 'node:path';

/** `node:x` for a built-in's name as written. */
const builtinId = (name) => (name.startsWith('node:') ? name : `node:${name}`);

/** Every export name of a built-in, as `__toESM` copies them (own names, enumerable or not). */
function builtinExports(id) {
  const mod = process.getBuiltinModule(id);
  return mod ? new Set(Object.getOwnPropertyNames(mod)) : new Set();
}

/**
 * Each `import('<built-in>')` of a TypeScript (or JavaScript) source, with the names the code takes
 * from what it gives: `{ file, line, column (0-based), id, names }`, or `unknown` (a sentence) when the
 * code does not show which (the namespace passed on, a rest element): the check cannot vouch for
 * such a use, so it is reported too.
 */
export function dynamicBuiltinImports(ts, file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites = [];
  const visit = (node) => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length >= 1 &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      isBuiltin(node.arguments[0].text)
    ) {
      const at = source.getLineAndCharacterOfPosition(node.getStart(source));
      const used = namesUsed(ts, node);
      sites.push({
        file,
        line: at.line,
        column: at.character,
        id: builtinId(node.arguments[0].text),
        ...(typeof used === 'string' ? { unknown: used } : { names: [...used].sort() }),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** The names taken from what an `import()` gives, or why they cannot be told. */
function namesUsed(ts, call) {
  const outOfParens = (node) => {
    while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
    return node;
  };
  let node = outOfParens(call);
  // `Promise.all([import(a), import(b)])`: the element's place in the array.
  let index;
  if (ts.isArrayLiteralExpression(node.parent)) {
    const array = node.parent;
    const all = array.parent;
    if (
      !ts.isCallExpression(all) ||
      all.arguments[0] !== array ||
      !ts.isPropertyAccessExpression(all.expression) ||
      all.expression.expression.getText() !== 'Promise' ||
      all.expression.name.text !== 'all'
    ) {
      return 'the import is an element of an array that is not Promise.all([…])';
    }
    index = array.elements.indexOf(node);
    node = outOfParens(all);
  }
  // The value: awaited, or the parameter of `.then(…)`.
  let binding;
  if (ts.isAwaitExpression(node.parent)) {
    const value = outOfParens(node.parent);
    const parent = value.parent;
    if (ts.isVariableDeclaration(parent) && parent.initializer === value) binding = parent.name;
    else if (ts.isPropertyAccessExpression(parent) && parent.expression === value && index === undefined)
      return new Set([parent.name.text]);
    else if (ts.isExpressionStatement(parent)) return new Set();
    else return 'the awaited module is neither assigned to a variable nor read by a property';
  } else if (
    ts.isPropertyAccessExpression(node.parent) &&
    node.parent.name.text === 'then' &&
    ts.isCallExpression(node.parent.parent) &&
    node.parent.parent.expression === node.parent
  ) {
    const callback = node.parent.parent.arguments[0];
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)))
      return 'the module is handed to .then() without a function written there';
    const parameter = callback.parameters[0];
    if (!parameter) return new Set();
    binding = parameter.name;
  } else {
    return 'the import is neither awaited nor followed by .then()';
  }
  if (index !== undefined) {
    if (!ts.isArrayBindingPattern(binding)) return 'the result of Promise.all is not destructured';
    const element = binding.elements[index];
    if (!element || ts.isOmittedExpression(element)) return new Set();
    if (element.dotDotDotToken) return 'the module is gathered by a rest element';
    binding = element.name;
  }
  return namesOfBinding(ts, binding);
}

/** The names a binding takes: `{ a, b: c }`, or `m` read only as `m.a`. */
function namesOfBinding(ts, binding) {
  if (ts.isObjectBindingPattern(binding)) {
    const names = new Set();
    for (const element of binding.elements) {
      if (element.dotDotDotToken) return 'a rest element takes every export';
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) names.add(key.text);
      else return 'a computed property name';
    }
    return names;
  }
  if (ts.isIdentifier(binding)) {
    // Every use of the variable in the function (or file) that declares it must read a property.
    let scope = binding.parent;
    while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    const names = new Set();
    let escapes;
    const visit = (node) => {
      if (ts.isIdentifier(node) && node !== binding && node.text === binding.text) {
        const parent = node.parent;
        if (ts.isPropertyAccessExpression(parent) && parent.expression === node) names.add(parent.name.text);
        else if (!(ts.isPropertyAccessExpression(parent) && parent.name === node)) escapes = node;
      }
      ts.forEachChild(node, visit);
    };
    visit(scope);
    return escapes ? `${binding.text} is used other than by reading one of its properties` : names;
  }
  return 'an array pattern takes a module';
}

/** Each file of a folder (all depths) whose name ends with `ext`. */
const filesIn = (dir, ext) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, f));

/** 0-based line and column of an offset in a text. */
function position(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** The export names a file of dist/ lists (its `__export(…_exports, { name: () => … })`). */
function fileExports(text) {
  const block = /\n__export\(\w+, \{\n([\s\S]*?)\n\}\);/.exec(text);
  if (!block) return new Set();
  return new Set(
    [...block[1].matchAll(/^ {2}("(?:[^"\\]|\\.)*"|[\w$]+): /gm)].map((m) =>
      JSON.parse(m[1].startsWith('"') ? m[1] : `"${m[1]}"`),
    ),
  );
}

/**
 * What a dynamic import of dist/ gives: `{ what, names }`. `require("node:x")` is the built-in;
 * `require("./f.cjs")` another file; `require_x()` a module bundled in the same file, of which only the
 * built-in stand-ins (`process.getBuiltinModule(…)`) are known.
 */
function importTarget(distFile, text, call) {
  const wrapped = call.startsWith('__toESM(');
  const inner = wrapped ? call.slice('__toESM('.length) : call;
  const withDefault = (names) => (wrapped ? new Set([...names, 'default']) : names);
  const required = /^require\("((?:[^"\\]|\\.)*)"\)/.exec(inner);
  if (required) {
    const name = JSON.parse(`"${required[1]}"`);
    if (isBuiltin(name))
      return { what: builtinId(name), names: withDefault(builtinExports(builtinId(name))) };
    if (name.startsWith('.')) {
      const target = path.resolve(path.dirname(distFile), name);
      let targetText = '';
      try {
        targetText = readFileSync(target, 'utf8');
      } catch {}
      return { what: path.basename(target), names: fileExports(targetText) };
    }
    return { what: name, names: new Set() };
  }
  const local = /^(require_[\w$]+)\(\)/.exec(inner);
  if (local) {
    const definition = new RegExp(
      `${local[1].replace(/\$/g, '\\$')} = (?:\\(0, [\\w$.]+\\))?__commonJS\\(\\{\\s*"[^"]*"\\(exports2?, module2?\\) \\{\\s*module2?\\.exports = process\\.getBuiltinModule\\("([^"]+)"\\)`,
    ).exec(text);
    if (definition) return { what: definition[1], names: withDefault(builtinExports(definition[1])) };
    return { what: local[1], names: new Set() };
  }
  return { what: inner.slice(0, 40), names: new Set() };
}

/**
 * The problems, one sentence each (none: the check passes). `ts` is the TypeScript module; `src` the
 * folder of the sources, `dist` that of the built files with their source maps.
 */
export function checkDynamicBuiltins({ ts, src, dist, root = process.cwd() }) {
  const shown = (file) => path.relative(root, file).split(path.sep).join('/');
  const key = (file, line, column) => `${path.resolve(file)}:${line}:${column}`;
  const sites = new Map();
  for (const file of [...filesIn(src, '.ts'), ...filesIn(src, '.js'), ...filesIn(src, '.mjs')]) {
    for (const site of dynamicBuiltinImports(ts, file, readFileSync(file, 'utf8')))
      sites.set(key(site.file, site.line, site.column), site);
  }
  const problems = [];
  const bundled = new Set();
  const found = new Set();
  const DYNAMIC =
    /Promise\.resolve\(\)\.then\(\(\) => ((?:__toESM\()?(?:require\("(?:[^"\\]|\\.)*"\)|require_[\w$]+\(\)))/g;
  for (const distFile of filesIn(dist, '.cjs')) {
    const text = readFileSync(distFile, 'utf8');
    let map;
    try {
      map = JSON.parse(readFileSync(`${distFile}.map`, 'utf8'));
    } catch {
      problems.push(`${shown(distFile)} has no source map to tell where its imports come from`);
      continue;
    }
    const mapDir = path.dirname(distFile);
    for (const s of map.sources) bundled.add(path.resolve(mapDir, map.sourceRoot ?? '', s));
    const sourceMap = new SourceMap(map);
    for (const match of text.matchAll(DYNAMIC)) {
      const at = position(text, match.index);
      const entry = sourceMap.findEntry(at.line, at.column);
      if (!entry?.originalSource) continue;
      const original = path.resolve(mapDir, map.sourceRoot ?? '', entry.originalSource);
      const site = sites.get(key(original, entry.originalLine, entry.originalColumn));
      if (!site) continue;
      found.add(site);
      const where = `${shown(site.file)}:${site.line + 1}`;
      if (site.unknown) {
        problems.push(
          `${where}: import('${site.id}'): cannot tell which exports are used (${site.unknown}); destructure them`,
        );
        continue;
      }
      const target = importTarget(distFile, text, match[1]);
      const missing = site.names.filter((n) => !target.names.has(n));
      if (missing.length > 0) {
        const has = [...target.names].sort();
        problems.push(
          `${where}: import('${site.id}') uses ${missing.join(', ')}, which ${shown(distFile)} does not get: ` +
            `its import of ${target.what} gives ${has.length ? (has.length > 8 ? `${has.slice(0, 8).join(', ')}, …` : has.join(', ')) : 'nothing known'}`,
        );
      }
    }
  }
  for (const site of sites.values()) {
    if (!found.has(site) && bundled.has(path.resolve(site.file))) {
      problems.push(
        `${shown(site.file)}:${site.line + 1}: import('${site.id}') is bundled, but no dynamic import of dist/ comes from it`,
      );
    }
  }
  return problems;
}
