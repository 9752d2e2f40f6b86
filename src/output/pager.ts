/**
 * Long text on a terminal goes through a pager ($HSS_PAGER, else $PAGER, else `less -FRX`), as gh
 * and git do. Loaded only when a text result is longer than the terminal is high.
 *
 * The pager's command line is split into words as a shell would split it (blanks, '…', "…", a
 * backslash) and run without a shell. git hands $PAGER to `sh -c`; hss does not, because what it
 * runs then is exactly the program named and its arguments: nothing in a variable inherited from a
 * CI configuration or a wrapper script can chain another command (`;`, `|`, `$(…)`), and it works
 * the same where there is no `sh`. A pager that needs a pipeline is a script named in HSS_PAGER.
 *
 * The reader may quit before reading everything (`q` in less): what is left is dropped quietly, and
 * the command keeps its own exit code, whatever the pager's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { withChildInForeground } from '../core/io.js';
import { SECRET_ENV_VARS } from '../core/redact.js';
import type { RendererIo } from './renderer.js';

/** A command line's words: blanks separate them; quotes and backslashes are taken as a shell takes them. */
export function pagerWords(command: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quoteChar: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command.charAt(i);
    if (quoteChar !== undefined && word !== undefined) {
      if (c === quoteChar) quoteChar = undefined;
      else if (c === '\\' && quoteChar === '"' && /["\\$`]/.test(command.charAt(i + 1)))
        word += command.charAt(++i);
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quoteChar = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < command.length) {
      word = (word ?? '') + command.charAt(++i);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The environment of hss but its secrets: a pager has no use for them. */
function pagerEnv(env: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv | undefined {
  if (env === undefined) return undefined;
  const copy = { ...env };
  for (const name of SECRET_ENV_VARS) delete copy[name];
  return copy;
}

/**
 * Shows `text` through the pager and settles once it has been closed. A pager that cannot be started
 * is told to `failed` (why: ENOENT, …), and the text written as it would be without one.
 */
export async function page(
  text: string,
  command: string,
  io: RendererIo,
  failed: (reason: string) => void,
): Promise<void> {
  const [file, ...args] = pagerWords(command);
  if (file === undefined) {
    io.stdout.write(text);
    return;
  }
  const withoutPager = (reason: string) => {
    failed(reason);
    io.stdout.write(text);
  };
  await withChildInForeground(
    () =>
      new Promise<void>((resolve) => {
        let child: ChildProcess;
        try {
          child = spawn(file, args, { stdio: ['pipe', 'inherit', 'inherit'], env: pagerEnv(io.env) });
        } catch (error) {
          withoutPager((error as NodeJS.ErrnoException).code ?? 'invalid command');
          resolve();
          return;
        }
        let started = false;
        const stop = () => child.kill('SIGTERM');
        const done = () => {
          io.signal?.removeEventListener('abort', stop);
          resolve();
        };
        child.once('spawn', () => {
          started = true;
        });
        child.once('error', (error: NodeJS.ErrnoException) => {
          // Not started (ENOENT, EACCES): 'close' follows, and the text is written without the pager.
          if (!started) withoutPager(error.code ?? error.message);
        });
        child.once('close', done);
        // EPIPE when the reader quit before reading everything.
        child.stdin?.on('error', () => {});
        child.stdin?.end(text);
        io.signal?.addEventListener('abort', stop, { once: true });
      }),
  );
}
