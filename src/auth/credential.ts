/**
 * A credential as the HTTP client uses it (a token, or a key pair to sign with), where it came from,
 * and how each kind is made from what a source gives: checked, and its secrets registered for masking.
 */
import { ConfigError, UsageError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { firstIssue, Token } from '../core/rules.js';
import { quote } from '../core/text.js';
import type { AuthKind } from '../core/vocabulary.js';
import type { Settings } from '../settings/resolve.js';
import type { CacheFile } from './cache.js';

interface CredentialBase {
  /** `stdin`, `env:NAME`, `profile:NAME`, `login:NAME`, `command:NAME`, `file:PATH`. */
  source: string;
  /** Epoch ms, when known. */
  expiresAt?: number;
  /** The project the credential is scoped to, when it says (a login token, the SDK credentials file). */
  projectId?: string;
  projectName?: string;
  /** IAM endpoint the credential names for itself (SDK credentials file). */
  iamEndpoint?: string;
  user?: string;
  domain?: string;
}

export type Credential =
  | (CredentialBase & { kind: 'token'; token: string })
  | (CredentialBase & { kind: 'aksk'; accessKey: string; secretKey: string; securityToken?: string });

/** A credential source that was found, not yet loaded. */
export interface CredentialPlan {
  /** How it authenticates once loaded: a token, or a key pair (unknown for a command until it runs). */
  kind: AuthKind;
  source: string;
  /** The profile whose credentials these are, when they are a profile's. */
  profile?: string;
  load(): Promise<Credential>;
  /**
   * The credential for one project of several (src/tasks/fleet.ts), where it differs by project: a
   * password login's token scoped to that project, a credential command run for it. Absent: the one
   * credential serves every project (a key pair signs with each project's X-Project-Id).
   */
  forProject?(target: ProjectScope): Promise<Credential>;
}

/** The project a credential is asked for when a command reads several. */
export interface ProjectScope {
  region: string;
  projectId: string;
}

export interface CredentialSources {
  env: Record<string, string | undefined>;
  settings: Settings;
  /** The token read from standard input by --token-stdin. */
  stdinToken?: string;
  configDir: string;
  /** The credential cache as the run loaded it, and its read-modify-write (src/cli/context.ts). */
  readCache(): CacheFile;
  updateCache(mutate: (cache: CacheFile) => void): Promise<CacheFile>;
  homeDir: string;
  signal: AbortSignal;
  now(): number;
  /** Notices for a person (stderr). */
  warn?(line: string): void;
}

export function tokenCredential(
  token: string,
  source: string,
  what = source,
): Credential & { kind: 'token' } {
  registerSecret(token);
  const parsed = Token.safeParse(token);
  if (!parsed.success) throw new UsageError(`the token from ${what}: ${firstIssue(parsed.error)}`);
  return { kind: 'token', token, source };
}

function checkAccessKey(accessKey: string, where: string): void {
  if (!/^[^\s,;=]+$/.test(accessKey) || accessKey.length > 128) {
    throw new ConfigError(`the access key ${quote(accessKey)} from ${where} is not a valid access key ID`);
  }
}

export function akskCredential(
  accessKey: string,
  secretKey: string,
  securityToken: string | undefined,
  source: string,
  where: string,
): Credential & { kind: 'aksk' } {
  registerSecret(secretKey);
  registerSecret(securityToken);
  checkAccessKey(accessKey, where);
  const credential: Credential & { kind: 'aksk' } = { kind: 'aksk', accessKey, secretKey, source };
  if (securityToken) credential.securityToken = securityToken;
  return credential;
}

export function ready(kind: AuthKind, source: string, credential: () => Credential, profile?: string) {
  const plan: CredentialPlan = { kind, source, load: async () => credential() };
  if (profile !== undefined) plan.profile = profile;
  return plan;
}

/** The exact command that gives a profile a fresh login. */
export function loginCommand(profile: string): string {
  return `hss auth login -p ${profile}`;
}
