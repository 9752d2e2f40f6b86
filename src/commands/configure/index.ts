/**
 * `hss configure`: the wizard of `aws configure` and KooCLI's `hcloud configure init`, on a terminal
 * only. The credential is proven with one cheap call before anything is written: a profile it saves
 * works. Without a terminal, scripts use `hss profile set`.
 */
import { forgetCached } from '../../auth/cache.js';
import { akskCredential, type Credential, tokenCredential } from '../../auth/credential.js';
import { authorizerFor } from '../../auth/credentials.js';
import { canPrompt } from '../../auth/prompt.js';
import type { Context } from '../../cli/context.js';
import { UsageError } from '../../core/errors.js';
import { firstIssue, ProjectId } from '../../core/rules.js';
import { quote } from '../../core/text.js';
import { checkEndpoint, DEFAULT_IAM_ENDPOINT, hssEndpointFor } from '../../settings/endpoints.js';
import { selectProfile } from '../../settings/resolve.js';
import { findProfile, storePath } from '../../settings/store.js';
import type { Profile } from '../../settings/store-schema.js';
import type { Handler } from '../define.js';
import type { ConfigureDocument } from '../documents.js';
import type { spec } from './command.js';
import { type Answers, askAll, askProfileName } from './wizard.js';

/** Where the calls go: a flag, the environment, what the profile has, else the region's own. */
function endpoints(ctx: Context, existing: Profile | undefined, region: string) {
  const env = ctx.io.env;
  const hss = ctx.flags.endpoint ?? env['HSS_ENDPOINT'] ?? existing?.endpoint;
  const iam =
    ctx.flags.iamEndpoint ??
    env['HSS_IAM_ENDPOINT'] ??
    env['HUAWEICLOUD_SDK_IAM_ENDPOINT'] ??
    existing?.iam_endpoint;
  return {
    hss: hss === undefined ? hssEndpointFor(region) : checkEndpoint(hss, 'endpoint', 'flag'),
    iam: iam === undefined ? DEFAULT_IAM_ENDPOINT : checkEndpoint(iam, 'IAM endpoint', 'flag'),
  };
}

/** Logs in or takes the key pair; the project: given, from the login, or looked up in IAM. */
async function connect(ctx: Context, name: string, answers: Answers, iam: string) {
  const http = ctx.http('check what you typed, then run `hss configure` again');
  const [{ lookupProjectId, passwordLogin }, { cacheLogin, loginEntry }] = await Promise.all([
    import('../../auth/iam.js'),
    import('../../auth/login-cache.js'),
  ]);
  let credential: Credential;
  let projectId = ctx.flags.projectId;
  let how = 'flag';
  let cache: (() => Promise<void>) | undefined;
  if (answers.kind === 'aksk') {
    credential = akskCredential(
      answers.accessKey,
      answers.secretKey,
      undefined,
      `profile:${name}`,
      'the answer',
    );
  } else {
    ctx.renderer.info(`Logging in to IAM as ${answers.user} (account ${answers.domain})…`);
    const input = { ...answers, iamEndpoint: iam };
    const login = await passwordLogin(http, input);
    credential = tokenCredential(login.token, `login:${name}`);
    cache = () => cacheLogin(ctx, name, input, loginEntry(input, login));
    if (projectId === undefined && login.projectId && login.projectName === answers.region) {
      projectId = login.projectId;
      how = 'iam:login';
    }
  }
  if (projectId === undefined) {
    ctx.renderer.info(`Looking up the project of ${answers.region} in IAM…`);
    projectId = await lookupProjectId(http, iam, answers.region, authorizerFor(credential));
    how = 'iam:projects';
  }
  return { credential, projectId, how, http, cache };
}

function profileFields(answers: Answers, projectId: string, how: string, ctx: Context): Partial<Profile> {
  const fields: Partial<Profile> = { region: answers.region, project_id: projectId, auth: answers.kind };
  if (how !== 'flag') fields.project_id_source = how;
  if (ctx.flags.endpoint !== undefined)
    fields.endpoint = checkEndpoint(ctx.flags.endpoint, 'endpoint', 'flag');
  if (ctx.flags.iamEndpoint !== undefined)
    fields.iam_endpoint = checkEndpoint(ctx.flags.iamEndpoint, 'IAM endpoint', 'flag');
  if (answers.kind === 'aksk') {
    fields.access_key = answers.accessKey;
    fields.secret_key = answers.secretKey;
  } else {
    fields.user = answers.user;
    fields.domain = answers.domain;
  }
  return fields;
}

/** The credential fields of another kind go: the kind answered now is the profile's. */
const OTHER_KIND = [
  'token',
  'access_key',
  'secret_key',
  'security_token',
  'credential_command',
  'project_id_source',
];

const configure: Handler<typeof spec> = async (_input, ctx) => {
  if (!canPrompt(ctx.io)) {
    throw new UsageError('hss configure asks its questions on a terminal, and this is not one', {
      hint: 'in scripts, write the profile with `hss profile set NAME --region … --auth aksk --ak AK --sk-stdin` (see `hss profile set --help`)',
    });
  }
  if (ctx.flags.projectId !== undefined) {
    const parsed = ProjectId.safeParse(ctx.flags.projectId);
    if (!parsed.success)
      throw new UsageError(
        `project ID ${quote(ctx.flags.projectId)} (from --project-id): ${firstIssue(parsed.error)}`,
      );
  }
  const selected = selectProfile(ctx.flags, ctx.io.env, ctx.readStore());
  const name = selected.explicit ? selected.name.value : await askProfileName(ctx, selected.name.value);
  const existing = findProfile(ctx.readStore(), name);
  if (existing) ctx.renderer.info(`Profile ${name} exists: what you answer replaces its settings.`);
  const answers = await askAll(ctx, existing);
  const where = endpoints(ctx, existing, answers.region);
  const { credential, projectId, how, http, cache } = await connect(ctx, name, answers, where.iam);
  ctx.renderer.info(`Checking the credential with one call in project ${projectId}…`);
  const { verifyCredential } = await import('../../auth/verify.js');
  const check = await verifyCredential(http, credential, { endpoint: where.hss, projectId }, answers.region);

  const fields = profileFields(answers, projectId, how, ctx);
  const store = await ctx.updateStore((data) => {
    const profile: Profile = { ...(findProfile(data, name) ?? {}) };
    for (const field of OTHER_KIND) delete (profile as Record<string, unknown>)[field];
    data.profiles[name] = { ...profile, ...fields };
    if (data.current === undefined || findProfile(data, data.current) === undefined) data.current = name;
  });
  // A login cached before belongs to the credential replaced; the new login's token takes its place.
  await forgetCached(ctx, name);
  await cache?.();
  const data: ConfigureDocument = {
    ok: true,
    profile: name,
    region: answers.region,
    project_id: projectId,
    auth: answers.kind,
    current: store.current === name,
    file: storePath(ctx.configDir),
    check,
  };
  return {
    data,
    text: (s) =>
      [
        `${s.green('✔')} profile ${s.bold(name)} saved: ${answers.region}, project ${projectId}, ${answers.kind === 'aksk' ? 'access key pair' : `IAM login of ${answers.user}`}`,
        `  checked: accepted by ${check.operation} at ${check.endpoint}`,
        store.current === name
          ? '  it is the current profile'
          : `  use it with \`hss -p ${name} …\` or \`hss profile use ${name}\``,
      ].join('\n'),
    exitCode: 0,
  };
};
export default configure;
