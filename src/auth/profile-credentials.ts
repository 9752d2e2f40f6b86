/**
 * A profile's own credentials: a cached `hss auth login`, else its `auth` kind (token, key pair,
 * password login, credential command). Credential commands run at most once per run and profile, and
 * their output is cached while it says it is valid.
 */
import { parseDuration } from '../core/duration.js';
import { AuthError, ConfigError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { quote } from '../core/text.js';
import type { AuthKind } from '../core/vocabulary.js';
import type { Profile } from '../settings/store-schema.js';
import {
  type CommandEntry,
  findCommandOutput,
  findLogin,
  isExpired,
  type LoginEntry,
  parseExpiry,
} from './cache.js';
import {
  akskCredential,
  type Credential,
  type CredentialPlan,
  type CredentialSources,
  loginCommand,
  type ProjectScope,
  ready,
  tokenCredential,
} from './credential.js';
import type { CommandOutput } from './credential-command.js';

const COMMAND_MEMO = new Map<string, Promise<CommandOutput>>();

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

/** A login's token for one project of several: the login's own, or one `auth login --region …` cached. */
function projectLoginCredential(entry: LoginEntry, profile: string, target: ProjectScope, now: number) {
  if (entry.project_id === target.projectId) return loginCredential(entry, profile, now);
  const scoped =
    entry.projects && Object.hasOwn(entry.projects, target.projectId)
      ? entry.projects[target.projectId]
      : undefined;
  if (!scoped) {
    throw new AuthError(
      `the login of profile ${quote(profile)} has no token for project ${target.projectId} (${target.region})`,
      { hint: `log in to every project: \`${loginCommand(profile)} --region all --all-projects\`` },
    );
  }
  const { projects: _all, ...main } = entry;
  return loginCredential(
    {
      ...main,
      token: scoped.token,
      expires_at: scoped.expires_at,
      project_id: target.projectId,
      project_name: scoped.project_name ?? target.region,
    },
    profile,
    now,
  );
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
async function commandCredential(
  command: string,
  profile: string,
  sources: CredentialSources,
  target?: ProjectScope,
) {
  const source = `command:${profile}`;
  const { commandDigest, runCredentialCommand } = await import('./credential-command.js');
  const digest = commandDigest(command);
  const key = `${sources.configDir}\0${profile}\0${digest}\0${target?.projectId ?? ''}`;
  // Run for one project of several, the command learns which from its environment; its output then
  // belongs to that project, and the cache (one entry a profile) keeps only the output of plain runs.
  const env = target
    ? { ...sources.env, HSS_REGION: target.region, HSS_PROJECT_ID: target.projectId }
    : sources.env;
  let pending = COMMAND_MEMO.get(key);
  if (!pending) {
    pending = (async () => {
      const entry = target ? undefined : findCommandOutput(sources.readCache(), profile);
      if (entry && entry.command_sha256 === digest) {
        const cached = outputFromEntry(entry);
        if (cached?.expiresAt !== undefined && !isExpired(cached.expiresAt, sources.now())) return cached;
      }
      const timeout = sources.env['HSS_CREDENTIAL_COMMAND_TIMEOUT'];
      const output = await runCredentialCommand(command, {
        origin: `profile ${quote(profile)}`,
        hint: `check it with \`hss profile show ${profile}\`; change it with \`hss profile set ${profile} --credential-command …\``,
        env,
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
        if (!target)
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
export function fromProfile(sources: CredentialSources): CredentialPlan | undefined {
  const { settings } = sources;
  const profile: Profile = settings.profile;
  const name = settings.profileName.value;
  const where = `profile ${quote(name)}`;
  registerSecret(profile.token);
  registerSecret(profile.secret_key);
  registerSecret(profile.security_token);

  const login = findLogin(sources.readCache(), name, settings.iamEndpoint.value);
  if (login) {
    const plan = ready('password', `login:${name}`, () => loginCredential(login, name, sources.now()), name);
    plan.forProject = async (target) => projectLoginCredential(login, name, target, sources.now());
    return plan;
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
        forProject: (target) => commandCredential(command, name, sources, target),
      };
      return plan;
    }
  }
}
