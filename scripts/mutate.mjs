// `npm run mutate`: mutation testing (StrykerJS, vitest runner) of the modules in mutate.config.json,
// one Stryker run per module against the unit tests that import it, then a table of the scores.
// Reports: reports/mutation/<module>.html and .json, and the table in reports/mutation/summary.md.
// docs/testing.md explains how to read them.
//
//   npm run mutate                          every module of mutate.config.json
//   npm run mutate -- src/auth/signer.ts    one module (or several; a part of a path will do: signer)
//   npm run mutate -- --ci                  the modules marked "ci" (what .ci/run runs)
//   npm run mutate -- --list                the modules and their tests, without running anything
//   npm run mutate -- --concurrency 2       test runners per run (default 2, or HSS_MUTATE_CONCURRENCY)
//
// Exits 1 when a module scores below its break threshold or a run fails.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMutateConfig, testsFor } from './mutate-targets.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = path.join(ROOT, 'reports', 'mutation');
const STRYKER = path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

const USAGE = 'usage: npm run mutate -- [--ci] [--list] [--concurrency N] [module ...]  (docs/testing.md)';

function usage(message) {
  console.error(`mutate: ${message}`);
  console.error(USAGE);
  process.exit(2);
}

const args = process.argv.slice(2);
let ci = false;
let list = false;
let concurrency = Number(process.env.HSS_MUTATE_CONCURRENCY || 2);
const wanted = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--ci') ci = true;
  else if (arg === '--list') list = true;
  else if (arg === '--concurrency') concurrency = Number(args[++i]);
  else if (arg.startsWith('--concurrency=')) concurrency = Number(arg.slice('--concurrency='.length));
  else if (arg === '--help' || arg === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
  else wanted.push(arg);
}
if (!Number.isInteger(concurrency) || concurrency < 1) usage('--concurrency needs a whole number from 1');

const config = readMutateConfig(ROOT);
let targets = config.modules;
if (ci) targets = targets.filter((t) => t.ci);
if (wanted.length > 0) {
  targets = wanted.map((w) => {
    const norm = w.replace(/^\.\//, '');
    const exact = config.modules.find((t) => t.module === norm);
    if (exact) return exact;
    const partial = config.modules.filter((t) => t.module.includes(norm));
    if (partial.length === 1) return partial[0];
    if (partial.length > 1) usage(`${w} names ${partial.map((t) => t.module).join(', ')}; say which`);
    if (existsSync(path.join(ROOT, norm))) return { module: norm, ci: false, thresholds: config.thresholds };
    return usage(`${w}: no such module in mutate.config.json or file`);
  });
}
for (const t of targets) {
  if (!existsSync(path.join(ROOT, t.module))) {
    usage(`${t.module} (mutate.config.json) does not exist: the module moved? update its path there`);
  }
  Object.assign(t, testsFor(ROOT, t.module, config.testDir));
  if (t.tests.length === 0) usage(`no test under ${config.testDir} imports ${t.module}`);
}

if (list) {
  for (const t of targets) {
    console.log(`${t.module} (break ${t.thresholds.break}%${t.ci ? ', ci' : ''})`);
    for (const test of t.tests) console.log(`  ${test}${t.through ? ' (through other modules)' : ''}`);
  }
  process.exit(0);
}

if (!existsSync(STRYKER)) {
  console.error('mutate: StrykerJS is not installed: run `npm ci` first');
  process.exit(2);
}

function slug(module) {
  return module
    .replace(/^src\//, '')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
}

function runStryker(target, report) {
  const env = {
    ...process.env,
    HSS_MUTATE: JSON.stringify({
      module: target.module,
      report: path.relative(ROOT, report),
      concurrency,
      thresholds: target.thresholds,
    }),
    HSS_MUTATE_TESTS: JSON.stringify(target.tests),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STRYKER, 'run', 'stryker.config.mjs'], {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Counts by status, and Stryker's score: detected (killed, timeout) over valid (those and survived, no coverage). */
function summarize(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const counts = {
    Killed: 0,
    Survived: 0,
    NoCoverage: 0,
    Timeout: 0,
    Ignored: 0,
    RuntimeError: 0,
    CompileError: 0,
  };
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return { ...counts, valid, score: valid === 0 ? 100 : (detected / valid) * 100 };
}

mkdirSync(REPORTS, { recursive: true });
const rows = [];
let failed = false;
const started = Date.now();
for (const target of targets) {
  const report = path.join(REPORTS, slug(target.module));
  rmSync(`${report}.json`, { force: true });
  console.log(
    `\n== ${target.module}: ${target.tests.length} test file(s)${target.through ? ' reaching it through other modules' : ''}: ${target.tests.join(' ')}`,
  );
  const t0 = Date.now();
  const code = await runStryker(target, report);
  const seconds = Math.round((Date.now() - t0) / 1000);
  if (!existsSync(`${report}.json`)) {
    rows.push({ target, seconds, error: `Stryker exited ${code} without a report` });
    failed = true;
    continue;
  }
  const s = summarize(`${report}.json`);
  const below = s.score < target.thresholds.break;
  if (below || (code !== 0 && !below)) failed = true;
  rows.push({ target, seconds, s, below, code });
}

const header = [
  'module',
  'tests',
  'mutants',
  'killed',
  'survived',
  'no coverage',
  'timeout',
  'ignored',
  'score',
  'break at',
  'time',
];
const table = rows.map(({ target, seconds, s, error, below, code }) => {
  const tests = `${target.tests.length}${target.through ? '*' : ''}`;
  if (error)
    return [
      target.module,
      tests,
      error,
      '',
      '',
      '',
      '',
      '',
      '',
      `${target.thresholds.break} %`,
      `${seconds} s`,
    ];
  let score = `${s.score.toFixed(2)} %`;
  if (below) score += ' FAIL';
  else if (code !== 0) score += ` (exit ${code})`;
  return [
    target.module,
    tests,
    String(s.valid),
    String(s.Killed),
    String(s.Survived),
    String(s.NoCoverage),
    String(s.Timeout),
    String(s.Ignored),
    score,
    `${target.thresholds.break} %`,
    `${seconds} s`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
const text = [
  line(header),
  `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
  ...table.map(line),
  '',
  `mutants: killed + timeout + survived + no coverage (ignored: disabled as equivalent, not counted); score = (killed + timeout) / mutants.`,
  ...(rows.some((r) => r.target.through)
    ? ['* no unit test imports the module itself: these reach it through other modules.']
    : []),
  `total time ${Math.round((Date.now() - started) / 1000)} s, concurrency ${concurrency}, node ${process.version}; reports in reports/mutation/`,
].join('\n');
console.log(`\n${text}`);
writeFileSync(path.join(REPORTS, 'summary.md'), `${text}\n`);
process.exitCode = failed ? 1 : 0;
