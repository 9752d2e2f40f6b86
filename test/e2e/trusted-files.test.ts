/**
 * The files hss takes credentials and commands from — the profile store, the credential cache, the SDK
 * credentials file — and the folders they are in, with real modes and owners: used only when no one
 * but the user can have written them (else exit 3, naming the file and the fix, and nothing run or
 * sent); a warning when others can read them; and folders hss did not make keep their own mode.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SANDBOX_ACCESS_KEY, SANDBOX_SECRET_KEY } from '../../src/sandbox/constants.js';
import { type CliResult, hss, ROOT, tempDir } from '../helpers/cli.js';
import {
  commandLine,
  credentialScript,
  sdkHome,
  writeLoginCache,
  writeStore,
} from '../helpers/credentials.js';
import { SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();
const RETRY = ['task', 'retry', 'task-0001', '--all-failed'];
const asRoot = process.getuid?.() === 0;
const uid = process.getuid?.();

/** The sandbox's endpoints and project, and no credential but what the files give. */
function filesOnly(extra: Record<string, string | undefined> = {}) {
  return sb.env({ HSS_TOKEN: undefined, ...extra });
}

/**
 * A config folder as another user could have prepared it: a profile whose credential command, were
 * it run, would leave a mark (and print a token the sandbox takes).
 */
function plantedStore(): { configDir: string; store: string; marker: string } {
  const configDir = tempDir();
  const marker = path.join(tempDir('hss-marker-'), 'ran');
  writeStore(
    configDir,
    {
      work: {
        endpoint: sb.url,
        credential_command: commandLine(credentialScript(), 'count', marker, SANDBOX_TOKEN),
      },
    },
    'work',
  );
  return { configDir, store: path.join(configDir, 'config.json'), marker };
}

function expectRefused(r: CliResult, error: string, hint: string, marker?: string): void {
  expect(r.exitCode, r.stderr).toBe(3);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`error: ${error}\nhint: ${hint}\n`);
  if (marker !== undefined) expect(existsSync(marker), 'the credential command ran').toBe(false);
  expect(sb.sandbox.requests).toEqual([]);
}

const NOT_YOURS = 'hss does not use what someone else may have written';

describe('a profile store someone else could have written', () => {
  it("the same store, the user's own and 0600, runs its credential command and retries", async () => {
    // What the refusals below prevent: this store makes hss run its command and send what it prints.
    const { configDir, marker } = plantedStore();
    const r = await hss(RETRY, { configDir, env: filesOnly() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('run\n');
  });

  it.each([
    ['writable by others', 0o666, 'others'],
    ['writable by group', 0o620, 'group'],
  ])('a store %s: exit 3, its command never run, nothing sent', async (_name, mode, who) => {
    const { configDir, store, marker } = plantedStore();
    chmodSync(store, mode);
    const r = await hss(RETRY, { configDir, env: filesOnly() });
    expectRefused(
      r,
      `the profile store ${store} is writable by ${who} (mode ${mode.toString(8)}): ${NOT_YOURS}`,
      `\`chmod 600 ${store}\`, or point HSS_CONFIG_DIR at a folder of your own`,
      marker,
    );
    // Every command that reads the store refuses it alike, and none rewrites it.
    for (const args of [
      ['profile', 'list'],
      ['config', 'show'],
      ['profile', 'set', 'work', '--region', 'cn-north-1'],
    ]) {
      const again = await hss(args, { configDir, env: filesOnly() });
      expect(again.exitCode, args.join(' ')).toBe(3);
      expect(again.stderr, args.join(' ')).toContain(`the profile store ${store} is writable by ${who}`);
    }
    expect(statSync(store).mode & 0o777).toBe(mode);
  });

  it.skipIf(!asRoot)('a store owned by another user (uid 65534): exit 3, its command never run', async () => {
    const { configDir, store, marker } = plantedStore();
    chownSync(store, 65534, 65534);
    const r = await hss(RETRY, { configDir, env: filesOnly() });
    expectRefused(
      r,
      `the profile store ${store} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
      `if it is yours, \`chown ${uid} ${store}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
      marker,
    );
  });

  it.each([
    ['writable by others (0777)', 0o777, 'others'],
    ['sticky and writable by all (1777, like /tmp)', 0o1777, 'others'],
    ['writable by group (0770)', 0o770, 'group'],
  ])(
    "a config folder %s, around a 0600 store of the user's: exit 3, the command never run",
    async (_name, mode, who) => {
      const { configDir, marker } = plantedStore();
      chmodSync(configDir, mode);
      const r = await hss(RETRY, { configDir, env: filesOnly() });
      expectRefused(
        r,
        `the folder ${configDir} of the profile store is writable by ${who} (mode ${mode.toString(8)}): ${NOT_YOURS}`,
        `if the folder is yours alone, \`chmod go-w ${configDir}\`, or point HSS_CONFIG_DIR at a folder of your own`,
        marker,
      );
      expect(statSync(configDir).mode & 0o7777).toBe(mode);
    },
  );

  it.skipIf(!asRoot)('a config folder owned by another user: exit 3', async () => {
    const { configDir, marker } = plantedStore();
    chownSync(configDir, 65534, 65534);
    const r = await hss(RETRY, { configDir, env: filesOnly() });
    expectRefused(
      r,
      `the folder ${configDir} of the profile store is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
      `if it is yours, \`chown ${uid} ${configDir}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
      marker,
    );
  });

  it('a world-writable config folder with no store in it yet: runs that read nothing from it work; writing refuses it', async () => {
    const configDir = tempDir();
    chmodSync(configDir, 0o1777);
    const read = await hss(RETRY, { configDir, env: sb.env() });
    expect(read.exitCode, read.stderr).toBe(0);
    const write = await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir });
    expect(write.exitCode).toBe(3);
    expect(write.stderr).toContain(
      `error: the folder ${configDir} of the profile store is writable by others (mode 1777)`,
    );
    expect(readdirSync(configDir)).toEqual([]);
    expect(statSync(configDir).mode & 0o7777).toBe(0o1777);
  });
});

describe('a credential cache someone else could have written', () => {
  function cached(): { configDir: string; cache: string } {
    const configDir = tempDir();
    writeStore(configDir, { lab: { endpoint: sb.url, iam_endpoint: sb.url, region: 'cn-north-4' } }, 'lab');
    writeLoginCache(configDir, 'lab', sb.url, {
      token: 'planted-token-value',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      project_id: 'planted-project',
      project_name: 'cn-north-4',
    });
    return { configDir, cache: path.join(configDir, 'credentials.json') };
  }

  it('writable by others: exit 3, its token never sent', async () => {
    const { configDir, cache } = cached();
    chmodSync(cache, 0o646);
    const r = await hss(RETRY, { configDir, env: filesOnly({ HSS_PROJECT_ID: undefined }) });
    expectRefused(
      r,
      `the credential cache ${cache} is writable by others (mode 646): ${NOT_YOURS}`,
      `\`chmod 600 ${cache}\`, or point HSS_CONFIG_DIR at a folder of your own`,
    );
  });

  it.skipIf(!asRoot)('owned by another user: exit 3, also for auth status', async () => {
    const { configDir, cache } = cached();
    chownSync(cache, 65534, 65534);
    for (const args of [RETRY, ['auth', 'status']]) {
      const r = await hss(args, { configDir, env: filesOnly() });
      expectRefused(
        r,
        `the credential cache ${cache} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
        `if it is yours, \`chown ${uid} ${cache}\` (as root); else point HSS_CONFIG_DIR at a folder of your own`,
      );
    }
  });

  it('readable by others: used, with the same warning as the store', async () => {
    const { configDir, cache } = cached();
    chmodSync(cache, 0o644);
    const r = await hss(['auth', 'status', '--offline'], { configDir, env: filesOnly() });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `warning: the credential cache ${cache} can be read by other users (mode 644); run \`chmod 600 ${cache}\`\n`,
    );
    chmodSync(cache, 0o600);
    expect((await hss(['auth', 'status', '--offline'], { configDir, env: filesOnly() })).stderr).toBe('');
  });
});

describe('the SDK credentials file someone else could have written', () => {
  const KEYS = ['[basic]', `ak = ${SANDBOX_ACCESS_KEY}`, `sk = ${SANDBOX_SECRET_KEY}`];

  it('writable by others: exit 3, nothing signed or sent', async () => {
    const { home, file } = sdkHome(KEYS);
    chmodSync(file, 0o666);
    const r = await hss(RETRY, { env: filesOnly({ HOME: home }) });
    expectRefused(
      r,
      `the credentials file ${file} is writable by others (mode 666): ${NOT_YOURS}`,
      `\`chmod 600 ${file}\`, or point HUAWEICLOUD_SDK_CREDENTIALS_FILE at a file of your own`,
    );
  });

  it('in a folder writable by others: exit 3', async () => {
    const { home, file } = sdkHome(KEYS);
    const folder = path.dirname(file);
    chmodSync(folder, 0o777);
    const r = await hss(RETRY, { env: filesOnly({ HOME: home }) });
    expectRefused(
      r,
      `the folder ${folder} of the credentials file is writable by others (mode 777): ${NOT_YOURS}`,
      `if the folder is yours alone, \`chmod go-w ${folder}\`, or point HUAWEICLOUD_SDK_CREDENTIALS_FILE at a file of your own`,
    );
  });

  it.skipIf(!asRoot)('owned by another user, named by HUAWEICLOUD_SDK_CREDENTIALS_FILE: exit 3', async () => {
    const { file } = sdkHome(KEYS);
    chownSync(file, 65534, 65534);
    const r = await hss(RETRY, { env: filesOnly({ HUAWEICLOUD_SDK_CREDENTIALS_FILE: file }) });
    expectRefused(
      r,
      `the credentials file ${file} is owned by uid 65534, not by you (uid ${uid}): ${NOT_YOURS}`,
      `if it is yours, \`chown ${uid} ${file}\` (as root); else point HUAWEICLOUD_SDK_CREDENTIALS_FILE at a file of your own`,
    );
  });

  it('readable by others: used, with the same warning as the store', async () => {
    const { home, file } = sdkHome(KEYS);
    chmodSync(file, 0o644);
    const r = await hss(RETRY, { env: filesOnly({ HOME: home }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `warning: the credentials file ${file} can be read by other users (mode 644); run \`chmod 600 ${file}\`\n`,
    );
    expect(sb.sandbox.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
  });
});

describe('a config folder hss did not make keeps its mode', () => {
  it("an existing 0755 folder of the user's stays 0755 when the store is written in it", async () => {
    const configDir = tempDir();
    chmodSync(configDir, 0o755);
    const r = await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(statSync(configDir).mode & 0o7777).toBe(0o755);
    expect(statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('through a symlink, the folder it points at keeps its mode (0750), for the store and the cache', async () => {
    const target = tempDir();
    chmodSync(target, 0o750);
    const link = path.join(tempDir(), 'hss-link');
    symlinkSync(target, link);
    const set = await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir: link });
    expect(set.exitCode, set.stderr).toBe(0);
    const logout = await hss(['auth', 'logout', '-p', 'a'], { configDir: link });
    expect(logout.exitCode, logout.stderr).toBe(0);
    expect(statSync(target).mode & 0o7777).toBe(0o750);
  });

  it('a folder hss makes is 0700, and so are the parents it makes', async () => {
    const base = tempDir();
    chmodSync(base, 0o755);
    const configDir = path.join(base, 'a', 'hss');
    const r = await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(statSync(configDir).mode & 0o7777).toBe(0o700);
    expect(statSync(path.join(base, 'a')).mode & 0o7777).toBe(0o700);
    expect(statSync(base).mode & 0o7777).toBe(0o755);
  });

  it('a shared 1777 folder is refused for the store, not chmod-ed', async () => {
    const shared = tempDir();
    chmodSync(shared, 0o1777);
    mkdirSync(path.join(shared, 'unrelated'));
    writeFileSync(path.join(shared, 'note'), 'x');
    const r = await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir: shared });
    expect(r.exitCode).toBe(3);
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(readdirSync(shared).sort()).toEqual(['note', 'unrelated']);
  });
});

/** Whether another user can run this Node (one npx unpacked under /root cannot be). */
function nodeRunnableByOthers(): boolean {
  for (let p = process.execPath; p !== path.dirname(p); p = path.dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
  }
  return true;
}

describe("files of root's, read by another user", () => {
  // A user other than root is needed: the suite runs as root in CI, and runs hss as uid 65534 here.
  const asNobody = async (configDir: string) => {
    const { execa } = await import('execa');
    const r = await execa(process.execPath, [path.join(ROOT, 'bin', 'hss.js'), 'profile', 'list'], {
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: configDir,
        HSS_CONFIG_DIR: configDir,
        HSS_COMPILE_CACHE: '0',
      },
      extendEnv: false,
      reject: false,
      uid: 65534,
      gid: 65534,
      cwd: configDir,
    });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  /** A config folder and store as root leaves them for everyone to read (a mounted secret, say). */
  const rootsStore = () => {
    const configDir = tempDir();
    writeStore(configDir, { shared: { region: 'cn-north-4' } }, 'shared');
    chmodSync(configDir, 0o755);
    chmodSync(path.join(configDir, 'config.json'), 0o644);
    return configDir;
  };

  it.skipIf(!asRoot || !nodeRunnableByOthers())(
    'are used, as root could write anything anyway: with the warning that others can read them',
    async () => {
      const configDir = rootsStore();
      const r = await asNobody(configDir);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^\* +shared +cn-north-4/m);
      expect(r.stderr).toContain('can be read by other users (mode 644)');
    },
  );

  it.skipIf(!asRoot || !nodeRunnableByOthers())("are refused when they are a third user's", async () => {
    const configDir = rootsStore();
    chownSync(path.join(configDir, 'config.json'), 1234, 1234);
    const r = await asNobody(configDir);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`is owned by uid 1234, not by you (uid 65534): ${NOT_YOURS}`);
  });
});
