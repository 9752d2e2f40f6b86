/**
 * Keeping a password login's token in the credential cache for a profile (never the password):
 * `hss auth login` and `hss configure` both log in.
 */
import { bareRecord } from '../core/json.js';
import type { CacheAccess, LoginEntry } from './cache.js';
import type { LoginInput, LoginResult } from './iam.js';

/** The cache entry of a login: its token and expiry, who logged in, the project it is scoped to. */
export function loginEntry(input: Pick<LoginInput, 'user' | 'domain'>, login: LoginResult): LoginEntry {
  const entry: LoginEntry = {
    token: login.token,
    expires_at: login.expiresAtText,
    user: login.userName ?? input.user,
    domain: login.domainName ?? input.domain,
  };
  if (login.issuedAtText) entry.issued_at = login.issuedAtText;
  if (login.projectId) entry.project_id = login.projectId;
  if (login.projectName) entry.project_name = login.projectName;
  return entry;
}

/** Stores the entry for the profile and the IAM endpoint it logged in to, beside its other ones. */
export async function cacheLogin(
  cache: Pick<CacheAccess, 'updateCache'>,
  profileName: string,
  input: Pick<LoginInput, 'iamEndpoint'>,
  entry: LoginEntry,
): Promise<void> {
  await cache.updateCache((data) => {
    const byEndpoint = bareRecord(Object.hasOwn(data.logins, profileName) ? data.logins[profileName] : {});
    byEndpoint[input.iamEndpoint] = entry;
    data.logins[profileName] = byEndpoint;
  });
}
