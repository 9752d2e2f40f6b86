/**
 * The vitest configuration of a mutation run (scripts/mutate.mjs): the project's own, narrowed to the
 * unit tests that import the mutated module (HSS_MUTATE_TESTS, a JSON list of paths). Narrowing here,
 * rather than with Stryker's testFiles, keeps every test of those files in the run, so a mutant of a
 * module-level constant is tried against them all.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

const listed = process.env['HSS_MUTATE_TESTS'];
if (listed === undefined)
  throw new Error('HSS_MUTATE_TESTS is not set: run mutation tests with `npm run mutate`');
const tests: unknown = JSON.parse(listed);
if (!Array.isArray(tests) || tests.length === 0 || !tests.every((t) => typeof t === 'string')) {
  throw new Error('HSS_MUTATE_TESTS must be a JSON list of test files');
}

// Not mergeConfig: it would append these files to the project's include instead of replacing it.
export default defineConfig({ ...base, test: { ...base.test, include: tests } });
