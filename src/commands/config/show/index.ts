/**
 * `hss config show`: every resolved setting and where it came from.
 */
import { caBundleSetting, maskProxyUserinfo, parseProxyUrl, proxySettings } from '../../../api/transport.js';
import { type CredentialPlan, cachedLogin, planCredential } from '../../../auth/credentials.js';
import { iamEndpointFor } from '../../../auth/project.js';
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { outputOptions } from '../../../output/renderer.js';
import { table } from '../../../output/table.js';
import { describeSource, type Resolved } from '../../../settings/resolve.js';
import { storePath } from '../../../settings/store.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

type Row = { value: string | number | boolean | null; source: string };

/**
 * Proxy settings as requests will use them, the password of a proxy URL masked by text (also in one
 * that does not parse, and also one too short to register as a secret).
 */
function proxyRows(env: Record<string, string | undefined>): Record<string, Row> {
  const proxies = proxySettings(env);
  const row = (setting: { value: string; source: string } | undefined): Row => {
    if (!setting) return { value: null, source: 'unset' };
    const value = maskProxyUserinfo(setting.value);
    try {
      parseProxyUrl(setting);
    } catch (error) {
      return { value, source: `${setting.source} (${(error as Error).message})` };
    }
    return { value, source: setting.source };
  };
  return { https_proxy: row(proxies.https), http_proxy: row(proxies.http), no_proxy: row(proxies.noProxy) };
}

export async function configShow(ctx: Context): Promise<CommandResult> {
  const { io, flags } = ctx;
  const settings = ctx.settings();
  const asRow = (r: Resolved<string> | undefined): Row =>
    r ? { value: r.value, source: r.source } : { value: null, source: 'unset' };
  const envOr = (flag: string | undefined, name: string, fallback: string): Row => {
    if (flag !== undefined) return { value: flag, source: 'flag' };
    const v = io.env[name];
    if (v) return { value: v, source: `env:${name}` };
    return { value: fallback, source: 'default' };
  };
  const output = outputOptions(flags, io.env, io);
  let credentials: Row;
  let plan: CredentialPlan | undefined;
  try {
    plan = await planCredential(await ctx.credentialSources());
    credentials = plan ? { value: plan.kind, source: plan.source } : { value: null, source: 'none found' };
    // A profile that logs in with a password and has no login for the IAM endpoint in effect: what
    // `hss auth status` refuses (exit 4), said here too rather than "cached login".
    if (
      plan?.kind === 'password' &&
      plan.profile !== undefined &&
      !cachedLogin(ctx.configDir, plan.profile, settings.iamEndpoint.value)
    ) {
      credentials = { value: plan.kind, source: `${plan.source} (not logged in)` };
    }
  } catch (error) {
    credentials = { value: null, source: `error: ${error instanceof Error ? error.message : String(error)}` };
  }
  let projectId = asRow(settings.projectId);
  if (!settings.projectId) {
    const login =
      plan?.source.startsWith('login:') && plan.profile !== undefined
        ? cachedLogin(ctx.configDir, plan.profile, iamEndpointFor(settings))
        : undefined;
    const region = settings.region?.value;
    if (login?.project_id && (region === undefined || login.project_name === region)) {
      projectId = { value: login.project_id, source: plan?.source ?? 'login' };
    } else if (region !== undefined && plan) {
      projectId = { value: null, source: `unset: looked up in IAM for ${region} on the first call` };
    }
  }
  const values: Record<string, Row> = {
    profile: asRow(settings.profileName),
    region: asRow(settings.region),
    project_id: projectId,
    enterprise_project_id: asRow(settings.enterpriseProject),
    endpoint: asRow(settings.endpoint),
    iam_endpoint: asRow(settings.iamEndpoint),
    credentials,
    output: {
      value: output.format,
      source: flags.json || flags.output ? 'flag' : io.env['HSS_OUTPUT'] ? 'env:HSS_OUTPUT' : 'default',
    },
    timeout: envOr(flags.timeout, 'HSS_TIMEOUT', '30s'),
    max_attempts: envOr(flags.maxAttempts, 'HSS_MAX_ATTEMPTS', '3'),
    ca_bundle: asRow(caBundleSetting(flags.caBundle, io.env)),
    ...proxyRows(io.env),
  };
  return {
    data: { ok: true, config_dir: ctx.configDir, store_file: storePath(ctx.configDir), settings: values },
    text: (s) =>
      `${table(
        ['SETTING', 'VALUE', 'SOURCE'],
        Object.entries(values).map(([k, r]) => [
          k,
          r.value === null ? s.dim('-') : String(r.value),
          describeSource(r.source),
        ]),
        s.bold,
      )}\n${s.dim(`store: ${storePath(ctx.configDir)}`)}`,
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = (_input, ctx) => configShow(ctx);
export default handler;
