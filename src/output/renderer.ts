/**
 * Everything hss writes goes through here: results to stdout (text or one JSON document), progress,
 * warnings, debug traces and human-readable errors to stderr, secrets masked and text from outside
 * escaped on the way out.
 *
 * Escaping happens here, at the one sink, rather than where each view puts a server's value in a
 * line: no command, message, hint or debug line can then forget it. Colour is what makes that
 * possible: a stream with colour gets styles that only mark where a colour starts and ends (with a
 * marker no outside text can forge), every character a terminal would act on is escaped, and only
 * then are the markers turned into the terminal's colour codes.
 */
import type { ChalkInstance } from 'chalk';
import type { HssError } from '../core/errors.js';
import type { Io, OutStream } from '../core/io.js';
import type { ErrorDocument, ErrorJson } from './error-json.js';
import { escapeForTerminal, escapeJsonText } from './escape.js';
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

/**
 * What a command hands back: `data`, the document `--json` prints (its type is the command's part of
 * the JSON contract, docs/json-output.md), a text view of the same, and the exit code.
 */
export interface CommandResult<D extends object = object> {
  data: D;
  text?: (style: ChalkInstance) => string;
  /**
   * In text mode, the error that closes the result (e.g. "2 tasks of 5 failed"), written with its
   * hint to stderr after the result lines; JSON carries it in `data`.
   */
  closing?: HssError;
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

/**
 * Marks the start (`<names>`) and end (`/`) of a style. The NUL is escaped wherever else it occurs,
 * and the random part is unknown outside this process, so no server text can pass for a marker.
 */
const MARK_ID = `\u0000${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
export const STYLE_MARK = new RegExp(`${MARK_ID}(?:<([a-zA-Z.]+)>|/)`, 'g');

/** Styles with chalk's interface that mark text for `paint` rather than colour it. */
export const MARKING: ChalkInstance = (() => {
  const make = (names: string[]): ChalkInstance => {
    const apply = (...parts: unknown[]) => {
      const text = parts.length === 1 ? String(parts[0]) : parts.join(' ');
      return text === '' || names.length === 0 ? text : `${MARK_ID}<${names.join('.')}>${text}${MARK_ID}/`;
    };
    return new Proxy(apply, {
      get: (_target, key) => (key === 'level' ? 1 : make([...names, String(key)])),
    }) as unknown as ChalkInstance;
  };
  return make([]);
})();

/** The visible text of marked text, with its markers taken out. */
export function unmarked(text: string): string {
  return text.replace(STYLE_MARK, '');
}

/** A stream's last step: outside text escaped, then markers turned into colour codes (or dropped). */
type Paint = (text: string) => string;

function painter(chalk: ChalkInstance | undefined): Paint {
  if (!chalk) return (text) => escapeForTerminal(unmarked(text));
  const codes = new Map<string, [string, string]>();
  const codesOf = (names: string): [string, string] => {
    let pair = codes.get(names);
    if (!pair) {
      let style = chalk;
      for (const name of names.split('.'))
        style = (style as unknown as Record<string, ChalkInstance>)[name] ?? style;
      const [open = '', close = ''] = style('\u0000').split('\u0000');
      pair = [open, close];
      codes.set(names, pair);
    }
    return pair;
  };
  return (text) => {
    let out = '';
    let last = 0;
    const open: string[] = [];
    for (const match of text.matchAll(STYLE_MARK)) {
      out += escapeForTerminal(text.slice(last, match.index));
      last = match.index + match[0].length;
      const names = match[1];
      if (names !== undefined) {
        open.push(names);
        out += codesOf(names)[0];
      } else {
        const closed = open.pop();
        // A closing code ends more than its own style (bold and dim share one): the styles still
        // open are opened again.
        if (closed !== undefined) out += codesOf(closed)[1] + open.map((n) => codesOf(n)[0]).join('');
      }
    }
    return out + escapeForTerminal(text.slice(last));
  };
}

/**
 * The styles handed to text views (PLAIN for a stream without colour, MARKING for one with), and the
 * painters that finish each stream's text; chalk is loaded only for a stream with colour.
 */
async function stylesFor(
  options: OutputOptions,
): Promise<{ out: ChalkInstance; err: ChalkInstance; paintOut: Paint; paintErr: Paint }> {
  if (!options.colorOut && !options.colorErr) {
    return { out: PLAIN, err: PLAIN, paintOut: painter(undefined), paintErr: painter(undefined) };
  }
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return {
    out: options.colorOut ? MARKING : PLAIN,
    err: options.colorErr ? MARKING : PLAIN,
    paintOut: painter(options.colorOut ? chalk : undefined),
    paintErr: painter(options.colorErr ? chalk : undefined),
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
/** The flags output depends on (a usage error is rendered from these as read straight from argv). */
export interface OutputFlags {
  output?: string;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
  debug?: boolean;
}

export function outputOptions(
  flags: OutputFlags,
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
  /** Styles for text views of stdout and stderr; what they give is only ever written by this renderer. */
  readonly out: ChalkInstance;
  readonly err: ChalkInstance;
  private readonly io: Pick<Io, 'stdout' | 'stderr'>;
  private readonly paintOut: Paint;
  private readonly paintErr: Paint;
  private activeSpinner: { stop(): void } | undefined;

  /** A renderer with chalk loaded if a stream has colour. */
  static async create(io: Pick<Io, 'stdout' | 'stderr'>, options: OutputOptions): Promise<Renderer> {
    return new Renderer(io, options, await stylesFor(options));
  }

  /** Without `styles`, no colour whatever `options` say (Renderer.create gives the colour they ask). */
  constructor(
    io: Pick<Io, 'stdout' | 'stderr'>,
    options: OutputOptions,
    styles: { out: ChalkInstance; err: ChalkInstance; paintOut: Paint; paintErr: Paint } = {
      out: PLAIN,
      err: PLAIN,
      paintOut: painter(undefined),
      paintErr: painter(undefined),
    },
  ) {
    this.io = io;
    this.options = options;
    this.out = styles.out;
    this.err = styles.err;
    this.paintOut = styles.paintOut;
    this.paintErr = styles.paintErr;
  }

  get json(): boolean {
    return this.options.format === 'json';
  }

  private writeErr(text: string): void {
    this.io.stderr.write(this.paintErr(redact(text)));
  }

  private writeOut(text: string): void {
    this.io.stdout.write(this.paintOut(redact(text)));
  }

  private writeJson(data: unknown): void {
    this.io.stdout.write(`${escapeJsonText(redact(JSON.stringify(data, null, 2)))}\n`);
  }

  /** Text for stdout from a command that prints before it returns (e.g. a server's banner). */
  print(text: string): void {
    this.writeOut(text.endsWith('\n') ? text : `${text}\n`);
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
      text: this.paintErr(redact(text)),
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
        spinner.text = this.paintErr(redact(t));
      },
      succeed: (t) => {
        spinner.succeed(this.paintErr(redact(t)));
        done();
      },
      fail: (t) => {
        spinner.fail(this.paintErr(redact(t)));
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
      this.writeJson(result.data);
      return;
    }
    const text = this.options.quiet || !result.text ? '' : result.text(this.out);
    if (text) this.print(text);
    if (result.closing) this.writeErr(this.errorText(result.closing));
  }

  fail(error: HssError, stack?: string): void {
    this.stopSpinner();
    if (this.json) this.writeJson({ ok: false, error: errorJson(error) } satisfies ErrorDocument);
    if (this.json && this.options.quiet) return;
    this.writeErr(this.errorText(error, stack));
  }

  private errorText(error: HssError, stack?: string): string {
    const details = errorDetailsLine(error);
    let text = `${this.err.red('error:')} ${error.message}\n`;
    if (details) text += `  ${this.err.dim(details)}\n`;
    if (error.hint) text += `${this.err.cyan('hint:')} ${error.hint}\n`;
    if (stack && this.options.debug) text += `${this.err.dim(stack)}\n`;
    return text;
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

export function errorJson(error: HssError): ErrorJson {
  const out: ErrorJson = {
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
