/**
 * Questions on the terminal, for `hss auth login` on a TTY. Answers to hidden questions are never
 * echoed: readline's echo goes to a sink that is muted once the question is shown.
 */
import { InterruptedError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';

export function canPrompt(io: Pick<Io, 'stdin' | 'stderr'>): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

export async function ask(
  io: Pick<Io, 'stdin' | 'stderr' | 'signal'>,
  question: string,
  options: { hidden?: boolean } = {},
): Promise<string> {
  const [{ createInterface }, { Writable }] = await Promise.all([
    import('node:readline'),
    import('node:stream'),
  ]);
  let muted = false;
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) io.stderr.write(String(chunk));
      callback();
    },
  });
  const rl = createInterface({
    input: io.stdin as unknown as NodeJS.ReadableStream,
    output: sink,
    terminal: true,
    historySize: 0,
  });
  let onAbort: (() => void) | undefined;
  let answered = false;
  try {
    return await new Promise<string>((resolve, reject) => {
      onAbort = () => reject(io.signal.reason);
      io.signal.addEventListener('abort', onAbort, { once: true });
      rl.on('SIGINT', () => reject(new InterruptedError('SIGINT')));
      rl.on('close', () => reject(new UsageError('no answer: the terminal input was closed')));
      rl.question(question, (answer) => {
        answered = true;
        resolve(answer);
      });
      muted = options.hidden === true;
    });
  } finally {
    if (onAbort) io.signal.removeEventListener('abort', onAbort);
    rl.close();
    // The echo of Enter ends the line of a visible answer only: a hidden answer, Ctrl-C or a closed
    // input leaves the cursor after the question, where the next line (an error, say) would join it.
    if (options.hidden || !answered) io.stderr.write('\n');
  }
}

/** A yes/no question on the terminal, No unless the answer is `y` or `yes` (as gh and apt ask). */
export async function confirm(
  io: Pick<Io, 'stdin' | 'stderr' | 'signal'>,
  question: string,
): Promise<boolean> {
  const answer = await ask(io, `${question} [y/N] `);
  return /^(y|yes)$/i.test(answer.trim());
}
