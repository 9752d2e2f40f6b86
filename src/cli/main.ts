/**
 * main(argv, io) → exit code. The single place where errors become output and exit codes.
 */
import { CommanderError } from 'commander';
import type { HandlerInput } from '../commands/define.js';
import { HssError, UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { registerEnvSecrets } from '../core/redact.js';
import { userAgent } from '../core/version.js';
import type { CommandResult, Renderer } from '../output/renderer.js';
import type { GlobalFlags } from '../settings/flags.js';
import { type OutputFlags, outputOptions, resolveOutput } from '../settings/output.js';
import type { Context } from './context.js';
import { buildProgram, helpData } from './program.js';

export const ISSUES_URL = 'https://github.com/hss-cli/hss-cli/issues';

/** Output flags read straight from argv, so that even a usage error is rendered the way the user asked. */
export function earlyFlags(argv: string[]): OutputFlags {
  const flags: OutputFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (arg === '--json') flags.json = true;
    else if (arg === '-q' || arg === '--quiet') flags.quiet = true;
    else if (arg === '--no-color') flags.color = false;
    else if (arg === '--debug') flags.debug = true;
    else if ((arg === '-o' || arg === '--output') && argv[i + 1]) flags.output = argv[i + 1];
    else if (arg?.startsWith('--output=')) flags.output = arg.slice('--output='.length);
    else if (arg?.startsWith('-o') && arg.length > 2) flags.output = arg.slice(2);
  }
  return flags;
}

function commanderMessage(error: CommanderError): string {
  return error.message.replace(/^error: /, '').trim();
}

/** The renderer (and chalk) is loaded only to print a result or an error: --help never needs it. */
async function createRenderer(io: Io, flags: OutputFlags): Promise<Renderer> {
  const { Renderer } = await import('../output/renderer.js');
  return Renderer.create(io, outputOptions(flags, io.env, io));
}

/** --debug lines written before any renderer exists (no colour: chalk is not loaded for them). */
function earlyDebug(argv: string[], io: Io): (line: string) => void {
  const on = resolveOutput(earlyFlags(argv), io.env).debug.value;
  return (line) => {
    if (on) io.stderr.write(`debug: ${line}\n`);
  };
}

export async function main(argv: string[], io: Io): Promise<number> {
  registerEnvSecrets(io.env);
  const debug = earlyDebug(argv, io);
  let renderer: Renderer | undefined;
  let result: CommandResult | undefined;
  debug(`${userAgent()}; signal handlers ready`);

  const program = buildProgram(async (command, input) => {
    const flags = program.opts<GlobalFlags>();
    // The context (settings, credentials, HTTP, zod schemas) and the handler are loaded only when a
    // command runs, so --help and usage errors never pay for them.
    const [created, { loadContext }, { default: handler }] = await Promise.all([
      createRenderer(io, flags),
      import('./context.js'),
      command.load(),
    ]);
    renderer = created;
    const run = handler as (input: HandlerInput<unknown, unknown>, ctx: Context) => Promise<CommandResult>;
    result = await run({ ...input, program }, await loadContext(io, flags, created));
  });
  program.hook('preAction', (_program, action) => {
    const opts = action.optsWithGlobals();
    for (const command of [program, action]) {
      for (const [key, { flag, secret, hint }] of helpData(command).secretStdin) {
        // io.stdin is read only when such an option is given: creating the stream costs every run.
        if (opts[key] === true && io.stdin.isTTY === true) {
          throw new UsageError(
            `${flag} reads ${secret} from standard input, which is a terminal; pipe it in`,
            {
              hint,
            },
          );
        }
      }
    }
  });
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: () => {},
    getOutHelpWidth: () => io.stdout.columns ?? 80,
    getErrHelpWidth: () => io.stderr.columns ?? 80,
  });
  for (const command of program.commands) applyRecursively(command);

  try {
    // A bare `hss` is the top group without its subcommand: its help, as for `hss task`.
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: 'user' });
    if (!result || !renderer) return 0;
    await renderer.result(result);
    return result.exitCode;
  } catch (error) {
    // Help and version output has been printed by commander already: nothing to render.
    if (error instanceof CommanderError && error.code === 'commander.version') {
      // What a bug report needs beside the version; stdout keeps only the version for scripts.
      debug(`node ${process.version} ${process.platform} ${process.arch}`);
    }
    const quiet = quietExit(error);
    if (quiet !== undefined) return quiet;
    // Before a command ran, errors are rendered the way argv asked (--json, -q, --no-color).
    renderer ??= await createRenderer(io, earlyFlags(argv));
    return handleError(error, renderer);
  }

  function applyRecursively(command: typeof program): void {
    command.exitOverride();
    command.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {},
    });
    for (const sub of command.commands) applyRecursively(sub);
  }
}

/** The exit code of commander's own exits that print nothing more (help, version); else undefined. */
function quietExit(error: unknown): number | undefined {
  if (!(error instanceof CommanderError)) return undefined;
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
  // `hss task help retry` and a group alone (`hss task`) asked for help (exit 0).
  if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
  if (error.code === 'commander.executeSubCommandAsync') return 2;
  return undefined;
}

function handleError(error: unknown, renderer: Renderer): number {
  if (error instanceof CommanderError) {
    const usage = new UsageError(commanderMessage(error), {
      hint: 'see `hss --help` or `hss <command> --help`',
    });
    renderer.fail(usage);
    return usage.exitCode;
  }
  // A stack helps with a bug only: a user's or the API's error is said in full by its message.
  if (error instanceof HssError) {
    renderer.fail(error, error.code === 'INTERNAL' ? error.stack : undefined);
    return error.exitCode;
  }
  const bug = new HssError(
    'INTERNAL',
    1,
    `internal error: ${error instanceof Error ? error.message : String(error)}`,
    { hint: `this is a bug in hss; please report it at ${ISSUES_URL} with the output of --debug` },
  );
  renderer.fail(bug, error instanceof Error ? error.stack : undefined);
  return 1;
}
