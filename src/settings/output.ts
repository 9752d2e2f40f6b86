/**
 * The settings of what hss writes: the format, -q, --debug, colour, and the plain terminal of CI and
 * TERM=dumb. Read from the flags and the environment only, never the store, so that even a usage error
 * is rendered the way they ask; the renderer is handed the result as plain options.
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
}

export interface OutputSettings {
  format: Resolved<OutputFormat>;
  quiet: Resolved<boolean>;
  debug: Resolved<boolean>;
  /** `auto`: on a terminal, unless -q or a plain terminal. */
  color: Resolved<'auto' | 'always' | 'never'>;
  /** CI or TERM=dumb: no colour (unless forced) and no spinners. */
  plain: Resolved<boolean>;
}

function format(flags: OutputFlags, env: Env): Resolved<OutputFormat> {
  if (flags.json || flags.output !== undefined)
    return { value: flags.json || flags.output === 'json' ? 'json' : 'text', source: 'flag' };
  const variable = env['HSS_OUTPUT'];
  if (variable) return { value: variable === 'json' ? 'json' : 'text', source: 'env:HSS_OUTPUT' };
  return { value: 'text', source: 'default' };
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
  };
}

/** Colour and spinners for these streams: TTY only; never under CI, TERM=dumb, JSON or -q. */
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
  return {
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
}
