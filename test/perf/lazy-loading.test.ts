/**
 * The guard of start-up speed (docs/performance.md): runs the built CLI and checks which of its files,
 * which bundled packages and which of Node's built-in modules each command loads. A new import on the
 * hot path fails here, naming the module and the chain of imports that brought it in, rather than
 * silently costing every invocation. Nothing is timed.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { GRAPH_FILE, buildGraph as graph, recordLoads } from '../helpers/loads.js';
import { useSandbox } from '../helpers/sandbox.js';

interface Loads {
  /** Files of this repository the run loaded (bin/, dist/), repository-relative. */
  files: string[];
  /** Who imported each of them. */
  importer: Map<string, string>;
  /** Bundled modules inside those files (src/…, node_modules/…). */
  modules: Set<string>;
  /** Node's built-in modules, as process.moduleLoadList names them (`NativeModule net`). */
  builtins: Set<string>;
  bytes: number;
}

const sb = useSandbox();

/** Runs the CLI, recording the files of dist/ and the built-in modules it loads; checks it succeeded. */
async function load(args: string[], env: Record<string, string | undefined> = {}): Promise<Loads> {
  const recorded = await recordLoads(args, { env });
  expect(recorded.result.exitCode, recorded.result.stderr).toBe(0);

  const { outputs, files: requires } = graph();
  const files = ['bin/hss.js', ...recorded.files];
  // Who required each file: the first file loaded before it that requires it.
  const importer = new Map<string, string>([['dist/hss.cjs', 'bin/hss.js']]);
  for (const [i, file] of files.entries()) {
    const by = files.slice(0, i).find((f) => requires[f]?.some((r) => r.to === file));
    if (by) importer.set(file, by);
  }
  const modules = new Set<string>();
  for (const file of files) {
    if (!file.startsWith('dist/')) continue;
    const inside = outputs[file];
    if (!inside) throw new Error(`${file} is not in ${GRAPH_FILE}: rebuild (npm run build)`);
    for (const m of inside) modules.add(m);
  }
  const bytes = files.reduce((sum, f) => sum + statSync(path.join(ROOT, f)).size, 0);
  const builtins = new Set(recorded.builtins);
  return { files, importer, modules, builtins, bytes };
}

/** `dist/chunks/x.cjs ← dist/hss.cjs ← bin/hss.js` */
function fileChain(loads: Loads, file: string): string {
  const chain = [file];
  for (let f = loads.importer.get(file); f && !chain.includes(f); f = loads.importer.get(f)) chain.push(f);
  return chain.join(' ← ');
}

/** The imports, in source terms, that lead from src/cli/run.ts to `target` through loaded modules. */
function sourceChain(loads: Loads, isTarget: (m: string) => boolean): string {
  const { imports } = graph();
  const start = 'src/cli/run.ts';
  const previous = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (isTarget(at)) {
      const chain = [at];
      for (let p = previous.get(at); p; p = previous.get(p)) chain.unshift(p);
      return chain.join(' → ');
    }
    for (const { to } of imports[at] ?? []) {
      if (previous.has(to) || !(loads.modules.has(to) || to.startsWith('node_modules/'))) continue;
      previous.set(to, at);
      queue.push(to);
    }
  }
  return '(no import chain found in the build graph)';
}

/** Every loaded module under one of `prefixes`, reported with where it came from. */
function offending(loads: Loads, prefixes: string[]): string[] {
  const found: string[] = [];
  for (const prefix of prefixes) {
    const hit = [...loads.modules].find((m) => m.startsWith(prefix));
    if (!hit) continue;
    const file = Object.entries(graph().outputs).find(
      ([f, inside]) => loads.files.includes(f) && inside.includes(hit),
    )?.[0];
    found.push(
      `${prefix} was loaded: ${hit} is in ${file ? fileChain(loads, file) : '?'}; ` +
        `imported via ${sourceChain(loads, (m) => m.startsWith(prefix))}`,
    );
  }
  return found;
}

function builtinsLoaded(loads: Loads, names: string[]): string[] {
  return names.filter((n) => loads.builtins.has(`NativeModule ${n}`)).map((n) => `node:${n} was loaded`);
}

const NEVER_ON_THE_HOT_PATH = [
  'node_modules/zod/',
  'node_modules/conf/',
  'node_modules/ora/',
  'node_modules/execa/',
  'node_modules/undici/',
  'node_modules/proper-lockfile/',
  'src/cli/context.ts',
  'src/api/schemas.ts',
  'src/sandbox/',
  // Styles only for a stream with colour: these runs write to pipes.
  'node_modules/chalk/',
];
/**
 * Loaded only for what needs them: child processes, the network, compression, workers, and crypto
 * (OpenSSL's start-up costs megabytes; only AK/SK signing and credential commands need it).
 */
const HEAVY_BUILTINS = [
  'crypto',
  'child_process',
  'http',
  'https',
  'http2',
  'zlib',
  'worker_threads',
  'internal/deps/undici/undici',
];
/** dist/hss.cjs (commander and the command tree) and bin/hss.js, with room to grow by a few commands. */
const CORE_BYTES = 200_000;
/**
 * What `task retry --all-failed` with a token loads: ~275 KB with every credential source, the transport
 * choice, the checks of files others could have written and the escaping of outside text on the path (not the wait loop, which --wait loads), and no zod (its identifier rules are src/core/rules.ts; zod loads only
 * for a store or cache file, cluster specs, or an answer to parse). zod on this path adds ~190 KB, and
 * `import { z } from 'zod'` (instead of `import * as z`) all of zod and its locales (+520 KB).
 */
const RETRY_BYTES = 340_000;

describe('what an invocation loads', () => {
  it.each([['--version'], ['-V'], ['--help'], ['-h']])(
    'hss %s is answered by bin/hss.js alone',
    async (flag) => {
      const loads = await load([flag]);
      expect(loads.files).toEqual(['bin/hss.js']);
      expect(builtinsLoaded(loads, [...HEAVY_BUILTINS, 'net', 'stream'])).toEqual([]);
    },
  );

  it.each([
    [['--no-color', '--version']],
    [['--no-color', '--help']],
    [['task', '--help']],
    [['task', 'retry', '--help']],
    [['profile', 'set', '--help']],
  ])('hss %j loads the core only: commander and the command tree, nothing a command needs', async (args) => {
    const loads = await load(args);
    expect(loads.files).toEqual(['bin/hss.js', 'dist/hss.cjs']);
    expect(offending(loads, NEVER_ON_THE_HOT_PATH)).toEqual([]);
    expect(builtinsLoaded(loads, HEAVY_BUILTINS)).toEqual([]);
    expect(loads.bytes, `${loads.files.join(', ')}: ${loads.bytes} bytes`).toBeLessThanOrEqual(CORE_BYTES);
  });

  const RETRY_NEVER = [
    'src/sandbox/',
    'src/commands/sandbox/index.ts',
    // The completion scripts (the command's declaration is part of the command tree).
    'src/commands/completion/index.ts',
    'src/help/completion/',
    'node_modules/execa/',
    'node_modules/undici/',
    'node_modules/conf/',
    'node_modules/proper-lockfile/',
    // The spinner is for terminals; these runs write to pipes.
    'node_modules/ora/',
    // A token, no store or credential cache, --all-failed: nothing to parse with zod.
    'node_modules/zod/',
    'src/api/schemas.ts',
    'src/auth/cache-schema.ts',
    'src/tasks/cluster-specs.ts',
    // The wait loop, how a wait ended, and the task views: only with --wait.
    'src/tasks/follow.ts',
    'src/tasks/outcome.ts',
    'src/tasks/follow-view.ts',
    'src/tasks/retry-follow.ts',
    'src/tasks/follow-many.ts',
    'src/tasks/wait-view.ts',
    // The selection of --since, and the CI reports (--junit, --summary, their XML and Markdown).
    'src/tasks/select.ts',
    'src/tasks/retry-select.ts',
    'src/tasks/report.ts',
    'src/tasks/report-paths.ts',
    'src/tasks/report-junit.ts',
    'src/tasks/report-summary.ts',
    'src/tasks/retry-report.ts',
    'src/commands/task/wait/index.ts',
    'src/commands/task/show/index.ts',
    'src/output/task-view.ts',
    // The other task calls and views, and what explains a refused IaC task: only when they are used.
    'src/api/task-calls.ts',
    'src/tasks/iac-refusal.ts',
    'src/output/iac-view.ts',
    'src/tasks/create-plan.ts',
    'src/tasks/create-run.ts',
    // Reading several projects: only with --region a,b|all or --all-projects.
    'src/tasks/fleet.ts',
    'src/auth/projects.ts',
    'src/auth/fleet-login.ts',
    'src/commands/task/list/fleet.ts',
    // Pipes have no colour.
    'node_modules/chalk/',
    // --query, -o yaml and the pager: only when asked for (the pager: long text on a terminal).
    'node_modules/@jmespath-community/',
    'node_modules/yaml/',
    'src/output/query.ts',
    'src/output/yaml.ts',
    'src/output/pager.ts',
    // hss api, configure, version, the credential check of auth status, the man page, the prompts.
    'src/api/raw-call.ts',
    'src/commands/api/index.ts',
    'src/commands/configure/index.ts',
    'src/commands/configure/wizard.ts',
    'src/commands/version/index.ts',
    'src/auth/verify.ts',
    'src/auth/login-cache.ts',
    'src/auth/prompt.ts',
    'src/help/man.ts',
  ];

  it('task retry --dry-run loads neither the sandbox, completion, execa, undici, the store writer nor zod', async () => {
    const loads = await load(['task', 'retry', 'task-0001', '--all-failed', '--dry-run'], sb.env());
    // The recording works: the command's own file is seen.
    expect(loads.modules).toContain('src/commands/task/retry/index.ts');
    expect(offending(loads, RETRY_NEVER)).toEqual([]);
    expect(builtinsLoaded(loads, HEAVY_BUILTINS)).toEqual([]);
    expect(loads.bytes, `${loads.files.join(', ')}: ${loads.bytes} bytes`).toBeLessThanOrEqual(RETRY_BYTES);
  });

  it('task retry loads few files of dist/: the core, the renderer, the context, its own and what it shares', async () => {
    // Each file costs a stat, a read, a cache entry and a compile: the build puts the code lazy files share
    // into the file that every run needing it has loaded (scripts/build.mjs). Only code the command
    // shares with other commands (not with the context) is a file of its own.
    for (const args of [['--dry-run'], []]) {
      const loads = await load(['task', 'retry', 'task-0001', '--all-failed', ...args], sb.env());
      expect(loads.files.length, loads.files.join(', ')).toBeLessThanOrEqual(6);
      expect(loads.files.slice(0, 2)).toEqual(['bin/hss.js', 'dist/hss.cjs']);
      expect(loads.files.filter((f) => /^dist\/chunks\/task-retry-\w+\.cjs$/.test(f))).toHaveLength(1);
    }
  });

  it('task retry against the sandbox sends its request without fetch or zod: no undici, no child processes', async () => {
    const loads = await load(['task', 'retry', 'task-0001', '--all-failed'], sb.env());
    expect(loads.modules).toContain('src/api/node-transport.ts');
    expect(offending(loads, RETRY_NEVER)).toEqual([]);
    expect(builtinsLoaded(loads, ['child_process', 'https', 'http2', 'zlib', 'worker_threads'])).toEqual([]);
    // Node's fetch is its bundled undici: tens of milliseconds and megabytes to load.
    expect(builtinsLoaded(loads, ['internal/deps/undici/undici'])).toEqual([]);
    expect(loads.builtins.has('NativeModule http')).toBe(true);
  });
});

describe('what --query and -o yaml load', () => {
  it('--query loads the JMESPath module and -o yaml the YAML one, each only for itself; neither the pager', async () => {
    const query = await load(['task', 'list', '--limit', '1', '--query', 'tasks[0].task_id'], sb.env());
    expect(offending(query, ['node_modules/@jmespath-community/', 'src/output/query.ts'])).toHaveLength(2);
    expect(offending(query, ['node_modules/yaml/', 'src/output/yaml.ts', 'src/output/pager.ts'])).toEqual([]);
    const yaml = await load(['task', 'list', '--limit', '1', '-o', 'yaml'], sb.env());
    expect(offending(yaml, ['node_modules/yaml/'])).toHaveLength(1);
    expect(offending(yaml, ['node_modules/@jmespath-community/', 'src/output/pager.ts'])).toEqual([]);
    expect(builtinsLoaded(yaml, ['child_process'])).toEqual([]);
  });
});

describe('the guard itself', () => {
  it('names a forbidden module, the file it is in and the imports that brought it in', async () => {
    // Cluster specs are checked with zod: this run loads it.
    const loads = await load(['task', 'retry', 'task-0001', '--cluster', 'c1', '--dry-run'], sb.env());
    const [message] = offending(loads, ['node_modules/zod/']);
    expect(message).toMatch(
      /^node_modules\/zod\/ was loaded: node_modules\/zod\/\S+ is in dist\/chunks\/\S+\.cjs ← /,
    );
    expect(message).toMatch(
      /← bin\/hss\.js; imported via src\/cli\/run\.ts → .*src\/api\/schemas\.ts → node_modules\/zod\//,
    );
  });

  it('sees a built-in module that a run loads', async () => {
    const loads = await load(['task', 'retry', 'task-0001', '--all-failed'], sb.env());
    expect(builtinsLoaded(loads, ['http'])).toEqual(['node:http was loaded']);
  });
});
