/**
 * Ctrl-C with a spinner turning on a terminal: main() in-process, with stderr a (fake) TTY so the
 * spinner really runs, against a sandbox whose RetryTask never answers.
 */
import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { InterruptedError } from '../../src/core/errors.js';
import type { Io } from '../../src/core/io.js';
import { SANDBOX_PROJECT_ID, SANDBOX_TOKEN } from '../../src/sandbox/constants.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/server.js';
import { tempDir } from '../helpers/cli.js';

const SHOW_CURSOR = '\u001b[?25h';
const HIDE_CURSOR = '\u001b[?25l';

/** Records writes; cursor moves are recorded as markers, as a terminal would apply them. */
class FakeTty extends EventEmitter {
  readonly isTTY = true;
  readonly columns = 100;
  readonly rows = 40;
  text = '';
  write(chunk: string | Uint8Array, encoding?: unknown, callback?: () => void): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') done();
    return true;
  }
  cursorTo(x: number): boolean {
    this.text += `<cursorTo ${x}>`;
    return true;
  }
  moveCursor(dx: number, dy: number): boolean {
    this.text += `<move ${dx},${dy}>`;
    return true;
  }
  clearLine(dir: number): boolean {
    this.text += `<clearLine ${dir}>`;
    return true;
  }
}

class Collector {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

let sandbox: Sandbox;
const savedCi = process.env['CI'];
beforeAll(async () => {
  sandbox = await startSandbox({ faults: ['hang@retry'] });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  // ora turns spinners off under CI whatever the stream; this test is about a person's terminal.
  delete process.env['CI'];
});
afterEach(() => {
  if (savedCi !== undefined) process.env['CI'] = savedCi;
});

function terminalIo(signal: AbortSignal): { io: Io; stderr: FakeTty; stdout: Collector } {
  const stderr = new FakeTty();
  const stdout = new Collector();
  const dir = tempDir();
  const io: Io = {
    env: {
      HSS_CONFIG_DIR: dir,
      HSS_ENDPOINT: sandbox.url,
      HSS_PROJECT_ID: SANDBOX_PROJECT_ID,
      HSS_TOKEN: SANDBOX_TOKEN,
      TERM: 'xterm-256color',
    },
    stdin: { isTTY: true, async *[Symbol.asyncIterator]() {} },
    stdout,
    stderr,
    homeDir: dir,
    platform: process.platform,
    now: () => Date.now(),
    signal,
  };
  return { io, stderr, stdout };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('Ctrl-C with a spinner on the terminal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s stops the spinner, shows the cursor again, prints the error and returns %d',
    async (signal, code) => {
      const controller = new AbortController();
      const { io, stderr, stdout } = terminalIo(controller.signal);
      const pending = main(['task', 'retry', 'task-0001', '--all-failed'], io);
      await until(() => sandbox.requests.length === 1, 'the request');
      await until(() => stderr.text.includes('Retrying all failed clusters of task-0001'), 'the spinner');
      expect(stderr.text).toContain(HIDE_CURSOR);

      const started = Date.now();
      controller.abort(new InterruptedError(signal));
      expect(await pending).toBe(code);
      expect(Date.now() - started).toBeLessThan(500);

      expect(stdout.text).toBe('');
      // The spinner line is cleared and the cursor shown again before the error is written.
      const afterSpinner = stderr.text.slice(stderr.text.lastIndexOf('Retrying'));
      const clear = afterSpinner.indexOf('<clearLine 1>');
      const show = afterSpinner.indexOf(SHOW_CURSOR);
      const error = afterSpinner.indexOf(`interrupted by ${signal}`);
      expect(clear).toBeGreaterThan(-1);
      expect(show).toBeGreaterThan(clear);
      expect(error).toBeGreaterThan(show);
      expect(stderr.text.endsWith(`interrupted by ${signal}\n`)).toBe(true);
      // Nothing is drawn after the error: the spinner's timer is gone.
      const length = stderr.text.length;
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(stderr.text.length).toBe(length);
    },
  );
});
