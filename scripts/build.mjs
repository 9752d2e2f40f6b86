// Bundles src/ into dist/: one ESM entry plus lazily loaded chunks, with source maps.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { hss: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: 'linked',
  sourcesContent: false,
  minifySyntax: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __HSS_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies (proper-lockfile) expect `require`.
  banner: {
    js: "import { createRequire as __hssCreateRequire } from 'node:module'; const require = __hssCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
