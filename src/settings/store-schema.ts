/**
 * The profile store's file (src/settings/store.ts) as zod schemas, and the parse of its text: loaded
 * only by runs that find a store file or write one, so a run without one never loads zod.
 */
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';
import { bareRecord, parseJsonFile } from '../core/json.js';
import { fromRule } from '../core/rule-schema.js';
import { ProfileName } from '../core/rules.js';
import { quote } from '../core/text.js';
import { AUTH_KINDS } from '../core/vocabulary.js';

export const Profile = z.looseObject({
  region: z.string().optional(),
  project_id: z.string().optional(),
  /** Where project_id came from when hss looked it up itself (e.g. `iam:login`, `iam:projects`). */
  project_id_source: z.string().optional(),
  enterprise_project_id: z.string().optional(),
  endpoint: z.string().optional(),
  iam_endpoint: z.string().optional(),
  auth: z.enum(AUTH_KINDS).optional(),
  token: z.string().optional(),
  access_key: z.string().optional(),
  secret_key: z.string().optional(),
  security_token: z.string().optional(),
  user: z.string().optional(),
  domain: z.string().optional(),
  credential_command: z.string().optional(),
  /** Written by `hss sandbox --save-profile`: a later one may replace this profile. */
  sandbox: z.boolean().optional(),
});
export type Profile = z.infer<typeof Profile>;

export const StoreFile = z.looseObject({
  version: z.number().optional(),
  current: fromRule(ProfileName).optional(),
  /** profile name → profile; a map without a prototype once read (parseStore). */
  profiles: z.record(fromRule(ProfileName), Profile).default({}),
});
export type StoreFile = z.infer<typeof StoreFile>;

/** Parses store text; a file that is not a valid store is an exit-3 error naming it, never wiped. */
export function parseStore(text: string, file: string): StoreFile {
  const hint = 'fix or remove the file; hss never overwrites a store it cannot read';
  const raw = parseJsonFile(text, (why) => new ConfigError(`the profile store ${file} ${why}`, { hint }));
  const parsed = StoreFile.safeParse(raw);
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
      { hint },
    );
  }
  return { ...parsed.data, profiles: bareRecord(parsed.data.profiles) };
}
