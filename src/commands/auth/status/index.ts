/**
 * `hss auth status`: which credential is in effect, where it came from, who it is and when it expires
 * (never the secret); unless --offline, checked with one cheap call, as `gh auth status` does.
 */
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
import { isoSeconds, relativeTime } from '../../../core/duration.js';
import { ConfigError } from '../../../core/errors.js';
import { quote } from '../../../core/text.js';
import { describeSource } from '../../../settings/describe.js';
import { oneProjectOnly } from '../../../settings/regions.js';
import type { Settings } from '../../../settings/resolve.js';
import type { Resolved } from '../../../settings/source.js';
import type { Handler } from '../../define.js';
import type { AuthStatusDocument } from '../../documents.js';
import type { spec } from './command.js';

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

function checkText(done: CredentialCheck | null): string | undefined {
  if (!done) return undefined;
  const where = `project ${done.project_id}${done.region ? ` (${done.region})` : ''}`;
  return `accepted by ${done.operation} in ${where} at ${done.endpoint}`;
}

const authStatus: Handler<typeof spec> = async ({ opts }, ctx) => {
  const settings = ctx.settings();
  const plan = await planCredential(await ctx.credentialSources());
  if (!plan) throw noCredentials();
  const credential = await plan.load();
  const verified = opts.offline ? undefined : await check(ctx, settings, credential);
  const now = ctx.io.now();
  const identity = who(credential);
  const local = projectInUse(settings, credential);
  const project = verified ? { id: verified.project.value, source: verified.project.source } : local;
  const data: AuthStatusDocument = {
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
    check: verified?.check ?? null,
  };
  const checked = checkText(data.check);
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
      rows.push(['checked', checked ? `${s.green('✔')} ${checked}` : s.dim('not checked (--offline)')]);
      const width = Math.max(...rows.map(([k]) => (k ?? '').length));
      return rows.map(([k = '', v = '']) => `${s.bold(k.padEnd(width))}  ${v}`).join('\n');
    },
    exitCode: 0,
  };
};
export default authStatus;
