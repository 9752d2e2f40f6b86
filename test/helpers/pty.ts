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

/** The built CLI on a new pseudo-terminal: `hss args…`. */
export function hssOnPty(args: string[], options: PtyOptions = {}): PtySession {
  return spawnOnPty(process.execPath, [BIN, ...args], options);
}

/** The last line `hssOnPtyThenStty`'s shell prints, after the terminal's settings. */
const STTY_END = '[stty end]';

/**
 * The built CLI on a new pseudo-terminal, run by bash, which then prints the exit code and the
 * terminal's settings (`stty -a`): what the user's shell finds once hss has ended. bash traps SIGINT
 * so that a Ctrl-C reaches hss and bash goes on to report.
 *
 * bash then holds the terminal open until the session has shown everything up to its last line, and
 * only then is let go (one key): what a process prints just before it ends can otherwise be lost when
 * the terminal closes on a loaded machine, and the settings are the last thing printed.
 */
export function hssOnPtyThenStty(args: string[], options: PtyOptions = {}): PtySession {
  const quoted = [process.execPath, BIN, ...args].map((s) => `'${s.replace(/'/g, `'\\''`)}'`).join(' ');
  const session = spawnOnPty(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `trap 'true' INT; ${quoted}; echo "[exit $?]"; stty -a; echo '${STTY_END}'; read -rs -n 1 _`,
    ],
    options,
  );
  let settled: Promise<PtyExit> | undefined;
  const shownInFull = async (): Promise<PtyExit> => {
    let ended = false;
    void session.exit.then(() => {
      ended = true;
    });
    while (!session.output.includes(STTY_END) && !ended) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (!ended) session.type('q');
    return session.exit;
  };
  return {
    get output() {
      return session.output;
    },
    waitFor: (text) => session.waitFor(text),
    type: (text) => session.type(text),
    interrupt: () => session.interrupt(),
    kill: () => session.kill(),
    get exit() {
      settled ??= shownInFull();
      return settled;
    },
  };
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
