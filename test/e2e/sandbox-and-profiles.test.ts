import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

describe('hss sandbox as a process', () => {
  it('listens on a free port, saves a profile, serves a retry, and stops cleanly on SIGTERM', async () => {
    const configDir = tempDir();
    const child = execa(process.execPath, [BIN, 'sandbox', '--port', '0', '--save-profile', 'sb', '--json'], {
      env: baseEnv(configDir),
      extendEnv: false,
      reject: false,
    });
    const lines = createInterface({ input: child.stdout! });
    const [first] = (await once(lines, 'line')) as [string];
    const banner = JSON.parse(first);
    expect(banner).toMatchObject({
      ok: true,
      profile: 'sb',
      token: 'hss-sandbox-token',
      region: 'cn-north-4',
    });
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The projects it hosts: three regions and a sub-project (MOS and the disabled one host nothing).
    expect(banner.projects.map((p: { name: string; region: string }) => `${p.region} ${p.name}`)).toEqual([
      'cn-north-4 cn-north-4',
      'cn-north-4 cn-north-4_dev',
      'cn-east-3 cn-east-3',
      'ap-southeast-1 ap-southeast-1',
    ]);
    expect(banner.projects[0].project_id).toBe(banner.project_id);
    expect(statSync(path.join(configDir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);

    const retry = await hss(['task', 'retry', 'task-0001', '--all-failed'], { configDir });
    expect(retry.exitCode, retry.stderr).toBe(0);
    const seen = (await (await fetch(`${banner.url}/__sandbox/requests`)).json()) as Array<{
      method: string;
      path: string;
    }>;
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([
      `PUT /v5/${banner.project_id}/common/tasks/task-0001/retry`,
    ]);

    child.kill('SIGTERM');
    const done = await child;
    expect(done.exitCode).toBe(0);
    expect(String(done.stderr)).toContain('sandbox stopped');
  });

  it('-o yaml: the same banner as one YAML document, ended with "..." while the server runs on', async () => {
    const configDir = tempDir();
    const child = execa(process.execPath, [BIN, 'sandbox', '--port', '0', '-o', 'yaml'], {
      env: baseEnv(configDir),
      extendEnv: false,
      reject: false,
    });
    const lines = createInterface({ input: child.stdout! });
    const document: string[] = [];
    for await (const line of lines) {
      if (line === '...') break;
      document.push(line);
    }
    const banner = parse(document.join('\n')) as {
      ok: boolean;
      url: string;
      project_id: string;
      token: string;
    };
    expect(banner).toMatchObject({ ok: true, token: 'hss-sandbox-token', project_id: SANDBOX_PROJECT_ID });
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // It serves while the document is read: the server is up.
    expect((await fetch(`${banner.url}/__sandbox/requests`)).status).toBe(200);
    child.kill('SIGTERM');
    expect((await child).exitCode).toBe(0);
  });

  /** Starts `hss sandbox` in text mode and reads its banner up to the Ctrl-C line. */
  async function textSandbox(args: string[], configDir: string) {
    const child = execa(process.execPath, [BIN, 'sandbox', '--port', '0', ...args], {
      env: baseEnv(configDir),
      extendEnv: false,
      reject: false,
    });
    const lines = createInterface({ input: child.stdout! });
    const banner: string[] = [];
    for await (const line of lines) {
      banner.push(line);
      if (line.includes('Ctrl-C stops it')) break;
    }
    return { child, banner };
  }

  /** Runs a banner's `try:` line as a shell would: leading NAME=value words are its environment. */
  async function runTryLine(banner: string[], configDir: string) {
    const line = banner.find((l) => l.trimStart().startsWith('try: '));
    expect(line, banner.join('\n')).toBeDefined();
    const words = line!.trim().slice('try: '.length).split(' ');
    const env: Record<string, string> = {};
    while (/^[A-Z_]+=/.test(words[0]!)) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
    expect(words.shift()).toBe('hss');
    return hss(words, { configDir, env });
  }

  it.each([
    ['the default host', []],
    ['--host 0.0.0.0', ['--host', '0.0.0.0']],
    ['--save-profile', ['--save-profile', 'sb']],
    ['--host 0.0.0.0 --save-profile', ['--host', '0.0.0.0', '--save-profile', 'sb']],
  ])('suggests a try: line that hss runs, with %s', async (_name, args) => {
    const configDir = tempDir();
    const { child, banner } = await textSandbox(args, configDir);
    try {
      const r = await runTryLine(banner, configDir);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^✔ task-0001: retry accepted/);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('on every address, saves a profile with the loopback URL, which hss accepts', async () => {
    const configDir = tempDir();
    const child = execa(
      process.execPath,
      [BIN, 'sandbox', '--port', '0', '--host', '0.0.0.0', '--save-profile', 'lan', '--json'],
      { env: baseEnv(configDir), extendEnv: false, reject: false },
    );
    try {
      const lines = createInterface({ input: child.stdout! });
      const [first] = (await once(lines, 'line')) as [string];
      const banner = JSON.parse(first);
      expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const shown = await hss(['profile', 'show', 'lan', '--json'], { configDir });
      expect(JSON.parse(shown.stdout).profile).toMatchObject({
        endpoint: banner.url,
        iam_endpoint: banner.url,
      });
      const retry = await hss(['-p', 'lan', 'task', 'retry', 'task-0001', '--all-failed'], { configDir });
      expect(retry.exitCode, retry.stderr).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });

  it('refuses --save-profile on one non-loopback address (exit 2), before listening', async () => {
    const configDir = tempDir();
    const r = await hss(['sandbox', '--port', '0', '--host', '192.0.2.7', '--save-profile', 'x'], {
      configDir,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --save-profile with --host "192\.0\.2\.7": hss sends credentials over plain http only to loopback/,
    );
    expect(r.stdout).toBe('');
  });

  it('refuses a bad fault spec with exit 2 before listening', async () => {
    const r = await hss(['sandbox', '--port', '0', '--fault', '503y2']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --fault: invalid fault spec "503y2"/);
  });
});

describe('hss profile', () => {
  it('set, list, use, show and remove', async () => {
    const configDir = tempDir();
    expect((await hss(['profile', 'set', 'a', '--region', 'cn-north-4'], { configDir })).exitCode).toBe(0);
    const b = await hss(['profile', 'set', 'b', '--region', 'ap-southeast-1', '--project-id', 'p-b'], {
      configDir,
    });
    expect(b.stdout).toBe('✔ profile b created (region, project_id)\n');

    const list = await hss(['profile', 'list', '--json'], { configDir });
    expect(JSON.parse(list.stdout)).toEqual({
      ok: true,
      current: 'a',
      profiles: [
        { name: 'a', current: true, region: 'cn-north-4' },
        { name: 'b', current: false, region: 'ap-southeast-1', project_id: 'p-b' },
      ],
    });
    expect((await hss(['profile', 'use', 'b'], { configDir })).stdout).toBe('✔ now using profile b\n');
    const config = await hss(['config', 'show', '--json'], { configDir });
    expect(JSON.parse(config.stdout).settings).toMatchObject({
      profile: { value: 'b', source: 'store:current' },
      region: { value: 'ap-southeast-1', source: 'profile:b' },
      project_id: { value: 'p-b', source: 'profile:b' },
      endpoint: {
        value: 'https://hss.ap-southeast-1.myhuaweicloud.com',
        source: 'derived:region ap-southeast-1',
      },
    });
    const flagWins = await hss(['config', 'show', '--json', '--region', 'eu-west-101'], {
      configDir,
      env: { HSS_REGION: 'cn-east-3' },
    });
    expect(JSON.parse(flagWins.stdout).settings.endpoint.value).toBe(
      'https://hss.eu-west-101.myhuaweicloud.eu',
    );

    const rm = await hss(['profile', 'remove', 'b', '--yes'], { configDir });
    expect(rm.stdout).toBe('✔ profile b removed; no profile is current now\n');
    const gone = await hss(['profile', 'show', 'b'], { configDir });
    expect(gone.exitCode).toBe(3);
    expect(gone.stderr).toMatch(/^error: unknown profile "b"\nhint: known profiles: a\n$/);
  });

  it('profile delete and profile rm are remove by other names', async () => {
    const configDir = tempDir();
    for (const name of ['a', 'b', 'c']) {
      expect((await hss(['profile', 'set', name, '--region', 'cn-north-4'], { configDir })).exitCode).toBe(0);
    }
    expect(await hss(['profile', 'delete', 'b', '-y'], { configDir })).toEqual({
      exitCode: 0,
      stdout: '✔ profile b removed\n',
      stderr: '',
    });
    expect((await hss(['profile', 'rm', 'c', '--yes'], { configDir })).stdout).toBe('✔ profile c removed\n');
    const list = await hss(['profile', 'list', '--json'], { configDir });
    expect(JSON.parse(list.stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['a']);
  });

  it('warns about a region it does not know, and saves it anyway', async () => {
    const configDir = tempDir();
    const r = await hss(['profile', 'set', 'x', '--region', 'xx-moon-1'], { configDir });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('warning: region "xx-moon-1" is not one hss knows; saving it anyway\n');
  });

  it('refuses a bad profile name and a secret given as a flag value', async () => {
    const bad = await hss(['profile', 'set', 'a b']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^error: profile name "a b": profile name may hold only letters/);
    const secretFlag = await hss(['profile', 'set', 'a', '--token', 'abc']);
    expect(secretFlag.exitCode).toBe(2);
    expect(secretFlag.stderr).toMatch(/^error: unknown option '--token'/);
  });
});

describe('profile names that are names of object properties', () => {
  const sb = useSandbox();

  it('`profile set __proto__` is refused (exit 2), the token neither lost nor stored', async () => {
    const configDir = tempDir();
    const r = await hss(['profile', 'set', '__proto__', '--token-stdin'], {
      configDir,
      input: 'a-token-value\n',
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: profile name "__proto__": profile name "__proto__" is reserved\n');
    expect(existsSync(path.join(configDir, 'config.json'))).toBe(false);
  });

  it('constructor, toString and hasOwnProperty are names like any other: absent until made, then kept', async () => {
    const configDir = tempDir();
    expect((await hss(['profile', 'set', 'lab', '--region', 'cn-north-4'], { configDir })).exitCode).toBe(0);
    const unknown = /^error: unknown profile "(constructor|toString|hasOwnProperty|valueOf)"/;
    for (const [args, env] of [
      [['profile', 'remove', 'toString'], {}],
      [['profile', 'use', 'constructor'], {}],
      [['profile', 'show', 'hasOwnProperty'], {}],
      [['-p', 'constructor', 'config', 'show'], {}],
      [['profile', 'show'], { HSS_PROFILE: 'valueOf' }],
      [['task', 'retry', 'task-0001', '--all-failed'], { ...sb.env(), HSS_PROFILE: 'toString' }],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await hss(args, { configDir, env });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(3);
      expect(r.stderr, args.join(' ')).toMatch(unknown);
    }
    expect(JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8'))).toEqual({
      version: 1,
      current: 'lab',
      profiles: { lab: { region: 'cn-north-4' } },
    });
    expect(sb.sandbox.requests).toEqual([]);

    // Made, `constructor` holds its token and endpoint like any profile, and is removed like one.
    const set = await hss(
      [
        'profile',
        'set',
        'constructor',
        '--endpoint',
        sb.url,
        '--project-id',
        SANDBOX_PROJECT_ID,
        '--token-stdin',
      ],
      { configDir, input: `${SANDBOX_TOKEN}\n` },
    );
    expect(set.exitCode, set.stderr).toBe(0);
    const retry = await hss(['-p', 'constructor', 'task', 'retry', 'task-0001', '--all-failed'], {
      configDir,
    });
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(sb.sandbox.requests.map((q) => q.headers['x-auth-token'])).toEqual([SANDBOX_TOKEN]);
    const list = JSON.parse((await hss(['profile', 'list', '--json'], { configDir })).stdout);
    expect(list.profiles.map((p: { name: string }) => p.name)).toEqual(['lab', 'constructor']);
    expect((await hss(['profile', 'remove', 'constructor', '--yes'], { configDir })).exitCode).toBe(0);
    expect((await hss(['-p', 'constructor', 'config', 'show'], { configDir })).exitCode).toBe(3);
  });

  it.each([
    [
      '-p',
      ['-p', '__proto__', 'config', 'show'],
      {},
      '"__proto__" (from command-line flag): profile name "__proto__" is reserved',
    ],
    [
      '-p',
      ['-p', 'a b', 'config', 'show'],
      {},
      '"a b" (from command-line flag): profile name may hold only letters',
    ],
    [
      'HSS_PROFILE',
      ['config', 'show'],
      { HSS_PROFILE: '__proto__' },
      '"__proto__" (from environment HSS_PROFILE): profile name "__proto__" is reserved',
    ],
    [
      'HSS_PROFILE',
      ['profile', 'show'],
      { HSS_PROFILE: 'x'.repeat(65) },
      `"${'x'.repeat(48)}…" (from environment HSS_PROFILE): profile name is 65 characters; the limit is 1–64`,
    ],
    [
      'profile show',
      ['profile', 'show', '__proto__'],
      {},
      '"__proto__": profile name "__proto__" is reserved',
    ],
    [
      'profile remove',
      ['profile', 'remove', '__proto__'],
      {},
      '"__proto__": profile name "__proto__" is reserved',
    ],
    [
      '--save-profile',
      ['sandbox', '--port', '0', '--save-profile', '__proto__'],
      {},
      '"__proto__": profile name "__proto__" is reserved',
    ],
  ] as Array<[string, string[], Record<string, string>, string]>)(
    'a bad name from %s: exit 2, naming it and the rule',
    async (_from, args, env, message) => {
      const configDir = tempDir();
      const r = await hss(args, { configDir, env });
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr.split('\n')[0]).toContain(
        `error: ${args[0] === 'sandbox' ? '--save-profile' : 'profile name'} ${message}`,
      );
    },
  );

  it.each([
    ['"current" naming __proto__', { version: 1, current: '__proto__', profiles: {} }, 'at current'],
    [
      'a profile named "a b"',
      { version: 1, profiles: { 'a b': { region: 'cn-north-4' } } },
      'at profiles."a b"',
    ],
    [
      'a profile named __proto__',
      '{"version":1,"profiles":{"__proto__":{"region":"cn-north-4"}}}',
      'at profiles.',
    ],
  ] as Array<[string, unknown, string]>)(
    'a store file with %s: exit 3, naming the store',
    async (_name, content, where) => {
      const configDir = tempDir();
      const file = path.join(configDir, 'config.json');
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
      const r = await hss(['profile', 'list'], { configDir });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain(`error: the profile store ${file} is not a valid hss store ${where}`);
    },
  );

  it('`profile set --unset toString` is refused: the profile has no such field', async () => {
    const configDir = tempDir();
    await hss(['profile', 'set', 'lab', '--region', 'cn-north-4'], { configDir });
    const r = await hss(['profile', 'set', 'lab', '--unset', 'toString'], { configDir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'error: --unset "toString": profile "lab" has no such field\nhint: its fields: region\n',
    );
  });

  it('completion never offers __proto__ from a store file', async () => {
    const configDir = tempDir();
    writeFileSync(
      path.join(configDir, 'config.json'),
      '{"version":1,"profiles":{"__proto__":{},"constructor":{},"lab":{}}}',
      { mode: 0o600 },
    );
    const r = await hss(['__complete', 'profiles'], { configDir });
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['constructor', 'lab']);
  });
});

/** `hss sandbox` as a process, until stopped: its banner, and a stop that waits for it to end. */
async function sandboxProcess(configDir: string, args: string[]) {
  const child = execa(process.execPath, [BIN, 'sandbox', '--json', ...args], {
    env: baseEnv(configDir),
    extendEnv: false,
    reject: false,
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([line]) => line as string),
    child.then((r) => {
      throw new Error(`the sandbox ended (exit ${r.exitCode}): ${String(r.stderr)}`);
    }),
  ]);
  lines.close();
  const banner = JSON.parse(first) as { url: string };
  return {
    banner,
    port: new URL(banner.url).port,
    async stop() {
      child.kill('SIGTERM');
      await child;
    },
  };
}

describe('hss sandbox --save-profile', () => {
  const REAL = {
    region: 'cn-north-4',
    project_id: '0123456789abcdef0123456789abcdef',
    endpoint: 'https://hss.cn-north-4.myhuaweicloud.com',
    auth: 'token',
    token: 'the-real-production-token',
  };

  function storeWith(profiles: Record<string, Record<string, unknown>>): { configDir: string; text: string } {
    const configDir = tempDir();
    const text = JSON.stringify({ version: 1, current: Object.keys(profiles)[0], profiles });
    writeFileSync(path.join(configDir, 'config.json'), text, { mode: 0o600 });
    return { configDir, text };
  }

  it('refuses (exit 3) to overwrite a profile that does not point at a sandbox, before listening', async () => {
    const { configDir, text } = storeWith({ prod: REAL });
    const r = await hss(['sandbox', '--port', '0', '--save-profile', 'prod'], {
      configDir,
      timeoutMs: 10_000,
    });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'error: profile "prod" exists and does not point at a sandbox: --save-profile would replace its endpoint and credentials\n' +
        'hint: save to another name (e.g. --save-profile sandbox), or add --force to overwrite prod\n',
    );
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(text);
  });

  it('--force overwrites it; --force alone is a usage error', async () => {
    const { configDir } = storeWith({ prod: REAL });
    const sandbox = await sandboxProcess(configDir, ['--port', '0', '--save-profile', 'prod', '--force']);
    await sandbox.stop();
    const prod = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')).profiles.prod;
    expect(prod).toMatchObject({ endpoint: sandbox.banner.url, token: SANDBOX_TOKEN, sandbox: true });

    const alone = await hss(['sandbox', '--port', '0', '--force']);
    expect(alone.exitCode).toBe(2);
    expect(alone.stderr).toMatch(/^error: --force goes with --save-profile/);
  });

  it('replaces, without --force, a profile an earlier sandbox saved (marked, or from before the mark)', async () => {
    const legacy = {
      region: 'cn-north-4',
      project_id: SANDBOX_PROJECT_ID,
      endpoint: 'http://127.0.0.1:1',
      iam_endpoint: 'http://127.0.0.1:1',
      auth: 'token',
      token: SANDBOX_TOKEN,
    };
    const { configDir } = storeWith({ old: legacy, marked: { ...legacy, token: 'changed', sandbox: true } });
    for (const name of ['old', 'marked']) {
      const sandbox = await sandboxProcess(configDir, ['--port', '0', '--save-profile', name]);
      await sandbox.stop();
      const saved = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')).profiles[name];
      expect(saved, name).toMatchObject({
        endpoint: sandbox.banner.url,
        token: SANDBOX_TOKEN,
        sandbox: true,
      });
    }
  });

  it('a restarted sandbox: its profile works again, as the cached login of the old one is dropped', async () => {
    const configDir = tempDir();
    const first = await sandboxProcess(configDir, ['--port', '0', '--save-profile', 'sb']);
    const login = await hss(['-p', 'sb', 'auth', 'login', '--password-stdin'], {
      configDir,
      input: 'sandbox-password',
    });
    expect(login.exitCode, login.stderr).toBe(0);
    expect(
      JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8')).logins.sb,
    ).toBeDefined();
    await first.stop();

    // The same port: the cached login's IAM endpoint is the new sandbox's, which never issued that token.
    const second = await sandboxProcess(configDir, ['--port', first.port, '--save-profile', 'sb']);
    try {
      expect(JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8')).logins).toEqual({});
      const retry = await hss(['-p', 'sb', 'task', 'retry', 'task-0001', '--all-failed'], { configDir });
      expect(retry.exitCode, retry.stderr).toBe(0);
      const status = JSON.parse((await hss(['-p', 'sb', 'auth', 'status', '--json'], { configDir })).stdout);
      expect(status.source).toBe('profile:sb');
    } finally {
      await second.stop();
    }
  }, 30_000);
});
