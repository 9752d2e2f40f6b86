/**
 * Spawning the built CLI as a child whose life the test controls: signals, an open stdin, timing.
 */
import { execa, type ResultPromise } from 'execa';
import { BIN, baseEnv, ROOT, tempDir } from './cli.js';

export interface Spawned {
  child: ResultPromise<{ reject: false; stdin: 'pipe'; env: Record<string, string>; extendEnv: false }>;
  configDir: string;
}

/** Starts `hss args…` and returns at once; stdin stays open until the test closes it. */
export function spawnHss(
  args: string[],
  options: { env?: Record<string, string | undefined>; configDir?: string } = {},
): Spawned {
  const configDir = options.configDir ?? tempDir();
  const env: Record<string, string> = { ...baseEnv(configDir) };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const child = execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: false,
    reject: false,
    stdin: 'pipe',
    cwd: ROOT,
    stripFinalNewline: false,
  });
  return { child, configDir };
}

/** Resolves when the child's stderr has matched `pattern` (e.g. a --debug line saying it is ready). */
export function stderrMatches(child: Spawned['child'], pattern: RegExp, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.stderr?.off('data', onData);
      reject(new Error(`stderr did not match ${pattern} within ${timeoutMs} ms; it was: ${seen}`));
    }, timeoutMs);
    const onData = (chunk: Buffer | string) => {
      seen += String(chunk);
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
  });
}

/** The --debug line main() writes once the signal handlers are installed. */
export const READY = /signal handlers ready/;

/** Polls until `condition` holds. */
export async function until(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
