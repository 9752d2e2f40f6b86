/**
 * `hss config show`: every resolved setting and where it came from.
 */
import { maskProxyUserinfo, parseProxyUrl } from '../../../api/transport.js';
import { findLogin } from '../../../auth/cache.js';
import { type CredentialPlan, planCredential } from '../../../auth/credentials.js';
import { iamEndpointFor } from '../../../auth/project.js';
import type { Context } from '../../../cli/context.js';
import type { CommandResult } from '../../../output/renderer.js';
import { table } from '../../../output/table.js';
import { describeSource } from '../../../settings/describe.js';
import type { NetworkSettings, ProxySettings } from '../../../settings/network.js';
import { resolveOutput } from '../../../settings/output.js';
import type { Settings } from '../../../settings/resolve.js';
import type { Resolved } from '../../../settings/source.js';
import { storePath } from '../../../settings/store.js';
import type { Handler } from '../../define.js';
import type { spec } from './command.js';

/** One setting: its value (null when unset) and where it came from. */
export interface SettingRow {
  value: string | number | boolean | null;
  source: string;
}
type Row = SettingRow;

/** `hss config show --json` */
export interface ConfigShowDocument {
  ok: true;
  config_dir: string;
  store_file: string;
  /** Every setting by name, in a fixed order. */
  settings: Record<string, SettingRow>;
}

function asRow(r: Resolved<string | boolean> | undefined): Row {
  return r ? { value: r.value, source: r.source } : { value: null, source: 'unset' };
}

/**
 * Proxy settings as requests will use them, the password of a proxy URL masked by text (also in one
 * that does not parse, and also one too short to register as a secret).
 */
function proxyRows(proxies: ProxySettings): Record<string, Row> {
  const row = (setting: Resolved<string> | undefined): Row => {
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

function networkRows(network: NetworkSettings): Record<string, Row> {
  return {
    timeout: asRow(network.timeout),
    max_attempts: asRow(network.maxAttempts),
    ca_bundle: asRow(network.caBundle),
    ...proxyRows(network.proxies),
  };
}

/** The credential in effect, found but not loaded (no command runs, nothing is sent). */
async function credentialRow(ctx: Context, settings: Settings): Promise<{ row: Row; plan?: CredentialPlan }> {
  let plan: CredentialPlan | undefined;
  try {
    plan = await planCredential(await ctx.credentialSources());
    if (!plan) return { row: { value: null, source: 'none found' } };
    // A profile that logs in with a password and has no login for the IAM endpoint in effect: what
    // `hss auth status` refuses (exit 4), said here too rather than "cached login".
    if (
      plan.kind === 'password' &&
      plan.profile !== undefined &&
      !findLogin(ctx.readCache(), plan.profile, settings.iamEndpoint.value)
    ) {
      return { row: { value: plan.kind, source: `${plan.source} (not logged in)` }, plan };
    }
    return { row: { value: plan.kind, source: plan.source }, plan };
  } catch (error) {
    const row = { value: null, source: `error: ${error instanceof Error ? error.message : String(error)}` };
    return plan ? { row, plan } : { row };
  }
}

/** The project ID as set, else as the login in effect gives it, else how the first call finds it. */
function projectRow(ctx: Context, settings: Settings, plan: CredentialPlan | undefined): Row {
  if (settings.projectId) return asRow(settings.projectId);
  const login =
    plan?.source.startsWith('login:') && plan.profile !== undefined
      ? findLogin(ctx.readCache(), plan.profile, iamEndpointFor(settings))
      : undefined;
  const region = settings.region?.value;
  if (login?.project_id && (region === undefined || login.project_name === region)) {
    return { value: login.project_id, source: plan?.source ?? 'login' };
  }
  if (region !== undefined && plan) {
    return { value: null, source: `unset: looked up in IAM for ${region} on the first call` };
  }
  return asRow(undefined);
}

export async function configShow(ctx: Context): Promise<CommandResult<ConfigShowDocument>> {
  const settings = ctx.settings();
  const credentials = await credentialRow(ctx, settings);
  const output = resolveOutput(ctx.flags, ctx.io.env);
  const values: Record<string, Row> = {
    profile: asRow(settings.profileName),
    // Several regions (a list, or all) show as given: the commands that read several projects use them.
    region: settings.regions
      ? {
          value: settings.regions.value === 'all' ? 'all' : settings.regions.value.join(','),
          source: settings.regions.source,
        }
      : asRow(settings.region),
    project_id: projectRow(ctx, settings, credentials.plan),
    enterprise_project_id: asRow(settings.enterpriseProject),
    endpoint: asRow(settings.endpoint),
    iam_endpoint: asRow(settings.iamEndpoint),
    credentials: credentials.row,
    output: asRow(output.format),
    quiet: asRow(output.quiet),
    color: asRow(output.color),
    debug: asRow(output.debug),
    plain: asRow(output.plain),
    pager: { value: output.pager.value, source: output.pager.source },
    ...networkRows(ctx.network()),
  };
  const store = storePath(ctx.configDir);
  return {
    data: { ok: true, config_dir: ctx.configDir, store_file: store, settings: values },
    text: (s) =>
      `${table(
        ['SETTING', 'VALUE', 'SOURCE'],
        Object.entries(values).map(([k, r]) => [
          k,
          r.value === null ? s.dim('-') : String(r.value),
          describeSource(r.source),
        ]),
        s.bold,
      )}\n${s.dim(`store: ${store}`)}`,
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = (_input, ctx) => configShow(ctx);
export default handler;
