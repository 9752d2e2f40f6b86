// @ts-check
/**
 * StrykerJS options of one module's mutation run. scripts/mutate.mjs (`npm run mutate`) starts one run per
 * module of mutate.config.json and hands it the module, its unit tests and thresholds in HSS_MUTATE; the
 * tests themselves are narrowed by vitest.mutate.config.ts (HSS_MUTATE_TESTS). Run it through the script.
 */
const raw = process.env.HSS_MUTATE;
if (raw === undefined) throw new Error('HSS_MUTATE is not set: run mutation tests with `npm run mutate`');
/** @type {{ module: string, report: string, concurrency: number, thresholds: { high: number, low: number, break: number | null } }} */
const run = JSON.parse(raw);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [run.module],
  concurrency: run.concurrency,
  thresholds: run.thresholds,
  reporters: ['clear-text', 'json', 'html', ...(process.stdout.isTTY ? ['progress'] : [])],
  clearTextReporter: { reportScoreTable: false, reportTests: false, logTests: false, allowEmojis: false },
  jsonReporter: { fileName: `${run.report}.json` },
  htmlReporter: { fileName: `${run.report}.html` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['/coverage', '/dist', '/.hss-demo'],
  // A mutant that makes a test loop for ever (a search that never advances) is cut off after the test's
  // usual time ×1.5 plus 5 s, and counts as detected.
  timeoutMS: 5000,
};
