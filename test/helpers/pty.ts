/**
 * Runs the built CLI (bin/hss.js) on a real pseudo-terminal, as a person at a keyboard does: stdin,
 * stdout and stderr are the terminal, what is typed goes through the terminal's line discipline (echo,
 * Ctrl-C), and what hss writes arrives mixed in one stream with CRLF line ends. The environment is
 * the clean one of test/helpers/cli.ts. A session that is still running when its time is up, or when
 * the test ends, is killed.
 */
import { type IPty, spawn } from '@lydell/node-pty';
import { afterEach } from 'vitest';
import { BIN, baseEnv, ROOT, tempDir } from './cli.js';

export interface PtyExit {
  /** The exit code; 128 + n when the process was ended by signal n. */
  exitCode: number;
  /** Everything the terminal showed, escape sequences included. */
  output: string;
}

export interface PtyOptions {
  env?: Record<string, string | undefined>;
  configDir?: string;
  cols?: number;
  rows?: number;
  /** The session is killed after this long (default 20 s). */
  timeoutMs?: number;
}

export interface PtySession {
  /** Everything the terminal has shown so far. */
  readonly output: string;
  /** Resolves once `text` shows after what earlier calls waited for; rejects when the session ends first or its time is up. */
  waitFor(text: string | RegExp): Promise<string>;
  /** Types on the keyboard: the text goes to the terminal as is (`\r` is Enter). */
  type(text: string): void;
  /** Ctrl-C, as the terminal sends it. */
  interrupt(): void;
  /** Resolves when the process has ended (or was killed when its time was up). */
  readonly exit: Promise<PtyExit>;
  kill(): void;
}

const running = new Set<IPty>();
afterEach(() => {
  for (const pty of running) pty.kill('SIGKILL');
  running.clear();
});

/** The whole environment of the session: the clean base, TERM, and the options' changes. */
function sessionEnv(options: PtyOptions): Record<string, string> {
  const env: Record<string, string> = {
    ...baseEnv(options.configDir ?? tempDir()),
    TERM: 'xterm-256color',
    SHELL: '/bin/sh',
  };
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** `file args…` on a new pseudo-terminal. */
export function spawnOnPty(file: string, args: string[], options: PtyOptions = {}): PtySession {
  const pty = spawn(file, args, {
    name: 'xterm-256color',
    cols: options.cols ?? 100,
    rows: options.rows ?? 30,
    cwd: ROOT,
    env: sessionEnv(options),
  });
  running.add(pty);
  let output = '';
  let searchFrom = 0;
  let ended = false;
  const waiters = new Set<{ test: () => boolean; fail: (reason: string) => void }>();
  const failAll = (reason: string) => {
    for (const w of waiters) w.fail(reason);
    waiters.clear();
  };

  const exit = new Promise<PtyExit>((resolve) => {
    const timer = setTimeout(() => {
      failAll(`timed out after ${options.timeoutMs ?? 20_000} ms; the terminal showed:\n${output}`);
      pty.kill('SIGKILL');
    }, options.timeoutMs ?? 20_000);
    pty.onExit(({ exitCode, signal }) => {
      ended = true;
      clearTimeout(timer);
      running.delete(pty);
      // node-pty may report the exit before the last output; let it arrive.
      setTimeout(() => {
        failAll(`the process ended (exit ${exitCode}); the terminal showed:\n${output}`);
        resolve({ exitCode: signal ? 128 + signal : exitCode, output });
      }, 50);
    });
  });
  pty.onData((data) => {
    output += data;
    for (const w of [...waiters]) if (w.test()) waiters.delete(w);
  });

  return {
    get output() {
      return output;
    },
    waitFor(text) {
      return new Promise<string>((resolve, reject) => {
        const test = () => {
          const rest = output.slice(searchFrom);
          const at =
            typeof text === 'string'
              ? { index: rest.indexOf(text), length: text.length }
              : (() => {
                  const m = new RegExp(text.source, text.flags.replace('g', '')).exec(rest);
                  return m ? { index: m.index, length: m[0].length } : { index: -1, length: 0 };
                })();
          if (at.index === -1) return false;
          searchFrom += at.index + at.length;
          resolve(output);
          return true;
        };
        if (test()) return;
        if (ended) return reject(new Error(`${String(text)} never showed; the terminal showed:\n${output}`));
        waiters.add({
          test,
          fail: (reason) => reject(new Error(`waiting for ${String(text)}: ${reason}`)),
        });
      });
    },
    type(text) {
      pty.write(text);
    },
    interrupt() {
      pty.write('\x03');
    },
    exit,
    kill() {
      pty.kill('SIGKILL');
    },
  };
}

/**
 * What the holding shell prints once the command has ended, with its exit code: an OSC sequence, which
 * terminals ignore; `output` ends before it.
 */
const ENDED = /\u001b\]hss-test-ended;(\d+)\u0007/;

/**
 * `command args…` on a new pseudo-terminal, run by a shell that holds the terminal open once the
 * command has ended, until the session has seen all it printed. On a loaded machine the last lines a
 * process writes just before it ends can otherwise be lost when the terminal closes with it. The shell
 * runs `then` after the command (with its exit code in `$code`), then prints ENDED and waits for one
 * key, which `exit` sends; it traps SIGINT, so a Ctrl-C reaches the command alone and the shell goes on.
 * The command is in the shell's process group, the terminal's foreground one, as a command typed at
 * a prompt is.
 */
function heldOnPty(command: string[], then: string, options: PtyOptions): PtySession {
  const script =
    `trap 'true' INT; "$@"; code=$?; ${then}` +
    `printf '\\033]hss-test-ended;%d\\007' "$code"; read -rs -n 1 _; exit "$code"`;
  const session = spawnOnPty('bash', ['--norc', '--noprofile', '-c', script, 'hss', ...command], options);
  // What the command showed: all before ENDED. After it only the shell's own (the key sent to end
  // it may be echoed before the shell turns echo off to read it).
  const shown = () => {
    const ended = ENDED.exec(session.output);
    return ended ? session.output.slice(0, ended.index) : session.output;
  };
  let settled: Promise<PtyExit> | undefined;
  const ended = async (): Promise<PtyExit> => {
    let gone = false;
    void session.exit.then(() => {
      gone = true;
    });
    while (!ENDED.test(session.output) && !gone) await new Promise((resolve) => setTimeout(resolve, 20));
    const reported = ENDED.exec(session.output);
    if (!gone) session.type('q');
    const { exitCode } = await session.exit;
    return { exitCode: reported ? Number(reported[1]) : exitCode, output: shown() };
  };
  return {
    get output() {
      return shown();
    },
    waitFor: (text) => session.waitFor(text),
    type: (text) => session.type(text),
    interrupt: () => session.interrupt(),
    kill: () => session.kill(),
    get exit() {
      settled ??= ended();
      return settled;
    },
  };
}

/** The built CLI on a new pseudo-terminal: `hss args…`. */
export function hssOnPty(args: string[], options: PtyOptions = {}): PtySession {
  return heldOnPty([process.execPath, BIN, ...args], '', options);
}

/** The last line `hssOnPtyThenStty`'s shell prints, after the terminal's settings. */
const STTY_END = '[stty end]';

/**
 * The built CLI on a new pseudo-terminal, followed by the exit code and the terminal's settings
 * (`stty -a`): what the user's shell finds once hss has ended.
 */
export function hssOnPtyThenStty(args: string[], options: PtyOptions = {}): PtySession {
  return heldOnPty(
    [process.execPath, BIN, ...args],
    `echo "[exit $code]"; stty -a; echo '${STTY_END}'; `,
    options,
  );
}

/** The exit code `hssOnPtyThenStty` reported, and whether the terminal is back to echoing lines. */
export function afterRun(output: string): { exitCode: number; echo: boolean; canonical: boolean } {
  const code = /\[exit (\d+)\]/.exec(output);
  if (!code) throw new Error(`no exit code was reported; the terminal showed:\n${output}`);
  const settings = output.slice(code.index);
  if (!settings.includes(STTY_END)) {
    throw new Error(`the terminal's settings were not shown in full; the terminal showed:\n${output}`);
  }
  return {
    exitCode: Number(code[1]),
    echo: /(^|\s)echo(\s|$)/m.test(settings),
    canonical: /(^|\s)icanon(\s|$)/m.test(settings),
  };
}
