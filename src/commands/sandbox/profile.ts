/**
 * The profile `hss sandbox --save-profile` writes: pointing at the sandbox, with its well-known token,
 * replacing only a profile a sandbox saved before (or any, with --force).
 */
import { forgetCached } from '../../auth/cache.js';
import type { Context } from '../../cli/context.js';
import { ConfigError } from '../../core/errors.js';
import { isLoopback } from '../../core/net.js';
import { quote } from '../../core/text.js';
import {
  SANDBOX_DOMAIN,
  SANDBOX_PROJECT_ID,
  SANDBOX_REGION,
  SANDBOX_TOKEN,
  SANDBOX_USER,
} from '../../sandbox/constants.js';
import { findProfile } from '../../settings/store.js';
import type { Profile, StoreFile } from '../../settings/store-schema.js';

/**
 * Whether a stored profile is one a sandbox saved, which a new --save-profile may replace: plain http
 * on loopback, and marked by --save-profile (`sandbox: true`) or holding the sandbox's token (one saved
 * before the mark existed). A real profile never holds the sandbox's well-known token.
 */
function isSandboxProfile(profile: Profile): boolean {
  let url: URL;
  try {
    url = new URL(profile.endpoint ?? '');
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    isLoopback(url.hostname) &&
    (profile.sandbox === true || profile.token === SANDBOX_TOKEN)
  );
}

/** An exit-3 refusal to overwrite a profile that is not a sandbox's, unless --force. */
export function checkReplaceable(store: StoreFile, name: string, force: boolean | undefined): void {
  const existing = findProfile(store, name);
  if (existing === undefined || force || isSandboxProfile(existing)) return;
  throw new ConfigError(
    `profile ${quote(name)} exists and does not point at a sandbox: --save-profile would replace its endpoint and credentials`,
    { hint: `save to another name (e.g. --save-profile sandbox), or add --force to overwrite ${name}` },
  );
}

/**
 * Writes the profile (checked again under the store's lock) and drops any login cached for it: a login
 * from an earlier sandbox would win over the token just saved, and a restarted sandbox refuses it.
 */
export async function saveSandboxProfile(
  ctx: Context,
  name: string,
  url: string,
  force?: boolean,
): Promise<void> {
  await ctx.updateStore((store) => {
    checkReplaceable(store, name, force);
    store.profiles[name] = {
      ...(findProfile(store, name) ?? {}),
      region: SANDBOX_REGION,
      project_id: SANDBOX_PROJECT_ID,
      endpoint: url,
      iam_endpoint: url,
      auth: 'token',
      token: SANDBOX_TOKEN,
      user: SANDBOX_USER,
      domain: SANDBOX_DOMAIN,
      sandbox: true,
    };
    store.current ??= name;
  });
  await forgetCached(ctx, name);
}
