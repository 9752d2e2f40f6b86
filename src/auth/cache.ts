/**
 * The credential cache: `credentials.json` beside the profile store (mode 0600, folder 0700). It holds
 * what `hss auth login` got from IAM (token, expiry, project, user, domain — never the password) and
 * the output of credential commands that said when it expires. Kept apart from the profile store so
 * that short-lived tokens never churn the file people edit, and `hss auth logout` can drop them alone.
 */
import path from 'node:path';
import { ConfigError, errorCode, HssError } from '../core/errors.js';
import { bareRecord } from '../core/json.js';
import { registerSecret } from '../core/redact.js';
import { type UpdateOptions, withFileLock, writeFileAtomic } from '../settings/lock.js';
import { readTrustedFile, type TrustedFile } from '../settings/trust.js';
import type { CacheFile, CommandEntry, LoginEntry } from './cache-schema.js';

export const CACHE_FILE = 'credentials.json';
/** What a refusal of the cache or its folder names (readTrustedFile, src/settings/trust.ts). */
const CACHE_TRUST: TrustedFile = {
  what: 'the credential cache',
  elsewhere: 'point HSS_CONFIG_DIR at a folder of your own',
};
const CACHE_VERSION = 1;

/** Cached tokens are treated as expired this long before IAM says they are, so no call starts on a dying one. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export type { CacheFile, CommandEntry, LoginEntry, ProjectLogin } from './cache-schema.js';

export function cachePath(dir: string): string {
  return path.join(dir, CACHE_FILE);
}

function registerAll(data: CacheFile): void {
  for (const byEndpoint of Object.values(data.logins)) {
    for (const entry of Object.values(byEndpoint)) {
      registerSecret(entry.token);
      for (const scoped of Object.values(entry.projects ?? {})) registerSecret(scoped.token);
    }
  }
  for (const entry of Object.values(data.commands)) {
    registerSecret(entry.token);
    registerSecret(entry.secret_key);
    registerSecret(entry.security_token);
  }
}

/**
 * The cache as it is on disk now, read at once and parsed when first asked for (every secret in it then
 * registered for masking); empty when there is no file. zod and the cache's schema are loaded only when
 * there is one (docs/performance.md). A file that cannot be read or parsed is reported when asked for.
 */
export async function loadCache(dir: string): Promise<() => CacheFile> {
  const file = cachePath(dir);
  let text: string;
  try {
    const read = readTrustedFile(file, CACHE_TRUST);
    if (read === undefined) return emptyCache;
    text = read.text;
  } catch (error) {
    const failure =
      error instanceof HssError
        ? error
        : new ConfigError(`cannot read the credential cache ${file}: ${errorCode(error) ?? String(error)}`);
    return () => {
      throw failure;
    };
  }
  const { parseCache } = await import('./cache-schema.js');
  let parsed: CacheFile | undefined;
  return () => {
    if (!parsed) {
      parsed = parseCache(text, file);
      registerAll(parsed);
    }
    return parsed;
  };
}

function emptyCache(): CacheFile {
  return { logins: bareRecord(), commands: bareRecord() };
}

/** The login cached for a profile and IAM endpoint, if any: own entries only, never an inherited property. */
export function findLogin(cache: CacheFile, profile: string, iamEndpoint: string): LoginEntry | undefined {
  const byEndpoint = Object.hasOwn(cache.logins, profile) ? cache.logins[profile] : undefined;
  return byEndpoint && Object.hasOwn(byEndpoint, iamEndpoint) ? byEndpoint[iamEndpoint] : undefined;
}

/** The cached output of a profile's credential command, if any. */
export function findCommandOutput(cache: CacheFile, profile: string): CommandEntry | undefined {
  return Object.hasOwn(cache.commands, profile) ? cache.commands[profile] : undefined;
}

/** Read-modify-write of the cache under its own lock, read afresh inside it; the file is written 0600. */
export async function updateCache(
  dir: string,
  mutate: (data: CacheFile) => void,
  options: UpdateOptions = {},
): Promise<CacheFile> {
  const file = cachePath(dir);
  // Loaded before the lock is taken, so that the lock is held only for the read and the write.
  await import('./cache-schema.js');
  return withFileLock(
    dir,
    CACHE_FILE,
    async () => {
      const data = (await loadCache(dir))();
      mutate(data);
      data.version = Math.max(data.version ?? 0, CACHE_VERSION);
      try {
        writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
      } catch (error) {
        throw new ConfigError(
          `cannot write the credential cache ${file}: ${errorCode(error) ?? String(error)}`,
        );
      }
      return data;
    },
    options,
  );
}

/**
 * Parses an expiry leniently: ISO-8601 (UTC `Z` or an offset, fraction of seconds of any length,
 * IAM writes microseconds), or a number of epoch seconds (below 10^11) or milliseconds.
 * Returns epoch ms, or undefined when the value is not a time.
 */
export function parseExpiry(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return undefined;
    return value < 1e11 ? value * 1000 : value;
  }
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return parseExpiry(Number(trimmed));
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    trimmed,
  );
  if (!match) return undefined;
  const [, date, time, fraction = '', zone = 'Z'] = match;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${date}T${time?.length === 5 ? `${time}:00` : time}.${millis}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** True when a token expiring at `expiresAt` should no longer be used at `now`. */
export function isExpired(expiresAt: number, now: number, margin = EXPIRY_MARGIN_MS): boolean {
  return now >= expiresAt - margin;
}

/** The cache as a run reads and writes it (src/cli/context.ts binds these to the config folder). */
export interface CacheAccess {
  readCache(): CacheFile;
  updateCache(mutate: (cache: CacheFile) => void): Promise<CacheFile>;
}

/**
 * Drops a profile's cached login and credential-command output, if it has any (logout, a profile
 * removed or replaced by a sandbox's): says which of the two it had.
 */
export async function forgetCached(
  cache: CacheAccess,
  profile: string,
): Promise<{ login: boolean; command: boolean }> {
  const current = cache.readCache();
  const login = Object.hasOwn(current.logins, profile);
  const command = findCommandOutput(current, profile) !== undefined;
  if (login || command) {
    await cache.updateCache((data) => {
      delete data.logins[profile];
      delete data.commands[profile];
    });
  }
  return { login, command };
}

/**
 * Moves a profile's cached login and credential-command output to its new name (`profile rename`),
 * dropping whatever an earlier profile of the new name left; says which it moved.
 */
export async function moveCached(
  cache: CacheAccess,
  from: string,
  to: string,
): Promise<{ login: boolean; command: boolean }> {
  const current = cache.readCache();
  const login = Object.hasOwn(current.logins, from);
  const command = findCommandOutput(current, from) !== undefined;
  const stale = Object.hasOwn(current.logins, to) || findCommandOutput(current, to) !== undefined;
  if (login || command || stale) {
    await cache.updateCache((data) => {
      const logins = Object.hasOwn(data.logins, from) ? data.logins[from] : undefined;
      const output = findCommandOutput(data, from);
      delete data.logins[to];
      delete data.commands[to];
      delete data.logins[from];
      delete data.commands[from];
      if (logins) data.logins[to] = logins;
      if (output) data.commands[to] = output;
    });
  }
  return { login, command };
}
