/**
 * What a run of the built CLI loads: it runs with test/perf/record-loads.cjs preloaded, which records
 * the files of dist/ the run reads and Node's built-in modules (process.moduleLoadList). Used by the
 * start-up guard (test/perf/lazy-loading.test.ts) and the network tests.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CliOptions, type CliResult, hss, ROOT, tempDir } from './cli.js';

export interface RecordedLoads {
  result: CliResult;
  /** Files of dist/ the run loaded, in order, repository-relative (`dist/hss.cjs`). */
  files: string[];
  /** As process.moduleLoadList names them (`NativeModule net`). */
  builtins: string[];
}

/** Written by scripts/build.mjs: the modules in each output file, each module's imports, file to file. */
export interface BuildGraph {
  outputs: Record<string, string[]>;
  imports: Record<string, Array<{ to: string; kind: string }>>;
  files: Record<string, Array<{ to: string; kind: string }>>;
}

export const GRAPH_FILE = path.join(ROOT, 'node_modules', '.cache', 'hss', 'build-graph.json');

export function buildGraph(): BuildGraph {
  try {
    return JSON.parse(readFileSync(GRAPH_FILE, 'utf8')) as BuildGraph;
  } catch {
    throw new Error(`${GRAPH_FILE} is missing: run \`npm run build\` first`);
  }
}

export async function recordLoads(args: string[], options: CliOptions = {}): Promise<RecordedLoads> {
  const loadsFile = path.join(tempDir(), 'loads.json');
  const preload = path.join(ROOT, 'test', 'perf', 'record-loads.cjs');
  const result = await hss(args, {
    ...options,
    env: { ...options.env, HSS_TEST_LOADS: loadsFile, NODE_OPTIONS: `--require=${preload}` },
  });
  if (result.exitCode !== 0) return { result, files: [], builtins: [] };
  const recorded = JSON.parse(readFileSync(loadsFile, 'utf8')) as { files: string[]; builtins: string[] };
  const repo = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');
  return { result, files: recorded.files.map(repo), builtins: recorded.builtins };
}
