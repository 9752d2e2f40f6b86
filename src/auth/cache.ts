/**
 * The credential cache: `credentials.json` beside the profile store (mode 0600, folder 0700). It holds
 * what `hss auth login` got from IAM (token, expiry, project, user, domain — never the password) and
 * the output of credential commands that said when it expires. Kept apart from the profile store so
 * that short-lived tokens never churn the file people edit, and `hss auth logout` can drop them alone.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, HssError } from '../core/errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../core/json.js';
import { registerSecret } from '../output/redact.js';
import {
  bareRecord,
  readTrustedFile,
  type TrustedFile,
  withFileLock,
  writeFileAtomic,
} from '../settings/store.js';
import type { CacheFile, CommandEntry, LoginEntry } from './cache-schema.js';

export const CACHE_FILE = 'credentials.json';
/** What a refusal of the cache or its folder names (readTrustedFile, src/settings/store.ts). */
const CACHE_TRUST: TrustedFile = {
  what: 'the credential cache',
  elsewhere: 'point HSS_CONFIG_DIR at a folder of your own',
};
const CACHE_VERSION = 1;

/** Cached tokens are treated as expired this long before IAM says they are, so no call starts on a dying one. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export type { CacheFile, CommandEntry, LoginEntry } from './cache-schema.js';

type CacheSchema = typeof import('./cache-schema.js')['CacheFile'];
let cacheSchema: CacheSchema | undefined;

/**
 * Loads zod and the cache's schema, which readCache (synchronous) needs. A run calls prepareCache
 * first, so one without a cache file never loads zod (docs/performance.md); updateCache loads it.
 */
export async function loadCacheSchema(): Promise<void> {
  cacheSchema ??= (await import('./cache-schema.js')).CacheFile;
}

/** Loads the cache's schema if `dir` holds a credential cache: the start of every run that may read it. */
/** Folders prepareCache looked at this run and found without a cache file. */
const absentAtStart = new Set<string>();

export async function prepareCache(dir: string): Promise<void> {
  if (cacheSchema) return;
  if (existsSync(cachePath(dir))) await loadCacheSchema();
  else absentAtStart.add(dir);
}

export function cachePath(dir: string): string {
  return path.join(dir, CACHE_FILE);
}

function registerAll(data: CacheFile): void {
  for (const byEndpoint of Object.values(data.logins)) {
    for (const entry of Object.values(byEndpoint)) registerSecret(entry.token);
  }
  for (const entry of Object.values(data.commands)) {
    registerSecret(entry.token);
    registerSecret(entry.secret_key);
    registerSecret(entry.security_token);
  }
}

/** The cache, every secret in it registered for masking; empty when the file does not exist. */
export function readCache(dir: string): CacheFile {
  const file = cachePath(dir);
  let text: string;
  try {
    const read = readTrustedFile(file, CACHE_TRUST);
    if (read === undefined) return emptyCache();
    text = read.text;
  } catch (error) {
    if (error instanceof HssError) throw error;
    throw new ConfigError(
      `cannot read the credential cache ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  // Written by another process after this run began: read as it was when the run started (empty).
  if (!cacheSchema && absentAtStart.has(dir)) return emptyCache();
  const hint = `remove ${file} (it holds only cached logins) and log in again`;
  // JSON nested deeper than any cache would overflow the stack of what walks it later (zod, writing).
  if (nestedDeeperThan(text)) {
    throw new ConfigError(`the credential cache ${file} is nested deeper than ${MAX_JSON_DEPTH} levels`, {
      hint,
    });
  }
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConfigError(`the credential cache ${file} is not valid JSON`, { hint });
  }
  if (!cacheSchema) throw new Error('the credential cache schema is not loaded: call prepareCache first');
  const parsed = cacheSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`the credential cache ${file} is not a valid hss credential cache`, { hint });
  }
  registerAll(parsed.data);
  const logins = bareRecord<Record<string, LoginEntry>>();
  for (const [profile, byEndpoint] of Object.entries(parsed.data.logins))
    logins[profile] = bareRecord(byEndpoint);
  return { ...parsed.data, logins, commands: bareRecord(parsed.data.commands) };
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

/** Read-modify-write of the cache under its own lock; the file is written 0600. */
export async function updateCache(dir: string, mutate: (data: CacheFile) => void): Promise<CacheFile> {
  const file = cachePath(dir);
  await loadCacheSchema();
  return withFileLock(dir, CACHE_FILE, () => {
    const data = readCache(dir);
    mutate(data);
    data.version = Math.max(data.version ?? 0, CACHE_VERSION);
    try {
      writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
    } catch (error) {
      throw new ConfigError(
        `cannot write the credential cache ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
    return data;
  });
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
