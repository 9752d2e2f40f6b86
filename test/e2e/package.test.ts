/**
 * The package as npm users get it: `npm pack`, install the tarball into a temporary prefix (offline:
 * the bundle carries every runtime dependency), and run the installed `hss`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, ROOT, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';
import { bashComplete, installed } from '../helpers/shells.js';

const sb = useSandbox();
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
};

let tarball: string;
let files: string[];
let prefix: string;
let installedHss: string;
let npmEnv: Record<string, string>;
let workDir: string | undefined;

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string | undefined> = {}, configDir = tempDir()) {
  const r = await execa(installedHss, args, {
    env: { ...baseEnv(configDir), ...env },
    extendEnv: false,
    reject: false,
    input: '',
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

beforeAll(async () => {
  // `npm test` has just built dist/; packing with scripts would rebuild it under the other test files.
  expect(existsSync(path.join(ROOT, 'dist', 'hss.cjs')), 'run `npm run build` first').toBe(true);
  // Not tempDir(): that is emptied after each test, and the installed copy serves them all.
  const work = mkdtempSync(path.join(tmpdir(), 'hss-pack-'));
  workDir = work;
  npmEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: work,
    npm_config_cache: path.join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: ROOT,
    env: npmEnv,
    extendEnv: false,
  });
  const [info] = JSON.parse(String(packed.stdout)) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  if (!info) throw new Error('npm pack printed nothing');
  tarball = path.join(work, info.filename);
  const listing = await execa('tar', ['-tzf', tarball]);
  files = String(listing.stdout)
    .split('\n')
    .filter((f) => f !== '')
    .map((f) => f.replace(/^package\//, ''));

  prefix = path.join(work, 'prefix');
  // Offline, with an empty cache: the tarball must need nothing from the registry.
  const install = await execa(
    'npm',
    ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
    { env: npmEnv, extendEnv: false, reject: false },
  );
  expect(install.exitCode, String(install.stderr)).toBe(0);
  installedHss = path.join(prefix, 'bin', 'hss');
}, 120_000);

describe('npm pack', () => {
  it('holds only bin, dist, docs, the man page, README, LICENSE, CHANGELOG and package.json', () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/.+|dist\/.+\.cjs|dist\/help\.txt|docs\/.+\.md|man\/hss\.1)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const required of [
      'package.json',
      'LICENSE',
      'CHANGELOG.md',
      'bin/hss.js',
      'dist/hss.cjs',
      'docs/commands.md',
      'docs/exit-codes.md',
      'man/hss.1',
    ]) {
      expect(files).toContain(required);
    }
    if (existsSync(path.join(ROOT, 'README.md'))) expect(files).toContain('README.md');
    expect(files.some((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toBe(
      false,
    );
  });

  it('declares no runtime dependencies: everything it runs is in the bundle', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(existsSync(path.join(prefix, 'lib', 'node_modules', pkg.name, 'node_modules'))).toBe(false);
  });
});

describe('the installed hss', () => {
  it.skipIf(process.platform === 'win32')('npm install -g installs the man page hss(1)', () => {
    const page = path.join(prefix, 'share', 'man', 'man1', 'hss.1');
    expect(readFileSync(page, 'utf8')).toBe(readFileSync(path.join(ROOT, 'man', 'hss.1'), 'utf8'));
  });

  it('--version prints the package version', async () => {
    const r = await run(['--version']);
    expect(r).toEqual({ exitCode: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('--help prints the usage', async () => {
    const r = await run(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Usage: hss \[options\] \[command\]/);
  });

  it('a dry-run retry prints the request, token masked, and sends nothing', async () => {
    const r = await run(['task', 'retry', 'task-0001', '--all-failed', '--dry-run'], {
      HSS_REGION: 'cn-north-4',
      HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
      HSS_TOKEN: SANDBOX_TOKEN,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `PUT https://hss.cn-north-4.myhuaweicloud.com/v5/${SANDBOX_PROJECT_ID}/common/tasks/task-0001/retry`,
    );
    expect(r.stdout).toContain('X-Auth-Token: ***');
    expect(r.stdout).not.toContain(SANDBOX_TOKEN);
  });

  it('a real retry against the sandbox, and a profile written to the store', async () => {
    const retry = await run(['task', 'retry', 'task-0001', '--all-failed', '--json'], sb.env());
    expect(retry.exitCode, retry.stderr).toBe(0);
    expect(JSON.parse(retry.stdout).ok).toBe(true);
    expect(sb.sandbox.requests).toHaveLength(1);
    const configDir = tempDir();
    const set = await run(['profile', 'set', 'prod', '--region', 'cn-north-4'], {}, configDir);
    expect(set.exitCode, set.stderr).toBe(0);
    const list = await run(['profile', 'list', '--json'], {}, configDir);
    expect(JSON.parse(list.stdout).profiles.map((p: { name: string }) => p.name)).toEqual(['prod']);
  });

  it.skipIf(!installed('bash'))(
    'bash completion from the installed copy completes commands and profiles',
    async () => {
      const configDir = tempDir();
      expect((await run(['profile', 'set', 'prod'], {}, configDir)).exitCode).toBe(0);
      const script = await run(['completion', 'bash']);
      expect(script.exitCode).toBe(0);
      const got = await bashComplete(
        script.stdout,
        ['hss task re', 'hss --profile ', 'hss task retry --cluster c-1:b'],
        { configDir, binDir: path.join(prefix, 'bin') },
      );
      expect(got).toEqual([['retry'], ['prod'], ['benchmark']]);
    },
  );
});
