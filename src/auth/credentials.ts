/**
 * Which credential a call uses, and how it is put on a request.
 *
 * Order: --token-stdin; HSS_TOKEN; HUAWEICLOUD_SDK_AK + HUAWEICLOUD_SDK_SK (+ _SECURITY_TOKEN); the
 * profile's own (a cached `hss auth login`, else its `auth` kind: token | aksk | password | command);
 * the official SDKs' credentials file. A profile named explicitly (--profile / HSS_PROFILE) that has
 * credentials of its own goes first: naming it is the more specific wish.
 *
 * Finding a credential (`planCredential`) only reads settings, the environment and files; running a
 * credential command or checking a login's expiry happens in `load()`, so `hss config show` can say
 * which source is in effect without running anything.
 */

import type { ApiRequest, Authorize } from '../api/http.js';
import { parseDuration } from '../core/duration.js';
import { AuthError, ConfigError, UsageError } from '../core/errors.js';
import { firstIssue, Token } from '../core/rules.js';
import { quote } from '../core/text.js';
import type { AuthKind } from '../core/vocabulary.js';
import { registerSecret } from '../output/redact.js';
import type { Settings } from '../settings/resolve.js';
import type { Profile } from '../settings/store-schema.js';
import { exposedMode } from '../settings/trust.js';
import {
  type CacheFile,
  type CommandEntry,
  findCommandOutput,
  findLogin,
  isExpired,
  type LoginEntry,
  parseExpiry,
} from './cache.js';
// The machinery of each credential kind (signing, credential commands, the SDK credentials file) is
// loaded only when that kind is in use: a run with a token needs none of it.
import type { CommandOutput } from './credential-command.js';
import type { readCredentialsFile } from './credentials-file.js';

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

const COMMAND_MEMO = new Map<string, Promise<CommandOutput>>();

function tokenCredential(token: string, source: string, what = source): Credential & { kind: 'token' } {
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

function akskCredential(
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

function ready(kind: AuthKind, source: string, credential: () => Credential, profile?: string) {
  const plan: CredentialPlan = { kind, source, load: async () => credential() };
  if (profile !== undefined) plan.profile = profile;
  return plan;
}

/** The exact command that gives a profile a fresh login. */
export function loginCommand(profile: string): string {
  return `hss auth login -p ${profile}`;
}

function loginCredential(entry: LoginEntry, profile: string, now: number): Credential {
  registerSecret(entry.token);
  const expiresAt = parseExpiry(entry.expires_at);
  if (expiresAt === undefined || isExpired(expiresAt, now)) {
    throw new AuthError(
      `the login of profile ${quote(profile)} has expired${expiresAt === undefined ? '' : ` (at ${new Date(expiresAt).toISOString()})`}`,
      { hint: loginCommand(profile) },
    );
  }
  const credential: Credential = {
    kind: 'token',
    token: entry.token,
    source: `login:${profile}`,
    expiresAt,
  };
  if (entry.project_id) credential.projectId = entry.project_id;
  if (entry.project_name) credential.projectName = entry.project_name;
  if (entry.user) credential.user = entry.user;
  if (entry.domain) credential.domain = entry.domain;
  return credential;
}

function fromCommandOutput(output: CommandOutput, source: string): Credential {
  const credential: Credential =
    output.kind === 'token'
      ? { kind: 'token', token: output.token, source }
      : output.securityToken
        ? {
            kind: 'aksk',
            accessKey: output.accessKey,
            secretKey: output.secretKey,
            securityToken: output.securityToken,
            source,
          }
        : { kind: 'aksk', accessKey: output.accessKey, secretKey: output.secretKey, source };
  if (output.expiresAt !== undefined) credential.expiresAt = output.expiresAt;
  return credential;
}

function outputFromEntry(entry: CommandEntry): CommandOutput | undefined {
  const expiresAt = parseExpiry(entry.expires_at);
  if (expiresAt === undefined) return undefined;
  if (entry.token) return { kind: 'token', token: entry.token, expiresAt };
  if (entry.access_key && entry.secret_key) {
    const out: CommandOutput = {
      kind: 'aksk',
      accessKey: entry.access_key,
      secretKey: entry.secret_key,
      expiresAt,
    };
    if (entry.security_token) out.securityToken = entry.security_token;
    return out;
  }
  return undefined;
}

/**
 * A credential command's output: from this process's memory, else from the cache while it has not
 * expired, else by running the command (and caching output that says when it expires).
 */
async function commandCredential(command: string, profile: string, sources: CredentialSources) {
  const source = `command:${profile}`;
  const { commandDigest, runCredentialCommand } = await import('./credential-command.js');
  const digest = commandDigest(command);
  const key = `${sources.configDir}\0${profile}\0${digest}`;
  let pending = COMMAND_MEMO.get(key);
  if (!pending) {
    pending = (async () => {
      const entry = findCommandOutput(sources.readCache(), profile);
      if (entry && entry.command_sha256 === digest) {
        const cached = outputFromEntry(entry);
        if (cached?.expiresAt !== undefined && !isExpired(cached.expiresAt, sources.now())) return cached;
      }
      const timeout = sources.env['HSS_CREDENTIAL_COMMAND_TIMEOUT'];
      const output = await runCredentialCommand(command, {
        origin: `profile ${quote(profile)}`,
        hint: `check it with \`hss profile show ${profile}\`; change it with \`hss profile set ${profile} --credential-command …\``,
        env: sources.env,
        signal: sources.signal,
        ...(timeout ? { timeoutMs: parseDuration(timeout, 'HSS_CREDENTIAL_COMMAND_TIMEOUT') } : {}),
      });
      if (output.expiresAt !== undefined) {
        if (output.expiresAt <= sources.now()) {
          throw new AuthError(
            `the credential command of profile ${quote(profile)} gave a credential that expired at ${new Date(output.expiresAt).toISOString()}`,
            { hint: 'check the command: it must print a current credential' },
          );
        }
        const expiresAt = output.expiresAt;
        await sources.updateCache((data) => {
          const fresh: CommandEntry = {
            command_sha256: digest,
            expires_at: new Date(expiresAt).toISOString(),
          };
          if (output.kind === 'token') fresh.token = output.token;
          else {
            fresh.access_key = output.accessKey;
            fresh.secret_key = output.secretKey;
            if (output.securityToken) fresh.security_token = output.securityToken;
          }
          data.commands[profile] = fresh;
        });
      }
      return output;
    })();
    COMMAND_MEMO.set(key, pending);
    pending.catch(() => COMMAND_MEMO.delete(key));
  }
  return fromCommandOutput(await pending, source);
}

/** The profile's own credentials, or undefined when it has none. */
function fromProfile(sources: CredentialSources): CredentialPlan | undefined {
  const { settings } = sources;
  const profile: Profile = settings.profile;
  const name = settings.profileName.value;
  const where = `profile ${quote(name)}`;
  registerSecret(profile.token);
  registerSecret(profile.secret_key);
  registerSecret(profile.security_token);

  const login = findLogin(sources.readCache(), name, settings.iamEndpoint.value);
  if (login) {
    return ready('password', `login:${name}`, () => loginCredential(login, name, sources.now()), name);
  }
  const auth: AuthKind | undefined =
    profile.auth ??
    (profile.token
      ? 'token'
      : profile.access_key || profile.secret_key
        ? 'aksk'
        : profile.credential_command
          ? 'command'
          : undefined);
  const source = `profile:${name}`;
  switch (auth) {
    case undefined:
      return undefined;
    case 'token': {
      const { token } = profile;
      if (!token) {
        throw new ConfigError(`${where} uses token authentication but holds no token`, {
          hint: `store one: \`printf %s "$TOKEN" | hss profile set ${name} --token-stdin\``,
        });
      }
      return ready('token', source, () => tokenCredential(token, source), name);
    }
    case 'aksk': {
      const { access_key: ak, secret_key: sk } = profile;
      if (!ak || !sk) {
        throw new ConfigError(
          `${where} uses AK/SK authentication but holds no ${ak ? 'secret key' : 'access key'}`,
          {
            hint: `store the pair: \`printf %s "$SK" | hss profile set ${name} --ak AK --sk-stdin\``,
          },
        );
      }
      return ready('aksk', source, () => akskCredential(ak, sk, profile.security_token, source, where), name);
    }
    case 'password':
      return ready(
        'password',
        `login:${name}`,
        () => {
          throw new AuthError(`profile ${quote(name)} logs in with a password and is not logged in`, {
            hint: loginCommand(name),
          });
        },
        name,
      );
    case 'command': {
      const command = profile.credential_command;
      if (!command) {
        throw new ConfigError(`${where} uses a credential command but has none`, {
          hint: `set one: \`hss profile set ${name} --credential-command "…"\``,
        });
      }
      const plan: CredentialPlan = {
        kind: 'command',
        source: `command:${name}`,
        profile: name,
        load: () => commandCredential(command, name, sources),
      };
      return plan;
    }
  }
}

function fromEnvAkSk(env: Record<string, string | undefined>): CredentialPlan | undefined {
  const ak = env['HUAWEICLOUD_SDK_AK'];
  const sk = env['HUAWEICLOUD_SDK_SK'];
  const securityToken = env['HUAWEICLOUD_SDK_SECURITY_TOKEN'] || undefined;
  registerSecret(sk);
  registerSecret(securityToken);
  if (!ak && !sk) return undefined;
  if (!ak || !sk) {
    throw new ConfigError(
      `${ak ? 'HUAWEICLOUD_SDK_AK' : 'HUAWEICLOUD_SDK_SK'} is set but ${ak ? 'HUAWEICLOUD_SDK_SK' : 'HUAWEICLOUD_SDK_AK'} is not`,
      { hint: 'set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or neither' },
    );
  }
  const source = 'env:HUAWEICLOUD_SDK_AK';
  return ready('aksk', source, () =>
    akskCredential(ak, sk, securityToken, source, 'environment HUAWEICLOUD_SDK_AK'),
  );
}

async function fromSdkFile(sources: CredentialSources): Promise<CredentialPlan | undefined> {
  let file: Awaited<ReturnType<typeof readCredentialsFile>>;
  try {
    const { readCredentialsFile } = await import('./credentials-file.js');
    file = await readCredentialsFile(sources.env, sources.homeDir);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError((error as Error).message, {
      hint: 'fix the file, or point HUAWEICLOUD_SDK_CREDENTIALS_FILE elsewhere',
    });
  }
  if (!file) return undefined;
  registerSecret(file.secretKey);
  registerSecret(file.securityToken);
  if (!file.accessKey && !file.secretKey) return undefined;
  const mode = exposedMode(file.path);
  if (mode !== undefined) {
    sources.warn?.(
      `the credentials file ${file.path} can be read by other users (mode ${mode.toString(8)}); run \`chmod 600 ${file.path}\``,
    );
  }
  const { accessKey, secretKey, path } = file;
  if (!accessKey || !secretKey) {
    throw new ConfigError(
      `the credentials file ${path} has ${accessKey ? 'ak but no sk' : 'sk but no ak'} in [basic]`,
      {
        hint: 'give both ak and sk in its [basic] section',
      },
    );
  }
  const source = `file:${path}`;
  return ready('aksk', source, () => {
    const credential = akskCredential(
      accessKey,
      secretKey,
      file.securityToken,
      source,
      `the credentials file ${path}`,
    );
    if (file.projectId) credential.projectId = file.projectId;
    if (file.iamEndpoint) credential.iamEndpoint = file.iamEndpoint;
    return credential;
  });
}

/** Finds the credential source in effect, without running commands or checking expiry. */
export async function planCredential(sources: CredentialSources): Promise<CredentialPlan | undefined> {
  const { env, settings } = sources;
  if (settings.profileExplicit) {
    const own = fromProfile(sources);
    if (own) {
      const shadowed = [
        sources.stdinToken !== undefined ? '--token-stdin' : undefined,
        env['HSS_TOKEN'] ? 'HSS_TOKEN' : undefined,
        env['HUAWEICLOUD_SDK_AK'] ? 'HUAWEICLOUD_SDK_AK/SK' : undefined,
      ].filter((x) => x !== undefined);
      if (shadowed.length) {
        sources.warn?.(
          `${shadowed.join(', ')} ignored: profile ${quote(settings.profileName.value)} was named explicitly and its own credentials win`,
        );
      }
      return own;
    }
  }
  if (sources.stdinToken !== undefined) {
    const token = sources.stdinToken;
    return ready('token', 'stdin', () => tokenCredential(token, 'stdin', 'standard input (--token-stdin)'));
  }
  const envToken = env['HSS_TOKEN'];
  if (envToken) return ready('token', 'env:HSS_TOKEN', () => tokenCredential(envToken, 'env:HSS_TOKEN'));
  const envKeys = fromEnvAkSk(env);
  if (envKeys) return envKeys;
  if (!settings.profileExplicit) {
    const own = fromProfile(sources);
    if (own) return own;
  }
  return fromSdkFile(sources);
}

export async function requireCredential(sources: CredentialSources): Promise<Credential> {
  const plan = await planCredential(sources);
  if (plan) return plan.load();
  throw noCredentials();
}

export function noCredentials(): ConfigError {
  return new ConfigError('no credentials found', {
    hint: 'set HSS_TOKEN or HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK, pipe a token to --token-stdin, log in with `hss auth login`, or store credentials with `hss profile set NAME …` (see docs/authentication.md)',
  });
}

/**
 * Puts the credential on a request: X-Auth-Token, or an SDK-HMAC-SHA256 signature over the request
 * as sent (fresh X-Sdk-Date on every call, so every attempt is signed anew). HSS calls also carry
 * X-Project-Id when signed, as the official SDKs send it.
 */
export function authorizerFor(credential: Credential, projectId?: string): Authorize {
  if (credential.kind === 'token') {
    return (request: ApiRequest) => ({ ...request.headers, 'X-Auth-Token': credential.token });
  }
  const keys = {
    accessKey: credential.accessKey,
    secretKey: credential.secretKey,
    ...(credential.securityToken ? { securityToken: credential.securityToken } : {}),
  };
  return async (request: ApiRequest) => {
    const { signRequest } = await import('./signer.js');
    const headers =
      projectId === undefined ? request.headers : { ...request.headers, 'X-Project-Id': projectId };
    const signable = { method: request.method, url: request.url, headers };
    return signRequest(request.body === undefined ? signable : { ...signable, body: request.body }, keys);
  };
}

/** For 401/403 answers: how to get a working credential again. */
export function authHintFor(credential: Credential): string {
  const { source } = credential;
  if (source === 'env:HSS_TOKEN') return 'HSS_TOKEN was refused: it may have expired; set a fresh token';
  if (source === 'stdin')
    return 'the token from --token-stdin was refused: it may have expired; get a fresh one';
  if (source === 'env:HUAWEICLOUD_SDK_AK') {
    return credential.kind === 'aksk' && credential.securityToken
      ? 'the temporary key in HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN was refused: it may have expired; get a fresh one'
      : 'the key pair in HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK was refused: check both (5 failures in a row lock the key for 5 minutes)';
  }
  if (source.startsWith('login:')) {
    // A login cached from an earlier session of the endpoint (a restarted sandbox) keeps winning over
    // the profile's own credentials until it is dropped.
    const name = source.slice('login:'.length);
    return `the cached login of profile ${quote(name)} was refused: drop it with \`hss auth logout -p ${name}\`, then log in again with \`${loginCommand(name)}\``;
  }
  if (source.startsWith('command:')) {
    const name = source.slice('command:'.length);
    return `the credential from the command of profile ${quote(name)} was refused; check what it prints, then \`hss auth logout -p ${name}\` to drop any cached output`;
  }
  if (source.startsWith('file:')) {
    return `the key pair in ${source.slice('file:'.length)} was refused: check ak and sk in its [basic] section`;
  }
  if (source.startsWith('profile:')) {
    const name = source.slice('profile:'.length);
    return credential.kind === 'aksk'
      ? `the key pair stored in profile ${quote(name)} was refused: store a fresh one with \`hss profile set ${name} --ak AK --sk-stdin\``
      : `the token stored in profile ${name} was refused: store a fresh one with \`hss profile set ${name} --token-stdin\``;
  }
  return 'the credential was refused: it may have expired; get a fresh one';
}

/** `SAND…0000`: enough of an access key ID to recognise it. */
export function maskAccessKey(accessKey: string): string {
  if (accessKey.length <= 8) return `${accessKey.slice(0, 2)}…`;
  return `${accessKey.slice(0, 4)}…${accessKey.slice(-4)}`;
}
