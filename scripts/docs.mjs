// `npm run docs`: writes docs/commands.md and docs/exit-codes.md from the commander tree and
// src/help/reference.ts. `--check` only compares, and fails when a committed file is out of date.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const bundle = await build({
  stdin: {
    contents:
      "export { generatedDocs } from './src/help/docs.ts'; export { buildProgram } from './src/cli/program.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
// Written inside node_modules so that the external packages resolve from the project.
const cacheDir = path.join(root, 'node_modules', '.cache', 'hss-docs');
mkdirSync(cacheDir, { recursive: true });
const entry = path.join(cacheDir, `docs-${process.pid}.mjs`);
writeFileSync(entry, bundle.outputFiles[0].text);
const { generatedDocs, buildProgram } = await import(pathToFileURL(entry).href).finally(() =>
  rmSync(entry, { force: true }),
);

const stale = [];
for (const [file, content] of Object.entries(generatedDocs(buildProgram(async () => {})))) {
  const target = path.join(root, file);
  let current;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale.push(file);
  if (!check) {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
    console.log(`wrote ${file}`);
  }
}
if (check && stale.length) {
  console.error(`out of date: ${stale.join(', ')}; run \`npm run docs\` and commit the result`);
  process.exitCode = 1;
} else if (!stale.length) {
  console.log('docs are up to date');
}
