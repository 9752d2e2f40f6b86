// Preloaded into the CLI by lazy-loading.test.ts (NODE_OPTIONS=--import=…): appends one JSON line per
// ES module the run resolves — its URL and its importer's — to the file named by HSS_TEST_LOADS.
import { register } from 'node:module';

register(new URL('./record-modules-hooks.mjs', import.meta.url), {
  data: { file: process.env.HSS_TEST_LOADS },
});
