/**
 * The settings of what hss writes: the format, -q, --debug, colour, the plain terminal of CI and
 * TERM=dumb, --query and the pager. Read from the flags and the environment only, never the store, so
 * that even a usage error is rendered the way they ask; the renderer is handed the result as plain
 * options.
 */
import type { OutStream } from '../core/io.js';
import type { OutputFormat, OutputOptions } from '../output/renderer.js';
import { type Env, envFlag, type Resolved } from './source.js';

/** The flags output depends on (a usage error is rendered from these as read straight from argv). */
export interface OutputFlags {
  output?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
  /** A JMESPath expression applied to the document (never to an error's). */
  query?: string;
  /** `--no-pager`: false. */
  pager?: boolean;
}

/** The formats `-o` takes, and HSS_OUTPUT. */
export const OUTPUT_FORMATS = ['text', 'json', 'yaml'] as const satisfies readonly OutputFormat[];

/** The pager when neither HSS_PAGER nor PAGER names one (as git and gh do). */
export const DEFAULT_PAGER = 'less -FRX';

export interface OutputSettings {
  format: Resolved<OutputFormat>;
  quiet: Resolved<boolean>;
  debug: Resolved<boolean>;
  /** `auto`: on a terminal, unless -q or a plain terminal. */
  color: Resolved<'auto' | 'always' | 'never'>;
  /** CI or TERM=dumb: no colour (unless forced), no spinners and no pager. */
  plain: Resolved<boolean>;
  /** The pager's command line; null: none (`--no-pager`, or HSS_PAGER / PAGER empty or `cat`). */
  pager: Resolved<string | null>;
}

/** A format by name; anything else is text (commander refuses other values of -o before this). */
function formatNamed(name: string | undefined): OutputFormat {
  return OUTPUT_FORMATS.find((f) => f === name) ?? 'text';
}

function format(flags: OutputFlags, env: Env): Resolved<OutputFormat> {
  if (flags.json) return { value: 'json', source: 'flag' };
  if (flags.output !== undefined) return { value: formatNamed(flags.output), source: 'flag' };
  const variable = env['HSS_OUTPUT'];
  if (variable) return { value: formatNamed(variable), source: 'env:HSS_OUTPUT' };
  // As aws prints what --query selects: JSON, unless -o text (or yaml) is asked for.
  if (flags.query !== undefined) return { value: 'json', source: 'derived:--query' };
  return { value: 'text', source: 'default' };
}

/**
 * `--no-pager` wins; then HSS_PAGER, then PAGER, each set even if empty; an empty one or `cat` means
 * none, as for git.
 */
function pager(flags: OutputFlags, env: Env): Resolved<string | null> {
  if (flags.pager === false) return { value: null, source: 'flag' };
  for (const name of ['HSS_PAGER', 'PAGER']) {
    const variable = env[name];
    if (variable === undefined) continue;
    const command = variable.trim();
    return { value: command === '' || command === 'cat' ? null : command, source: `env:${name}` };
  }
  return { value: DEFAULT_PAGER, source: 'default' };
}

/** --no-color and NO_COLOR win; FORCE_COLOR (not 0 or false) turns colour on anywhere. */
function color(flags: OutputFlags, env: Env): OutputSettings['color'] {
  if (flags.color === false) return { value: 'never', source: 'flag' };
  if (env['NO_COLOR']) return { value: 'never', source: 'env:NO_COLOR' };
  const force = env['FORCE_COLOR'];
  if (force)
    return { value: force !== '0' && force !== 'false' ? 'always' : 'never', source: 'env:FORCE_COLOR' };
  return { value: 'auto', source: 'default' };
}

function switchedOn(flag: boolean | undefined, env: Env, name: string): Resolved<boolean> {
  if (flag === true) return { value: true, source: 'flag' };
  const variable = env[name];
  if (variable) return { value: envFlag(variable), source: `env:${name}` };
  return { value: false, source: 'default' };
}

export function resolveOutput(flags: OutputFlags, env: Env): OutputSettings {
  return {
    format: format(flags, env),
    quiet: { value: flags.quiet === true, source: flags.quiet === true ? 'flag' : 'default' },
    debug: switchedOn(flags.debug, env, 'HSS_DEBUG'),
    color: color(flags, env),
    plain: envFlag(env['CI'])
      ? { value: true, source: 'env:CI' }
      : env['TERM'] === 'dumb'
        ? { value: true, source: 'env:TERM' }
        : { value: false, source: 'default' },
    pager: pager(flags, env),
  };
}

/**
 * Colour, spinners and the pager for these streams: TTY only; never under CI or TERM=dumb; no
 * spinners with JSON, YAML or -q.
 */
export function outputOptions(
  flags: OutputFlags,
  env: Env,
  streams: { stdout: OutStream; stderr: OutStream },
): OutputOptions {
  const settings = resolveOutput(flags, env);
  const formatValue = settings.format.value;
  const quiet = settings.quiet.value;
  const plain = settings.plain.value;
  const colorFor = (stream: OutStream): boolean =>
    settings.color.value === 'auto'
      ? stream.isTTY === true && !plain && !quiet
      : settings.color.value === 'always';
  const options: OutputOptions = {
    format: formatValue,
    quiet,
    debug: settings.debug.value,
    colorOut: formatValue === 'text' && colorFor(streams.stdout),
    colorErr: colorFor(streams.stderr),
    // A terminal that reports no width (a pty without a size, e.g. some CI runners) makes ora's
    // line counting divide by zero and spin forever; it gets progress lines instead.
    interactive:
      streams.stderr.isTTY === true &&
      (streams.stderr.columns ?? 0) > 0 &&
      !plain &&
      !quiet &&
      formatValue === 'text',
  };
  if (flags.query !== undefined) options.query = flags.query;
  const pagerCommand = settings.pager.value;
  if (pagerCommand !== null && streams.stdout.isTTY === true && !plain) {
    options.pager = pagerCommand;
  }
  return options;
}
