/**
 * The credential cache: `credentials.json` beside the profile store (mode 0600, folder 0700). It holds
 * what `hss auth login` got from IAM (token, expiry, project, user, domain — never the password) and
 * the output of credential commands that said when it expires. Kept apart from the profile store so
 * that short-lived tokens never churn the file people edit, and `hss auth logout` can drop them alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { registerSecret } from '../output/redact.js';
import { withFileLock, writeFileAtomic } from '../settings/store.js';

export const CACHE_FILE = 'credentials.json';
const CACHE_VERSION = 1;

/** Cached tokens are treated as expired this long before IAM says they are, so no call starts on a dying one. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export const LoginEntry = z.looseObject({
  token: z.string().min(1),
  expires_at: z.string(),
  issued_at: z.string().optional(),
  project_id: z.string().optional(),
  project_name: z.string().optional(),
  user: z.string().optional(),
  domain: z.string().optional(),
});
export type LoginEntry = z.infer<typeof LoginEntry>;

export const CommandEntry = z.looseObject({
  /** sha256 of the command line: a changed command never reuses the old command's output. */
  command_sha256: z.string(),
  expires_at: z.string(),
  token: z.string().optional(),
  access_key: z.string().optional(),
  secret_key: z.string().optional(),
  security_token: z.string().optional(),
});
export type CommandEntry = z.infer<typeof CommandEntry>;

export const CacheFile = z.looseObject({
  version: z.number().optional(),
  /** profile name → IAM endpoint → login. */
  logins: z.record(z.string(), z.record(z.string(), LoginEntry)).default({}),
  /** profile name → last output of its credential command. */
  commands: z.record(z.string(), CommandEntry).default({}),
});
export type CacheFile = z.infer<typeof CacheFile>;

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
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { logins: {}, commands: {} };
    throw new ConfigError(
      `cannot read the credential cache ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const hint = `remove ${file} (it holds only cached logins) and log in again`;
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConfigError(`the credential cache ${file} is not valid JSON`, { hint });
  }
  const parsed = CacheFile.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`the credential cache ${file} is not a valid hss credential cache`, { hint });
  }
  registerAll(parsed.data);
  return parsed.data;
}

/** Read-modify-write of the cache under its own lock; the file is written 0600. */
export async function updateCache(dir: string, mutate: (data: CacheFile) => void): Promise<CacheFile> {
  const file = cachePath(dir);
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
