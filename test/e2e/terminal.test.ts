/**
 * Every interactive flow of the built CLI on a real pseudo-terminal: the login prompt and its hidden
 * password, Ctrl-C in the middle of a prompt, secrets refused from a terminal standard input, and
 * spinners. What is typed goes through the terminal as a person's keystrokes do, so an echoed secret or
 * a terminal left without echo shows here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  SANDBOX_DOMAIN,
  SANDBOX_PASSWORD,
  SANDBOX_REGION,
  SANDBOX_USER,
} from '../../src/sandbox/constants.js';
import { labStore } from '../helpers/credentials.js';
import { afterRun, hssOnPty, hssOnPtyThenStty } from '../helpers/pty.js';
import { SANDBOX_PROJECT_ID, useSandbox } from '../helpers/sandbox.js';

const sb = useSandbox({ progressMs: 1500 });

/** What the terminal shows, without colour and cursor sequences and with LF line ends. */
const plain = (output: string) =>
  output
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '');

describe('hss auth login on a terminal', () => {
  it('asks for the user, the account and the password (hidden), then logs in', async () => {
    const configDir = labStore(sb.url);
    const session = hssOnPty(['auth', 'login'], { configDir });
    await session.waitFor('IAM user name: ');
    session.type(`${SANDBOX_USER}\r`);
    await session.waitFor('Account (domain) name: ');
    session.type(`${SANDBOX_DOMAIN}\r`);
    await session.waitFor(`Password for ${SANDBOX_USER} (account ${SANDBOX_DOMAIN}): `);
    session.type(`${SANDBOX_PASSWORD}\r`);
    const { exitCode, output } = await session.exit;

    expect(exitCode, output).toBe(0);
    // The names typed are echoed as typed; the password never is, nor printed afterwards.
    expect(plain(output)).toMatch(
      new RegExp(
        `^IAM user name: ${SANDBOX_USER}\\nAccount \\(domain\\) name: ${SANDBOX_DOMAIN}\\n` +
          `Password for ${SANDBOX_USER} \\(account ${SANDBOX_DOMAIN}\\): \\n` +
          `✔ logged in as ${SANDBOX_USER} \\(account ${SANDBOX_DOMAIN}\\) to ${SANDBOX_REGION} \\(project ${SANDBOX_PROJECT_ID}\\)\\n`,
      ),
    );
    expect(output).not.toContain(SANDBOX_PASSWORD);
    expect(output).not.toContain('*'.repeat(4));

    // On the wire: one password login with what was typed.
    expect(sb.sandbox.requests).toHaveLength(1);
    const req = sb.sandbox.requests[0]!;
    expect([req.method, req.path, req.status]).toEqual(['POST', '/v3/auth/tokens?nocatalog=true', 201]);
    expect(JSON.parse(req.body).auth.identity.password.user).toEqual({
      name: SANDBOX_USER,
      password: SANDBOX_PASSWORD,
      domain: { name: SANDBOX_DOMAIN },
    });
    const cache = readFileSync(path.join(configDir, 'credentials.json'), 'utf8');
    expect(cache).not.toContain(SANDBOX_PASSWORD);
    expect(JSON.parse(cache).logins.lab[sb.url].user).toBe(SANDBOX_USER);
  });

  it("with the profile's user and account: asks only for the password", async () => {
    const configDir = labStore(sb.url, { user: SANDBOX_USER, domain: SANDBOX_DOMAIN });
    const session = hssOnPty(['auth', 'login'], { configDir });
    await session.waitFor(`Password for ${SANDBOX_USER} (account ${SANDBOX_DOMAIN}): `);
    session.type(`${SANDBOX_PASSWORD}\r`);
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(0);
    expect(plain(output)).toMatch(/^Password for [^\n]*: \n✔ logged in as /);
    expect(output).not.toContain(SANDBOX_PASSWORD);
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  it('a wrong password typed: exit 4, the password shown nowhere', async () => {
    const configDir = labStore(sb.url, { user: SANDBOX_USER, domain: SANDBOX_DOMAIN });
    const session = hssOnPty(['auth', 'login'], { configDir });
    await session.waitFor('Password for ');
    session.type('not-the-Password-42\r');
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(4);
    expect(output).not.toContain('not-the-Password-42');
    expect(sb.sandbox.requests).toHaveLength(1);
  });

  for (const [where, answers] of [
    ['the user name', []],
    ['the password', [SANDBOX_USER, SANDBOX_DOMAIN]],
  ] as const) {
    it(`Ctrl-C at ${where}: exit 130, nothing sent, the terminal echoes again`, async () => {
      const configDir = labStore(sb.url);
      const session = hssOnPtyThenStty(['auth', 'login'], { configDir });
      const prompts = ['IAM user name: ', 'Account (domain) name: '];
      for (const [i, answer] of answers.entries()) {
        await session.waitFor(prompts[i]!);
        session.type(`${answer}\r`);
      }
      await session.waitFor(answers.length ? 'Password for ' : 'IAM user name: ');
      session.type('half-typed');
      session.interrupt();
      const { output } = await session.exit;
      const after = afterRun(output);
      expect(after.exitCode, output).toBe(130);
      expect(plain(output)).toMatch(/\nerror: interrupted by SIGINT\n/);
      expect(after, output).toEqual({ exitCode: 130, echo: true, canonical: true });
      expect(sb.sandbox.requests).toEqual([]);
      expect(output).not.toMatch(/internal error|\n\s+at /);
    });
  }
});

describe('secrets from standard input refuse a terminal', () => {
  for (const [what, args, flag, secret] of [
    ['the token', ['task', 'list', '--token-stdin'], '--token-stdin', 'token'],
    ['the password', ['auth', 'login', '--password-stdin'], '--password-stdin', 'password'],
    ['the secret key', ['profile', 'set', 'lab', '--ak', 'AK123', '--sk-stdin'], '--sk-stdin', 'secret key'],
    ['a token for a profile', ['profile', 'set', 'lab', '--token-stdin'], '--token-stdin', 'token'],
  ] as const) {
    it(`${flag} (${what}): exit 2 at once with a hint; nothing typed is read, stored or sent`, async () => {
      const configDir = labStore(sb.url, { user: SANDBOX_USER, domain: SANDBOX_DOMAIN });
      const before = readFileSync(path.join(configDir, 'config.json'), 'utf8');
      const session = hssOnPty([...args], { configDir, env: { HSS_PROJECT_ID: SANDBOX_PROJECT_ID } });
      const { exitCode, output } = await session.exit;
      expect(exitCode, output).toBe(2);
      expect(plain(output)).toMatch(
        new RegExp(
          `^error: ${flag} reads the ${secret} from standard input, which is a terminal; pipe it in\\nhint: .*${flag}`,
        ),
      );
      expect(sb.sandbox.requests).toEqual([]);
      expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(before);
    });
  }
});

describe('spinners on a terminal', () => {
  it('task retry --wait: a spinner while it waits, the result line at the end, the cursor shown again', async () => {
    const session = hssOnPty(
      ['task', 'retry', 'task-0001', '--all-failed', '--wait', '--interval', '200ms'],
      {
        env: sb.env(),
      },
    );
    const { exitCode, output } = await session.exit;
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    // ora hides the cursor while it turns and shows it again when it stops.
    expect(output.lastIndexOf('\u001b[?25l')).toBeGreaterThan(-1);
    expect(output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(output.lastIndexOf('\u001b[?25l'));
    const text = plain(output);
    expect(text).toMatch(
      /✔ task-0001: retry accepted for all failed clusters \(X-Request-Id [0-9a-f]{32}\)\n✔ task-0001: finished: 5 clusters, none failed \(waited [\d.]+m?s\)\n$/,
    );
  });

  it('Ctrl-C while a spinner turns: exit 130, the cursor shown again, the terminal as it was', async () => {
    const session = hssOnPtyThenStty(['task', 'wait', 'task-0002', '--interval', '200ms'], {
      env: sb.env(),
    });
    await session.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    session.interrupt();
    const { output } = await session.exit;
    expect(afterRun(output), output).toEqual({ exitCode: 130, echo: true, canonical: true });
    const shown = output.lastIndexOf('\u001b[?25h');
    expect(shown).toBeGreaterThan(output.lastIndexOf('\u001b[?25l'));
    expect(plain(output)).toMatch(/error: interrupted by SIGINT\n/);
  });
});
