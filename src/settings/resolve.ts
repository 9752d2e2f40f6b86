/**
 * Resolution of every setting with where it came from: flag > environment > profile > default.
 */

import type { Profile, StoreFile } from '../api/schemas.js';
import { ConfigError, UsageError } from '../core/errors.js';
import { EnterpriseProjectId, firstIssue, ProfileName, ProjectId, Region } from '../core/rules.js';
import { quote } from '../core/text.js';
import type { GlobalFlags } from './flags.js';
import { findProfile, readStore } from './store.js';

export type { GlobalFlags } from './flags.js';

export interface Resolved<T> {
  value: T;
  /** `flag`, `env:NAME`, `profile:NAME`, `default`, or `derived:…`. */
  source: string;
}

export interface Settings {
  profileName: Resolved<string>;
  /** True when the profile was named by --profile or HSS_PROFILE (its credentials then win). */
  profileExplicit: boolean;
  profile: Profile;
  store: StoreFile;
  region?: Resolved<string>;
  projectId?: Resolved<string>;
  enterpriseProject?: Resolved<string>;
  endpoint?: Resolved<string>;
  iamEndpoint: Resolved<string>;
}

type Env = Record<string, string | undefined>;

export const KNOWN_REGIONS = new Set([
  'cn-north-1',
  'cn-north-2',
  'cn-north-4',
  'cn-north-9',
  'cn-north-11',
  'cn-north-12',
  'cn-east-2',
  'cn-east-3',
  'cn-east-4',
  'cn-east-5',
  'cn-south-1',
  'cn-south-2',
  'cn-south-4',
  'cn-southwest-2',
  'cn-southwest-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'af-south-1',
  'af-north-1',
  'na-mexico-1',
  'sa-brazil-1',
  'la-south-2',
  'la-north-2',
  'tr-west-1',
  'ae-ad-1',
  'me-east-1',
  'my-kualalumpur-1',
  'eu-west-101',
  'ru-moscow-1',
]);

export const DEFAULT_IAM_ENDPOINT = 'https://iam.myhuaweicloud.com';

export function hssEndpointFor(region: string): string {
  const domain = region === 'eu-west-101' ? 'myhuaweicloud.eu' : 'myhuaweicloud.com';
  return `https://hss.${region}.${domain}`;
}

function fromEnv(env: Env, names: string[]): Resolved<string> | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { value, source: `env:${name}` };
  }
  return undefined;
}

/** The first defined of flag, environment variables, profile field. */
function pick(
  flag: string | undefined,
  env: Env,
  envNames: string[],
  profileValue: string | undefined,
  profileName: string,
): Resolved<string> | undefined {
  if (flag !== undefined) return { value: flag, source: 'flag' };
  const e = fromEnv(env, envNames);
  if (e) return e;
  if (profileValue !== undefined && profileValue !== '')
    return { value: profileValue, source: `profile:${profileName}` };
  return undefined;
}

const LOOKUPS: Record<string, string> = {
  'iam:login': 'the IAM login token',
  'iam:projects': 'the IAM project list',
};

export function describeSource(source: string): string {
  if (source === 'flag') return 'command-line flag';
  if (source === 'stdin') return 'standard input (--token-stdin)';
  if (source.startsWith('env:')) return `environment ${source.slice(4)}`;
  const looked = /^profile:(.*) \((iam:[a-z]+)\)$/.exec(source);
  if (looked) {
    const [, name = '', how = ''] = looked;
    return `profile ${quote(name)}, looked up from ${LOOKUPS[how] ?? how}`;
  }
  if (source.startsWith('profile:')) return `profile ${quote(source.slice(8))}`;
  const notLoggedIn = /^login:(.*) \(not logged in\)$/.exec(source);
  if (notLoggedIn) {
    const name = notLoggedIn[1] ?? '';
    return `profile ${quote(name)} logs in with a password, and is not logged in (\`hss auth login -p ${name}\`)`;
  }
  if (source.startsWith('login:')) return `cached login of profile ${quote(source.slice(6))}`;
  if (source.startsWith('command:')) return `credential command of profile ${quote(source.slice(8))}`;
  if (source.startsWith('file:')) return `SDK credentials file ${source.slice(5)}`;
  if (LOOKUPS[source]) return `looked up from ${LOOKUPS[source]}`;
  return source;
}

/** A profile name given by the user, or an exit-2 error naming it, where it came from, and the rule. */
function checkedProfileName(name: Resolved<string>): Resolved<string> {
  const parsed = ProfileName.safeParse(name.value);
  if (!parsed.success) {
    throw new UsageError(
      `profile name ${quote(name.value)} (from ${describeSource(name.source)}): ${firstIssue(parsed.error)}`,
    );
  }
  return name;
}

export function selectProfile(
  flags: GlobalFlags,
  env: Env,
  store: StoreFile,
): { name: Resolved<string>; explicit: boolean } {
  if (flags.profile !== undefined)
    return { name: checkedProfileName({ value: flags.profile, source: 'flag' }), explicit: true };
  const e = fromEnv(env, ['HSS_PROFILE']);
  if (e) return { name: checkedProfileName(e), explicit: true };
  if (store.current) return { name: { value: store.current, source: 'store:current' }, explicit: false };
  return { name: { value: 'default', source: 'default' }, explicit: false };
}

/** An endpoint must be https, or http on a loopback address (the sandbox), so no credential crosses a network in clear. */
export function checkEndpoint(value: string, what: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} ${quote(value)} (from ${describeSource(source)}): not a URL`, {
      hint: 'give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(
      `${what} ${quote(value)} (from ${describeSource(source)}): must be an https:// URL`,
      {
        hint: 'give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com',
      },
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new UsageError(
      `${what} ${quote(value)} (from ${describeSource(source)}): plain http is refused except on loopback; use https://`,
    );
  }
  if (url.username || url.password) {
    throw new UsageError(`${what} (from ${describeSource(source)}): must not carry a user name or password`, {
      hint: 'remove the user:password@ part; credentials come from a token, keys or `hss auth login`',
    });
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function checked(resolved: Resolved<string> | undefined, schema: typeof ProjectId, what: string) {
  if (!resolved) return undefined;
  const parsed = schema.safeParse(resolved.value);
  if (!parsed.success) {
    throw new UsageError(
      `${what} ${quote(resolved.value)} (from ${describeSource(resolved.source)}): ${firstIssue(parsed.error)}`,
    );
  }
  return resolved;
}

export function resolveSettings(flags: GlobalFlags, env: Env, dir: string): Settings {
  const store = readStore(dir);
  const { name, explicit } = selectProfile(flags, env, store);
  const stored = findProfile(store, name.value);
  if (!stored && explicit) {
    const known = Object.keys(store.profiles);
    throw new ConfigError(`unknown profile ${quote(name.value)} (from ${describeSource(name.source)})`, {
      hint: known.length
        ? `known profiles: ${known.join(', ')}; create one with \`hss profile set ${name.value} …\``
        : `create it with \`hss profile set ${name.value} --region …\``,
    });
  }
  const profile: Profile = stored ?? {};
  const p = name.value;
  const region = checked(pick(flags.region, env, ['HSS_REGION'], profile.region, p), Region, 'region');
  const projectId = checked(
    pick(flags.projectId, env, ['HSS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'], profile.project_id, p),
    ProjectId,
    'project ID',
  );
  if (projectId && projectId.source === `profile:${p}` && profile.project_id_source) {
    projectId.source = `profile:${p} (${profile.project_id_source})`;
  }
  const enterpriseProject = checked(
    pick(flags.enterpriseProject, env, ['HSS_ENTERPRISE_PROJECT_ID'], profile.enterprise_project_id, p),
    EnterpriseProjectId,
    'enterprise project ID',
  );
  let endpoint = pick(flags.endpoint, env, ['HSS_ENDPOINT'], profile.endpoint, p);
  if (endpoint) endpoint = { ...endpoint, value: checkEndpoint(endpoint.value, 'endpoint', endpoint.source) };
  else if (region) {
    const source = `derived:region ${region.value}`;
    endpoint = { value: checkEndpoint(hssEndpointFor(region.value), 'endpoint', source), source };
  }
  let iamEndpoint = pick(
    flags.iamEndpoint,
    env,
    ['HSS_IAM_ENDPOINT', 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
    profile.iam_endpoint,
    p,
  );
  if (iamEndpoint)
    iamEndpoint = {
      ...iamEndpoint,
      value: checkEndpoint(iamEndpoint.value, 'IAM endpoint', iamEndpoint.source),
    };
  const settings: Settings = {
    profileName: name,
    profileExplicit: explicit,
    profile,
    store,
    iamEndpoint: iamEndpoint ?? { value: DEFAULT_IAM_ENDPOINT, source: 'default' },
  };
  if (region) settings.region = region;
  if (projectId) settings.projectId = projectId;
  if (enterpriseProject) settings.enterpriseProject = enterpriseProject;
  if (endpoint) settings.endpoint = endpoint;
  return settings;
}

/** The IAM endpoint a profile uses when no flag or variable overrides it; undefined if it is not a URL. */
export function profileIamEndpoint(profile: Profile): string | undefined {
  if (profile.iam_endpoint === undefined || profile.iam_endpoint === '') return DEFAULT_IAM_ENDPOINT;
  try {
    return checkEndpoint(profile.iam_endpoint, 'IAM endpoint', 'profile');
  } catch {
    return undefined;
  }
}

/**
 * True when the IAM endpoint in effect was given for this run (--iam-endpoint, the environment) and is
 * not the profile's own: what IAM answers then (a login, a project ID) belongs to that endpoint, and is
 * not written into the profile, which later runs without the override read.
 */
export function iamEndpointIsOneOff(settings: Settings): boolean {
  const { source, value } = settings.iamEndpoint;
  if (source !== 'flag' && !source.startsWith('env:')) return false;
  return value !== profileIamEndpoint(settings.profile);
}

/** The HSS endpoint a call needs, or an exit-3 error saying how to set it. */
export function requireEndpoint(settings: Settings): string {
  if (!settings.endpoint) {
    throw new ConfigError('no region or endpoint is set', {
      hint: 'pass --region (e.g. cn-north-4), set HSS_REGION, or `hss profile set NAME --region …`',
    });
  }
  return settings.endpoint.value;
}

/** The HSS endpoint and project ID a call needs, or an exit-3 error saying how to set them. */
export function requireTarget(settings: Settings): { endpoint: string; projectId: string } {
  const endpoint = requireEndpoint(settings);
  if (!settings.projectId) {
    throw new ConfigError('no project ID is set', {
      hint: 'pass --project-id, set HSS_PROJECT_ID, or `hss profile set NAME --project-id …`',
    });
  }
  return { endpoint, projectId: settings.projectId.value };
}
