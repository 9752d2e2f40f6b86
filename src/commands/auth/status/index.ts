/**
 * `hss auth status`: which credential is in effect, where it came from, who it is and when it expires
 * (never the secret).
 */
import { type Credential, maskAccessKey, noCredentials, planCredential } from '../../../auth/credentials.js';
import { iamEndpointFor } from '../../../auth/project.js';
import { isoSeconds, relativeTime } from '../../../core/duration.js';
import { describeSource } from '../../../settings/describe.js';
import type { Settings } from '../../../settings/resolve.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

/** What `auth status --json` prints. */
export interface AuthStatusDocument {
  ok: true;
  profile: string;
  source: string;
  auth: string;
  kind: Credential['kind'];
  temporary: boolean | undefined;
  who: Record<string, string> | null;
  region: string | null;
  project_id: string | null;
  project_id_source: string;
  iam_endpoint: string;
  expires_at: string | null;
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

const authStatus: Handler<typeof spec> = async (_input, ctx) => {
  const settings = ctx.settings();
  const plan = await planCredential(await ctx.credentialSources());
  if (!plan) throw noCredentials();
  const credential = await plan.load();
  const now = ctx.io.now();
  const identity = who(credential);
  const project = projectInUse(settings, credential);
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
};
export default authStatus;
