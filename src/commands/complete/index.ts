/**
 * `hss __complete <kind>` (hidden): the dynamic part of shell completion, run at each TAB. It must be
 * fast and print nothing but candidates: it reads the store file directly (no schema, no lock) and
 * prints profile names only, never a field of a profile.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../output/renderer.js';
import type { Handler } from '../define.js';
import type { spec } from './command.js';

/** The store file name of src/settings/store.ts, repeated so that this path loads no schema code. */
const STORE_FILE = 'config.json';
/** The rule of a profile name (schema.ts ProfileName): anything else is left out, not escaped. */
const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function profileNames(configDir: string): string[] {
  try {
    const raw: unknown = JSON.parse(readFileSync(path.join(configDir, STORE_FILE), 'utf8'));
    const profiles = (raw as { profiles?: unknown } | null)?.profiles;
    if (!profiles || typeof profiles !== 'object' || Array.isArray(profiles)) return [];
    return Object.keys(profiles)
      .filter((name) => PROFILE_NAME.test(name) && name !== '__proto__')
      .sort();
  } catch {
    // Completion never fails loudly: a missing or broken store just offers nothing.
    return [];
  }
}

export async function complete(kind: string, ctx: Context): Promise<CommandResult> {
  const words = kind === 'profiles' ? profileNames(ctx.configDir) : [];
  return { data: { ok: true, kind, words }, text: () => words.join('\n'), exitCode: 0 };
}

const handler: Handler<typeof spec> = ({ args }, ctx) => complete(args.kind, ctx);
export default handler;
