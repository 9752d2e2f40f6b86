/**
 * The credential cache's file (src/auth/cache.ts) as zod schemas: loaded only by runs that find a cache
 * file or write one, so a run without one never loads zod.
 */
import * as z from 'zod';
import { firstIssue, ProfileName } from '../core/rules.js';

/** A profile name as a key of the cache's maps (src/core/rules.ts ProfileName). */
const ProfileKey = z.string().superRefine((s, ctx) => {
  const parsed = ProfileName.safeParse(s);
  if (!parsed.success) ctx.addIssue({ code: 'custom', message: firstIssue(parsed.error) });
});

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
  /** profile name → IAM endpoint → login; maps without a prototype once read (src/auth/cache.ts). */
  logins: z.record(ProfileKey, z.record(z.string(), LoginEntry)).default({}),
  /** profile name → last output of its credential command. */
  commands: z.record(ProfileKey, CommandEntry).default({}),
});
export type CacheFile = z.infer<typeof CacheFile>;
