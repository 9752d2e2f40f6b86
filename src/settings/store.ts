/**
 * The profile store: one JSON file (mode 0600, folder 0700) under the config dir. Reads are a plain
 * file read, as every command needs them and they must cost nothing; writes go through conf (atomic
 * write-and-rename) under a proper-lockfile lock, so concurrent `hss` processes never lose an update.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, HssError } from '../errors.js';
import { registerSecret } from '../output/redact.js';
import type { Profile, StoreFile } from '../schema.js';
import { quote } from '../text.js';
import { checkTrustedFolder, readTrustedFile, type TrustedFile } from './trust.js';

export const STORE_FILE = 'config.json';
export const STORE_VERSION = 1;

export function storePath(dir: string): string {
  return path.join(dir, STORE_FILE);
}

/**
 * A map without a prototype: no key (`constructor`, `toString`) is in it before it is put there, and
 * setting `__proto__` sets a key, not the prototype. The store's and the cache's maps are kept so.
 */
export function bareRecord<T>(from?: Record<string, T>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  if (from) for (const key of Object.keys(from)) record[key] = from[key] as T;
  return record;
}

/** The profile of that name, if the store has one (its own entry, never an inherited property). */
export function findProfile(store: StoreFile, name: string): Profile | undefined {
  return Object.hasOwn(store.profiles, name) ? store.profiles[name] : undefined;
}

function emptyStore(): StoreFile {
  return { version: STORE_VERSION, profiles: bareRecord() };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

type StoreSchema = typeof import('../schema.js')['StoreFile'];
let storeSchema: StoreSchema | undefined;
/** Folders prepareStore looked at this run and found without a store file. */
const absentAtStart = new Set<string>();

/**
 * Loads zod and the store's schema, which parseStore and readStore (synchronous) need. A run calls
 * prepareStore first, so one without a store file never loads zod (docs/performance.md); updateStore
 * loads it before it reads.
 */
export async function loadStoreSchema(): Promise<void> {
  storeSchema ??= (await import('../schema.js')).StoreFile;
}

/** Loads the store's schema if `dir` holds a store file: the start of every run that may read it. */
export async function prepareStore(dir: string): Promise<void> {
  if (storeSchema) return;
  if (existsSync(storePath(dir))) await loadStoreSchema();
  else absentAtStart.add(dir);
}

/** Parses store text; a file that is not a valid store is an exit-3 error naming it, never wiped. */
export function parseStore(text: string, file: string): StoreFile {
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConfigError(`the profile store ${file} is not valid JSON`, {
      hint: `fix or remove the file; hss never overwrites a store it cannot read`,
    });
  }
  if (!storeSchema) throw new Error('the profile store schema is not loaded: call prepareStore first');
  const parsed = storeSchema.safeParse(raw);
  // zod drops a `__proto__` key without a word: a profile of that name is refused here instead.
  const profiles = (raw as { profiles?: unknown } | null)?.profiles;
  const reserved =
    typeof profiles === 'object' && profiles !== null && Object.hasOwn(profiles, '__proto__')
      ? { path: ['profiles', '__proto__'], message: 'profile name "__proto__" is reserved' }
      : undefined;
  if (!parsed.success || reserved) {
    const issue = reserved ?? parsed.error?.issues[0];
    // Profile names in the path are the file's own text: quoted when they are not plain.
    const segment = (key: PropertyKey) =>
      typeof key === 'string' && !/^[A-Za-z0-9_-]+$/.test(key) ? quote(key, 32) : String(key);
    const where = issue?.path.length ? ` at ${issue.path.map(segment).join('.')}` : '';
    throw new ConfigError(
      `the profile store ${file} is not a valid hss store${where}: ${issue?.message ?? ''}`,
      {
        hint: `fix or remove the file; hss never overwrites a store it cannot read`,
      },
    );
  }
  return { ...parsed.data, profiles: bareRecord(parsed.data.profiles) };
}

/** What a refusal of the store or its folder names (src/settings/trust.ts). */
export const STORE_TRUST: TrustedFile = {
  what: 'the profile store',
  elsewhere: 'point HSS_CONFIG_DIR at a folder of your own',
};

export function readStore(dir: string): StoreFile {
  const file = storePath(dir);
  let text: string;
  try {
    const read = readTrustedFile(file, STORE_TRUST);
    if (read === undefined) return emptyStore();
    text = read.text;
  } catch (error) {
    if (error instanceof HssError) throw error;
    throw new ConfigError(`cannot read the profile store ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'check the permissions of the file and its folder, or point HSS_CONFIG_DIR at another folder',
    });
  }
  // Written by another process after this run began (a parallel `hss profile set`): this run reads the
  // store as it was when it started, as if it had read a moment earlier.
  if (!storeSchema && absentAtStart.has(dir)) return emptyStore();
  const store = parseStore(text, file);
  // Reading the store reads every profile's secrets: they are masked from then on, whichever is used.
  for (const profile of Object.values(store.profiles)) {
    registerSecret(profile.token);
    registerSecret(profile.secret_key);
    registerSecret(profile.security_token);
  }
  return store;
}

/** The store file's permission bits; undefined when there is no file. */
export function storeMode(dir: string): number | undefined {
  try {
    return statSync(storePath(dir)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** True when group or others may read the store (it holds secrets). */
export function storeIsExposed(dir: string): boolean {
  return ((storeMode(dir) ?? 0) & 0o077) !== 0;
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

/** How long a writer waits for another one's lock before giving up. */
const LOCK_WAIT_MS = 20_000;
/** A lock whose holder stopped refreshing it this long ago is taken over (the holder died). */
const LOCK_STALE_MS = 10_000;

export interface UpdateOptions {
  /** Aborted (Ctrl-C): stop waiting for the lock, and write nothing if the write has not begun. */
  signal?: AbortSignal;
}

/** The run's interruption signal, for writers that do not pass their own (one run per process). */
let runSignal: AbortSignal | undefined;

export function interruptStoreWritesOn(signal: AbortSignal): void {
  runSignal = signal;
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

/**
 * Read-modify-write under a lock. `mutate` changes the data in place; the result is what was written.
 * Fields this version does not know are kept as they were.
 */
export async function updateStore(
  dir: string,
  mutate: (data: StoreFile) => void,
  options: UpdateOptions = {},
): Promise<StoreFile> {
  const file = storePath(dir);
  const [{ default: Conf }] = await Promise.all([import('conf'), loadStoreSchema()]);
  return withFileLock(
    dir,
    STORE_FILE,
    () => {
      try {
        const data = readStore(dir);
        mutate(data);
        data.version = Math.max(data.version ?? 0, STORE_VERSION);
        const conf = new Conf<StoreFile>({
          cwd: dir,
          configName: 'config',
          projectName: 'hss',
          configFileMode: 0o600,
          clearInvalidConfig: false,
          accessPropertiesByDotNotation: false,
          watch: false,
        });
        conf.store = data;
        chmodSync(file, 0o600);
        return data;
      } catch (error) {
        // The caller's own refusals (a UsageError from mutate, an interruption) pass through as they are.
        if (error instanceof HssError) throw error;
        throw new ConfigError(
          `cannot write the profile store ${file}: ${errorCode(error) ?? String(error)}`,
          {
            hint: 'check the permissions of the file and its folder, or point HSS_CONFIG_DIR at another folder',
          },
        );
      }
    },
    options,
  );
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
  const signal = options.signal ?? runSignal;
  signal?.throwIfAborted();
  ensureDir(dir);
  const file = path.join(dir, name);
  const { default: lockfile } = await import('proper-lockfile');
  let release: (() => Promise<void>) | undefined;
  const deadline = Date.now() + LOCK_WAIT_MS;
  while (!release) {
    signal?.throwIfAborted();
    try {
      release = await lockfile.lock(dir, {
        lockfilePath: `${file}.lock`,
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
      });
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED' || Date.now() > deadline) {
        throw new ConfigError(`cannot lock ${file}: ${errorCode(error) ?? String(error)}`, {
          hint:
            errorCode(error) === 'ELOCKED'
              ? `another hss process has held ${file}.lock for ${LOCK_WAIT_MS / 1000} s; if none is running, remove that folder`
              : 'check the permissions of the config folder, or point HSS_CONFIG_DIR at another folder',
        });
      }
      await pause(10 + Math.floor(Math.random() * 90), signal);
    }
  }
  try {
    // Interrupted while waiting: nothing is written.
    signal?.throwIfAborted();
    return await fn();
  } finally {
    await release();
  }
}
