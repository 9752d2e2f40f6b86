/**
 * No secret ever shows: every command × mode × credential source, run with known secrets, and
 * stdout, stderr and every file written (except the 0600 store) searched for them.
 *
 * To cover a new command, add one line to COMMANDS: its arguments, whether it calls the API (then it
 * also runs against a failing server), whether it has --dry-run, and arguments that make it fail.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hss, tempDir } from '../helpers/cli.js';
import { SANDBOX_PROJECT_ID, sandboxLogin, useSandbox } from '../helpers/sandbox.js';

interface CommandRow {
  name: string;
  args: string[];
  /** Uses the credential: then it runs with the token from each source (env, profile, stdin). */
  credentials?: boolean;
  /** Calls the HSS API: success needs the token, and a failing server is tried too. */
  api?: boolean;
  dryRun?: boolean;
  /** Arguments that make the command fail before or without the API, and the exit code. */
  fails?: { args: string[]; exitCode: number };
}

const COMMANDS: CommandRow[] = [
  {
    name: 'task retry --all-failed',
    args: ['task', 'retry', 'task-0001', '--all-failed'],
    credentials: true,
    api: true,
    dryRun: true,
    fails: { args: ['task', 'retry', 'task-0001', '--cluster', 'c-1:vuln'], exitCode: 2 },
  },
  {
    name: 'task retry --cluster, two tasks from stdin',
    args: ['task', 'retry', 'task-0001', '--cluster', 'cce-prod-02:cluster_vul'],
    credentials: true,
    api: true,
    dryRun: true,
    fails: { args: ['task', 'retry', 'task-0001', 'task-0005', '--cluster', 'c-1'], exitCode: 2 },
  },
  {
    name: 'task retry --only',
    args: ['task', 'retry', 'task-0001', '--all-failed', '--only', 'benchmark'],
    credentials: true,
    api: true,
    fails: { args: ['task', 'retry', 'task-0001', '--all-failed', '--only', 'nope'], exitCode: 2 },
  },
  {
    name: 'task list',
    args: ['task', 'list', '--limit', '5'],
    credentials: true,
    api: true,
    fails: { args: ['task', 'list', '--status', 'done'], exitCode: 2 },
  },
  {
    name: 'task show',
    args: ['task', 'show', 'task-0001'],
    credentials: true,
    api: true,
    fails: { args: ['task', 'show', 'x'.repeat(65)], exitCode: 2 },
  },
  {
    name: 'task wait',
    args: ['task', 'wait', 'task-0003', '--interval', '200ms'],
    credentials: true,
    api: true,
    fails: { args: ['task', 'wait', 'task-0003', '--interval', 'soon'], exitCode: 2 },
  },
  {
    name: 'auth status',
    args: ['auth', 'status'],
    credentials: true,
    fails: { args: ['auth', 'status', '-p', 'nope'], exitCode: 3 },
  },
  {
    name: 'config show',
    args: ['config', 'show'],
    fails: { args: ['config', 'show', '-p', 'nope'], exitCode: 3 },
  },
  {
    name: 'profile show',
    args: ['profile', 'show'],
    fails: { args: ['profile', 'show', 'nope'], exitCode: 3 },
  },
  {
    name: 'profile list',
    args: ['profile', 'list'],
    fails: { args: ['profile', 'list', 'extra'], exitCode: 2 },
  },
  {
    name: 'profile set',
    args: ['profile', 'set', 'other', '--region', 'cn-north-1'],
    fails: { args: ['profile', 'set', 'bad name!'], exitCode: 2 },
  },
];

type Source = 'env' | 'profile' | 'stdin';
const SOURCES: Source[] = ['env', 'profile', 'stdin'];

type Mode = 'text' | 'json' | 'debug' | 'dry-run' | 'api failure' | 'usage failure';

interface Case {
  command: CommandRow;
  mode: Mode;
  source: Source;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const command of COMMANDS) {
    const modes: Mode[] = ['text', 'json', 'debug'];
    if (command.dryRun) modes.push('dry-run');
    if (command.api) modes.push('api failure');
    if (command.fails) modes.push('usage failure');
    // Without credentials, one run holds every secret at once: in the environment and in the store.
    const sources: Source[] = command.credentials ? SOURCES : ['env'];
    for (const mode of modes) for (const source of sources) out.push({ command, mode, source });
  }
  return out;
}

const ok = useSandbox();
// The first call of each HSS operation is throttled (retried, traced), the next refused as unauthenticated.
const failing = useSandbox({
  faults: [
    '503x1@retry',
    '401x1000000@retry',
    '503x1@list',
    '401x1000000@list',
    '503x1@resources',
    '401x1000000@resources',
  ],
});

/** Tokens the sandbox IAM issued: real, valid, random, and known only to this test. */
const secrets: Record<string, string> = {};

async function login(url: string): Promise<string> {
  const { status, token } = await sandboxLogin(url);
  expect(status).toBe(201);
  expect(token).toMatch(/^MII/);
  return token as string;
}

beforeAll(async () => {
  secrets['env token'] = await login(ok.url);
  secrets['profile token'] = await login(ok.url);
  secrets['stdin token'] = await login(ok.url);
  secrets['secret key'] = `sk-${randomBytes(24).toString('hex')}`;
  // The failing sandbox has its own IAM; its tokens are never valid on `ok`, and the reverse.
  secrets['failing env token'] = await login(failing.url);
  secrets['failing profile token'] = await login(failing.url);
  secrets['failing stdin token'] = await login(failing.url);
});

/** Every 16-character window of every secret: a cut or partly masked secret is a leak too. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (let at = 0; at + 16 <= secret.length; at++) {
      if (text.includes(secret.slice(at, at + 16))) {
        found.push(`${name} (from offset ${at})`);
        break;
      }
    }
  }
  return found;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

const templates: Record<string, string> = {};
const keep: string[] = [];
afterAll(() => {
  for (const dir of keep) rmSync(dir, { recursive: true, force: true });
});

/** A fresh copy of a config dir whose current profile holds a stored token and secret key. */
async function storeWithSecrets(url: string, failingServer: boolean): Promise<string> {
  const key = failingServer ? 'failing' : 'ok';
  templates[key] ??= await makeStore(url, failingServer);
  const copy = tempDir();
  cpSync(templates[key], copy, { recursive: true });
  return copy;
}

async function makeStore(url: string, failingServer: boolean): Promise<string> {
  // Not a tempDir(): those go after each test, and this one serves them all.
  const configDir = mkdtempSync(path.join(tmpdir(), 'hss-secrets-'));
  keep.push(configDir);
  const sk = await hss(['profile', 'set', 'work', '--ak', 'AKEXAMPLE0000', '--sk-stdin', '--use'], {
    configDir,
    input: `${secrets['secret key']}\n`,
  });
  expect(sk.exitCode, sk.stderr).toBe(0);
  const token = await hss(
    [
      'profile',
      'set',
      'work',
      '--auth',
      'token',
      '--token-stdin',
      '--endpoint',
      url,
      '--project-id',
      SANDBOX_PROJECT_ID,
    ],
    { configDir, input: secrets[failingServer ? 'failing profile token' : 'profile token'] },
  );
  expect(token.exitCode, token.stderr).toBe(0);
  return configDir;
}

describe('no secret in any output or file', () => {
  it.each(cases().map((c) => [c.command.name, c.mode, c.source, c] as const))(
    '%s · %s · token from %s',
    async (_name, mode, source, { command }) => {
      const failingServer = mode === 'api failure';
      const server = failingServer ? failing : ok;
      const configDir = await storeWithSecrets(server.url, failingServer);
      const scratch = tempDir();
      const prefix = failingServer ? 'failing ' : '';
      let args = mode === 'usage failure' && command.fails ? [...command.fails.args] : [...command.args];
      if (mode === 'json') args.push('--json');
      if (mode === 'debug' || mode === 'dry-run' || mode === 'api failure' || mode === 'usage failure')
        args.push('--debug');
      if (mode === 'dry-run') args.push('--dry-run');
      if (mode === 'api failure') args.push('--json');
      const env: Record<string, string | undefined> = {
        HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
        HSS_ENDPOINT: server.url,
        TMPDIR: scratch,
      };
      let input: string | undefined;
      if (source === 'env') env['HSS_TOKEN'] = secrets[`${prefix}env token`];
      if (source === 'stdin') {
        args = [...args, '--token-stdin'];
        input = `${secrets[`${prefix}stdin token`]}\n`;
      }
      const r = await hss(args, { configDir, env, input: input ?? '', cwd: scratch });

      if (mode === 'usage failure') expect(r.exitCode, r.stderr).toBe(command.fails?.exitCode);
      else if (mode === 'api failure') expect(r.exitCode, r.stderr).toBe(4);
      else expect(r.exitCode, r.stderr).toBe(0);
      if (mode === 'json' || mode === 'api failure') expect(() => JSON.parse(r.stdout)).not.toThrow();
      if (mode === 'api failure') {
        // It really went through a retry and an auth failure, tracing both.
        expect(r.stderr).toContain('failed (HTTP 503); next in');
        expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'AUTH', http_status: 401 });
      }
      if (command.api && mode !== 'usage failure') {
        // The secret in use was really sent (so it was in hand, and still did not show).
        const sent = server.sandbox.requests.map((q) => q.headers['x-auth-token']);
        if (mode === 'dry-run') expect(sent).toEqual([]);
        else expect(sent[0]).toBe(secrets[`${prefix}${source} token`]);
      }

      expect(leaks(r.stdout), 'stdout').toEqual([]);
      expect(leaks(r.stderr), 'stderr').toEqual([]);
      const store = path.join(configDir, 'config.json');
      for (const file of [...filesUnder(configDir), ...filesUnder(scratch)]) {
        if (file === store) continue;
        expect(leaks(readFileSync(file, 'utf8')), file).toEqual([]);
      }
      expect(statSync(store).mode & 0o777).toBe(0o600);
    },
  );

  it('a token pasted by mistake as a task ID is masked, not cut into a message', async () => {
    const token = secrets['env token'] as string;
    const r = await hss(['task', 'retry', token, '--all-failed'], {
      env: ok.env({ HSS_TOKEN: token }),
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: task ID "\*\*\*": task ID is \d+ characters; the limit is 1–64\n$/);
    expect(leaks(r.stderr)).toEqual([]);
    expect(ok.sandbox.requests).toHaveLength(0);
  });

  it('a secret stored in a profile is masked even when another credential is in use', async () => {
    const configDir = await storeWithSecrets(ok.url, false);
    const stored = secrets['profile token'] as string;
    const r = await hss(['task', 'retry', 'task-0001', '--cluster', `${stored}:benchmark`], {
      configDir,
      env: { HSS_TOKEN: secrets['env token'] },
    });
    expect(r.exitCode).toBe(2);
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });
});
