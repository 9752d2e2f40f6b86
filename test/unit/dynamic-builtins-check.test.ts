/**
 * The build's check of dynamic imports of Node built-ins (scripts/check-dynamic-builtins.mjs): it reads
 * which exports src/ takes from each `import('node:…')`, and fails when what dist/ ships does not give
 * them. Proved on a small project built the way scripts/build.mjs builds (ES modules split into chunks,
 * then each file to CommonJS): with built-ins served by CommonJS stand-ins (the way that shipped a
 * login prompt that crashed) the check fails and so does the code; with the built-in imported as
 * itself, both pass.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { checkDynamicBuiltins, dynamicBuiltinImports } from '../../scripts/check-dynamic-builtins.mjs';
import { ROOT, tempDir } from '../helpers/cli.js';

const PROMPT = `export async function ask(): Promise<string> {
  const [{ createInterface }, { Writable }] = await Promise.all([
    import('node:readline'),
    import('node:stream'),
  ]);
  return typeof createInterface + ' ' + typeof new Writable();
}
`;
const ENTRY = `export async function run(): Promise<string> {
  const { ask } = await import('./prompt.js');
  return ask();
}
`;

/** The two steps of scripts/build.mjs on a folder with src/; dynamic imports of built-ins as `standIns` says. */
async function twoStepBuild(dir: string, standIns: boolean): Promise<void> {
  const builtins: Plugin = {
    name: 'builtins',
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (args) =>
        standIns
          ? { path: `${args.path}?${path.basename(args.importer)}`, namespace: 'stand-in' }
          : { path: args.path, external: true },
      );
      b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({
        contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path.replace(/\?.*/, ''))});\n`,
        loader: 'js',
      }));
    },
  };
  const stage = path.join(dir, 'stage');
  await build({
    absWorkingDir: dir,
    entryPoints: [path.join(dir, 'src', 'entry.ts')],
    outdir: stage,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.18',
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [builtins],
  });
  writeFileSync(path.join(stage, 'package.json'), '{}\n');
  await build({
    absWorkingDir: dir,
    entryPoints: readdirSync(stage)
      .filter((f) => f.endsWith('.js'))
      .map((f) => path.join(stage, f)),
    outbase: stage,
    outdir: path.join(dir, 'dist'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.18',
    supported: { 'dynamic-import': false },
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [
      {
        name: 'files-stay-apart',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) =>
            args.kind === 'entry-point'
              ? undefined
              : { path: args.path.replace(/\.js$/, '.cjs'), external: true },
          );
        },
      },
    ],
  });
}

function project(): string {
  const dir = tempDir('hss-check-');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'prompt.ts'), PROMPT);
  writeFileSync(path.join(dir, 'src', 'entry.ts'), ENTRY);
  return dir;
}

const check = (dir: string) =>
  checkDynamicBuiltins({ ts, src: path.join(dir, 'src'), dist: path.join(dir, 'dist'), root: dir });
const runBuilt = (dir: string) =>
  (createRequire(import.meta.url)(path.join(dir, 'dist', 'entry.cjs')) as { run(): Promise<string> }).run();

describe('the build check of dynamic imports of built-ins', () => {
  it('fails on CommonJS stand-ins split into chunks that give only `default`, as the code then does', async () => {
    const dir = project();
    await twoStepBuild(dir, true);
    const problems = check(dir);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^src\/prompt\.ts:3: import\('node:readline'\) uses createInterface, which dist\/prompt-\w+\.cjs does not get: its import of [\w-]+\.cjs gives default$/,
    );
    expect(problems[1]).toMatch(
      /^src\/prompt\.ts:4: import\('node:stream'\) uses Writable, which .* gives default$/,
    );
    await expect(runBuilt(dir)).rejects.toThrow(/is not a constructor/);
  });

  it('passes when the import stays one of the built-in itself, and the code works', async () => {
    const dir = project();
    await twoStepBuild(dir, false);
    expect(check(dir)).toEqual([]);
    await expect(runBuilt(dir)).resolves.toBe('function object');
  });

  it('fails when src/ takes a name the built-in has not', async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'src', 'prompt.ts'),
      "export async function ask() { const { createInterfaceX } = await import('node:readline'); return String(createInterfaceX); }\n",
    );
    await twoStepBuild(dir, false);
    expect(check(dir)).toEqual([
      expect.stringMatching(
        /^src\/prompt\.ts:1: import\('node:readline'\) uses createInterfaceX, which dist\/prompt-\w+\.cjs does not get: its import of node:readline gives /,
      ),
    ]);
  });

  it('fails when a bundled import() of a built-in is nowhere in dist/ (the check would be blind)', async () => {
    const dir = project();
    await twoStepBuild(dir, false);
    // The same source with the imports lower down: the built file no longer maps to them.
    writeFileSync(path.join(dir, 'src', 'prompt.ts'), `${'\n'.repeat(10)}${PROMPT}`);
    expect(check(dir)).toEqual([
      "src/prompt.ts:13: import('node:readline') is bundled, but no dynamic import of dist/ comes from it",
      "src/prompt.ts:14: import('node:stream') is bundled, but no dynamic import of dist/ comes from it",
    ]);
  });

  it('passes on the dist/ of this project', () => {
    expect(
      checkDynamicBuiltins({ ts, src: path.join(ROOT, 'src'), dist: path.join(ROOT, 'dist'), root: ROOT }),
    ).toEqual([]);
  });
});

describe('which exports src/ takes from an import()', () => {
  const names = (code: string) =>
    dynamicBuiltinImports(ts, 'x.ts', code).map((s) => [s.id, s.names ?? s.unknown]);

  it.each([
    ["const { a, b: c } = await import('node:fs');", [['node:fs', ['a', 'b']]]],
    ["const { 'x': y } = await import('fs');", [['node:fs', ['x']]]],
    [
      "const [{ a }, , { c }] = await Promise.all([import('node:fs'), import('node:os'), import('node:path')]);",
      [
        ['node:fs', ['a']],
        ['node:os', []],
        ['node:path', ['c']],
      ],
    ],
    [
      "const fs = await import('node:fs'); fs.readFileSync(); fs.statSync();",
      [['node:fs', ['readFileSync', 'statSync']]],
    ],
    ["const r = (await import('node:fs')).readFileSync;", [['node:fs', ['readFileSync']]]],
    ["import('node:fs').then(({ stat }) => stat);", [['node:fs', ['stat']]]],
    ["const { default: fs } = await import('node:fs');", [['node:fs', ['default']]]],
    ["const x = await import('./local.js'); const y = await import('chalk');", []],
  ])('%s', (code, expected) => {
    expect(names(`async function f() { ${code} }`)).toEqual(expected);
  });

  it.each([
    [
      "const fs = await import('node:fs'); use(fs);",
      /fs is used other than by reading one of its properties/,
    ],
    ["const { ...all } = await import('node:fs');", /a rest element/],
    ["const m = [import('node:fs')];", /not Promise\.all/],
    ["use(import('node:fs'));", /neither awaited nor followed by \.then\(\)/],
  ])('cannot tell: %s', (code, reason) => {
    const [site] = dynamicBuiltinImports(ts, 'x.ts', `async function f() { ${code} }`);
    expect(site?.unknown).toMatch(reason);
  });
});
