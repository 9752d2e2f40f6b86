/**
 * The profile store: one JSON file (mode 0600, folder 0700) under the config dir. Reads are a plain
 * file read, as every command needs them and they must cost nothing; writes go through conf (atomic
 * write-and-rename) under a proper-lockfile lock, so concurrent `hss` processes never lose an update.
 * Also the rule for every file hss takes credentials or commands from (readTrustedFile, at the end):
 * kept here, as every run that reads one reads the store's code anyway.
 */
import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { Profile, StoreFile } from '../api/schemas.js';
import { ConfigError, HssError } from '../core/errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../core/json.js';
import { quote } from '../core/text.js';
import { registerSecret } from '../output/redact.js';

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

type StoreSchema = typeof import('../api/schemas.js')['StoreFile'];
let storeSchema: StoreSchema | undefined;
/** Folders prepareStore looked at this run and found without a store file. */
const absentAtStart = new Set<string>();

/**
 * Loads zod and the store's schema, which parseStore and readStore (synchronous) need. A run calls
 * prepareStore first, so one without a store file never loads zod (docs/performance.md); updateStore
 * loads it before it reads.
 */
export async function loadStoreSchema(): Promise<void> {
  storeSchema ??= (await import('../api/schemas.js')).StoreFile;
}

/** Loads the store's schema if `dir` holds a store file: the start of every run that may read it. */
export async function prepareStore(dir: string): Promise<void> {
  if (storeSchema) return;
  if (existsSync(storePath(dir))) await loadStoreSchema();
  else absentAtStart.add(dir);
}

/** Parses store text; a file that is not a valid store is an exit-3 error naming it, never wiped. */
export function parseStore(text: string, file: string): StoreFile {
  const hint = 'fix or remove the file; hss never overwrites a store it cannot read';
  // JSON nested deeper than any store would overflow the stack of what walks it later (zod, writing).
  if (nestedDeeperThan(text)) {
    throw new ConfigError(`the profile store ${file} is nested deeper than ${MAX_JSON_DEPTH} levels`, {
      hint,
    });
  }
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConfigError(`the profile store ${file} is not valid JSON`, { hint });
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

/** What a refusal of the store or its folder names (readTrustedFile). */
export const STORE_TRUST: TrustedFile = {
  what: 'the profile store',
  elsewhere: 'point HSS_CONFIG_DIR at a folder of your own',
};

/** The store as this run last parsed it, with the identity of the file it came from. */
let parsed: { file: string; identity: string; store: StoreFile } | undefined;

/**
 * The store on disk. A run reads it more than once (its secrets are registered first thing, its
 * settings later): an unchanged file (same inode, size and times) is not parsed again, and every caller
 * but a writer (`fresh`, which changes what it gets) shares the one parsed store.
 */
export function readStore(dir: string, options: { fresh?: boolean } = {}): StoreFile {
  const file = storePath(dir);
  let text: string;
  let identity: string;
  try {
    const read = readTrustedFile(file, STORE_TRUST);
    if (read === undefined) return emptyStore();
    ({ text, identity } = read);
    if (!options.fresh && parsed?.file === file && parsed.identity === identity) return parsed.store;
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
  if (!options.fresh) parsed = { file, identity, store };
  return store;
}

/** The store file's permission bits; undefined when there is no file. */
export function storeMode(dir: string): number | undefined {
  try {
    // Without an exception for a missing file: building one costs more than the stat.
    const stats = statSync(storePath(dir), { throwIfNoEntry: false });
    return stats === undefined ? undefined : stats.mode & 0o7777;
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
 * only when it is the user's alone (readTrustedFile).
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
        const data = readStore(dir, { fresh: true });
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

/* ---------- files someone else could have written ---------- */

/*
 * The files hss reads credentials and commands from — the profile store, the credential cache, the
 * SDK credentials file — decide which token is sent where and which command runs as the user. So,
 * as ssh's StrictModes does for its files, each is used only when no one but the user can have
 * written it: the file and the folder it is in must be owned by the user running hss (or root) and
 * not writable by group or others. Otherwise the run stops (exit 3) naming the file and the fix; it never
 * falls back to other settings, which would hide the problem. The file is checked with fstat on the
 * descriptor it is read from, so nothing can be swapped in between. Windows has no such owner and mode
 * bits, and nothing is checked there.
 */

const checked = process.platform !== 'win32' && typeof process.getuid === 'function';

/** What a refusal names, and where the user can point hss instead. */
export interface TrustedFile {
  /** `the profile store`, `the credential cache`, `the credentials file`. */
  what: string;
  /** How to use another file or folder: `point HSS_CONFIG_DIR at a folder of your own`. */
  elsewhere: string;
}

/** Why `stats` may not be trusted, or undefined. */
function distrust(stats: Stats): { owner?: number; mode?: number } | undefined {
  if (!checked) return undefined;
  // root may write anything anyway: a file of root's (a mounted secret) is as safe as the user's own.
  if (stats.uid !== process.getuid?.() && stats.uid !== 0) return { owner: stats.uid };
  if ((stats.mode & 0o022) !== 0) return { mode: stats.mode & 0o7777 };
  return undefined;
}

function refusal(
  label: string,
  name: string,
  problem: { owner?: number; mode?: number },
  fix: string,
  elsewhere: string,
): ConfigError {
  const uid = process.getuid?.();
  if (problem.owner !== undefined) {
    return new ConfigError(
      `${label} is owned by uid ${problem.owner}, not by you (uid ${uid}): hss does not use what someone else may have written`,
      { hint: `if it is yours, \`chown ${uid} ${name}\` (as root); else ${elsewhere}` },
    );
  }
  const who = (problem.mode ?? 0) & 0o002 ? 'others' : 'group';
  return new ConfigError(
    `${label} is writable by ${who} (mode ${(problem.mode ?? 0).toString(8)}): hss does not use what someone else may have written`,
    { hint: `${fix}, or ${elsewhere}` },
  );
}

/**
 * Refuses (exit 3) a folder that holds files hss trusts, when it is not the user's alone; a missing
 * folder passes (there is nothing in it to trust).
 */
export function checkTrustedFolder(dir: string, file: TrustedFile): void {
  if (!checked) return;
  let stats: Stats | undefined;
  try {
    stats = statSync(dir, { throwIfNoEntry: false });
  } catch {
    return;
  }
  if (stats === undefined) return;
  const problem = distrust(stats);
  if (problem) {
    throw refusal(
      `the folder ${dir} of ${file.what}`,
      dir,
      problem,
      `if the folder is yours alone, \`chmod go-w ${dir}\``,
      file.elsewhere,
    );
  }
}

/**
 * Reads a file hss trusts: its text, permission bits and identity (device, inode, size, times: what
 * changes when it is rewritten), or undefined when it does not exist. Refuses
 * (exit 3) a file or folder someone else may have written; other failures (EISDIR, EACCES) are thrown
 * as they come, for the caller to name.
 */
export function readTrustedFile(
  file: string,
  trust: TrustedFile,
): { text: string; mode: number; identity: string } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    const problem = distrust(stats);
    if (problem)
      throw refusal(`${trust.what} ${file}`, file, problem, `\`chmod 600 ${file}\``, trust.elsewhere);
    checkTrustedFolder(path.dirname(file), trust);
    const identity = `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
    return { text: readFileSync(fd, 'utf8'), mode: stats.mode & 0o7777, identity };
  } finally {
    closeSync(fd);
  }
}

/**
 * The permission bits of a file group or others may read (it holds secrets), for a warning; undefined
 * when they may not, and when they may write it too (it is refused when read).
 */
export function exposedMode(file: string): number | undefined {
  if (!checked) return undefined;
  try {
    const stats = statSync(file, { throwIfNoEntry: false });
    if (stats === undefined) return undefined;
    const mode = stats.mode & 0o777;
    return (mode & 0o077) !== 0 && (mode & 0o022) === 0 ? mode : undefined;
  } catch {
    return undefined;
  }
}
