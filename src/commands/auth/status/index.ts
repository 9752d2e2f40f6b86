/**
 * `hss auth status`: which credential is in effect, where it came from, who it is and when it expires
 * (never the secret); unless --offline, checked with one cheap call, as `gh auth status` does.
 */
import type { ChalkInstance } from 'chalk';
import type { CredentialCheck } from '../../../auth/credential-check.js';
import {
  authHintFor,
  type Credential,
  maskAccessKey,
  noCredentials,
  planCredential,
} from '../../../auth/credentials.js';
import { iamEndpointFor } from '../../../auth/project.js';
import type { Context } from '../../../cli/context.js';
import { isoSeconds, parseInteger, relativeTime } from '../../../core/duration.js';
import { ConfigError, UsageError } from '../../../core/errors.js';
import { quote } from '../../../core/text.js';
import { describeSource } from '../../../settings/describe.js';
import { oneProjectOnly } from '../../../settings/regions.js';
import type { Settings } from '../../../settings/resolve.js';
import type { Resolved } from '../../../settings/source.js';
import type { Handler, Options } from '../../define.js';
import type { AuthStatusDocument } from '../../documents.js';
import type { spec } from './command.js';
import type { ProjectChecks } from './fleet.js';

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

/** The project calls would use, and where it comes from; a login's own counts for its region only. */
function projectInUse(settings: Settings, credential: Credential): { id: string | null; source: string } {
  if (settings.projectId) return { id: settings.projectId.value, source: settings.projectId.source };
  if (
    credential.projectId &&
    (!credential.source.startsWith('login:') ||
      settings.region === undefined ||
      credential.projectName === undefined ||
      credential.projectName === settings.region.value)
  ) {
    return { id: credential.projectId, source: credential.source };
  }
  if (settings.region) {
    return { id: null, source: `unset: looked up in IAM for ${settings.region.value} on the first call` };
  }
  return { id: null, source: 'unset' };
}

/**
 * The check: ShowTaskStatistics in the project calls would use (looked up in IAM, as any command
 * does, when only a region is set), with the credential already loaded, so a credential command
 * runs once. Returns the check and the project it was made in.
 */
async function check(
  ctx: Context,
  settings: Settings,
  credential: Credential,
): Promise<{ check: CredentialCheck; project: Resolved<string> }> {
  if (settings.regions) {
    const { value, source } = settings.regions;
    const named = value === 'all' ? 'all' : value.join(',');
    throw oneProjectOnly(`region ${quote(named)} (from ${describeSource(source)}) names several regions`);
  }
  if (ctx.flags.allProjects) throw oneProjectOnly('--all-projects reads every project of a region');
  if (!settings.endpoint) {
    throw new ConfigError('no region or endpoint is set: the check of the credential needs one', {
      hint: 'pass --region (e.g. cn-north-4) or set HSS_REGION; or --offline to skip the check',
    });
  }
  const http = ctx.http(authHintFor(credential));
  const [{ resolveProjectId }, { verifyCredential }] = await Promise.all([
    import('../../../auth/project.js'),
    import('../../../auth/verify.js'),
  ]);
  const project = await resolveProjectId({
    settings,
    credential,
    http,
    updateStore: (mutate) => ctx.updateStore(mutate),
    debug: (line) => ctx.renderer.debug(line),
    warn: (line) => ctx.renderer.warn(line),
  });
  const enterpriseProject = settings.enterpriseProject?.value;
  const target = { endpoint: settings.endpoint.value, projectId: project.value };
  const done = await verifyCredential(
    http,
    credential,
    enterpriseProject === undefined ? target : { ...target, enterpriseProject },
    settings.region?.value,
  );
  return { check: done, project };
}

function checkText(done: CredentialCheck | null, s: ChalkInstance): string {
  if (!done) return s.dim('not checked (--offline)');
  const where = `project ${done.project_id}${done.region ? ` (${done.region})` : ''}`;
  return `${s.green('✔')} accepted by ${done.operation} in ${where} at ${done.endpoint}`;
}

/** The project of the document when several are asked for: none, and which ones instead. */
function severalSource(ctx: Context): { id: null; source: string } {
  const settings = ctx.settings();
  const regions = settings.regions?.value;
  const named =
    regions === undefined ? (settings.region?.value ?? '?') : regions === 'all' ? 'all' : regions.join(',');
  const sub = ctx.flags.allProjects ? ', sub-projects too' : '';
  return { id: null, source: `several: every project of region ${named}${sub}, as IAM lists them` };
}

/**
 * With several regions or --all-projects: the credential checked in each project (unless --offline).
 * --concurrency means nothing for one project, and says so.
 */
async function severalProjects(
  opts: Options<typeof spec>,
  ctx: Context,
): Promise<{ several: boolean; projects?: ProjectChecks }> {
  const several = ctx.settings().regions !== undefined || ctx.flags.allProjects === true;
  const concurrency =
    opts.concurrency === undefined ? undefined : parseInteger(opts.concurrency, '--concurrency', 1, 32);
  if (concurrency !== undefined && !several) {
    throw new UsageError(
      '--concurrency is for several projects: add --region a,b, --region all or --all-projects',
    );
  }
  if (!several || opts.offline) return { several };
  return { several, projects: await (await import('./fleet.js')).checkEveryProject(ctx, concurrency) };
}

/** How the credential authenticates, and who it is, as the text view says them. */
function describeCredential(
  credential: Credential,
  identity: Record<string, string> | null,
): { kindText: string; whoText: string | undefined } {
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
  return { kindText, whoText };
}

const authStatus: Handler<typeof spec> = async ({ opts }, ctx) => {
  const settings = ctx.settings();
  const plan = await planCredential(await ctx.credentialSources());
  if (!plan) throw noCredentials();
  const credential = await plan.load();
  const { several, projects } = await severalProjects(opts, ctx);
  const verified = opts.offline || several ? undefined : await check(ctx, settings, credential);
  const now = ctx.io.now();
  const identity = who(credential);
  const local = several ? severalSource(ctx) : projectInUse(settings, credential);
  const project = verified ? { id: verified.project.value, source: verified.project.source } : local;
  const data: AuthStatusDocument = {
    ok: projects === undefined || projects.errors.length === 0,
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
    check: verified?.check ?? null,
  };
  if (several) data.region = null;
  if (projects) {
    data.checks = projects.checks;
    if (projects.errors.length) data.errors = projects.errors;
  }
  const { kindText, whoText } = describeCredential(credential, identity);
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
      const width = Math.max(...rows.map(([k]) => (k ?? '').length), 'checked'.length);
      const checked = projects ? projects.lines(s) : [checkText(data.check, s)];
      rows.push(['checked', checked.join(`\n${' '.repeat(width + 2)}`)]);
      return rows.map(([k = '', v = '']) => `${s.bold(k.padEnd(width))}  ${v}`).join('\n');
    },
    exitCode: projects?.closing?.exitCode ?? 0,
    ...(projects?.closing ? { closing: projects.closing } : {}),
  };
};
export default authStatus;
