/**
 * `hss profile set|list|show|use|remove`: the named profiles of the store.
 */

import { findCommandOutput } from '../../auth/cache.js';
import type { Context } from '../../cli/context.js';
import { ConfigError, UsageError } from '../../core/errors.js';
import { EnterpriseProjectId, firstIssue, ProfileName, ProjectId, Region, Token } from '../../core/rules.js';
import { quote } from '../../core/text.js';
import { maskSecret, registerSecret } from '../../output/redact.js';
import type { CommandResult } from '../../output/renderer.js';
import { table } from '../../output/table.js';
import { checkEndpoint, KNOWN_REGIONS } from '../../settings/endpoints.js';
import type { GlobalFlags } from '../../settings/flags.js';
import { selectProfile } from '../../settings/resolve.js';
import { findProfile, storePath } from '../../settings/store.js';
import type { Profile, StoreFile } from '../../settings/store-schema.js';
import type { Options } from '../define.js';
import type { spec as setSpec } from './set/command.js';

/** The settings a profile holds are named as the global flags that override them; then its own. */
export type ProfileSetOptions = Options<typeof setSpec> &
  Pick<GlobalFlags, 'region' | 'projectId' | 'enterpriseProject' | 'endpoint' | 'iamEndpoint' | 'tokenStdin'>;

const SECRET_FIELDS = new Set(['token', 'secret_key', 'security_token']);
const PLAIN = /^[^\u0000-\u001f\u007f]+$/;

function checkName(name: string): string {
  const parsed = ProfileName.safeParse(name);
  if (!parsed.success) throw new UsageError(`profile name ${quote(name)}: ${firstIssue(parsed.error)}`);
  return name;
}

function plainText(value: string, what: string, max = 256): string {
  if (!PLAIN.test(value) || value.length > max) {
    throw new UsageError(`${what} ${quote(value)}: must be 1–${max} characters without control characters`);
  }
  return value;
}

function checkWith(schema: typeof ProjectId, value: string, what: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${what} ${quote(value)}: ${firstIssue(parsed.error)}`);
  return value;
}

/** A profile as shown to people: secrets masked, field names as stored. */
export function maskProfile(profile: Profile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(profile)) {
    out[k] = SECRET_FIELDS.has(k) && typeof v === 'string' ? maskSecret(v) : v;
  }
  return out;
}

function requireProfile(store: StoreFile, name: string): Profile {
  const profile = findProfile(store, name);
  if (!profile) {
    const known = Object.keys(store.profiles);
    throw new ConfigError(`unknown profile ${quote(name)}`, {
      hint: known.length
        ? `known profiles: ${known.join(', ')}`
        : 'create one with `hss profile set NAME --region …`',
    });
  }
  return profile;
}

export async function profileSet(
  name: string,
  opts: ProfileSetOptions,
  ctx: Context,
): Promise<CommandResult> {
  checkName(name);
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
  if (opts.tokenStdin && opts.skStdin)
    throw new UsageError('--token-stdin and --sk-stdin both read standard input; give one');
  if (opts.tokenStdin) {
    const token = (await ctx.stdinText('--token-stdin')).replace(/\r?\n$/, '');
    registerSecret(token);
    const parsed = Token.safeParse(token);
    if (!parsed.success) throw new UsageError(`the token from standard input: ${firstIssue(parsed.error)}`);
    changes.token = token;
    changes.auth ??= 'token';
  }
  if (opts.skStdin) {
    const sk = (await ctx.stdinText('--sk-stdin')).replace(/\r?\n$/, '');
    registerSecret(sk);
    plainText(sk, 'the secret key from standard input', 256);
    changes.secret_key = sk;
    changes.auth ??= 'aksk';
  }
  const unset = opts.unset ?? [];
  let created = false;
  const data = await ctx.updateStore((store) => {
    const existing = findProfile(store, name);
    created = existing === undefined;
    const profile: Profile = { ...(existing ?? {}), ...changes };
    for (const field of unset) {
      if (!Object.hasOwn(profile, field))
        throw new UsageError(`--unset ${quote(field)}: profile ${quote(name)} has no such field`, {
          hint: `its fields: ${Object.keys(profile).join(', ') || 'none'}`,
        });
      delete (profile as Record<string, unknown>)[field];
    }
    store.profiles[name] = profile;
    if (opts.use || Object.keys(store.profiles).length === 1) store.current = name;
  });
  const changed = [...Object.keys(changes), ...unset.map((f) => `-${f}`)];
  return {
    data: {
      ok: true,
      profile: name,
      created,
      changed,
      current: data.current === name,
      file: storePath(ctx.configDir),
    },
    text: (s) =>
      `${s.green('✔')} profile ${s.bold(name)} ${created ? 'created' : 'updated'}${
        changed.length ? ` (${changed.join(', ')})` : ''
      }${data.current === name ? '; it is the current profile' : ''}`,
    exitCode: 0,
  };
}

export async function profileList(ctx: Context): Promise<CommandResult> {
  const store = ctx.readStore();
  const profiles = Object.entries(store.profiles).map(([name, p]) => ({
    name,
    current: store.current === name,
    region: p.region,
    project_id: p.project_id,
    auth: p.auth ?? (p.token ? 'token' : undefined),
    endpoint: p.endpoint,
  }));
  return {
    data: { ok: true, current: store.current ?? null, profiles },
    text: (s) => {
      if (profiles.length === 0) return 'no profiles yet; create one with `hss profile set NAME --region …`';
      const rows = profiles.map((p) => [
        p.current ? '*' : ' ',
        p.name,
        p.region ?? '-',
        p.project_id ?? '-',
        p.auth ?? '-',
        p.endpoint ?? '',
      ]);
      return table(['', 'NAME', 'REGION', 'PROJECT ID', 'AUTH', 'ENDPOINT'], rows, s.bold);
    },
    exitCode: 0,
  };
}

export async function profileShow(name: string | undefined, ctx: Context): Promise<CommandResult> {
  const store = ctx.readStore();
  const selected =
    name !== undefined ? checkName(name) : selectProfile(ctx.flags, ctx.io.env, store).name.value;
  const profile = requireProfile(store, selected);
  const shown = maskProfile(profile);
  return {
    data: { ok: true, name: selected, current: store.current === selected, profile: shown },
    text: (s) =>
      [
        `${s.bold(selected)}${store.current === selected ? s.dim(' (current)') : ''}`,
        ...Object.entries(shown).map(([k, v]) => `  ${k}: ${String(v)}`),
      ].join('\n'),
    exitCode: 0,
  };
}

export async function profileUse(name: string, ctx: Context): Promise<CommandResult> {
  checkName(name);
  await ctx.updateStore((store) => {
    requireProfile(store, name);
    store.current = name;
  });
  return {
    data: { ok: true, current: name },
    text: (s) => `${s.green('✔')} now using profile ${s.bold(name)}`,
    exitCode: 0,
  };
}

export async function profileRemove(name: string, ctx: Context): Promise<CommandResult> {
  checkName(name);
  let wasCurrent = false;
  await ctx.updateStore((store) => {
    requireProfile(store, name);
    delete store.profiles[name];
    if (store.current === name) {
      wasCurrent = true;
      delete store.current;
    }
  });
  // Its cached login and command output go with it: a profile created later under the same name
  // must not inherit someone's token.
  const cache = ctx.readCache();
  if (Object.hasOwn(cache.logins, name) || findCommandOutput(cache, name)) {
    await ctx.updateCache((data) => {
      delete data.logins[name];
      delete data.commands[name];
    });
  }
  return {
    data: { ok: true, removed: name, was_current: wasCurrent },
    text: (s) =>
      `${s.green('✔')} profile ${s.bold(name)} removed${wasCurrent ? '; no profile is current now' : ''}`,
    exitCode: 0,
  };
}
