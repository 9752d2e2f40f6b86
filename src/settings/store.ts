/**
 * The profile store: one JSON file (mode 0600, folder 0700) under the config dir. Reads are a plain
 * file read, as every command needs them and they must cost nothing; writes go through conf (atomic
 * write-and-rename) under a proper-lockfile lock, so concurrent `hss` processes never lose an update.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, HssError } from '../errors.js';
import { StoreFile } from '../schema.js';

export const STORE_FILE = 'config.json';
export const STORE_VERSION = 1;

export function storePath(dir: string): string {
  return path.join(dir, STORE_FILE);
}

function emptyStore(): StoreFile {
  return { version: STORE_VERSION, profiles: {} };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
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
  const parsed = StoreFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ConfigError(
      `the profile store ${file} is not a valid hss store${where}: ${issue?.message ?? ''}`,
      {
        hint: `fix or remove the file; hss never overwrites a store it cannot read`,
      },
    );
  }
  return parsed.data;
}

export function readStore(dir: string): StoreFile {
  const file = storePath(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return emptyStore();
    throw new ConfigError(`cannot read the profile store ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'check the permissions of the file and its folder, or point HSS_CONFIG_DIR at another folder',
    });
  }
  return parseStore(text, file);
}

/** True when group or others may read the store (it holds secrets). */
export function storeIsExposed(dir: string): boolean {
  try {
    return (statSync(storePath(dir)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

export function ensureDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  } catch (error) {
    throw new ConfigError(`cannot create the config folder ${dir}: ${errorCode(error) ?? String(error)}`, {
      hint: 'point HSS_CONFIG_DIR at a folder you can write',
    });
  }
}

/**
 * Runs `fn` holding the lock `{name}.lock` in the config dir (created 0700 if missing), so concurrent
 * `hss` processes never interleave a read-modify-write of the file `name`.
 */
export async function withFileLock<T>(dir: string, name: string, fn: () => T | Promise<T>): Promise<T> {
  ensureDir(dir);
  const { default: lockfile } = await import('proper-lockfile');
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: path.join(dir, `${name}.lock`),
      realpath: false,
      stale: 10_000,
      retries: { retries: 200, minTimeout: 10, maxTimeout: 100, randomize: true },
    });
  } catch (error) {
    throw new ConfigError(`cannot lock ${path.join(dir, name)}: ${errorCode(error) ?? String(error)}`, {
      hint: 'another hss is updating the file: try again (a lock older than 10 s is taken over)',
    });
  }
  try {
    return await fn();
  } finally {
    await release();
  }
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

/**
 * Read-modify-write under a lock. `mutate` changes the data in place; the result is what was written.
 * Fields this version does not know are kept as they were.
 */
export async function updateStore(dir: string, mutate: (data: StoreFile) => void): Promise<StoreFile> {
  const file = storePath(dir);
  const { default: Conf } = await import('conf');
  return withFileLock(dir, STORE_FILE, () => {
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
      // The caller's own refusals (an unknown field, an unknown profile) keep their class and exit code.
      if (error instanceof HssError) throw error;
      throw new ConfigError(`cannot write the profile store ${file}: ${errorCode(error) ?? String(error)}`, {
        hint: 'check the permissions of the file and its folder, or point HSS_CONFIG_DIR at another folder',
      });
    }
  });
}
