/**
 * Everything hss writes goes through here: results to stdout (text or one JSON document), progress,
 * warnings, debug traces and human-readable errors to stderr, secrets masked on the way out.
 */
import type { ChalkInstance } from 'chalk';
import type { HssError } from '../errors.js';
import type { Io, OutStream } from '../io.js';
import { redact } from './redact.js';

export type OutputFormat = 'text' | 'json';

export interface OutputOptions {
  format: OutputFormat;
  quiet: boolean;
  debug: boolean;
  /** Colour on stdout / stderr. */
  colorOut: boolean;
  colorErr: boolean;
  /** Spinners on stderr. */
  interactive: boolean;
}

/** What a command hands back: data for JSON, a text view of the same, and the exit code. */
export interface CommandResult {
  data: Record<string, unknown>;
  text?: (style: ChalkInstance) => string;
  exitCode: number;
  /** Already written by the command itself (long-running commands that print before they return). */
  rendered?: boolean;
}

export interface Spinner {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

const NO_SPINNER: Spinner = { update() {}, succeed() {}, fail() {}, stop() {} };

/**
 * The styles of a stream without colour, as chalk at level 0 has them: every style, and any chain of
 * them (`s.bold.red`), gives back its text unchanged. chalk is loaded only for a stream with colour: its
 * own colour detection (which hss does not use) costs every run a look at the terminal.
 */
export const PLAIN: ChalkInstance = (() => {
  const text = (...parts: unknown[]) => (parts.length === 1 ? String(parts[0]) : parts.join(' '));
  const style: ChalkInstance = new Proxy(text, {
    get: (_target, key) => (key === 'level' ? 0 : style),
  }) as unknown as ChalkInstance;
  return style;
})();

/** chalk for the streams that have colour (basic 16 colours: level 1), PLAIN for the others. */
async function stylesFor(options: OutputOptions): Promise<{ out: ChalkInstance; err: ChalkInstance }> {
  if (!options.colorOut && !options.colorErr) return { out: PLAIN, err: PLAIN };
  const { Chalk } = await import('chalk');
  return {
    out: options.colorOut ? new Chalk({ level: 1 }) : PLAIN,
    err: options.colorErr ? new Chalk({ level: 1 }) : PLAIN,
  };
}

/** Every spinner turning in this process, whichever renderer started it. */
const turning = new Set<{ stop(): void }>();

/** Restores the terminal from outside a renderer (a signal that could not wait for main to end). */
export function stopAllSpinners(): void {
  for (const spinner of turning) spinner.stop();
  turning.clear();
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Colour and spinner rules: TTY only; never under CI, TERM=dumb, JSON or -q; NO_COLOR/--no-color off; FORCE_COLOR on. */
export function outputOptions(
  flags: { output?: string; json?: boolean; quiet?: boolean; color?: boolean; debug?: boolean },
  env: Record<string, string | undefined>,
  streams: { stdout: OutStream; stderr: OutStream },
): OutputOptions {
  const envFormat = env['HSS_OUTPUT'];
  const format: OutputFormat =
    flags.json || flags.output === 'json' || (flags.output === undefined && envFormat === 'json')
      ? 'json'
      : 'text';
  const quiet = flags.quiet === true;
  const debug = flags.debug === true || truthy(env['HSS_DEBUG']);
  const plain = truthy(env['CI']) || env['TERM'] === 'dumb';
  const force = env['FORCE_COLOR'];
  const colorFor = (stream: OutStream): boolean => {
    if (flags.color === false || (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '')) return false;
    if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
    return stream.isTTY === true && !plain && !quiet;
  };
  return {
    format,
    quiet,
    debug,
    colorOut: format === 'text' && colorFor(streams.stdout),
    colorErr: colorFor(streams.stderr),
    // A terminal that reports no width (a pty without a size, e.g. some CI runners) makes ora's
    // line counting divide by zero and spin forever; it gets progress lines instead.
    interactive:
      streams.stderr.isTTY === true &&
      (streams.stderr.columns ?? 0) > 0 &&
      !plain &&
      !quiet &&
      format === 'text',
  };
}

export class Renderer {
  readonly options: OutputOptions;
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;
  private readonly io: Pick<Io, 'stdout' | 'stderr'>;
  private activeSpinner: { stop(): void } | undefined;

  /** A renderer with chalk loaded if a stream has colour. */
  static async create(io: Pick<Io, 'stdout' | 'stderr'>, options: OutputOptions): Promise<Renderer> {
    return new Renderer(io, options, await stylesFor(options));
  }

  /** `styles` must have colour where `options` say so (Renderer.create sees to it). */
  constructor(
    io: Pick<Io, 'stdout' | 'stderr'>,
    options: OutputOptions,
    styles: { out: ChalkInstance; err: ChalkInstance } = { out: PLAIN, err: PLAIN },
  ) {
    this.io = io;
    this.options = options;
    this.out = styles.out;
    this.err = styles.err;
  }

  get json(): boolean {
    return this.options.format === 'json';
  }

  private writeErr(text: string): void {
    this.io.stderr.write(redact(text));
  }

  /** Progress and notices for a person; silent with -q and in JSON mode's stdout (they go to stderr). */
  info(line: string): void {
    if (!this.options.quiet) this.writeErr(`${line}\n`);
  }

  warn(line: string): void {
    if (!this.options.quiet) this.writeErr(`${this.err.yellow('warning:')} ${line}\n`);
  }

  debug(line: string): void {
    if (this.options.debug) this.writeErr(`${this.err.dim(`debug: ${line}`)}\n`);
  }

  /** A spinner on an interactive stderr; elsewhere nothing (callers print change lines with `info`). */
  async spinner(text: string): Promise<Spinner> {
    if (!this.options.interactive) return NO_SPINNER;
    const { default: ora } = await import('ora');
    const spinner = ora({
      text: redact(text),
      stream: this.io.stderr as NodeJS.WritableStream,
      discardStdin: false,
    });
    spinner.start();
    this.activeSpinner = spinner;
    turning.add(spinner);
    const done = () => {
      turning.delete(spinner);
      if (this.activeSpinner === spinner) this.activeSpinner = undefined;
    };
    return {
      update: (t) => {
        spinner.text = redact(t);
      },
      succeed: (t) => {
        spinner.succeed(redact(t));
        done();
      },
      fail: (t) => {
        spinner.fail(redact(t));
        done();
      },
      stop: () => {
        spinner.stop();
        done();
      },
    };
  }

  /** Restores the terminal: stops any spinner that is still turning (errors, signals). */
  stopSpinner(): void {
    if (this.activeSpinner) turning.delete(this.activeSpinner);
    this.activeSpinner?.stop();
    this.activeSpinner = undefined;
  }

  result(result: CommandResult): void {
    this.stopSpinner();
    if (result.rendered) return;
    if (this.json) {
      this.io.stdout.write(`${redact(JSON.stringify(result.data, null, 2))}\n`);
      return;
    }
    if (this.options.quiet || !result.text) return;
    const text = result.text(this.out);
    if (text) this.io.stdout.write(redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  fail(error: HssError, stack?: string): void {
    this.stopSpinner();
    if (this.json) {
      this.io.stdout.write(`${redact(JSON.stringify({ ok: false, error: errorJson(error) }, null, 2))}\n`);
    }
    if (this.json && this.options.quiet) return;
    const details = errorDetailsLine(error);
    let text = `${this.err.red('error:')} ${error.message}\n`;
    if (details) text += `  ${this.err.dim(details)}\n`;
    if (error.hint) text += `${this.err.cyan('hint:')} ${error.hint}\n`;
    if (stack && this.options.debug) text += `${this.err.dim(stack)}\n`;
    this.writeErr(text);
  }
}

export function errorDetailsLine(error: HssError): string {
  const parts: string[] = [];
  if (error.apiErrorCode) parts.push(`error_code ${error.apiErrorCode}`);
  if (error.httpStatus !== undefined) parts.push(`HTTP ${error.httpStatus}`);
  if (error.requestId) parts.push(`X-Request-Id ${error.requestId}`);
  if (error.encodedAuthorizationMessage)
    parts.push(`encoded_authorization_message ${error.encodedAuthorizationMessage}`);
  return parts.join(' · ');
}

export function errorJson(error: HssError): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: error.code,
    message: error.message,
    exit_code: error.exitCode,
  };
  if (error.httpStatus !== undefined) out['http_status'] = error.httpStatus;
  if (error.apiErrorCode !== undefined) out['api_error_code'] = error.apiErrorCode;
  if (error.requestId !== undefined) out['request_id'] = error.requestId;
  if (error.encodedAuthorizationMessage !== undefined)
    out['encoded_authorization_message'] = error.encodedAuthorizationMessage;
  if (error.hint !== undefined) out['hint'] = error.hint;
  return out;
}
