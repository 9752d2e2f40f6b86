import { once } from 'node:events';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, baseEnv, hss, tempDir } from '../helpers/cli.js';

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

    const rm = await hss(['profile', 'remove', 'b'], { configDir });
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
    expect(await hss(['profile', 'delete', 'b'], { configDir })).toEqual({
      exitCode: 0,
      stdout: '✔ profile b removed\n',
      stderr: '',
    });
    expect((await hss(['profile', 'rm', 'c'], { configDir })).stdout).toBe('✔ profile c removed\n');
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
