/**
 * The profile store: one JSON file (mode 0600, folder 0700) under the config dir. A run reads it once,
 * when its context is loaded (src/cli/context.ts), and every reader then takes what was loaded; writes
 * go through conf (atomic write-and-rename) under a proper-lockfile lock (src/settings/lock.ts), so
 * concurrent `hss` processes never lose an update.
 */
import { chmodSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorCode, HssError } from '../core/errors.js';
import { bareRecord } from '../core/json.js';
import { registerSecret } from '../core/redact.js';
import { type UpdateOptions, withFileLock } from './lock.js';
import type { Profile, StoreFile } from './store-schema.js';
import { readTrustedFile, STORE_TRUST } from './trust.js';

export const STORE_FILE = 'config.json';
export const STORE_VERSION = 1;

export function storePath(dir: string): string {
  return path.join(dir, STORE_FILE);
}

/** The profile of that name, if the store has one (its own entry, never an inherited property). */
export function findProfile(store: StoreFile, name: string): Profile | undefined {
  return Object.hasOwn(store.profiles, name) ? store.profiles[name] : undefined;
}

function emptyStore(): StoreFile {
  return { version: STORE_VERSION, profiles: bareRecord() };
}

/**
 * The store on disk, every profile's secrets registered for masking; empty when there is no file. zod
 * and the store's schema are loaded only when there is one (docs/performance.md).
 */
export async function loadStore(dir: string): Promise<StoreFile> {
  const file = storePath(dir);
  let read: { text: string } | undefined;
  try {
    read = readTrustedFile(file, STORE_TRUST);
  } catch (error) {
    if (error instanceof HssError) throw error;
    throw new ConfigError(`cannot read the profile store ${file}: ${errorCode(error) ?? String(error)}`, {
      hint: 'check the permissions of the file and its folder, or point HSS_CONFIG_DIR at another folder',
    });
  }
  if (read === undefined) return emptyStore();
  const { parseStore } = await import('./store-schema.js');
  const store = parseStore(read.text, file);
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
    // Without an exception for a missing file: building one costs more than the stat.
    const stats = statSync(storePath(dir), { throwIfNoEntry: false });
    return stats === undefined ? undefined : stats.mode & 0o7777;
  } catch {
    return undefined;
  }
}

/** Writes `data` through conf, which renames a temp file over the store. */
async function writeStore(dir: string, data: StoreFile): Promise<void> {
  const { default: Conf } = await import('conf');
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
  chmodSync(storePath(dir), 0o600);
}

/**
 * Read-modify-write under a lock: the store is read afresh inside it (not as the run loaded it), `mutate`
 * changes it in place, and the result is what was written. Fields this version does not know are kept.
 */
export async function updateStore(
  dir: string,
  mutate: (data: StoreFile) => void,
  options: UpdateOptions = {},
): Promise<StoreFile> {
  const file = storePath(dir);
  // Loaded before the lock is taken, so that the lock is held only for the read and the write.
  await Promise.all([import('conf'), import('./store-schema.js')]);
  return withFileLock(
    dir,
    STORE_FILE,
    async () => {
      try {
        const data = await loadStore(dir);
        mutate(data);
        data.version = Math.max(data.version ?? 0, STORE_VERSION);
        await writeStore(dir, data);
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
