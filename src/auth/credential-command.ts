/**
 * Credential commands (`auth: command`): a program, typically a vault client, that prints a token or
 * a key pair. It runs without a shell (so a profile cannot smuggle in pipelines or expansions), with
 * no standard input, under a timeout. Its stdout is a secret and never shown; its stderr is what a
 * person needs when it fails, and is shown trimmed and masked.
 */
// node:crypto is loaded on first use: initialising it costs every run several megabytes and
// milliseconds, and most runs sign nothing (a token) or run no credential command.
const crypto = () => process.getBuiltinModule('node:crypto');

import { Token } from '../api/schemas.js';
import { formatDuration } from '../core/duration.js';
import { AuthError, UsageError } from '../core/errors.js';
import { quote } from '../core/text.js';
import { redact, registerSecret } from '../output/redact.js';
import { parseExpiry } from './cache.js';

export const COMMAND_TIMEOUT_MS = 30_000;
const STDERR_LINES = 10;
const STDERR_CHARS = 2000;

/** What a credential command gave: a token or a key pair, with its expiry when it said one. */
export type CommandOutput =
  | { kind: 'token'; token: string; expiresAt?: number }
  | { kind: 'aksk'; accessKey: string; secretKey: string; securityToken?: string; expiresAt?: number };

/**
 * Splits a command line into argv the way a POSIX shell would for plain words: whitespace separates,
 * '…' is literal, "…" honours \" \\ \$ \` escapes, a backslash outside quotes escapes the next
 * character. No expansion of any kind happens.
 */
export function splitCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) throw new UsageError('credential command: a single quote is not closed');
      current += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= line.length) throw new UsageError('credential command: a double quote is not closed');
        const d = line[i] as string;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) {
          current += line[i + 1];
          i += 2;
        } else {
          current += d;
          i++;
        }
      }
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new UsageError('credential command: it ends with a lone backslash');
      current += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      current += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) args.push(current);
  return args;
}

export function commandDigest(command: string): string {
  return crypto().createHash('sha256').update(command).digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`"${key}" is not a string`);
  return value;
}

const SECRET_KEY = /password|secret|token|^sk$/i;

/**
 * Registers every secret a command's stdout may hold, whatever else it holds and whether or not the
 * command succeeded: the whole output, and each secret-named string of a JSON object in it (a JSON
 * string may spell its value with escapes, so the value can differ from the text printed).
 */
export function registerOutputSecrets(stdout: string): void {
  const text = stdout.trim();
  registerSecret(text);
  if (!text.startsWith('{')) return;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return;
  }
  if (!isObject(raw)) return;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string' && SECRET_KEY.test(key)) registerSecret(value);
  }
}

/**
 * Reads a command's stdout: a bare token, `{"token","expires_at"}` or
 * `{"access_key","secret_key","security_token","expires_at"}`. Every secret is registered before
 * anything else happens. Throws an Error whose message never contains the output.
 */
export function parseCommandOutput(stdout: string): CommandOutput {
  const text = stdout.trim();
  registerOutputSecrets(text);
  if (text === '') throw new Error('it printed nothing');
  if (!text.startsWith('{') && !text.startsWith('[')) {
    if (/\s/.test(text)) throw new Error('it printed more than one word and no JSON object');
    if (!Token.safeParse(text).success) throw new Error('what it printed is not a usable token');
    return { kind: 'token', token: text };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error('it printed something that starts like JSON but is not valid JSON');
  }
  if (!isObject(raw)) throw new Error('it printed JSON that is not an object');
  const expiresRaw = raw['expires_at'];
  let expiresAt: number | undefined;
  if (expiresRaw !== undefined && expiresRaw !== null) {
    expiresAt = parseExpiry(expiresRaw);
    if (expiresAt === undefined) throw new Error('its "expires_at" is not an ISO-8601 time or epoch seconds');
  }
  const token = optionalString(raw, 'token');
  const accessKey = optionalString(raw, 'access_key');
  const secretKey = optionalString(raw, 'secret_key');
  if (token !== undefined) {
    if (accessKey !== undefined || secretKey !== undefined) {
      throw new Error('its JSON has both "token" and "access_key"/"secret_key"; give one kind');
    }
    if (!Token.safeParse(token).success) throw new Error('its "token" is not a usable token');
    return expiresAt === undefined ? { kind: 'token', token } : { kind: 'token', token, expiresAt };
  }
  if (accessKey === undefined || secretKey === undefined) {
    throw new Error('its JSON has neither "token" nor both "access_key" and "secret_key"');
  }
  if (!/^[^\s,;=]+$/.test(accessKey)) throw new Error('its "access_key" contains invalid characters');
  if (/[\u0000-\u001f\u007f]/.test(secretKey))
    throw new Error('its "secret_key" contains control characters');
  const securityToken = optionalString(raw, 'security_token');
  if (securityToken !== undefined && /[\u0000-\u001f\u007f]/.test(securityToken)) {
    throw new Error('its "security_token" contains control characters');
  }
  const out: CommandOutput = { kind: 'aksk', accessKey, secretKey };
  if (securityToken !== undefined) out.securityToken = securityToken;
  if (expiresAt !== undefined) out.expiresAt = expiresAt;
  return out;
}

/**
 * The tail of a command's stderr, trimmed and masked, fit for an error message. Masked before it is
 * cut: a cut through a secret would leave a piece that the masking no longer recognises.
 */
function stderrExcerpt(stderr: string): string {
  const lines = redact(stderr.trim()).split(/\r?\n/);
  let text = lines.slice(-STDERR_LINES).join('\n');
  if (text.length > STDERR_CHARS) text = `…${text.slice(-STDERR_CHARS)}`;
  return text.replace(/\n/g, '\n  ');
}

export interface RunOptions {
  /** Where the command comes from, for messages: e.g. `profile "prod"`. */
  origin: string;
  /** The exact command to suggest for fixing it. */
  hint: string;
  env: Record<string, string | undefined>;
  signal: AbortSignal;
  timeoutMs?: number;
}

/** After the timeout's SIGTERM, how long the command's processes get before SIGKILL. */
const KILL_GRACE_MS = 1000;

/** Runs a credential command and reads its output; any failure is an exit-4 AuthError. */
export async function runCredentialCommand(command: string, options: RunOptions): Promise<CommandOutput> {
  const argv = splitCommandLine(command);
  const [file, ...args] = argv;
  if (file === undefined) {
    throw new UsageError(`the credential command of ${options.origin} is empty`, { hint: options.hint });
  }
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const { execa } = await import('execa');
  // In a process group of its own, so that the timeout (or Ctrl-C) ends everything the command
  // started: a child it forked (`sh -c 'sleep 1000; …'`) would otherwise keep running, and keep the
  // output pipes open so that the run never ends.
  const group = process.platform !== 'win32';
  const subprocess = execa(file, args, {
    shell: false,
    detached: group,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    reject: false,
    env: options.env,
    extendEnv: false,
    maxBuffer: 1024 * 1024,
    stripFinalNewline: false,
    windowsHide: true,
  });
  let stopped: 'timeout' | 'signal' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (group && subprocess.pid !== undefined) process.kill(-subprocess.pid, signal);
      else subprocess.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const stop = (why: 'timeout' | 'signal') => {
    if (stopped) return;
    stopped = why;
    kill('SIGTERM');
    killTimer = setTimeout(() => {
      kill('SIGKILL');
      // A process that left the group (setsid) may still hold the pipes: stop reading them.
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    }, KILL_GRACE_MS);
  };
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('signal');
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  let result: Awaited<typeof subprocess>;
  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    options.signal.removeEventListener('abort', onAbort);
    // Whatever of the group outlived the command after a stop goes now.
    if (stopped) kill('SIGKILL');
  }
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  // Whatever the command printed may be a secret, even when it failed: registered before its stderr
  // (which may repeat it) is read.
  registerOutputSecrets(stdout);
  const stderr = typeof result.stderr === 'string' ? stderrExcerpt(result.stderr) : '';
  const said = stderr ? `:\n  ${stderr}` : ' (it wrote nothing to stderr)';
  const name = quote(file);
  if (stopped === 'signal') {
    throw options.signal.reason instanceof Error ? options.signal.reason : new AuthError('interrupted');
  }
  if (stopped === 'timeout') {
    throw new AuthError(
      `the credential command ${name} of ${options.origin} did not finish within ${formatDuration(timeoutMs)}${said}`,
      { hint: `${options.hint}; HSS_CREDENTIAL_COMMAND_TIMEOUT gives it longer` },
    );
  }
  const code = (result as { code?: string }).code;
  if (result.failed && result.exitCode === undefined) {
    throw new AuthError(
      `cannot run the credential command ${name} of ${options.origin}${code ? ` (${code})` : ''}`,
      {
        hint: code === 'ENOENT' ? `${name} was not found on PATH; ${options.hint}` : options.hint,
      },
    );
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    throw new AuthError(`the credential command ${name} of ${options.origin} ${how}${said}`, {
      hint: options.hint,
    });
  }
  try {
    return parseCommandOutput(stdout);
  } catch (error) {
    throw new AuthError(
      `the credential command ${name} of ${options.origin} gave unusable output: ${(error as Error).message}`,
      {
        hint: `it must print a bare token, {"token":…,"expires_at":…} or {"access_key":…,"secret_key":…,"security_token":…,"expires_at":…}; ${options.hint}`,
      },
    );
  }
}
