/**
 * `hss auth login`: an IAM password login whose token is cached for the profile (never the password).
 */
import { cachePath } from '../../../auth/cache.js';
import { type LoginInput, type LoginResult, passwordLogin } from '../../../auth/iam.js';
import { cacheLogin, loginEntry } from '../../../auth/login-cache.js';
import { ask, canPrompt } from '../../../auth/prompt.js';
import type { Context } from '../../../cli/context.js';
import { isoSeconds, relativeTime } from '../../../core/duration.js';
import { ConfigError, UsageError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { plainText } from '../../../core/rules.js';
import { describeSource } from '../../../settings/describe.js';
import { iamEndpointIsOneOff, profileIamEndpoint, type Settings } from '../../../settings/resolve.js';
import { findProfile } from '../../../settings/store.js';
import type { Handler, Options } from '../../define.js';
import type { spec } from './command.js';

export { cacheLogin, loginEntry };

/** What `auth login --json` prints. */
export interface AuthLoginDocument {
  ok: true;
  profile: string;
  user: string;
  domain: string;
  region: string;
  project_id: string | null;
  iam_endpoint: string;
  expires_at: string;
  cache_file: string;
  /** The profile fields the login filled in (auth, user, domain, project_id). */
  profile_updated: string[];
}

/** Who logs in where, and the password: from the flags, the profile, standard input or prompts. */
export async function loginInput(
  opts: Options<typeof spec>,
  settings: Settings,
  ctx: Context,
): Promise<LoginInput> {
  const { io } = ctx;
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
  // Logging in to several projects, each token is scoped by project ID (src/auth/fleet-login.ts).
  const region = settings.region?.value ?? (settings.regions ? '' : undefined);
  if (region === undefined) {
    throw new ConfigError('no region is set: a login is scoped to the project of a region', {
      hint: `pass --region (e.g. cn-north-4), set HSS_REGION, or \`hss profile set ${profileName} --region …\``,
    });
  }
  let password: string;
  if (opts.passwordStdin) {
    password = (await ctx.stdinText('--password-stdin')).replace(/\r?\n$/, '');
  } else {
    user ??= plainText((await ask(io, 'IAM user name: ')).trim(), 'user name');
    domain ??= plainText((await ask(io, 'Account (domain) name: ')).trim(), 'account name');
    password = await ask(io, `Password for ${user} (account ${domain}): `, { hidden: true });
  }
  registerSecret(password);
  if (password === '') throw new UsageError('the password is empty');
  if (user === undefined || domain === undefined) throw new UsageError('no IAM user or account name');
  return { user, domain, password, region, iamEndpoint: settings.iamEndpoint.value };
}

/**
 * The profile remembers who logs in (so the hint `hss auth login -p NAME` works as is) and the project
 * the token is scoped to, when it has none. Not after a login with another IAM endpoint than the
 * profile's own (--iam-endpoint or the environment, for once): the next command without it would not
 * find this login, and a profile switched to password logins would then claim one it does not have.
 * Such a login changes nothing but the cache, and is used where the same IAM endpoint is.
 * Returns the fields it filled in.
 */
export async function rememberInProfile(
  ctx: Context,
  settings: Settings,
  input: LoginInput,
  login: LoginResult,
): Promise<string[]> {
  const remembered: string[] = [];
  const profileName = settings.profileName.value;
  await ctx.updateStore((store) => {
    const profile = findProfile(store, profileName);
    if (!profile) return;
    // A profile with no credential of its own now logs in with a password: once the token expires
    // or is logged out, it says `hss auth login -p NAME` instead of "no credentials".
    if (!profile.auth && !profile.token && !profile.access_key && !profile.credential_command) {
      profile.auth = 'password';
      remembered.push('auth');
    }
    if (profile.user !== input.user) {
      profile.user = input.user;
      remembered.push('user');
    }
    if (profile.domain !== input.domain) {
      profile.domain = input.domain;
      remembered.push('domain');
    }
    if (login.projectId && !profile.project_id && profile.region === input.region) {
      profile.project_id = login.projectId;
      profile.project_id_source = 'iam:login';
      remembered.push('project_id');
    }
  });
  return remembered;
}

const authLogin: Handler<typeof spec> = async ({ opts }, ctx) => {
  const settings = ctx.settings();
  if (settings.regions || ctx.flags.allProjects) {
    const { loginSeveral } = await import('./several.js');
    return loginSeveral(opts, settings, ctx);
  }
  const profileName = settings.profileName.value;
  const input = await loginInput(opts, settings, ctx);
  const http = ctx.http(
    `check the user name, account name and password; \`hss auth login -p ${profileName} --user NAME --domain ACCOUNT\``,
  );
  const login = await passwordLogin(http, input);
  await cacheLogin(ctx, profileName, input, loginEntry(input, login));
  const stored = findProfile(settings.store, profileName);
  const oneOff = stored !== undefined && iamEndpointIsOneOff(settings);
  const remembered = stored && !oneOff ? await rememberInProfile(ctx, settings, input, login) : [];

  const now = ctx.io.now();
  const data: AuthLoginDocument = {
    ok: true,
    profile: profileName,
    user: input.user,
    domain: input.domain,
    region: input.region,
    project_id: login.projectId ?? null,
    iam_endpoint: input.iamEndpoint,
    expires_at: new Date(login.expiresAt).toISOString(),
    cache_file: cachePath(ctx.configDir),
    profile_updated: remembered,
  };
  const unchanged = oneOff
    ? [
        `  profile ${profileName} is unchanged: the login is used only with IAM endpoint ${input.iamEndpoint} (from ${describeSource(settings.iamEndpoint.source)}), not the profile's own ${stored ? profileIamEndpoint(stored) : ''}`,
      ]
    : [];
  return {
    data,
    text: (s) =>
      [
        `${s.green('✔')} logged in as ${s.bold(input.user)} (account ${input.domain}) to ${input.region}${
          login.projectId ? ` (project ${login.projectId})` : ''
        }`,
        `  token expires ${isoSeconds(login.expiresAt)} (${relativeTime(login.expiresAt, now)}); cached for profile ${profileName} in ${cachePath(ctx.configDir)}`,
        ...unchanged,
      ].join('\n'),
    exitCode: 0,
  };
};
export default authLogin;
