/**
 * `hss profile show [name]`: one profile's fields, secrets masked.
 */

import { maskSecret } from '../../../core/redact.js';
import { selectProfile } from '../../../settings/resolve.js';
import type { Profile } from '../../../settings/store-schema.js';
import type { Handler } from '../../define.js';
import { checkName, requireProfile } from '../shared.js';
import type { spec } from './command.js';

/** What `profile show --json` prints: the profile's fields as stored, secrets masked. */
export interface ProfileShowDocument {
  ok: true;
  name: string;
  current: boolean;
  profile: Record<string, unknown>;
}

const SECRET_FIELDS = new Set(['token', 'secret_key', 'security_token']);

/** A profile as shown to people: secrets masked, field names as stored. */
export function maskProfile(profile: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) {
    out[k] = SECRET_FIELDS.has(k) && typeof v === 'string' ? maskSecret(v) : v;
  }
  return out;
}

const profileShow: Handler<typeof spec> = async ({ args }, ctx) => {
  const store = ctx.readStore();
  const selected =
    args.name !== undefined ? checkName(args.name) : selectProfile(ctx.flags, ctx.io.env, store).name.value;
  const shown = maskProfile(requireProfile(store, selected));
  const data: ProfileShowDocument = {
    ok: true,
    name: selected,
    current: store.current === selected,
    profile: shown,
  };
  return {
    data,
    text: (s) =>
      [
        `${s.bold(selected)}${store.current === selected ? s.dim(' (current)') : ''}`,
        ...Object.entries(shown).map(([k, v]) => `  ${k}: ${String(v)}`),
      ].join('\n'),
    exitCode: 0,
  };
};
export default profileShow;
