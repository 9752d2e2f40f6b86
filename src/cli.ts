/**
 * The process-facing entry the bin shim calls: wires signals to an AbortSignal and runs main().
 *
 * Ctrl-C (SIGINT) and SIGTERM abort the signal every request, wait and standard-input read listens
 * to, so main() normally ends at once with InterruptedError (exit 130 / 143) and renders it itself.
 * Two safety nets keep the promise of exiting at once: if main() has not ended shortly after the
 * signal, the interruption is rendered here and the process leaves; and once main() has ended after a
 * signal, nothing left behind (an open stdin, a socket) may keep the process alive.
 */
import { InterruptedError } from './errors.js';
import { processIo } from './io.js';
import { earlyFlags, main } from './main.js';
import { outputOptions, Renderer, stopAllSpinners } from './output/renderer.js';

/** How long main() gets, after a signal, to finish and render the interruption itself. */
const GRACE_MS = 300;

export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const io = processIo(controller.signal);
  let graceTimer: NodeJS.Timeout | undefined;
  const abandoned = new Promise<InterruptedError>((resolve) => {
    controller.signal.addEventListener(
      'abort',
      () => {
        graceTimer = setTimeout(() => resolve(controller.signal.reason as InterruptedError), GRACE_MS);
      },
      { once: true },
    );
  });
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) {
      // A second Ctrl-C while shutting down: leave at once.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await Promise.race([main(argv, io), abandoned]);
    if (outcome instanceof InterruptedError) {
      // main() is stuck on something that ignores the signal; it has written nothing yet (output is
      // written in one piece at the end), so the interruption is the only output.
      stopAllSpinners();
      new Renderer(io, outputOptions(earlyFlags(argv), io.env, io)).fail(outcome);
      process.exit(outcome.exitCode);
    }
    if (controller.signal.aborted) {
      setTimeout(() => process.exit(outcome), 100).unref();
    }
    return outcome;
  } finally {
    clearTimeout(graceTimer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
