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
  // A reader that goes away early (`hss help exit-codes | head -1`) is not a crash: the rest of the
  // output is dropped and the command ends with its own exit code.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', ignoreClosedPipe);
  try {
    return await main(argv, processIo(controller.signal));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
}
