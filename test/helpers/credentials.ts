/**
 * Fixtures for the authentication tests: a profile store written as `hss` writes it, the SDK
 * credentials file, a login cache, and a tiny credential command.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SANDBOX_REGION } from '../../src/sandbox/constants.js';
import { tempDir } from './cli.js';

export function writeStore(
  configDir: string,
  profiles: Record<string, Record<string, string>>,
  current?: string,
): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = path.join(configDir, 'config.json');
  writeFileSync(file, JSON.stringify({ version: 1, ...(current ? { current } : {}), profiles }));
  chmodSync(file, 0o600);
}

/**
 * A new config folder whose current profile `lab` points at the sandbox at `url` (HSS and IAM) in
 * its region, with `extra` fields.
 */
export function labStore(url: string, extra: Record<string, string> = {}): string {
  const configDir = tempDir();
  writeStore(
    configDir,
    { lab: { endpoint: url, iam_endpoint: url, region: SANDBOX_REGION, ...extra } },
    'lab',
  );
  return configDir;
}

export function writeLoginCache(
  configDir: string,
  profile: string,
  iamEndpoint: string,
  entry: Record<string, string>,
): void {
  const file = path.join(configDir, 'credentials.json');
  writeFileSync(
    file,
    JSON.stringify({ version: 1, logins: { [profile]: { [iamEndpoint]: entry } }, commands: {} }),
  );
  chmodSync(file, 0o600);
}

/** Writes `~/.huaweicloud/credentials` under a fresh home folder and returns that home. */
export function sdkHome(lines: string[]): { home: string; file: string } {
  const home = tempDir('hss-home-');
  mkdirSync(path.join(home, '.huaweicloud'), { recursive: true });
  const file = path.join(home, '.huaweicloud', 'credentials');
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(file, 0o600);
  return { home, file };
}

/**
 * A credential command: `node cred.mjs MODE [ARG]`.
 *   token ARG       prints ARG
 *   json JSON       prints JSON as given
 *   fail ARG        prints ARG to stdout, a message (and ARG) to stderr, exits 3
 *   count FILE ARG  appends a line to FILE, then prints ARG (to count runs)
 *   echo OUT ERR N  prints OUT to stdout and ERR to stderr, exits N
 */
export function credentialScript(): string {
  const dir = tempDir('hss-cmd-');
  const file = path.join(dir, 'cred.mjs');
  writeFileSync(
    file,
    `import { appendFileSync } from 'node:fs';
const [mode, a, b] = process.argv.slice(2);
if (mode === 'token') process.stdout.write(a + '\\n');
else if (mode === 'json') process.stdout.write(a);
else if (mode === 'fail') {
  process.stdout.write(a + '\\n');
  process.stderr.write('vault: permission denied for secret/hss\\nthe value was ' + a + '\\n');
  process.exit(3);
} else if (mode === 'count') {
  appendFileSync(a, 'run\\n');
  process.stdout.write(b);
} else if (mode === 'echo') {
  process.stdout.write(a);
  process.stderr.write(b + '\\n');
  process.exitCode = Number(process.argv[5]);
} else process.exit(9);
`,
  );
  return file;
}

/** A command line for a profile: node with the script, each argument single-quoted. */
export function commandLine(script: string, ...args: string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [process.execPath, script, ...args].map(q).join(' ');
}
