/**
 * How hss writes the files of its config folder: the folder made 0700 when missing, each file written
 * 0600 and atomically, and every read-modify-write under a lock, so concurrent `hss` processes never
 * interleave their updates.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorCode } from '../core/errors.js';
import { checkTrustedFolder, STORE_TRUST } from './trust.js';

/** How long a writer waits for another one's lock before giving up. */
const LOCK_WAIT_MS = 20_000;
/** A lock whose holder stopped refreshing it this long ago is taken over (the holder died). */
const LOCK_STALE_MS = 10_000;

export interface UpdateOptions {
  /** The run's interruption (Ctrl-C): stop waiting for the lock, and write nothing if the write has not begun. */
  signal?: AbortSignal;
}

/**
 * Makes the config folder (and any missing parent) 0700 when it does not exist. One that exists is
 * left as it is — its mode is the user's choice, and a shared folder must keep its own — but is used
 * only when it is the user's alone (src/settings/trust.ts).
 */
export function ensureDir(dir: string): void {
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new ConfigError(`cannot create the config folder ${dir}: ${errorCode(error) ?? String(error)}`, {
      hint: 'point HSS_CONFIG_DIR at a folder you can write',
    });
  }
  if (made === undefined) checkTrustedFolder(dir, STORE_TRUST);
}

/** Writes a file readable by its owner only, atomically: a 0600 temp file renamed over the target. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    writeFileSync(temp, text, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The lock `{file}.lock`, tried once; its release, or undefined when another process holds it. */
async function tryLock(
  dir: string,
  file: string,
  deadline: number,
): Promise<(() => Promise<void>) | undefined> {
  const { default: lockfile } = await import('proper-lockfile');
  try {
    return await lockfile.lock(dir, {
      lockfilePath: `${file}.lock`,
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: 0,
    });
  } catch (error) {
    if (errorCode(error) === 'ELOCKED' && Date.now() <= deadline) return undefined;
    throw new ConfigError(`cannot lock ${file}: ${errorCode(error) ?? String(error)}`, {
      hint:
        errorCode(error) === 'ELOCKED'
          ? `another hss process has held ${file}.lock for ${LOCK_WAIT_MS / 1000} s; if none is running, remove that folder`
          : 'check the permissions of the config folder, or point HSS_CONFIG_DIR at another folder',
    });
  }
}

/**
 * Runs `fn` holding the lock `{name}.lock` in the config dir (created 0700 if missing), so concurrent
 * `hss` processes never interleave a read-modify-write of the file `name`. The lock is tried once at a
 * time, with the waits in between here, so an interruption never leaves behind a lock taken in the
 * instant the process ended.
 */
export async function withFileLock<T>(
  dir: string,
  name: string,
  fn: () => T | Promise<T>,
  options: UpdateOptions = {},
): Promise<T> {
  const { signal } = options;
  signal?.throwIfAborted();
  ensureDir(dir);
  const file = path.join(dir, name);
  let release: (() => Promise<void>) | undefined;
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!release) {
    signal?.throwIfAborted();
    release = await tryLock(dir, file, deadline);
    if (!release) await pause(10 + Math.floor(Math.random() * 90), signal);
  }
  try {
    // Interrupted while waiting: nothing is written.
    signal?.throwIfAborted();
    return await fn();
  } finally {
    await release();
  }
}
