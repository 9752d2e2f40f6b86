/**
 * Credential commands (`auth: command`): a program, typically a vault client, that prints a token or
 * a key pair. It runs without a shell (so a profile cannot smuggle in pipelines or expansions), with
 * no standard input, under a timeout. Its stdout is a secret and never shown; its stderr is what a
 * person needs when it fails, and is shown trimmed and masked.
 */
// node:crypto is loaded on first use: initialising it costs every run several megabytes and
// milliseconds, and most runs sign nothing (a token) or run no credential command.
const crypto = () => process.getBuiltinModule('node:crypto');

import { formatDuration } from '../core/duration.js';
import { AuthError, UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { quote } from '../core/text.js';
import { type CommandOutput, parseCommandOutput, registerOutputSecrets } from './command-output.js';

export type { CommandOutput } from './command-output.js';

export const COMMAND_TIMEOUT_MS = 30_000;
const STDERR_LINES = 10;
const STDERR_CHARS = 2000;

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

interface Finished {
  /** What execa gave back: output, exit code or signal, the spawn error's code. */
  result: {
    stdout?: unknown;
    stderr?: unknown;
    failed: boolean;
    exitCode?: number;
    signal?: string;
    code?: string;
  };
  /** Why hss stopped it, if it did. */
  stopped: 'timeout' | 'signal' | undefined;
}

/**
 * Runs `file` without a shell, in a process group of its own where the platform has them, so that the
 * timeout (or Ctrl-C) ends everything the command started: a child it forked
 * (`sh -c 'sleep 1000; …'`) would otherwise keep running, and keep the output pipes open so that the
 * run never ends.
 */
async function runInGroup(
  file: string,
  args: string[],
  options: RunOptions,
  timeoutMs: number,
): Promise<Finished> {
  const { execa } = await import('execa');
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
  let stopped: Finished['stopped'];
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
  try {
    return { result: (await subprocess) as Finished['result'], stopped };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    options.signal.removeEventListener('abort', onAbort);
    // Whatever of the group outlived the command after a stop goes now.
    if (stopped) kill('SIGKILL');
  }
}

/** The exit-4 error for a command that did not give its output, or undefined when it did. */
function failure(
  file: string,
  finished: Finished,
  options: RunOptions,
  timeoutMs: number,
): Error | undefined {
  const { result, stopped } = finished;
  const stderr = typeof result.stderr === 'string' ? stderrExcerpt(result.stderr) : '';
  const said = stderr ? `:\n  ${stderr}` : ' (it wrote nothing to stderr)';
  const name = quote(file);
  if (stopped === 'signal') {
    return options.signal.reason instanceof Error ? options.signal.reason : new AuthError('interrupted');
  }
  if (stopped === 'timeout') {
    return new AuthError(
      `the credential command ${name} of ${options.origin} did not finish within ${formatDuration(timeoutMs)}${said}`,
      { hint: `${options.hint}; HSS_CREDENTIAL_COMMAND_TIMEOUT gives it longer` },
    );
  }
  const { code } = result;
  if (result.failed && result.exitCode === undefined) {
    return new AuthError(
      `cannot run the credential command ${name} of ${options.origin}${code ? ` (${code})` : ''}`,
      {
        hint: code === 'ENOENT' ? `${name} was not found on PATH; ${options.hint}` : options.hint,
      },
    );
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
    return new AuthError(`the credential command ${name} of ${options.origin} ${how}${said}`, {
      hint: options.hint,
    });
  }
  return undefined;
}

/** Runs a credential command and reads its output; any failure is an exit-4 AuthError. */
export async function runCredentialCommand(command: string, options: RunOptions): Promise<CommandOutput> {
  const [file, ...args] = splitCommandLine(command);
  if (file === undefined) {
    throw new UsageError(`the credential command of ${options.origin} is empty`, { hint: options.hint });
  }
  const timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  const finished = await runInGroup(file, args, options, timeoutMs);
  const stdout = typeof finished.result.stdout === 'string' ? finished.result.stdout : '';
  // Whatever the command printed may be a secret, even when it failed: registered before its stderr
  // (which may repeat it) is read.
  registerOutputSecrets(stdout);
  const error = failure(file, finished, options, timeoutMs);
  if (error) throw error;
  try {
    return parseCommandOutput(stdout);
  } catch (error) {
    throw new AuthError(
      `the credential command ${quote(file)} of ${options.origin} gave unusable output: ${(error as Error).message}`,
      {
        hint: `it must print a bare token, {"token":…,"expires_at":…} or {"access_key":…,"secret_key":…,"security_token":…,"expires_at":…}; ${options.hint}`,
      },
    );
  }
}
