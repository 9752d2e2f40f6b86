/**
 * The process-facing entry the bin shim calls: wires signals to an AbortSignal and runs main().
 *
 * Ctrl-C (SIGINT) and SIGTERM abort the signal every request, wait and standard-input read listens
 * to, so main() normally ends at once with InterruptedError (exit 130 / 143) and renders it itself.
 * Safety nets keep the promise of exiting at once: if main() has not ended shortly after the signal,
 * the interruption is rendered here and the process leaves; and once main() has ended, nothing left
 * behind (an open stdin, a socket) may keep an interrupted process alive.
 */
import { InterruptedError } from '../core/errors.js';
import { childInForeground, outputFailure, processIo } from '../core/io.js';
import { outputOptions } from '../settings/output.js';
import { earlyFlags, main } from './main.js';

/** How long main() gets, after a signal, to finish and render the interruption itself. */
const GRACE_MS = 300;
/**
 * A signal repeated within this time is the same one: a dependency of the store writer (when-exit,
 * under conf's atomic write) runs its clean-up and sends the signal to the process again. A second
 * Ctrl-C after it leaves at once.
 */
const ECHO_MS = 500;

/**
 * `leave` ends the process at once. The bin shim passes `process.exit`; it is used only after a
 * signal, where exiting at once is the promise (a normal run returns its exit code to the shim).
 */
export async function run(argv: string[], leave: (code?: number) => void): Promise<number> {
  const controller = new AbortController();
  const io = processIo(controller.signal);
  let graceTimer: NodeJS.Timeout | undefined;
  let firstSignalAt: number | undefined;
  let finished = false;
  const abandoned = new Promise<InterruptedError>((resolve) => {
    controller.signal.addEventListener(
      'abort',
      () => {
        graceTimer = setTimeout(() => resolve(controller.signal.reason as InterruptedError), GRACE_MS);
      },
      { once: true },
    );
  });
  // Left installed until the process ends: without a listener, Node (and the dependencies that
  // re-send signals) would kill the process by the signal, even after its work is done.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  function onSignal(signal: 'SIGINT' | 'SIGTERM'): void {
    // Ctrl-C reaches the pager too, which handles it; hss waits for it to close, as git does.
    if (signal === 'SIGINT' && childInForeground()) return;
    const now = Date.now();
    if (firstSignalAt !== undefined) {
      if (now - firstSignalAt < ECHO_MS) return;
      leave(signal === 'SIGINT' ? 130 : 143);
    }
    firstSignalAt = now;
    if (finished) {
      // The work is done and its exit code set; only something left open could keep the process here.
      setTimeout(() => leave(), 100).unref();
      return;
    }
    controller.abort(new InterruptedError(signal));
  }

  try {
    const outcome = await Promise.race([main(argv, io), abandoned]);
    if (outcome instanceof InterruptedError) {
      // main() is stuck on something that ignores the signal; it has written nothing yet (results are
      // written in one piece at the end), so the interruption is the only output.
      const { Renderer, stopAllSpinners } = await import('../output/renderer.js');
      stopAllSpinners();
      (await Renderer.create(io, outputOptions(earlyFlags(argv), io.env, io))).fail(outcome);
      leave(outcome.exitCode);
      return outcome.exitCode;
    }
    if (controller.signal.aborted) setTimeout(() => leave(outcome), 100).unref();
    const failure = await outputFailure();
    if (failure) {
      // The result did not reach its reader (a full disk, an I/O error): say so in one line, and fail
      // the run. Exit 1, as for any Unix tool that cannot write its output, unless the run already
      // failed with a code of its own.
      io.stderr.write(`error: cannot write to standard output (${failure.message})\n`);
      return outcome === 0 ? 1 : outcome;
    }
    return outcome;
  } finally {
    finished = true;
    clearTimeout(graceTimer);
  }
}
