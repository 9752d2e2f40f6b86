/**
 * The process-facing entry the bin shim calls: wires signals to an AbortSignal and runs main().
 *
 * This module is the whole of what every invocation loads before it knows what it will do, so it
 * imports nothing but the version: `hss --version` answers from here, and everything else (commander,
 * the renderer, the command tree) is loaded once it is needed. See docs/performance.md.
 */
import { VERSION } from './version.js';

export async function run(argv: string[]): Promise<number> {
  // Exactly what commander prints for a lone --version, without loading commander.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [{ InterruptedError }, { processIo }, { main }] = await Promise.all([
    import('./errors.js'),
    import('./io.js'),
    import('./main.js'),
  ]);
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
