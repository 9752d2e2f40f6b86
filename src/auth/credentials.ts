/**
 * Which credential a call uses, and how it is put on a request.
 * Order (unless an explicit --profile/HSS_PROFILE names a profile that has credentials of its own,
 * which then win): --token-stdin, HSS_TOKEN, the profile's own.
 */

import type { Authorize } from '../api/http.js';
import { ConfigError, UsageError } from '../errors.js';
import { registerSecret } from '../output/redact.js';
import { firstIssue, Token } from '../schema.js';
import type { Settings } from '../settings/resolve.js';

export type Credential = { kind: 'token'; token: string; source: string };

export interface CredentialSources {
  env: Record<string, string | undefined>;
  settings: Settings;
  /** The token read from standard input by --token-stdin. */
  stdinToken?: string;
}

function tokenCredential(token: string, source: string): Credential {
  registerSecret(token);
  const parsed = Token.safeParse(token);
  if (!parsed.success) throw new UsageError(`the token from ${source}: ${firstIssue(parsed.error)}`);
  return { kind: 'token', token, source };
}

function fromProfile(settings: Settings): Credential | undefined {
  const { profile } = settings;
  const name = settings.profileName.value;
  if (profile.token && (profile.auth === undefined || profile.auth === 'token')) {
    return tokenCredential(profile.token, `profile:${name}`);
  }
  return undefined;
}

export function resolveCredential(sources: CredentialSources): Credential | undefined {
  const { env, settings } = sources;
  if (settings.profileExplicit) {
    const own = fromProfile(settings);
    if (own) return own;
  }
  if (sources.stdinToken !== undefined) return tokenCredential(sources.stdinToken, 'stdin (--token-stdin)');
  const envToken = env['HSS_TOKEN'];
  if (envToken) return tokenCredential(envToken, 'env:HSS_TOKEN');
  return fromProfile(settings);
}

export function requireCredential(sources: CredentialSources): Credential {
  const credential = resolveCredential(sources);
  if (credential) return credential;
  throw new ConfigError('no credentials found', {
    hint: 'pipe a token to --token-stdin, set HSS_TOKEN, or store one: `hss profile set NAME --token-stdin`',
  });
}

export function authorizerFor(credential: Credential): Authorize {
  return (request) => ({ ...request.headers, 'X-Auth-Token': credential.token });
}

/** For 401/403 answers: how to get a working credential again. */
export function authHintFor(credential: Credential): string {
  if (credential.source === 'env:HSS_TOKEN')
    return 'HSS_TOKEN was refused: it may have expired; set a fresh token';
  if (credential.source.startsWith('profile:')) {
    return `the token stored in ${credential.source.replace(':', ' ')} was refused: store a fresh one with \`hss profile set ${credential.source.slice(8)} --token-stdin\``;
  }
  return 'the token was refused: it may have expired; get a fresh one';
}
