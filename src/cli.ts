/**
 * The process-facing entry the bin shim calls: wires signals to an AbortSignal and runs main().
 */
import { InterruptedError } from './errors.js';
import { processIo } from './io.js';
import { main } from './main.js';

export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
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
    return await main(argv, processIo(controller.signal));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
