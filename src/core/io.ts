import { closeSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';

export interface OutStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface InStream extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
}

/** The world as one object, so commands and tests never reach for globals. */
export interface Io {
  env: Record<string, string | undefined>;
  stdin: InStream;
  stdout: OutStream;
  stderr: OutStream;
  homeDir: string;
  platform: NodeJS.Platform;
  /** Epoch milliseconds. */
  now(): number;
  /** Aborted on SIGINT/SIGTERM; every request and wait listens to it. */
  signal: AbortSignal;
}

/**
 * A reader that goes away early (`hss help exit-codes | head -1`) is not a crash: the rest of the output
 * is dropped and the command ends with its own exit code. Any other failure to write standard output
 * (a full disk, an I/O error) is kept for the end of the run (see outputFailure); a failure to write
 * standard error has nowhere to be told. None is thrown from the stream's event, which would crash.
 */
let stdoutFailure: NodeJS.ErrnoException | undefined;
function onStdoutError(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  stdoutFailure ??= error;
}
function onStderrError(): void {}

const guarded = new WeakSet<NodeJS.WriteStream>();
let stdoutUsed = false;
function guard(
  stream: NodeJS.WriteStream,
  onError: (error: NodeJS.ErrnoException) => void,
): NodeJS.WriteStream {
  if (!guarded.has(stream)) {
    guarded.add(stream);
    stream.on('error', onError);
  }
  return stream;
}

/**
 * Once everything is written: the error that kept standard output from being written, if any. A write
 * fails after the fact (the stream reports it later), so this waits for standard output to have taken
 * all it was given.
 */
export async function outputFailure(): Promise<NodeJS.ErrnoException | undefined> {
  if (stdoutUsed) {
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    // The stream's own 'error' event comes a tick after the failed write's callback.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return stdoutFailure;
}

export function processIo(signal: AbortSignal): Io {
  // The standard streams are created on first use: setting one up costs milliseconds, and most runs
  // never read standard input, or write to one of stdout and stderr.
  return {
    env: process.env,
    get stdin() {
      return process.stdin;
    },
    get stdout() {
      stdoutUsed = true;
      return guard(process.stdout, onStdoutError);
    },
    get stderr() {
      return guard(process.stderr, onStderrError);
    },
    homeDir: homedir(),
    platform: process.platform,
    now: () => Date.now(),
    signal,
  };
}

/**
 * Whether a child process has the terminal (the pager): Ctrl-C is then the child's to handle, as
 * less does (git ignores SIGINT while its pager runs, for the same reason), and must not end hss
 * under it, which would leave the terminal to a pager whose input has gone.
 */
let foregroundChildren = 0;
export function childInForeground(): boolean {
  return foregroundChildren > 0;
}
export async function withChildInForeground<T>(run: () => Promise<T>): Promise<T> {
  foregroundChildren++;
  try {
    return await run();
  } finally {
    foregroundChildren--;
  }
}

/** Folder of the profile store and credential cache: HSS_CONFIG_DIR, else the XDG config dir. */
export function configDir(io: Pick<Io, 'env' | 'homeDir' | 'platform'>): string {
  const explicit = io.env['HSS_CONFIG_DIR'];
  if (explicit) return path.resolve(explicit);
  if (io.platform === 'win32' && io.env['APPDATA']) return path.join(io.env['APPDATA'], 'hss');
  const xdg = io.env['XDG_CONFIG_HOME'];
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(io.homeDir, '.config'), 'hss');
}

const STDIN_LIMIT = 4 * 1024 * 1024;

/** The most hss reads of standard input or of a file named on the command line: 4 MiB. */
export const READ_LIMIT = STDIN_LIMIT;

/**
 * A file as UTF-8, after reading no more than `limit` + 1 bytes of it: a device such as /dev/zero
 * never ends. A larger file fails with an Error whose code is EFBIG; other failures are fs errors.
 */
export function readFileUpTo(file: string, limit: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(limit + 1);
    let size = 0;
    for (;;) {
      const read = readSync(fd, buffer, size, buffer.length - size, null);
      if (read === 0) break;
      size += read;
      if (size > limit) throw Object.assign(new Error(`larger than ${limit} bytes`), { code: 'EFBIG' });
    }
    return buffer.toString('utf8', 0, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * A file named on the command line, read as standard input is: up to 4 MiB. `what` names it in
 * messages, e.g. `--cluster-file "specs.txt"`; any failure is a usage error (exit 2).
 */
export function readFileLimited(file: string, what: string): string {
  try {
    return readFileUpTo(file, READ_LIMIT);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EFBIG') throw new UsageError(`${what} is larger than 4 MiB`);
    throw new UsageError(`${what}: cannot read it (${code ?? 'unreadable'})`);
  }
}

/** Reads all of standard input as UTF-8, refusing more than 4 MiB; an abort (Ctrl-C) stops the wait. */
export async function readAll(stdin: InStream, what: string, signal?: AbortSignal): Promise<string> {
  const read = async () => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > STDIN_LIMIT) throw new UsageError(`${what} on standard input is larger than 4 MiB`);
      chunks.push(buf);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  if (!signal) return read();
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const reading = read();
  // Once interrupted nobody awaits the read any more; its later failure must not surface.
  reading.catch(() => {});
  try {
    return await Promise.race([reading, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
