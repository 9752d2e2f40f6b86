/**
 * Everything hss writes goes through here: results to stdout (text or one JSON document), progress,
 * warnings, debug traces and human-readable errors to stderr, secrets masked and text from outside
 * escaped on the way out.
 *
 * Escaping happens here, at the one sink, rather than where each view puts a server's value in a
 * line: no command, message, hint or debug line can then forget it. Colour is what makes that
 * possible (src/output/styles.ts): a stream with colour gets styles that only mark where a colour
 * starts and ends, every character a terminal would act on is escaped, and only then are the markers
 * turned into the terminal's colour codes.
 */
import type { ChalkInstance } from 'chalk';
import type { HssError } from '../core/errors.js';
import { escapeJsonText } from '../core/escape.js';
import type { Io } from '../core/io.js';
import { redact } from '../core/redact.js';
import type { ErrorDocument, ErrorJson } from './error-json.js';
import { type Paint, plainStyles, type Styles, stylesFor } from './styles.js';

export type OutputFormat = 'text' | 'json';

/** What the renderer does, as resolved from the flags and the environment (src/settings/output.ts). */
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

/** Every spinner turning in this process, whichever renderer started it. */
const turning = new Set<{ stop(): void }>();

/** Restores the terminal from outside a renderer (a signal that could not wait for main to end). */
export function stopAllSpinners(): void {
  for (const spinner of turning) spinner.stop();
  turning.clear();
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
  constructor(io: Pick<Io, 'stdout' | 'stderr'>, options: OutputOptions, styles: Styles = plainStyles()) {
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
