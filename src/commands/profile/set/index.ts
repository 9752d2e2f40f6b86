/**
 * `hss profile set <name>`: creates or updates a profile from the global options given (region,
 * project, endpoints), its own options, and secrets read from standard input.
 */
import type { ChalkInstance } from 'chalk';
import type { Context } from '../../../cli/context.js';
import { UsageError } from '../../../core/errors.js';
import { registerSecret } from '../../../core/redact.js';
import { EnterpriseProjectId, firstIssue, ProjectId, plainText, Region, Token } from '../../../core/rules.js';
import { quote } from '../../../core/text.js';
import { checkEndpoint, KNOWN_REGIONS } from '../../../settings/endpoints.js';
import type { GlobalFlags } from '../../../settings/flags.js';
import { findProfile, storePath } from '../../../settings/store.js';
import type { Profile } from '../../../settings/store-schema.js';
import type { Handler, Options } from '../../define.js';
import { checkName } from '../shared.js';
import type { spec } from './command.js';

/** The settings a profile holds are named as the global flags that override them; then its own. */
export type ProfileSetOptions = Options<typeof spec> &
  Pick<GlobalFlags, 'region' | 'projectId' | 'enterpriseProject' | 'endpoint' | 'iamEndpoint' | 'tokenStdin'>;

/** What `profile set --json` prints. */
export interface ProfileSetDocument {
  ok: true;
  profile: string;
  created: boolean;
  /** The fields set, and `-field` for each removed. */
  changed: string[];
  current: boolean;
  file: string;
}

function checkWith(schema: typeof ProjectId, value: string, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what} ${quote(value)}: ${firstIssue(parsed.error)}`);
  return value;
}

/** The fields the options set, each checked; nothing is read from standard input here. */
function settingChanges(opts: ProfileSetOptions, ctx: Context): Partial<Profile> {
  const changes: Partial<Profile> = {};
  if (opts.region !== undefined) {
    changes.region = checkWith(Region, opts.region, 'region');
    if (!KNOWN_REGIONS.has(opts.region)) {
      ctx.renderer.warn(`region ${quote(opts.region)} is not one hss knows; saving it anyway`);
    }
  }
  if (opts.projectId !== undefined) changes.project_id = checkWith(ProjectId, opts.projectId, 'project ID');
  if (opts.enterpriseProject !== undefined) {
    changes.enterprise_project_id = checkWith(
      EnterpriseProjectId,
      opts.enterpriseProject,
      'enterprise project ID',
    );
  }
  if (opts.endpoint !== undefined) changes.endpoint = checkEndpoint(opts.endpoint, 'endpoint', 'flag');
  if (opts.iamEndpoint !== undefined)
    changes.iam_endpoint = checkEndpoint(opts.iamEndpoint, 'IAM endpoint', 'flag');
  if (opts.auth !== undefined) changes.auth = opts.auth;
  if (opts.ak !== undefined) changes.access_key = plainText(opts.ak, 'access key', 128);
  if (opts.user !== undefined) changes.user = plainText(opts.user, 'user name');
  if (opts.domain !== undefined) changes.domain = plainText(opts.domain, 'account name');
  if (opts.credentialCommand !== undefined) {
    changes.credential_command = plainText(opts.credentialCommand, 'credential command', 4096);
  }
  return changes;
}

/** The secret --token-stdin or --sk-stdin reads, registered for masking before it is checked. */
async function secretChanges(opts: ProfileSetOptions, ctx: Context): Promise<Partial<Profile>> {
  if (opts.tokenStdin && opts.skStdin)
    throw new UsageError('--token-stdin and --sk-stdin both read standard input; give one');
  if (opts.tokenStdin) {
    const token = (await ctx.stdinText('--token-stdin')).replace(/\r?\n$/, '');
    registerSecret(token);
    const parsed = Token.safeParse(token);
    if (!parsed.success) throw new UsageError(`the token from standard input: ${firstIssue(parsed.error)}`);
    return { token, auth: 'token' };
  }
  if (opts.skStdin) {
    const sk = (await ctx.stdinText('--sk-stdin')).replace(/\r?\n$/, '');
    registerSecret(sk);
    plainText(sk, 'the secret key from standard input', 256);
    return { secret_key: sk, auth: 'aksk' };
  }
  return {};
}

export async function profileSet(name: string, opts: ProfileSetOptions, ctx: Context) {
  checkName(name);
  const changes = settingChanges(opts, ctx);
  const { auth, ...secret } = await secretChanges(opts, ctx);
  Object.assign(changes, secret);
  if (auth !== undefined) changes.auth ??= auth;
  const unset = opts.unset ?? [];
  let created = false;
  const store = await ctx.updateStore((data) => {
    const existing = findProfile(data, name);
    created = existing === undefined;
    const profile: Profile = { ...(existing ?? {}), ...changes };
    for (const field of unset) {
      if (!Object.hasOwn(profile, field))
        throw new UsageError(`--unset ${quote(field)}: profile ${quote(name)} has no such field`, {
          hint: `its fields: ${Object.keys(profile).join(', ') || 'none'}`,
        });
      delete (profile as Record<string, unknown>)[field];
    }
    data.profiles[name] = profile;
    if (opts.use || Object.keys(data.profiles).length === 1) data.current = name;
  });
  const changed = [...Object.keys(changes), ...unset.map((f) => `-${f}`)];
  const data: ProfileSetDocument = {
    ok: true,
    profile: name,
    created,
    changed,
    current: store.current === name,
    file: storePath(ctx.configDir),
  };
  return {
    data,
    text: (s: ChalkInstance) =>
      `${s.green('✔')} profile ${s.bold(name)} ${created ? 'created' : 'updated'}${
        changed.length ? ` (${changed.join(', ')})` : ''
      }${store.current === name ? '; it is the current profile' : ''}`,
    exitCode: 0,
  };
}

const handler: Handler<typeof spec> = ({ args, opts }, ctx) =>
  profileSet(args.name, { ...ctx.flags, ...opts }, ctx);
export default handler;
