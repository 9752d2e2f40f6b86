import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../src/api/http.js';
import { resolveProjectId } from '../../src/auth/project.js';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import { isLoopback } from '../../src/core/net.js';
import { checkEndpoint, hssEndpointFor } from '../../src/settings/endpoints.js';
import type { GlobalFlags } from '../../src/settings/flags.js';
import {
  requireEndpoint,
  resolveSettings,
  type Settings,
  selectProfile,
} from '../../src/settings/resolve.js';
import { loadStore, STORE_FILE, storePath, updateStore } from '../../src/settings/store.js';

type Env = Record<string, string | undefined>;

const root = mkdtempSync(path.join(tmpdir(), 'hss-settings-test-'));
let dirCount = 0;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh config dir; with `store`, its config.json holds that JSON (or that text). */
function configDir(store?: unknown): string {
  const dir = path.join(root, `c${dirCount++}`);
  mkdirSync(dir, { recursive: true });
  if (store !== undefined) {
    writeFileSync(
      path.join(dir, STORE_FILE),
      typeof store === 'string' ? store : JSON.stringify(store, null, 2),
    );
  }
  return dir;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** The settings of a run with these flags and variables, and the store in `dir` as the run loads it. */
async function settingsFor(flags: GlobalFlags, env: Env, dir: string): Promise<Settings> {
  return resolveSettings(flags, env, await loadStore(dir));
}

/* ------------------------------------------------------------------------------------------------ */
/* Precedence: flag > environment (in the listed order) > profile > default.                        */
/* ------------------------------------------------------------------------------------------------ */

interface SettingSpec {
  name: string;
  flag: keyof GlobalFlags;
  envs: string[];
  profileField: string;
  /** One value per layer: flag, each env var, profile. */
  values: string[];
  /** Extra profile fields present in every row. */
  baseProfile?: Record<string, string>;
  get: (s: Settings) => { value: string; source: string } | undefined;
  /** What wins when no layer is set. */
  fallback: { value: string; source: string } | undefined;
}

const SETTINGS: SettingSpec[] = [
  {
    name: 'region',
    flag: 'region',
    envs: ['HSS_REGION'],
    profileField: 'region',
    values: ['cn-north-4', 'ap-southeast-1', 'eu-west-101'],
    get: (s) => s.region,
    fallback: undefined,
  },
  {
    name: 'project ID',
    flag: 'projectId',
    envs: ['HSS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID'],
    profileField: 'project_id',
    values: ['p-flag', 'p-hss-env', 'p-sdk-env', 'p-profile'],
    get: (s) => s.projectId,
    fallback: undefined,
  },
  {
    name: 'enterprise project',
    flag: 'enterpriseProject',
    envs: ['HSS_ENTERPRISE_PROJECT_ID'],
    profileField: 'enterprise_project_id',
    values: ['all_granted_eps', '0', 'ep-profile'],
    get: (s) => s.enterpriseProject,
    fallback: undefined,
  },
  {
    name: 'endpoint',
    flag: 'endpoint',
    envs: ['HSS_ENDPOINT'],
    profileField: 'endpoint',
    values: ['https://flag.example.com', 'http://127.0.0.1:8443', 'https://profile.example.com/base'],
    baseProfile: { region: 'cn-east-3' },
    get: (s) => s.endpoint,
    fallback: { value: 'https://hss.cn-east-3.myhuaweicloud.com', source: 'derived:region cn-east-3' },
  },
  {
    name: 'IAM endpoint',
    flag: 'iamEndpoint',
    envs: ['HSS_IAM_ENDPOINT', 'HUAWEICLOUD_SDK_IAM_ENDPOINT'],
    profileField: 'iam_endpoint',
    values: [
      'https://iam.flag.example.com',
      'https://iam.hss-env.example.com',
      'https://iam.sdk-env.example.com',
      'http://localhost:9000',
    ],
    get: (s) => s.iamEndpoint,
    // The contract's default (docs: cli-contract, global options), not the module's own constant.
    fallback: { value: 'https://iam.myhuaweicloud.com', source: 'default' },
  },
];

interface PrecedenceRow {
  setting: string;
  winner: string;
  spec: SettingSpec;
  /** Index of the first layer that is set; every lower layer is set too. */
  from: number;
}

/** For each setting, one row per layer: that layer and every lower one are set; the row's layer must win. */
const PRECEDENCE_ROWS: PrecedenceRow[] = SETTINGS.flatMap((spec) => {
  const layers = ['flag', ...spec.envs.map((e) => `env:${e}`), 'profile:work', 'default (nothing set)'];
  return layers.map((winner, from) => ({ setting: spec.name, winner, spec, from }));
});

describe('setting precedence', () => {
  it.each(PRECEDENCE_ROWS)('$setting: $winner wins over every lower layer', async ({ spec, from }) => {
    const flags: GlobalFlags = {};
    const env: Env = { UNRELATED: 'x' };
    const profile: Record<string, string> = { ...spec.baseProfile };
    const layerCount = 2 + spec.envs.length;
    for (let layer = from; layer < layerCount; layer++) {
      const value = spec.values[layer] as string;
      if (layer === 0) (flags as Record<string, string>)[spec.flag] = value;
      else if (layer <= spec.envs.length) env[spec.envs[layer - 1] as string] = value;
      else profile[spec.profileField] = value;
    }
    const dir = configDir({ version: 1, current: 'work', profiles: { work: profile } });
    const resolved = spec.get(await settingsFor(flags, env, dir));
    if (from === layerCount) {
      expect(resolved).toEqual(spec.fallback);
      return;
    }
    const expectedSource =
      from === 0 ? 'flag' : from <= spec.envs.length ? `env:${spec.envs[from - 1]}` : 'profile:work';
    expect(resolved).toEqual({ value: spec.values[from], source: expectedSource });
  });

  it.each([
    ['HSS_PROJECT_ID', 'HUAWEICLOUD_SDK_PROJECT_ID', (s: Settings) => s.projectId, 'p-sdk'],
    [
      'HSS_IAM_ENDPOINT',
      'HUAWEICLOUD_SDK_IAM_ENDPOINT',
      (s: Settings) => s.iamEndpoint,
      'https://iam.sdk.example',
    ],
  ])('an empty %s does not hide %s', async (first, second, get, value) => {
    const settings = await settingsFor({}, { [first]: '', [second]: value }, configDir());
    expect(get(settings)).toEqual({ value, source: `env:${second}` });
  });

  it('ignores an empty environment variable and falls back to the profile', async () => {
    const dir = configDir({ current: 'work', profiles: { work: { region: 'cn-north-4' } } });
    expect((await settingsFor({}, { HSS_REGION: '' }, dir)).region).toEqual({
      value: 'cn-north-4',
      source: 'profile:work',
    });
  });

  it('tells where a looked-up project ID came from', async () => {
    const dir = configDir({
      current: 'work',
      profiles: { work: { project_id: 'abc', project_id_source: 'iam:login' } },
    });
    expect((await settingsFor({}, {}, dir)).projectId).toEqual({
      value: 'abc',
      source: 'profile:work (iam:login)',
    });
    // Overridden by a flag: the flag is the source, not the profile's note.
    expect((await settingsFor({ projectId: 'def' }, {}, dir)).projectId).toEqual({
      value: 'def',
      source: 'flag',
    });
  });

  it('checks the project ID limits, naming where the value came from', async () => {
    const dir = configDir();
    expect((await settingsFor({ projectId: 'p'.repeat(256) }, {}, dir)).projectId?.value).toHaveLength(256);
    const error = await rejected(settingsFor({}, { HSS_PROJECT_ID: 'p'.repeat(257) }, dir));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toContain('environment HSS_PROJECT_ID');
    expect((error as UsageError).message).toContain('the limit is 1–256');
    const empty = await rejected(settingsFor({ enterpriseProject: '' }, {}, dir));
    expect(empty).toBeInstanceOf(UsageError);
    expect((empty as UsageError).message).toContain('enterprise project ID');
  });
});

describe('profile selection', () => {
  const store = { profiles: {}, current: 'cur' };

  it.each([
    ['the -p flag', { profile: 'flagp' }, { HSS_PROFILE: 'envp' }, store, 'flagp', 'flag', true],
    ['HSS_PROFILE', {}, { HSS_PROFILE: 'envp' }, store, 'envp', 'env:HSS_PROFILE', true],
    ['the store current', {}, {}, store, 'cur', 'store:current', false],
    ['an empty HSS_PROFILE is unset', {}, { HSS_PROFILE: '' }, store, 'cur', 'store:current', false],
    ['"default" last', {}, {}, { profiles: {} }, 'default', 'default', false],
  ])('%s', (_name, flags, env, storeFile, value, source, explicit) => {
    expect(selectProfile(flags as GlobalFlags, env as Env, storeFile)).toEqual({
      name: { value, source },
      explicit,
    });
  });

  it('reads the selected profile from the store, -p beating the current one', async () => {
    const dir = configDir({
      current: 'a',
      profiles: { a: { region: 'cn-north-1' }, b: { region: 'cn-north-4' } },
    });
    const byCurrent = await settingsFor({}, {}, dir);
    expect(byCurrent.profileName).toEqual({ value: 'a', source: 'store:current' });
    expect(byCurrent.profileExplicit).toBe(false);
    expect(byCurrent.region).toEqual({ value: 'cn-north-1', source: 'profile:a' });
    const byFlag = await settingsFor({ profile: 'b' }, { HSS_PROFILE: 'a' }, dir);
    expect(byFlag.profileExplicit).toBe(true);
    expect(byFlag.region).toEqual({ value: 'cn-north-4', source: 'profile:b' });
    const byEnv = await settingsFor({}, { HSS_PROFILE: 'b' }, dir);
    expect(byEnv.region).toEqual({ value: 'cn-north-4', source: 'profile:b' });
  });

  it('refuses an unknown profile named by -p: ConfigError exit 3 listing the known ones', async () => {
    const dir = configDir({ profiles: { a: {}, b: {} } });
    const error = await rejected(settingsFor({ profile: 'nope' }, {}, dir));
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.exitCode).toBe(3);
    expect(e.code).toBe('CONFIG');
    expect(e.message).toBe('unknown profile "nope" (from command-line flag)');
    expect(e.hint).toContain('known profiles: a, b');
    expect(e.hint).toContain('hss profile set nope');
  });

  it('refuses an unknown profile named by HSS_PROFILE, with a hint to create it', async () => {
    const error = await rejected(settingsFor({}, { HSS_PROFILE: 'ghost' }, configDir()));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as ConfigError).message).toContain('"ghost" (from environment HSS_PROFILE)');
    expect((error as ConfigError).hint).toBe('create it with `hss profile set ghost --region …`');
  });

  it('does not refuse a missing implicit profile (store current or "default")', async () => {
    const dangling = await settingsFor({}, {}, configDir({ current: 'gone', profiles: {} }));
    expect(dangling.profileName.value).toBe('gone');
    expect(dangling.profile).toEqual({});
    expect((await settingsFor({}, {}, configDir())).profileName).toEqual({
      value: 'default',
      source: 'default',
    });
  });
});

describe('endpoints', () => {
  it.each([
    ['cn-north-4', 'https://hss.cn-north-4.myhuaweicloud.com'],
    ['ap-southeast-3', 'https://hss.ap-southeast-3.myhuaweicloud.com'],
    ['eu-west-101', 'https://hss.eu-west-101.myhuaweicloud.eu'],
    ['xx-new-9', 'https://hss.xx-new-9.myhuaweicloud.com'],
  ])('derives the HSS endpoint of %s', async (region, endpoint) => {
    expect(hssEndpointFor(region)).toBe(endpoint);
    expect((await settingsFor({ region }, {}, configDir())).endpoint).toEqual({
      value: endpoint,
      source: `derived:region ${region}`,
    });
  });

  it('has no endpoint without a region or an endpoint setting', async () => {
    expect((await settingsFor({}, {}, configDir())).endpoint).toBeUndefined();
  });

  it.each([
    ['https://hss.example.com', 'https://hss.example.com'],
    ['https://hss.example.com/', 'https://hss.example.com'],
    ['https://hss.example.com/prefix//', 'https://hss.example.com/prefix'],
    ['https://HSS.Example.com:443', 'https://hss.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.5.6.7', 'http://127.5.6.7'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ])('accepts %s as %s', (value, normalised) => {
    expect(checkEndpoint(value, 'endpoint', 'flag')).toBe(normalised);
  });

  it.each([
    'http://hss.example.com',
    'http://10.0.0.1:8080',
    'http://127.0.0.1.nip.io',
    'http://localhost.evil.example',
    'http://[::2]',
    'http://128.0.0.1',
  ])('refuses plain http to a non-loopback host: %s', (value) => {
    const error = thrown(() => checkEndpoint(value, 'endpoint', 'env:HSS_ENDPOINT'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toBe(
      `endpoint ${JSON.stringify(value)} (from environment HSS_ENDPOINT): plain http is refused except on loopback; use https://`,
    );
  });

  it.each(['ftp://hss.example.com', 'file:///etc/passwd', 'ws://127.0.0.1'])(
    'refuses the scheme of %s',
    (value) => {
      const error = thrown(() => checkEndpoint(value, 'endpoint', 'flag'));
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toContain('must be an https:// URL');
    },
  );

  it.each(['not a url', 'hss.example.com', ''])('refuses %j as not a URL', (value) => {
    const error = thrown(() => checkEndpoint(value, 'IAM endpoint', 'profile:work'));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `IAM endpoint ${JSON.stringify(value)} (from profile "work"): not a URL`,
    );
  });

  it.each([
    'https://user:s3cretPass@hss.example.com',
    'https://user@hss.example.com',
    'http://user:s3cretPass@127.0.0.1:8080',
  ])('refuses credentials in the URL without echoing them: %s', (value) => {
    const error = thrown(() => checkEndpoint(value, 'endpoint', 'flag'));
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toContain('must not carry a user name or password');
    expect(message).not.toContain('s3cretPass');
  });

  it('applies the endpoint checks to every layer, naming the layer', async () => {
    const dir = configDir({
      current: 'w',
      profiles: { w: { endpoint: 'http://hss.example.com', iam_endpoint: 'https://iam.example.com' } },
    });
    const profileErr = await rejected(settingsFor({}, {}, dir));
    expect(profileErr).toBeInstanceOf(UsageError);
    expect((profileErr as UsageError).message).toContain('(from profile "w")');
    const iamErr = await rejected(
      settingsFor(
        { endpoint: 'https://ok.example.com' },
        { HUAWEICLOUD_SDK_IAM_ENDPOINT: 'http://iam.x' },
        dir,
      ),
    );
    expect(iamErr).toBeInstanceOf(UsageError);
    expect((iamErr as UsageError).message).toContain('IAM endpoint "http://iam.x"');
    expect((iamErr as UsageError).message).toContain('environment HUAWEICLOUD_SDK_IAM_ENDPOINT');
  });

  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.255.255.255', true],
    ['[::1]', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['127.0.0.1.example', false],
    ['localhost.', false],
    ['example.com', false],
  ])('isLoopback(%j) is %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
  });
});

describe('the target of a call: requireEndpoint, and resolveProjectId for the project ID', () => {
  it('returns the endpoint and project ID when both are set', async () => {
    const settings = await settingsFor({ region: 'cn-north-4', projectId: 'p1' }, {}, configDir());
    const target = { endpoint: requireEndpoint(settings), projectId: settings.projectId?.value };
    expect(target).toEqual({
      endpoint: 'https://hss.cn-north-4.myhuaweicloud.com',
      projectId: 'p1',
    });
  });

  it('refuses a missing region/endpoint with exit 3 and a hint', async () => {
    const settings = await settingsFor({ projectId: 'p1' }, {}, configDir());
    const error = thrown(() => requireEndpoint(settings));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as ConfigError).message).toBe('no region or endpoint is set');
    expect((error as ConfigError).hint).toContain('--region');
  });

  it('refuses a missing project ID with exit 3 and a hint', async () => {
    // Without a region there is no project to look up in IAM.
    const settings = await settingsFor({ endpoint: 'https://hss.example.com' }, {}, configDir());
    const error = await rejected(
      resolveProjectId({
        settings,
        credential: { kind: 'token', token: 't0k3n', source: 'env:HSS_TOKEN' },
        http: {} as HttpClient,
        updateStore: () => Promise.reject(new Error('nothing is written')),
        debug: () => {},
        warn: () => {},
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as ConfigError).message).toBe('no project ID is set');
    expect((error as ConfigError).hint).toContain('--project-id');
    expect((error as ConfigError).hint).toContain('HSS_PROJECT_ID');
  });
});

/* ------------------------------------------------------------------------------------------------ */
/* The store file.                                                                                   */
/* ------------------------------------------------------------------------------------------------ */

describe('loadStore', () => {
  it('reads a missing file (and a missing folder) as an empty store', async () => {
    expect(await loadStore(configDir())).toEqual({ version: 1, profiles: {} });
    expect(await loadStore(path.join(root, 'does', 'not', 'exist'))).toEqual({ version: 1, profiles: {} });
  });

  it('reads an empty file as a store without profiles', async () => {
    expect((await loadStore(configDir('  \n'))).profiles).toEqual({});
  });

  it('reads profiles and keeps unknown fields', async () => {
    const store = await loadStore(
      configDir({ version: 1, current: 'a', later: { x: 1 }, profiles: { a: { region: 'r', extra: true } } }),
    );
    expect(store.current).toBe('a');
    expect(store['later']).toEqual({ x: 1 });
    expect(store.profiles['a']).toEqual({ region: 'r', extra: true });
  });

  it.each([
    ['not JSON', '{"profiles": {', 'is not valid JSON'],
    ['an array', '[]', 'is not a valid hss store'],
    ['null', 'null', 'is not a valid hss store'],
    ['a string', '"hello"', 'is not a valid hss store'],
    ['profiles as an array', '{"profiles": []}', 'is not a valid hss store at profiles'],
    ['a profile field of the wrong type', '{"profiles": {"a": {"region": 5}}}', 'at profiles.a.region'],
    ['an unknown auth kind', '{"profiles": {"a": {"auth": "magic"}}}', 'at profiles.a.auth'],
    ['version as a string', '{"version": "1"}', 'at version'],
  ])('refuses %s with a ConfigError naming the file', async (_name, text, fragment) => {
    const dir = configDir(text);
    const error = await rejected(loadStore(dir));
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain(storePath(dir));
    expect(e.message).toContain(fragment);
    expect(e.hint).toContain('never overwrites');
  });

  it('refuses a store path that is a folder, naming it', async () => {
    const dir = configDir();
    mkdirSync(storePath(dir));
    const error = await rejected(loadStore(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(storePath(dir));
  });
});

describe('updateStore', () => {
  it('creates the folder 0700 and the file 0600, and writes what mutate did', async () => {
    const dir = path.join(root, `fresh${dirCount++}`, 'hss');
    const written = await updateStore(dir, (data) => {
      data.current = 'work';
      data.profiles['work'] = { region: 'cn-north-4' };
    });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(storePath(dir)).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(readFileSync(storePath(dir), 'utf8'));
    expect(onDisk).toEqual({ version: 1, current: 'work', profiles: { work: { region: 'cn-north-4' } } });
    expect(written).toEqual(onDisk);
    expect((await loadStore(dir)).profiles['work']?.region).toBe('cn-north-4');
  });

  it('tightens an existing 0644 file, and leaves an existing 0755 folder as it is (hss did not make it)', async () => {
    const dir = configDir({ profiles: {} });
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o755);
    chmodSync(storePath(dir), 0o644);
    await updateStore(dir, (data) => {
      data.current = 'x';
    });
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(storePath(dir)).mode & 0o777).toBe(0o600);
  });

  it('keeps unknown fields, top-level and inside profiles, untouched', async () => {
    const original = {
      version: 1,
      current: 'a',
      future_top: { nested: [1, 'two', null] },
      profiles: {
        a: { region: 'cn-north-1', future_field: { deep: true }, another: 42 },
        b: { project_id: 'pb', unknown_list: ['x'] },
      },
    };
    const dir = configDir(original);
    await updateStore(dir, (data) => {
      const a = data.profiles['a'];
      if (a) a.region = 'cn-north-4';
      data.profiles['c'] = { region: 'eu-west-101' };
    });
    const onDisk = JSON.parse(readFileSync(storePath(dir), 'utf8'));
    expect(onDisk).toEqual({
      ...original,
      profiles: {
        a: { region: 'cn-north-4', future_field: { deep: true }, another: 42 },
        b: { project_id: 'pb', unknown_list: ['x'] },
        c: { region: 'eu-west-101' },
      },
    });
  });

  it('keeps a newer store version', async () => {
    const dir = configDir({ version: 7, profiles: {} });
    const data = await updateStore(dir, () => {});
    expect(data.version).toBe(7);
    expect(JSON.parse(readFileSync(storePath(dir), 'utf8')).version).toBe(7);
  });

  it.each([
    ['corrupt JSON', '{"profiles": {"a": '],
    ['a wrong shape', '{"profiles": {"a": {"region": ["x"]}}, "secret": "keep me"}'],
  ])('never overwrites a store holding %s', async (_name, text) => {
    const dir = configDir(text);
    let called = false;
    const error = await rejected(
      updateStore(dir, (data) => {
        called = true;
        data.profiles = {};
      }),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect((error as ConfigError).message).toContain(storePath(dir));
    expect(called).toBe(false);
    expect(readFileSync(storePath(dir), 'utf8')).toBe(text);
    // The lock is released: a later update of a repaired store works.
    writeFileSync(storePath(dir), '{"profiles":{}}');
    await updateStore(dir, (data) => {
      data.current = 'ok';
    });
    expect((await loadStore(dir)).current).toBe('ok');
  });

  it('does not lose updates made concurrently', async () => {
    const dir = configDir({ profiles: {} });
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        updateStore(dir, (data) => {
          data.profiles[`p${i}`] = { region: `r${i}` };
        }),
      ),
    );
    expect(Object.keys((await loadStore(dir)).profiles).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
  });
});
