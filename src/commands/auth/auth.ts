/**
 * `hss auth login | status | logout`: IAM password login with a cached token, what credential is in
 * effect, and dropping the cache.
 */
import { cachePath, findCommandOutput, type LoginEntry } from '../../auth/cache.js';
import { type Credential, maskAccessKey, noCredentials, planCredential } from '../../auth/credentials.js';
import { passwordLogin } from '../../auth/iam.js';
import { iamEndpointFor } from '../../auth/project.js';
import { ask, canPrompt } from '../../auth/prompt.js';
import type { Context } from '../../cli/context.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { bareRecord } from '../../core/json.js';
import { quote } from '../../core/text.js';
import { registerSecret } from '../../output/redact.js';
import type { CommandResult } from '../../output/renderer.js';
import { describeSource } from '../../settings/describe.js';
import { iamEndpointIsOneOff, profileIamEndpoint } from '../../settings/resolve.js';
import { findProfile } from '../../settings/store.js';
import type { Options } from '../define.js';
import type { spec as loginSpec } from './login/command.js';

export type AuthLoginOptions = Options<typeof loginSpec>;

const PLAIN = /^[^\u0000-\u001f\u007f]{1,256}$/;

function plainText(value: string, what: string): string {
  if (!PLAIN.test(value)) {
    throw new UsageError(`${what} ${quote(value)}: must be 1–256 characters without control characters`);
  }
  return value;
}

/** "in 23h 59m", "2m ago". */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const abs = Math.abs(diff);
  const minutes = Math.floor(abs / 60_000);
  const text =
    minutes < 1
      ? 'less than a minute'
      : minutes < 60
        ? `${minutes}m`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)}h ${minutes % 60}m`
          : `${Math.floor(minutes / 1440)}d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function authLogin(opts: AuthLoginOptions, ctx: Context): Promise<CommandResult> {
  const { io } = ctx;
  const settings = ctx.settings();
  const profileName = settings.profileName.value;
  const interactive = canPrompt(io);
  if (!opts.passwordStdin && !interactive) {
    throw new UsageError('no password: standard input is not a terminal, so hss cannot prompt for it', {
      hint: 'pipe the password to --password-stdin, e.g. `printf %s "$HSS_PASSWORD" | hss auth login --password-stdin`',
    });
  }
  let user = opts.user === undefined ? settings.profile.user : plainText(opts.user, 'user name');
  let domain = opts.domain === undefined ? settings.profile.domain : plainText(opts.domain, 'account name');
  if ((user === undefined || domain === undefined) && !interactive) {
    throw new UsageError(
      `no IAM ${user === undefined ? 'user name' : 'account (domain) name'} to log in with`,
      {
        hint: `pass --user and --domain, or save them: \`hss profile set ${profileName} --user NAME --domain ACCOUNT\``,
      },
    );
  }
  const region = settings.region?.value;
  if (region === undefined) {
    throw new ConfigError('no region is set: a login is scoped to the project of a region', {
      hint: `pass --region (e.g. cn-north-4), set HSS_REGION, or \`hss profile set ${profileName} --region …\``,
    });
  }
  const iamEndpoint = settings.iamEndpoint.value;

  let password: string;
  if (opts.passwordStdin) {
    password = (await ctx.stdinText('--password-stdin')).replace(/\r?\n$/, '');
    registerSecret(password);
  } else {
    user ??= plainText((await ask(io, 'IAM user name: ')).trim(), 'user name');
    domain ??= plainText((await ask(io, 'Account (domain) name: ')).trim(), 'account name');
    password = await ask(io, `Password for ${user} (account ${domain}): `, { hidden: true });
    registerSecret(password);
  }
  if (password === '') throw new UsageError('the password is empty');
  if (user === undefined || domain === undefined) throw new UsageError('no IAM user or account name');

  const http = ctx.http(
    `check the user name, account name and password; \`hss auth login -p ${profileName} --user NAME --domain ACCOUNT\``,
  );
  const login = await passwordLogin(http, { iamEndpoint, user, domain, password, region });
  const loginUser = user;
  const loginDomain = domain;

  const entry: LoginEntry = {
    token: login.token,
    expires_at: login.expiresAtText,
    user: login.userName ?? loginUser,
    domain: login.domainName ?? loginDomain,
  };
  if (login.issuedAtText) entry.issued_at = login.issuedAtText;
  if (login.projectId) entry.project_id = login.projectId;
  if (login.projectName) entry.project_name = login.projectName;
  await ctx.updateCache((data) => {
    const byEndpoint = bareRecord(Object.hasOwn(data.logins, profileName) ? data.logins[profileName] : {});
    byEndpoint[iamEndpoint] = entry;
    data.logins[profileName] = byEndpoint;
  });

  // The profile remembers who logs in (so the hint `hss auth login -p NAME` works as is) and the
  // project the token is scoped to, when it has none. Not after a login with another IAM endpoint than
  // the profile's own (--iam-endpoint or the environment, for once): the next command without it would
  // not find this login, and a profile switched to password logins would then claim one it does not
  // have. Such a login changes nothing but the cache, and is used where the same IAM endpoint is.
  const remembered: string[] = [];
  const stored = findProfile(settings.store, profileName);
  const ownIam = stored ? profileIamEndpoint(stored) : undefined;
  const oneOff = stored !== undefined && iamEndpointIsOneOff(settings);
  if (stored && !oneOff) {
    await ctx.updateStore((store) => {
      const profile = findProfile(store, profileName);
      if (!profile) return;
      // A profile with no credential of its own now logs in with a password: once the token expires
      // or is logged out, it says `hss auth login -p NAME` instead of "no credentials".
      if (!profile.auth && !profile.token && !profile.access_key && !profile.credential_command) {
        profile.auth = 'password';
        remembered.push('auth');
      }
      if (profile.user !== loginUser) {
        profile.user = loginUser;
        remembered.push('user');
      }
      if (profile.domain !== loginDomain) {
        profile.domain = loginDomain;
        remembered.push('domain');
      }
      if (login.projectId && !profile.project_id && profile.region === region) {
        profile.project_id = login.projectId;
        profile.project_id_source = 'iam:login';
        remembered.push('project_id');
      }
    });
  }

  const now = io.now();
  const data = {
    ok: true,
    profile: profileName,
    user: loginUser,
    domain: loginDomain,
    region,
    project_id: login.projectId ?? null,
    iam_endpoint: iamEndpoint,
    expires_at: new Date(login.expiresAt).toISOString(),
    cache_file: cachePath(ctx.configDir),
    profile_updated: remembered,
  };
  return {
    data,
    text: (s) =>
      [
        `${s.green('✔')} logged in as ${s.bold(loginUser)} (account ${loginDomain}) to ${region}${
          login.projectId ? ` (project ${login.projectId})` : ''
        }`,
        `  token expires ${isoSeconds(login.expiresAt)} (${relativeTime(login.expiresAt, now)}); cached for profile ${profileName} in ${cachePath(ctx.configDir)}`,
        ...(oneOff
          ? [
              `  profile ${profileName} is unchanged: the login is used only with IAM endpoint ${iamEndpoint} (from ${describeSource(settings.iamEndpoint.source)}), not the profile's own ${ownIam}`,
            ]
          : []),
      ].join('\n'),
    exitCode: 0,
  };
}

function who(credential: Credential): Record<string, string> | null {
  if (credential.kind === 'aksk') return { access_key: maskAccessKey(credential.accessKey) };
  if (credential.user || credential.domain) {
    const out: Record<string, string> = {};
    if (credential.user) out['user'] = credential.user;
    if (credential.domain) out['domain'] = credential.domain;
    return out;
  }
  return null;
}

export async function authStatus(ctx: Context): Promise<CommandResult> {
  const settings = ctx.settings();
  const plan = await planCredential(await ctx.credentialSources());
  if (!plan) throw noCredentials();
  const credential = await plan.load();
  const now = ctx.io.now();
  const identity = who(credential);
  let project: { id: string | null; source: string };
  if (settings.projectId) project = { id: settings.projectId.value, source: settings.projectId.source };
  else if (
    credential.projectId &&
    (!credential.source.startsWith('login:') ||
      settings.region === undefined ||
      credential.projectName === undefined ||
      credential.projectName === settings.region.value)
  ) {
    project = { id: credential.projectId, source: credential.source };
  } else if (settings.region) {
    project = { id: null, source: `unset: looked up in IAM for ${settings.region.value} on the first call` };
  } else project = { id: null, source: 'unset' };

  const data = {
    ok: true,
    profile: settings.profileName.value,
    source: credential.source,
    auth: plan.kind,
    kind: credential.kind,
    temporary: credential.kind === 'aksk' ? credential.securityToken !== undefined : undefined,
    who: identity,
    region: settings.region?.value ?? null,
    project_id: project.id,
    project_id_source: project.source,
    iam_endpoint: iamEndpointFor(settings, credential),
    expires_at: credential.expiresAt === undefined ? null : new Date(credential.expiresAt).toISOString(),
  };
  const kindText =
    credential.kind === 'token'
      ? 'X-Auth-Token'
      : `AK/SK signature (SDK-HMAC-SHA256)${credential.securityToken ? ', temporary key' : ''}`;
  const whoText =
    credential.kind === 'aksk'
      ? `access key ${maskAccessKey(credential.accessKey)}`
      : identity
        ? `${identity['user'] ?? '?'}${identity['domain'] ? ` (account ${identity['domain']})` : ''}`
        : undefined;
  return {
    data,
    text: (s) => {
      const rows: string[][] = [
        ['profile', settings.profileName.value],
        ['source', describeSource(credential.source)],
        ['auth', kindText],
      ];
      if (whoText) rows.push(['who', whoText]);
      rows.push([
        'project',
        project.id
          ? `${project.id}${settings.region ? ` (${settings.region.value})` : ''}, from ${describeSource(project.source)}`
          : s.dim(project.source),
      ]);
      rows.push([
        'expires',
        credential.expiresAt === undefined
          ? s.dim(
              credential.kind === 'token' ? 'unknown (the token does not say)' : 'never (a permanent key)',
            )
          : `${isoSeconds(credential.expiresAt)} (${relativeTime(credential.expiresAt, now)})`,
      ]);
      const width = Math.max(...rows.map(([k]) => (k ?? '').length));
      return rows.map(([k = '', v = '']) => `${s.bold(k.padEnd(width))}  ${v}`).join('\n');
    },
    exitCode: 0,
  };
}

export async function authLogout(ctx: Context): Promise<CommandResult> {
  const settings = ctx.settings();
  const name = settings.profileName.value;
  const existing = ctx.readCache();
  const hadLogin = Object.hasOwn(existing.logins, name);
  const hadCommand = findCommandOutput(existing, name) !== undefined;
  if (hadLogin || hadCommand) {
    await ctx.updateCache((data) => {
      delete data.logins[name];
      delete data.commands[name];
    });
  }
  const removed = [
    hadLogin ? 'login' : undefined,
    hadCommand ? 'credential command output' : undefined,
  ].filter((x) => x !== undefined);
  return {
    data: { ok: true, profile: name, removed_login: hadLogin, removed_command_output: hadCommand },
    text: (s) =>
      removed.length
        ? `${s.green('✔')} logged out: removed the cached ${removed.join(' and ')} of profile ${name}`
        : `nothing to remove: profile ${name} has no cached login`,
    exitCode: 0,
  };
}
