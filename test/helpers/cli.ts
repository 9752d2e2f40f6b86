/**
 * Runs the built CLI (bin/hss.js) as a user would: a separate process, a clean environment, a
 * throw-away config dir. `npm test` builds first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'hss.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  configDir?: string;
  cwd?: string;
  timeoutMs?: number;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test. */
export function tempDir(prefix = 'hss-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/**
 * Compiled code kept between runs (bin/hss.js), shared by every run of the suite, as a user's runs
 * share theirs; test/e2e/compile-cache.test.ts covers the default place and the cache itself.
 */
export const TEST_COMPILE_CACHE = path.join(ROOT, 'node_modules', '.cache', 'hss', 'test-compile-cache');

/** The environment every run starts from: nothing of the developer's own settings leaks in. */
export function baseEnv(configDir: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: configDir,
    HSS_CONFIG_DIR: configDir,
    HSS_COMPILE_CACHE: TEST_COMPILE_CACHE,
    LANG: 'C.UTF-8',
  };
}

export async function hss(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const configDir = options.configDir ?? tempDir();
  const env: Record<string, string> = { ...baseEnv(configDir) };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const result = await execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: false,
    reject: false,
    input: options.input ?? '',
    cwd: options.cwd ?? ROOT,
    timeout: options.timeoutMs ?? 20_000,
    stripFinalNewline: false,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
