/**
 * No password, secret key, token or security token ever shows: not in the output of any
 * authentication-related command (text, JSON, --debug, failures), and not in any file of the config
 * dir except the two 0600 files meant to hold them (and the password in none at all).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_ACCESS_KEY,
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_REGION,
  SANDBOX_SECRET_KEY,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { type CliOptions, type CliResult, hss, tempDir } from '../helpers/cli.js';
import { commandLine, credentialScript, writeLoginCache } from '../helpers/credentials.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox();

const SECURITY_TOKEN = 'known-security-token-SECRET-4242';
const WRONG_PASSWORD = 'wrong-password-SECRET-1111';
const WRONG_SK = 'wrong-secret-key-SECRET-2222';
const WRONG_TOKEN = 'wrong-token-SECRET-3333';
const COMMAND_STDOUT = 'failing-command-stdout-SECRET-6666';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

describe('secrets never show', () => {
  it('in any output of the auth-related commands, nor in any file but the 0600 stores', async () => {
    const configDir = tempDir();
    const outputs: Array<{ args: string[]; result: CliResult }> = [];
    // Compiled code is cached where a user's would be (under HOME, here the config dir), so that the
    // cache files are searched too.
    const run = async (args: string[], options: CliOptions = {}) => {
      const env = { HSS_COMPILE_CACHE: undefined, ...options.env };
      const result = await hss(args, { configDir, ...options, env });
      outputs.push({ args, result });
      return result;
    };
    const modes = [[], ['--json'], ['--debug'], ['--json', '--debug']];
    const sandboxEnv = { HSS_ENDPOINT: sb.url, HSS_IAM_ENDPOINT: sb.url };
    const envKeys = {
      ...sandboxEnv,
      HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
      HUAWEICLOUD_SDK_AK: SANDBOX_ACCESS_KEY,
      HUAWEICLOUD_SDK_SK: SANDBOX_SECRET_KEY,
      HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
    };
    const commandJson = JSON.stringify({
      access_key: SANDBOX_ACCESS_KEY,
      secret_key: SANDBOX_SECRET_KEY,
      security_token: SECURITY_TOKEN,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });

    // Storing secrets.
    for (const m of modes) {
      const set = ['profile', 'set', 'keys', '--endpoint', sb.url, '--project-id', SANDBOX_PROJECT_ID];
      await run([...set, '--auth', 'aksk', '--ak', SANDBOX_ACCESS_KEY, '--sk-stdin', ...m], {
        input: `${SANDBOX_SECRET_KEY}\n`,
      });
      await run(
        [
          'profile',
          'set',
          'tok',
          '--endpoint',
          sb.url,
          '--project-id',
          SANDBOX_PROJECT_ID,
          '--token-stdin',
          ...m,
        ],
        {
          input: SANDBOX_TOKEN,
        },
      );
    }
    await run([
      'profile',
      'set',
      'lab',
      '--endpoint',
      sb.url,
      '--iam-endpoint',
      sb.url,
      '--region',
      SANDBOX_REGION,
      '--use',
    ]);
    await run([
      'profile',
      'set',
      'vault',
      '--endpoint',
      sb.url,
      '--project-id',
      SANDBOX_PROJECT_ID,
      '--auth',
      'command',
      '--credential-command',
      commandLine(credentialScript(), 'json', commandJson),
    ]);
    await run([
      'profile',
      'set',
      'broken',
      '--endpoint',
      sb.url,
      '--project-id',
      SANDBOX_PROJECT_ID,
      '--auth',
      'command',
      '--credential-command',
      commandLine(credentialScript(), 'fail', COMMAND_STDOUT),
    ]);

    // Logging in, and what a login leaves behind.
    for (const m of modes) {
      const login = await run(
        ['auth', 'login', '--user', SANDBOX_USER, '--domain', SANDBOX_DOMAIN, '--password-stdin', ...m],
        {
          input: SANDBOX_PASSWORD,
        },
      );
      expect(login.exitCode, login.stderr).toBe(0);
    }
    const cache = JSON.parse(readFileSync(path.join(configDir, 'credentials.json'), 'utf8'));
    const issuedToken: string = cache.logins.lab[sb.url].token;
    expect(issuedToken).toMatch(/^MII/);

    // Reading it all back, and using every kind of credential.
    for (const m of modes) {
      await run(['profile', 'show', 'keys', ...m]);
      await run(['profile', 'show', 'tok', ...m]);
      await run(['profile', 'list', ...m]);
      for (const [who, options] of [
        ['lab', {}],
        ['keys', { env: { HSS_PROFILE: 'keys' } }],
        ['vault', { env: { HSS_PROFILE: 'vault' } }],
        ['env', { env: envKeys }],
      ] as const) {
        await run(['auth', 'status', ...m], options);
        await run(['config', 'show', ...m], options);
        await run(['task', 'retry', 'task-0001', '--cluster', 'cce-prod-02', '--dry-run', ...m], options);
        const retry = await run(['task', 'retry', 'task-0005', '--all-failed', ...m], options);
        expect([0, 5], `${who}: ${retry.stderr}`).toContain(retry.exitCode);
        sb.sandbox.reset();
      }
      await run(['task', 'retry', 'task-0005', '--all-failed', '--token-stdin', ...m], {
        env: sandboxEnv,
        input: SANDBOX_TOKEN,
      });
    }

    // Failures of every kind.
    for (const m of modes) {
      const badLogin = await run(
        [
          'auth',
          'login',
          '--user',
          SANDBOX_USER,
          '--domain',
          SANDBOX_DOMAIN,
          '--password-stdin',
          '-p',
          'keys',
          '-r',
          SANDBOX_REGION,
          ...m,
        ],
        {
          env: sandboxEnv,
          input: WRONG_PASSWORD,
        },
      );
      expect(badLogin.exitCode).toBe(4);
      const badSk = await run(['task', 'retry', 'task-0001', '--all-failed', ...m], {
        env: { ...envKeys, HUAWEICLOUD_SDK_SK: WRONG_SK },
      });
      expect(badSk.exitCode).toBe(4);
      const badToken = await run(['task', 'retry', 'task-0001', '--all-failed', '--token-stdin', ...m], {
        env: sandboxEnv,
        input: WRONG_TOKEN,
      });
      expect(badToken.exitCode).toBe(4);
      const badCommand = await run(['auth', 'status', '-p', 'broken', ...m]);
      expect(badCommand.exitCode).toBe(4);
      expect(badCommand.stderr).toContain('vault: permission denied');
    }
    writeLoginCache(configDir, 'expired', sb.url, { token: WRONG_TOKEN, expires_at: '2020-01-01T00:00:00Z' });
    await run([
      'profile',
      'set',
      'expired',
      '--endpoint',
      sb.url,
      '--iam-endpoint',
      sb.url,
      '--project-id',
      SANDBOX_PROJECT_ID,
    ]);
    for (const m of modes) {
      const expired = await run(['task', 'retry', 'task-0001', '--all-failed', '-p', 'expired', ...m]);
      expect(expired.exitCode).toBe(4);
      await run(['auth', 'status', '-p', 'expired', ...m]);
    }
    await run(['auth', 'logout', '--debug']);
    await run(['auth', 'logout', '-p', 'vault', '--json']);

    const secrets = [
      SANDBOX_PASSWORD,
      SANDBOX_SECRET_KEY,
      SANDBOX_TOKEN,
      issuedToken,
      SECURITY_TOKEN,
      WRONG_PASSWORD,
      WRONG_SK,
      WRONG_TOKEN,
      COMMAND_STDOUT,
    ];
    expect(outputs.length).toBeGreaterThan(100);
    for (const { args, result } of outputs) {
      for (const secret of secrets) {
        expect(result.stdout, `stdout of hss ${args.join(' ')}`).not.toContain(secret);
        expect(result.stderr, `stderr of hss ${args.join(' ')}`).not.toContain(secret);
      }
    }
    // The traces were there to be searched: --debug printed the exchanges, masked.
    const debugged = outputs
      .filter((o) => o.args.includes('--debug'))
      .map((o) => o.result.stderr)
      .join('\n');
    expect(debugged).toContain('"password":"***"');
    expect(debugged).toContain('x-subject-token: ***');
    expect(debugged).toContain('X-Security-Token: ***');
    expect(debugged).toContain('X-Auth-Token: ***');
    expect(debugged).toMatch(
      /Authorization: SDK-HMAC-SHA256 Access=SANDBOXAK0000000000000, SignedHeaders=\S+, Signature=\*\*\*/,
    );

    const holders = new Set(['config.json', 'credentials.json']);
    const files = walk(configDir);
    const compiled = path.join(configDir, '.cache', 'hss', 'compile') + path.sep;
    expect(files.filter((f) => f.startsWith(compiled)).length).toBeGreaterThan(0);
    expect(
      files
        .filter((f) => !f.startsWith(compiled))
        .map((f) => path.basename(f))
        .sort(),
    ).toEqual(['config.json', 'credentials.json']);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(SANDBOX_PASSWORD);
      expect(text, file).not.toContain(WRONG_PASSWORD);
      if (secrets.some((s) => text.includes(s))) {
        expect(holders.has(path.basename(file)), file).toBe(true);
        expect(statSync(file).mode & 0o777, file).toBe(0o600);
      }
    }
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
  }, 300_000);
});
