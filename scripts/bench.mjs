// `npm run bench`: how fast hss starts, against bare Node. Runs `node -e 0` and the hss cases
// alternately, many times each, and prints the median wall time, the peak memory (maxRSS) and their
// ratios to `node -e 0`; then the batch figure (N task IDs through one `hss task retry -` against N
// separate invocations). A sandbox on loopback answers the requests. Not a test: it asserts nothing
// about speed, it reports.
//
//   BENCH_RUNS=30        timed runs of each case (default 30)
//   BENCH_BATCH=500      task IDs in the batch comparison; 0 skips it
//   BENCH_NODE=/path     the node binary to run everything with (default: the one running this script)
//   BENCH_PROFILE=1      also profile each hss case once with --cpu-prof and print where its time goes
//   BENCH_JSON=file      also write the figures as JSON to this file
//   BENCH_MEMORY=probe   measure peak memory with a --import preload even where GNU time exists
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FLEET_TARGET, fleetBench } from './bench-fleet.mjs';
import { sandboxBanner } from './sandbox-banner.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'hss.js');
const NODE = process.env.BENCH_NODE || process.execPath;
const RUNS = positiveInt(process.env.BENCH_RUNS, 30);
const BATCH = positiveInt(process.env.BENCH_BATCH, 500, true);
const PROFILE = process.env.BENCH_PROFILE === '1';
const JSON_OUT = process.env.BENCH_JSON;

const TARGETS = {
  '--version': { time: 1.1 },
  '--help': { time: 1.1 },
  retry: { time: 1.3, memory: 1.3 },
};
const BATCH_TARGET = 20;
/** bin/hss.js compiles each file of dist/ inside Node's CommonJS wrapper: columns of line 1 shift by it. */
const WRAPPER_LENGTH = '(function (exports, require, module, __filename, __dirname) { '.length;

function positiveInt(text, fallback, zeroOk = false) {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) throw new Error(`not a whole number: ${text}`);
  return n;
}

if (!existsSync(path.join(ROOT, 'dist', 'hss.cjs'))) {
  console.error('dist/hss.cjs is missing: run `npm run build` first (`npm run bench` does)');
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), 'hss-bench-'));
const configDir = path.join(work, 'config');
mkdirSync(configDir);
const cleanEnv = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: work,
  HSS_CONFIG_DIR: configDir,
  LANG: 'C.UTF-8',
};
const nodeVersion = spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
const pkgVersion = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/* ---------- peak memory: GNU time when present, else a preload that reports maxRSS at exit ---------- */

const gnuTime =
  process.env.BENCH_MEMORY === 'probe'
    ? undefined
    : ['/usr/bin/time', '/bin/time'].find(
        (p) => existsSync(p) && spawnSync(p, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0,
      );
const rssFile = path.join(work, 'rss');
const probe = path.join(work, 'rss-probe.mjs');
writeFileSync(
  probe,
  "import { writeFileSync } from 'node:fs';\n" +
    "process.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
);
const memoryMethod = gnuTime
  ? `${gnuTime} -f %M (the maxRSS of the measured process)`
  : 'process.resourceUsage().maxRSS reported at exit by a --import preload (the preload adds its own small cost to every case)';

/** Peak resident memory of one run, in KiB. */
function peakMemory(args, env, input) {
  rmSync(rssFile, { force: true });
  const r = gnuTime
    ? spawnSync(gnuTime, ['-f', '%M', '-o', rssFile, NODE, ...args], {
        env,
        input,
        stdio: 'pipe',
      })
    : spawnSync(NODE, ['--import', pathToFileURL(probe).href, ...args], {
        env: { ...env, BENCH_RSS_FILE: rssFile },
        input,
        stdio: 'pipe',
      });
  if (r.error) throw r.error;
  const kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`no memory figure for ${args.join(' ')}`);
  return kib;
}

/* ---------- the sandbox ---------- */

const sandbox = spawn(NODE, [BIN, 'sandbox', '--port', '0', '--json', '--progress', '1h'], {
  env: cleanEnv,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stopSandbox = () => {
  if (sandbox.exitCode === null) sandbox.kill('SIGTERM');
};
process.on('exit', () => {
  stopSandbox();
  rmSync(work, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const banner = await sandboxBanner(sandbox);
const sandboxEnv = {
  ...cleanEnv,
  HSS_ENDPOINT: banner.url,
  HSS_PROJECT_ID: banner.project_id,
  HSS_TOKEN: banner.token,
};

/** A control call to the sandbox, on a connection of its own (a kept-alive one may be closed under it). */
function control(method, what) {
  return new Promise((resolve, reject) => {
    const req = request(`${banner.url}/__sandbox/${what}`, { method, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`sandbox ${what}: HTTP ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
const resetSandbox = () => control('POST', 'reset');
const recordedRequests = async () => (await control('GET', 'requests')).length;

/* ---------- the cases ---------- */

// The floor of a retry round trip: Node sending the same PUT as `hss task retry task-0001 --all-failed`
// with node:http, and printing the answer, and doing nothing else (no argv, settings or credentials).
const floorScript = path.join(work, 'floor.cjs');
writeFileSync(
  floorScript,
  `const http = require('node:http');
const { HSS_ENDPOINT, HSS_PROJECT_ID, HSS_TOKEN } = process.env;
const body = JSON.stringify({ task_type: 'cluster_scan', cluster_scan_info: { range_type: 'all_failed_cluster' } });
const url = HSS_ENDPOINT + '/v5/' + HSS_PROJECT_ID + '/common/tasks/task-0001/retry';
const headers = { 'Content-Type': 'application/json', 'X-Auth-Token': HSS_TOKEN, 'Content-Length': Buffer.byteLength(body) };
http.request(url, { method: 'PUT', headers }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => process.stdout.write(res.statusCode + ' ' + Buffer.concat(chunks) + '\\n'));
}).end(body);
`,
);

const cases = [
  { id: 'node', label: 'node -e 0', args: ['-e', '0'], env: cleanEnv },
  {
    id: 'floor',
    label: 'floor: the same PUT by node:http alone',
    args: [floorScript],
    env: sandboxEnv,
    sends: true,
    check: (r) => r.stdout.startsWith('200 '),
  },
  {
    id: '--version',
    label: 'hss --version',
    args: [BIN, '--version'],
    env: cleanEnv,
    check: (r) => r.stdout.trim() === pkgVersion,
  },
  {
    id: '--help',
    label: 'hss --help',
    args: [BIN, '--help'],
    env: cleanEnv,
    check: (r) => r.stdout.includes('Usage: hss'),
  },
  {
    id: 'dry-run',
    label: 'hss task retry task-0001 --all-failed --dry-run',
    args: [BIN, 'task', 'retry', 'task-0001', '--all-failed', '--dry-run'],
    env: sandboxEnv,
    check: (r) => r.stdout.includes('PUT ') && r.stdout.includes('dry run'),
  },
  {
    id: 'retry',
    label: 'hss task retry task-0001 --all-failed (sandbox)',
    args: [BIN, 'task', 'retry', 'task-0001', '--all-failed'],
    env: sandboxEnv,
    sends: true,
    check: (r) => r.stdout.startsWith('✔ task-0001: retry accepted'),
  },
];

/** One timed run: wall time from spawn to exit, in ms. */
function timed(c) {
  const started = process.hrtime.bigint();
  const r = spawnSync(NODE, c.args, { env: c.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0 || (c.check && !c.check(r))) {
    throw new Error(`${c.label} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  return ms;
}

async function runCase(c) {
  if (c.sends) await resetSandbox();
  const ms = timed(c);
  if (c.sends) await resetSandbox();
  const kib = peakMemory(c.args, c.env);
  return { ms, kib };
}

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

const cpus = os.cpus();
process.stdout.write(
  `hss ${pkgVersion} start-up benchmark · ${new Date().toISOString().slice(0, 10)} · Node ${nodeVersion} ` +
    `${process.platform}/${process.arch} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'} · load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n` +
    `${RUNS} runs of each case, alternating; wall time from spawn to exit; peak memory by ${memoryMethod}\n\n`,
);

// Warm-up: fills the OS file cache and hss's compile cache (under HOME, a folder of this run), and checks
// every case does what it should.
for (const c of cases) await runCase(c);

const samples = new Map(cases.map((c) => [c.id, { ms: [], kib: [] }]));
for (let round = 0; round < RUNS; round++) {
  // Rotating the order keeps any drift of the machine from favouring one case.
  for (let i = 0; i < cases.length; i++) {
    const c = cases[(round + i) % cases.length];
    const { ms, kib } = await runCase(c);
    samples.get(c.id).ms.push(ms);
    samples.get(c.id).kib.push(kib);
  }
  process.stderr.write(`\r${round + 1}/${RUNS} rounds`);
}
process.stderr.write('\r\x1b[K');

const figures = cases.map((c) => {
  const s = samples.get(c.id);
  return {
    id: c.id,
    label: c.label,
    median_ms: quantile(s.ms, 0.5),
    p10_ms: quantile(s.ms, 0.1),
    p90_ms: quantile(s.ms, 0.9),
    peak_rss_kib: quantile(s.kib, 0.5),
  };
});
const base = figures[0];
for (const f of figures) {
  f.time_ratio = f.median_ms / base.median_ms;
  f.memory_ratio = f.peak_rss_kib / base.peak_rss_kib;
}

const pad = (s, n) => String(s).padEnd(n);
const padL = (s, n) => String(s).padStart(n);
const labelWidth = Math.max(...figures.map((f) => f.label.length)) + 2;
process.stdout.write(
  `${pad('case', labelWidth)}${padL('median', 10)}${padL('p10–p90', 16)}${padL('× node', 8)}${padL('peak RSS', 11)}${padL('× node', 8)}\n`,
);
for (const f of figures) {
  process.stdout.write(
    `${pad(f.label, labelWidth)}${padL(`${f.median_ms.toFixed(1)} ms`, 10)}${padL(
      `${f.p10_ms.toFixed(1)}–${f.p90_ms.toFixed(1)}`,
      16,
    )}${padL(f.time_ratio.toFixed(2), 8)}${padL(`${(f.peak_rss_kib / 1024).toFixed(1)} MB`, 11)}${padL(
      f.memory_ratio.toFixed(2),
      8,
    )}\n`,
  );
}

/* ---------- the batch ---------- */

let batch;
if (BATCH > 0) {
  // Every seeded task and then IDs the sandbox does not know: each is one full RetryTask round trip,
  // answered 200 or refused (running, nothing failed, unknown). The sandbox counts the requests, so
  // both ways are seen to send exactly the same number.
  const known = ['task-0001', 'task-0002', 'task-0003', 'task-0004', 'task-0005', 'task-0006'];
  for (let n = 100; n <= 339; n++) known.push(`task-0${n}`);
  const ids = known.slice(0, BATCH);
  for (let n = 0; ids.length < BATCH; n++) ids.push(`task-9${String(n).padStart(4, '0')}`);
  const knownCount = Math.min(known.length, BATCH);

  process.stderr.write(`batch: one invocation with ${BATCH} task IDs…`);
  await resetSandbox();
  let started = process.hrtime.bigint();
  const one = spawnSync(NODE, [BIN, 'task', 'retry', '-', '--all-failed', '--json'], {
    env: sandboxEnv,
    input: `${ids.join('\n')}\n`,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const oneMs = Number(process.hrtime.bigint() - started) / 1e6;
  const oneRequests = await recordedRequests();
  const oneResults = JSON.parse(one.stdout).results;
  if (oneResults?.length !== BATCH || oneRequests !== BATCH) {
    throw new Error(
      `the batch run sent ${oneRequests} requests for ${oneResults?.length} results: ${one.stderr}`,
    );
  }
  const accepted = oneResults.filter((r) => r.ok).length;

  await resetSandbox();
  started = process.hrtime.bigint();
  for (const [i, id] of ids.entries()) {
    const r = spawnSync(NODE, [BIN, 'task', 'retry', id, '--all-failed'], {
      env: sandboxEnv,
      stdio: 'ignore',
    });
    if (r.error) throw r.error;
    if (i % 25 === 0) process.stderr.write(`\r\x1b[Kbatch: separate invocations ${i}/${BATCH}…`);
  }
  const manyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const manyRequests = await recordedRequests();
  process.stderr.write('\r\x1b[K');
  if (manyRequests !== BATCH) throw new Error(`${BATCH} invocations sent ${manyRequests} requests`);

  batch = {
    task_ids: BATCH,
    known_task_ids: knownCount,
    accepted,
    one_invocation_ms: oneMs,
    separate_invocations_ms: manyMs,
    speedup: manyMs / oneMs,
  };
  const oneLabel = `one \`hss task retry - --all-failed\``;
  const manyLabel = `${BATCH} separate \`hss task retry ID --all-failed\``;
  const width = Math.max(oneLabel.length, manyLabel.length) + 2;
  process.stdout.write(
    `\nbatch: ${BATCH} task IDs (${knownCount} seeded tasks, ${BATCH - knownCount} unknown IDs; ${accepted} retries accepted, ` +
      `the rest refused; every one a full round trip: ${BATCH} requests counted at the sandbox each way)\n` +
      `  ${pad(oneLabel, width)}${padL((oneMs / 1000).toFixed(2), 7)} s\n` +
      `  ${pad(manyLabel, width)}${padL((manyMs / 1000).toFixed(2), 7)} s   (${(manyMs / BATCH).toFixed(1)} ms each)\n` +
      `  the batch is ${batch.speedup.toFixed(1)} × faster\n`,
  );
}

/* ---------- the morning job ---------- */

// `task retry --since … --all-failed --wait` over 30 tasks of one project, on a sandbox of its own whose
// retried tasks finish after 1 s, polled every 400 ms (about 3 polls). The sandbox's record says what
// was sent: the selection, the retries, the polls (ListTasks pages covering every task followed) and
// ListTaskResources for the tasks that still fail. Following each task by its ID would take a request
// per task per poll.
const MORNING_TASKS = 30;
// The seed's 4 recent tasks with failed clusters and 26 of the generated ones (one every 3 hours back
// from 12 hours before the sandbox's start; every fourth has failed clusters): 331 hours covers 30.
const MORNING_SINCE = '331h';
let morning;
{
  const job = spawn(NODE, [BIN, 'sandbox', '--port', '0', '--json', '--progress', '1s'], {
    env: cleanEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const info = await sandboxBanner(job);
    process.stderr.write(`morning job: ${MORNING_TASKS} tasks…`);
    const run = spawnSync(
      NODE,
      [
        BIN,
        'task',
        'retry',
        '--since',
        MORNING_SINCE,
        '--all-failed',
        '--wait',
        '--interval',
        '400ms',
        '--json',
      ],
      {
        env: { ...cleanEnv, HSS_ENDPOINT: info.url, HSS_PROJECT_ID: info.project_id, HSS_TOKEN: info.token },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    process.stderr.write('\r\x1b[K');
    const results = JSON.parse(run.stdout).results ?? [];
    if (results.length !== MORNING_TASKS) {
      throw new Error(`the morning job retried ${results.length} tasks, not ${MORNING_TASKS}: ${run.stderr}`);
    }
    const recorded = await new Promise((resolve, reject) => {
      const req = request(`${info.url}/__sandbox/requests`, { agent: false }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    const firstPut = recorded.findIndex((r) => r.method === 'PUT');
    const lists = recorded.filter((r) => r.path.includes('/common/tasks/batch-query'));
    const selection = recorded.slice(0, firstPut).filter((r) => r.path.includes('/common/tasks/batch-query'));
    // A poll reads its pages from offset 0 on: the polls are the pages that begin one.
    const pollPages = lists.length - selection.length;
    const polls = lists.slice(selection.length).filter((r) => r.path.includes('offset=0&')).length;
    const resources = recorded.filter((r) => r.path.includes('/resources/batch-query')).length;
    const status = lists.length + resources;
    morning = {
      tasks: MORNING_TASKS,
      exit_code: run.status,
      retries: recorded.filter((r) => r.method === 'PUT').length,
      selection_pages: selection.length,
      polls,
      poll_pages: pollPages,
      task_resources: resources,
      status_requests: status,
      bound: 2 * polls + MORNING_TASKS,
      per_task_polling: MORNING_TASKS * polls,
    };
    process.stdout.write(
      `\nmorning job: \`hss task retry --since ${MORNING_SINCE} --all-failed --wait\` over ${MORNING_TASKS} tasks of one project (exit ${run.status})\n` +
        `  ${morning.retries} RetryTask; ${status} status requests: ${selection.length} ListTasks page(s) to select, ` +
        `${polls} poll(s) reading ${pollPages} ListTasks page(s) in all, ${resources} ListTaskResources (tasks still failing)\n` +
        `  bound 2 × polls + ${MORNING_TASKS} = ${morning.bound}; polling each task by ID would take ${morning.per_task_polling} requests for the polls alone\n`,
    );
  } finally {
    if (job.exitCode === null) job.kill('SIGTERM');
  }
}

/* ---------- several projects ---------- */

const fleet = await fleetBench({ node: NODE, bin: BIN, env: cleanEnv, runs: Math.min(RUNS, 5) });

/* ---------- targets ---------- */

process.stdout.write('\ntargets (medians):\n');
const verdicts = [];
function verdict(name, value, limit, higherIsBetter, detail) {
  const ok = higherIsBetter ? value >= limit : value <= limit;
  const gap = higherIsBetter
    ? `short by ${((1 - value / limit) * 100).toFixed(0)}%`
    : `over by ${(((value - limit) / limit) * 100).toFixed(1)}%`;
  const line = `  ${ok ? '✔' : '✖'} ${name}: ${value.toFixed(2)} × (target ${higherIsBetter ? '≥' : '≤'} ${limit} ×)${ok ? '' : ` — ${gap}${detail ? `, ${detail}` : ''}`}`;
  verdicts.push({ name, value, limit, ok });
  process.stdout.write(`${line}\n`);
}
for (const f of figures) {
  const t = TARGETS[f.id];
  if (!t) continue;
  const budget = base.median_ms * t.time;
  verdict(
    `${f.label} time`,
    f.time_ratio,
    t.time,
    false,
    `${(f.median_ms - budget).toFixed(1)} ms above ${budget.toFixed(1)} ms`,
  );
  if (t.memory)
    verdict(
      `${f.label} peak memory`,
      f.memory_ratio,
      t.memory,
      false,
      `${((f.peak_rss_kib - base.peak_rss_kib * t.memory) / 1024).toFixed(1)} MB above budget`,
    );
}
if (batch) verdict('batch speed-up', batch.speedup, BATCH_TARGET, true);
if (morning) {
  const ok = morning.status_requests <= morning.bound;
  verdicts.push({
    name: 'morning job status requests',
    value: morning.status_requests,
    limit: morning.bound,
    ok,
  });
  process.stdout.write(
    `  ${ok ? '✔' : '✖'} morning job: ${morning.status_requests} status requests (target ≤ 2 × ${morning.polls} polls + ${MORNING_TASKS} = ${morning.bound})\n`,
  );
}
verdict(
  'task list --region all (3 projects, 400 ms answers) against one region',
  fleet.ratio,
  FLEET_TARGET,
  false,
);
const floor = figures.find((f) => f.id === 'floor');
const retry = figures.find((f) => f.id === 'retry');
if (floor && retry) {
  process.stdout.write(
    `  · the floor (the same PUT by node:http alone) is ${floor.time_ratio.toFixed(2)} × node -e 0` +
      `${floor.time_ratio > TARGETS.retry.time ? `, above the ${TARGETS.retry.time} × target by itself` : ''}; ` +
      `hss's full retry is ${(retry.median_ms - floor.median_ms).toFixed(1)} ms above the floor ` +
      `(${(retry.median_ms / floor.median_ms).toFixed(2)} × it)\n`,
  );
}
if (verdicts.some((v) => !v.ok)) {
  process.stdout.write(
    '  where a target is missed, docs/performance.md says what costs the time (BENCH_PROFILE=1 shows it)\n',
  );
}

/* ---------- where the time goes ---------- */

if (PROFILE) {
  const runs = 5;
  process.stdout.write(
    `\nwhere the time goes (--cpu-prof, mean of ${runs} runs; each sample is charged to the innermost ` +
      'function of hss or of a bundled package on its stack, mapped to src/ by the source maps; samples ' +
      "in Node's module loaders and those with no hss frame are Node's):\n",
  );
  for (const c of cases.slice(1)) {
    const dir = path.join(work, `prof-${c.id}`);
    for (let i = 0; i < runs; i++) {
      if (c.sends) await resetSandbox();
      spawnSync(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '50', ...c.args], {
        env: c.env,
        stdio: 'pipe',
      });
    }
    const profiles = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
    process.stdout.write(`\n  ${c.label}\n${summariseProfiles(profiles)}`);
  }
}

function summariseProfiles(profiles) {
  const maps = new Map();
  const mapFor = (url) => {
    if (!maps.has(url)) {
      let map;
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8')));
      } catch {
        map = undefined;
      }
      maps.set(url, map);
    }
    return maps.get(url);
  };
  /** src/… or node_modules/<package> for a frame of the bundle, else undefined. */
  const ours = ({ url: frameUrl, lineNumber, columnNumber }) => {
    // bin/hss.js compiles the files of dist/ itself: their frames carry the path, not a file: URL.
    const url = path.isAbsolute(frameUrl) ? pathToFileURL(frameUrl).href : frameUrl;
    if (!url.startsWith('file:') || !url.includes('/dist/')) return undefined;
    // Line 1 of each file is inside the CommonJS wrapper bin/hss.js puts around it.
    const wrapped = lineNumber === 0 ? columnNumber - WRAPPER_LENGTH : columnNumber;
    const source = mapFor(url)?.findEntry(lineNumber, Math.max(0, wrapped))?.originalSource;
    if (!source) return `${path.relative(ROOT, fileURLToPath(url))} (bundler glue)`;
    const resolved = new URL(source, url);
    // Modules made by the build (hss-builtin:node:tty?…, hss-lent:…) are not files.
    if (resolved.protocol !== 'file:') {
      const [module, importer] = source.replace(/^hss-[a-z-]+:/, '').split('?');
      const by = importer && /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(importer);
      return importer ? `${module} (loaded for ${by ? by[1] : importer})` : module;
    }
    const rel = path.relative(ROOT, fileURLToPath(resolved));
    // esbuild's own helpers, written by the first (ES module) build, map back to its output.
    if (rel.startsWith('node_modules/.cache/'))
      return `${path.relative(ROOT, fileURLToPath(url))} (bundler glue)`;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(rel);
    return pkg ? `node_modules/${pkg[1]}` : rel;
  };
  const node = ({ url, functionName }) => {
    if (!url) return `node: ${functionName.replace(/^\(|\)$/g, '')}`;
    if (url.startsWith('node:internal/modules/esm'))
      return 'node: ES module loader (resolve, read, compile, link)';
    if (url.startsWith('node:internal/modules')) return 'node: CommonJS loader';
    if (functionName === 'compileForInternalLoader' || functionName === 'requireBuiltin')
      return "node: loading Node's built-in modules";
    if (url.startsWith('file:')) return path.relative(ROOT, fileURLToPath(url));
    if (path.isAbsolute(url)) return path.relative(ROOT, url);
    if (url.startsWith('node:internal/')) return `node: ${url.slice(14).split('/').slice(0, 2).join('/')}`;
    return `node: ${url.slice(5)}`;
  };
  const charged = new Map();
  let total = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    for (let i = 0; i < profile.samples.length; i++) {
      const us = profile.timeDeltas[i + 1] ?? 0;
      total += us;
      // Loading ES modules is charged to the loader, not to the code whose import() started it; loading
      // a built-in is charged to the code that asked for it.
      const leaf = byId.get(profile.samples[i]).callFrame;
      let key;
      for (let id = profile.samples[i]; id !== undefined && !key; id = parent.get(id)) {
        const frame = byId.get(id).callFrame;
        key = frame.url.startsWith('node:internal/modules/esm/') ? node(frame) : ours(frame);
      }
      key ??= node(leaf);
      charged.set(key, (charged.get(key) ?? 0) + us);
    }
  }
  const n = profiles.length || 1;
  return `${[...charged.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([k, us]) => `    ${padL((us / 1000 / n).toFixed(1), 6)} ms  ${k}`)
    .join(
      '\n',
    )}\n    ${padL((total / 1000 / n).toFixed(1), 6)} ms  sampled in all (the profiler itself slows a run down)\n`;
}

if (JSON_OUT) {
  writeFileSync(
    JSON_OUT,
    `${JSON.stringify({ date: new Date().toISOString(), node: nodeVersion, runs: RUNS, memory: memoryMethod, figures, batch, morning, fleet, verdicts }, null, 2)}\n`,
  );
}
stopSandbox();
