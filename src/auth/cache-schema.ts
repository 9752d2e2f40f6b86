/**
 * The credential cache's file (src/auth/cache.ts) as zod schemas, and the parse of its text: loaded
 * only by runs that find a cache file or write one, so a run without one never loads zod.
 */
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';
import { bareRecord, parseJsonFile } from '../core/json.js';
import { fromRule } from '../core/rule-schema.js';
import { ProfileName } from '../core/rules.js';

/** A profile name as a key of the cache's maps (src/core/rules.ts ProfileName). */
const ProfileKey = fromRule(ProfileName);

/** A token scoped to one more project, from a login to several (`hss auth login --region all`). */
export const ProjectLogin = z.looseObject({
  token: z.string().min(1),
  expires_at: z.string(),
  region: z.string().optional(),
  project_name: z.string().optional(),
});
export type ProjectLogin = z.infer<typeof ProjectLogin>;

export const LoginEntry = z.looseObject({
  token: z.string().min(1),
  expires_at: z.string(),
  issued_at: z.string().optional(),
  project_id: z.string().optional(),
  project_name: z.string().optional(),
  user: z.string().optional(),
  domain: z.string().optional(),
  /** project ID → its own token, when the login was to several projects. */
  projects: z.record(z.string(), ProjectLogin).optional(),
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
  /** profile name → IAM endpoint → login; maps without a prototype once read (parseCache). */
  logins: z.record(ProfileKey, z.record(z.string(), LoginEntry)).default({}),
  /** profile name → last output of its credential command. */
  commands: z.record(ProfileKey, CommandEntry).default({}),
});
export type CacheFile = z.infer<typeof CacheFile>;

/** Parses cache text; a file that is not a valid cache is an exit-3 error naming it. */
export function parseCache(text: string, file: string): CacheFile {
  const hint = `remove ${file} (it holds only cached logins) and log in again`;
  const raw = parseJsonFile(text, (why) => new ConfigError(`the credential cache ${file} ${why}`, { hint }));
  const parsed = CacheFile.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`the credential cache ${file} is not a valid hss credential cache`, { hint });
  }
  const logins = bareRecord<Record<string, LoginEntry>>();
  for (const [profile, byEndpoint] of Object.entries(parsed.data.logins))
    logins[profile] = bareRecord(byEndpoint);
  return { ...parsed.data, logins, commands: bareRecord(parsed.data.commands) };
}
