/**
 * Settings resolution, module by module: which value wins and what the run is told about it
 * (settings/resolve.ts), and where requests may go (settings/endpoints.ts). The expected values are
 * the API reference's (hss-task-api §3: endpoints and regions) and the contract's messages, written
 * out here; test/unit/settings.test.ts covers precedence layer by layer and the store.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/core/errors.js';
import {
  checkEndpoint,
  DEFAULT_IAM_ENDPOINT,
  hssEndpointFor,
  KNOWN_REGIONS,
} from '../../src/settings/endpoints.js';
import type { GlobalFlags } from '../../src/settings/flags.js';
import {
  iamEndpointIsOneOff,
  profileIamEndpoint,
  requireEndpoint,
  resolveSettings,
  type Settings,
  selectProfile,
} from '../../src/settings/resolve.js';
import type { Profile, StoreFile } from '../../src/settings/store-schema.js';

type Env = Record<string, string | undefined>;

function store(profiles: Record<string, Profile>, current?: string): StoreFile {
  return { version: 1, profiles, ...(current === undefined ? {} : { current }) } as StoreFile;
}

function resolve(flags: GlobalFlags, env: Env, profile?: Profile): Settings {
  return resolveSettings(flags, env, store(profile ? { work: profile } : {}, profile ? 'work' : undefined));
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** The global IAM endpoint of the API reference (hss-task-api §3). */
const GLOBAL_IAM = 'https://iam.myhuaweicloud.com';

describe('endpoints: the API reference (hss-task-api §3)', () => {
  it('the default IAM endpoint is the global one', () => {
    expect(DEFAULT_IAM_ENDPOINT).toBe(GLOBAL_IAM);
    expect(resolve({}, {}).iamEndpoint).toEqual({ value: GLOBAL_IAM, source: 'default' });
  });

  it('knows exactly the regions the SDKs know for HSS', () => {
    const listed =
      'cn-north-1, cn-north-2, cn-north-4, cn-north-9, cn-north-11, cn-north-12, cn-east-2, cn-east-3, ' +
      'cn-east-4, cn-east-5, cn-south-1, cn-south-2, cn-south-4, cn-southwest-2, cn-southwest-3, ' +
      'ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, af-south-1, ' +
      'af-north-1, na-mexico-1, sa-brazil-1, la-south-2, la-north-2, tr-west-1, ae-ad-1, me-east-1, ' +
      'my-kualalumpur-1, eu-west-101, ru-moscow-1';
    expect([...KNOWN_REGIONS].sort()).toEqual(listed.split(', ').sort());
  });

  it('derives .eu only for eu-west-101', () => {
    expect(hssEndpointFor('eu-west-101')).toBe('https://hss.eu-west-101.myhuaweicloud.eu');
    expect(hssEndpointFor('eu-west-1')).toBe('https://hss.eu-west-1.myhuaweicloud.com');
    expect(hssEndpointFor('ru-moscow-1')).toBe('https://hss.ru-moscow-1.myhuaweicloud.com');
  });
});

describe('checkEndpoint: the exact refusals', () => {
  const URL_HINT = 'give a full URL, e.g. https://hss.cn-north-4.myhuaweicloud.com';

  it('not a URL: the value, where it came from, and an example', () => {
    const error = thrown(() => checkEndpoint('hss.example.com', 'endpoint', 'env:HSS_ENDPOINT'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('endpoint "hss.example.com" (from environment HSS_ENDPOINT): not a URL');
    expect((error as UsageError).hint).toBe(URL_HINT);
  });

  it('another scheme: must be https', () => {
    const error = thrown(() => checkEndpoint('ftp://hss.example.com', 'IAM endpoint', 'profile:work'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      'IAM endpoint "ftp://hss.example.com" (from profile "work"): must be an https:// URL',
    );
    expect((error as UsageError).hint).toBe(URL_HINT);
  });

  it('plain http away from loopback: refused without a hint', () => {
    const error = thrown(() => checkEndpoint('http://10.1.2.3', 'endpoint', 'flag'));
    expect(error.message).toBe(
      'endpoint "http://10.1.2.3" (from command-line flag): plain http is refused except on loopback; use https://',
    );
    expect((error as UsageError).hint).toBeUndefined();
  });

  it.each([
    'https://alice:pw@hss.example.com',
    'https://alice@hss.example.com',
    'https://:pw@hss.example.com',
  ])('a user name or password (%s): neither is echoed', (value) => {
    const error = thrown(() => checkEndpoint(value, 'endpoint', 'flag'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('endpoint (from command-line flag): must not carry a user name or password');
    expect((error as UsageError).hint).toBe(
      'remove the user:password@ part; credentials come from a token, keys or `hss auth login`',
    );
  });

  it('keeps the path, drops a query, a fragment and trailing slashes', () => {
    expect(checkEndpoint('https://hss.example.com/a/b///?x=1#f', 'endpoint', 'flag')).toBe(
      'https://hss.example.com/a/b',
    );
    expect(checkEndpoint('https://hss.example.com:8443', 'endpoint', 'flag')).toBe(
      'https://hss.example.com:8443',
    );
  });
});

describe('resolveSettings: what is used, and what is not', () => {
  it('an empty profile field is unset: the region derives the endpoint, IAM takes the default', () => {
    const s = resolve({}, {}, { region: 'cn-east-3', endpoint: '', iam_endpoint: '', project_id: '' });
    expect(s.endpoint).toEqual({
      value: 'https://hss.cn-east-3.myhuaweicloud.com',
      source: 'derived:region cn-east-3',
    });
    expect(s.iamEndpoint).toEqual({ value: GLOBAL_IAM, source: 'default' });
    expect('projectId' in s).toBe(false);
  });

  it('sets only the settings that have a value', () => {
    const s = resolve({}, {});
    expect(Object.keys(s).sort()).toEqual(
      ['iamEndpoint', 'profile', 'profileExplicit', 'profileName', 'store'].sort(),
    );
    const all = resolve({ region: 'cn-north-4', projectId: 'p', enterpriseProject: '0' }, {});
    expect(Object.keys(all).sort()).toEqual(
      [
        'endpoint',
        'enterpriseProject',
        'iamEndpoint',
        'profile',
        'profileExplicit',
        'profileName',
        'projectId',
        'region',
        'store',
      ].sort(),
    );
  });

  it('several regions (a comma list, or all) are a list of regions, with no one region or endpoint', () => {
    const listed = resolve({ region: 'cn-north-4,cn-east-3' }, {});
    expect(listed.regions).toEqual({ value: ['cn-north-4', 'cn-east-3'], source: 'flag' });
    expect('region' in listed).toBe(false);
    expect('endpoint' in listed).toBe(false);
    const all = resolve({}, { HSS_REGION: 'all' }, { region: 'cn-north-1' });
    expect(all.regions).toEqual({ value: 'all', source: 'env:HSS_REGION' });
    expect('region' in all).toBe(false);
    const one = resolve({}, {}, { region: 'cn-north-1' });
    expect(one.region).toEqual({ value: 'cn-north-1', source: 'profile:work' });
    expect('regions' in one).toBe(false);
  });

  it('a region checks the endpoint it derives like any endpoint', () => {
    const error = thrown(() => resolve({ region: 'Not A Region' }, {}));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/^region "Not A Region" \(from command-line flag\): /);
  });

  it('an explicit endpoint wins over the one a region derives, and is normalised', () => {
    const s = resolve({ region: 'cn-north-4' }, { HSS_ENDPOINT: 'https://HSS.example.com/x/' });
    expect(s.endpoint).toEqual({ value: 'https://hss.example.com/x', source: 'env:HSS_ENDPOINT' });
    expect(s.region).toEqual({ value: 'cn-north-4', source: 'flag' });
  });

  it('an explicit endpoint is refused by name, naming its layer', () => {
    const error = thrown(() => resolve({ region: 'cn-north-4' }, { HSS_ENDPOINT: 'http://hss.example.com' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      'endpoint "http://hss.example.com" (from environment HSS_ENDPOINT): plain http is refused except on loopback; use https://',
    );
    const fromProfile = thrown(() => resolve({}, {}, { endpoint: 'ftp://hss.example.com' }));
    expect(fromProfile.message).toBe(
      'endpoint "ftp://hss.example.com" (from profile "work"): must be an https:// URL',
    );
  });

  it('the IAM endpoint of every layer is checked and normalised, naming the layer', () => {
    expect(resolve({ iamEndpoint: 'https://IAM.example.com/' }, {}).iamEndpoint).toEqual({
      value: 'https://iam.example.com',
      source: 'flag',
    });
    const error = thrown(() => resolve({}, {}, { iam_endpoint: 'http://iam.example.com' }));
    expect(error.message).toBe(
      'IAM endpoint "http://iam.example.com" (from profile "work"): plain http is refused except on loopback; use https://',
    );
  });

  it("notes where a profile's project ID was looked up, only when the profile gave it", () => {
    const profile: Profile = { project_id: 'abc', project_id_source: 'iam:projects' };
    expect(resolve({}, {}, profile).projectId).toEqual({
      value: 'abc',
      source: 'profile:work (iam:projects)',
    });
    expect(resolve({}, { HSS_PROJECT_ID: 'env-p' }, profile).projectId).toEqual({
      value: 'env-p',
      source: 'env:HSS_PROJECT_ID',
    });
    expect(resolve({}, {}, { project_id: 'abc' }).projectId).toEqual({
      value: 'abc',
      source: 'profile:work',
    });
  });

  it('names the setting, the value and where it came from when a value breaks its rule', () => {
    expect(thrown(() => resolve({}, { HSS_REGION: 'CN_NORTH' })).message).toMatch(
      /^region "CN_NORTH" \(from environment HSS_REGION\): /,
    );
    expect(thrown(() => resolve({}, {}, { project_id: 'p'.repeat(257) })).message).toMatch(
      /^project ID "p+…?" \(from profile "work"\): /,
    );
    expect(thrown(() => resolve({ enterpriseProject: '' }, {})).message).toMatch(
      /^enterprise project ID "" \(from command-line flag\): /,
    );
  });
});

describe('selectProfile: names given by the user are checked', () => {
  it.each([
    [{ profile: 'a b' }, {}, 'a b', 'command-line flag'],
    [{}, { HSS_PROFILE: '__proto__' }, '__proto__', 'environment HSS_PROFILE'],
  ] as Array<[GlobalFlags, Env, string, string]>)(
    'refuses a bad name (%j %j) with exit 2, naming where it came from',
    (flags, env, name, from) => {
      const error = thrown(() => selectProfile(flags, env, store({})));
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect(error.message.startsWith(`profile name ${JSON.stringify(name)} (from ${from}): `)).toBe(true);
    },
  );

  it("takes the store's current profile as it is (the store was checked when loaded)", () => {
    expect(selectProfile({}, {}, store({}, 'cur'))).toEqual({
      name: { value: 'cur', source: 'store:current' },
      explicit: false,
    });
  });

  it('an unknown explicit profile: exit 3, listing the known ones and how to create it', () => {
    const error = thrown(() => resolveSettings({ profile: 'nope' }, {}, store({ a: {}, b: {} })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe('unknown profile "nope" (from command-line flag)');
    expect((error as ConfigError).hint).toBe(
      'known profiles: a, b; create one with `hss profile set nope …`',
    );
    const none = thrown(() => resolveSettings({}, { HSS_PROFILE: 'ghost' }, store({})));
    expect((none as ConfigError).hint).toBe('create it with `hss profile set ghost --region …`');
  });
});

describe('the IAM endpoint a profile keeps, and one-off overrides', () => {
  it.each([
    [{}, GLOBAL_IAM],
    [{ iam_endpoint: '' }, GLOBAL_IAM],
    [
      { iam_endpoint: 'https://IAM.cn-north-4.myhuaweicloud.com/' },
      'https://iam.cn-north-4.myhuaweicloud.com',
    ],
    [{ iam_endpoint: 'not a url' }, undefined],
    [{ iam_endpoint: 'http://iam.example.com' }, undefined],
  ])('profileIamEndpoint(%j) is %s', (profile, expected) => {
    expect(profileIamEndpoint(profile as Profile)).toBe(expected);
  });

  it.each([
    ['a flag naming another endpoint', { iamEndpoint: 'https://iam.other.example' }, {}, {}, true],
    ['a variable naming another endpoint', {}, { HSS_IAM_ENDPOINT: 'https://iam.other.example' }, {}, true],
    ['a flag naming the default, on a profile without one', { iamEndpoint: GLOBAL_IAM }, {}, {}, false],
    [
      "a variable naming the profile's own (written differently)",
      {},
      { HUAWEICLOUD_SDK_IAM_ENDPOINT: 'https://IAM.p.example/' },
      { iam_endpoint: 'https://iam.p.example' },
      false,
    ],
    ["the profile's own", {}, {}, { iam_endpoint: 'https://iam.p.example' }, false],
    ['the default', {}, {}, {}, false],
    [
      'a flag over a profile whose own endpoint is unusable',
      { iamEndpoint: 'https://iam.other.example' },
      {},
      { iam_endpoint: 'not a url' },
      true,
    ],
  ])('%s: one-off is %s', (_name, flags, env, profile, oneOff) => {
    expect(iamEndpointIsOneOff(resolve(flags, env, profile))).toBe(oneOff);
  });
});

describe('requireEndpoint', () => {
  it('gives the endpoint, or exit 3 saying the three ways to set one', () => {
    expect(requireEndpoint(resolve({ endpoint: 'https://hss.example.com' }, {}))).toBe(
      'https://hss.example.com',
    );
    const error = thrown(() => requireEndpoint(resolve({}, {})));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(3);
    expect(error.message).toBe('no region or endpoint is set');
    expect((error as ConfigError).hint).toBe(
      'pass --region (e.g. cn-north-4), set HSS_REGION, or `hss profile set NAME --region …`',
    );
  });
});
