/**
 * `hss auth login --region a,b|all [--all-projects]`: one token per project, cached for the profile, so
 * that `task list --region …` can read each project with a token scoped to it.
 */
import { cachePath, type ProjectLogin } from '../../../auth/cache.js';
import { loginToProjects } from '../../../auth/fleet-login.js';
import type { Context } from '../../../cli/context.js';
import { isoSeconds } from '../../../core/duration.js';
import { bareRecord } from '../../../core/json.js';
import { plural } from '../../../core/text.js';
import type { CommandResult } from '../../../output/renderer.js';
import { iamEndpointIsOneOff, type Settings } from '../../../settings/resolve.js';
import { findProfile } from '../../../settings/store.js';
import type { Options } from '../../define.js';
import type { spec } from './command.js';
import { type AuthLoginDocument, cacheLogin, loginEntry, loginInput, rememberInProfile } from './index.js';

/** `auth login --json` to several projects: the login of the main project, and every project's. */
export interface AuthLoginSeveralDocument extends AuthLoginDocument {
  projects: Array<{ region: string; name: string; project_id: string; expires_at: string }>;
}

export async function loginSeveral(
  opts: Options<typeof spec>,
  settings: Settings,
  ctx: Context,
): Promise<CommandResult<AuthLoginSeveralDocument>> {
  const profileName = settings.profileName.value;
  const input = await loginInput(opts, settings, ctx);
  const http = ctx.http(
    `check the user name, account name and password; \`hss auth login -p ${profileName} --user NAME --domain ACCOUNT\``,
  );
  const regions = settings.regions?.value ?? [settings.region?.value ?? ''];
  const logins = await loginToProjects(http, input, regions, ctx.flags.allProjects === true);
  // The profile's own region's project is the login's main one (a command of one project uses it).
  const main =
    logins.find((l) => l.target.name === settings.profile.region) ?? (logins[0] as (typeof logins)[0]);
  const mainInput = { ...input, region: main.target.region };
  const entry = loginEntry(mainInput, main.login);
  const projects = bareRecord<ProjectLogin>();
  for (const { target, login } of logins) {
    projects[target.projectId] = {
      token: login.token,
      expires_at: login.expiresAtText,
      region: target.region,
      project_name: target.name,
    };
  }
  entry.projects = projects;
  await cacheLogin(ctx, profileName, input, entry);
  const stored = findProfile(settings.store, profileName);
  const remembered =
    stored && !iamEndpointIsOneOff(settings)
      ? await rememberInProfile(ctx, settings, mainInput, main.login)
      : [];
  const data: AuthLoginSeveralDocument = {
    ok: true,
    profile: profileName,
    user: input.user,
    domain: input.domain,
    region: main.target.region,
    project_id: main.target.projectId,
    iam_endpoint: input.iamEndpoint,
    expires_at: new Date(main.login.expiresAt).toISOString(),
    cache_file: cachePath(ctx.configDir),
    profile_updated: remembered,
    projects: logins.map(({ target, login }) => ({
      region: target.region,
      name: target.name,
      project_id: target.projectId,
      expires_at: new Date(login.expiresAt).toISOString(),
    })),
  };
  return {
    data,
    text: (s) =>
      [
        `${s.green('✔')} logged in as ${s.bold(input.user)} (account ${input.domain}) to ${plural(logins.length, 'project')}`,
        ...logins.map(
          ({ target, login }) =>
            `  ${target.name} (project ${target.projectId}): token expires ${isoSeconds(login.expiresAt)}`,
        ),
        `  cached for profile ${profileName} in ${cachePath(ctx.configDir)}`,
      ].join('\n'),
    exitCode: 0,
  };
}
