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
import { escapeControls, escapeJsonText } from '../core/escape.js';
import type { Io } from '../core/io.js';
import { redact } from '../core/redact.js';
import { quote } from '../core/text.js';
import type { ErrorDocument, ErrorJson } from './error-json.js';
import { type Formatters, formattersFor, rowCount } from './formats.js';
import { type Paint, plainStyles, type Styles, stylesFor } from './styles.js';

export type OutputFormat = 'text' | 'json' | 'yaml';

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
  /** `--query`: a JMESPath expression applied to the document (never to an error's). */
  query?: string;
  /** The pager's command line, when long text may be paged (text on a terminal, not CI). */
  pager?: string;
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
  /** What a list-like result prints with -q in text mode: its IDs, one a line (as `docker ps -q`). */
  ids?: string[];
}

export interface Spinner {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

const NO_SPINNER: Spinner = { update() {}, succeed() {}, fail() {}, stop() {} };

/**
 * The streams a renderer writes to; for a pager, the environment it runs in and the signal that ends
 * it when the run is interrupted.
 */
export type RendererIo = Pick<Io, 'stdout' | 'stderr'> & Partial<Pick<Io, 'signal' | 'env'>>;

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
  private readonly io: RendererIo;
  private readonly paintOut: Paint;
  private readonly paintErr: Paint;
  private readonly formatters: Formatters;
  private activeSpinner: { stop(): void } | undefined;

  /**
   * A renderer with chalk loaded if a stream has colour, and the query and YAML modules if asked for;
   * a UsageError for an invalid --query.
   */
  static async create(io: RendererIo, options: OutputOptions): Promise<Renderer> {
    const [styles, formatters] = await Promise.all([stylesFor(options), formattersFor(options)]);
    return new Renderer(io, options, styles, formatters);
  }

  /** Without `styles`, no colour whatever `options` say (Renderer.create gives the colour they ask). */
  constructor(
    io: RendererIo,
    options: OutputOptions,
    styles: Styles = plainStyles(),
    formatters: Formatters = {},
  ) {
    this.io = io;
    this.options = options;
    this.out = styles.out;
    this.err = styles.err;
    this.paintOut = styles.paintOut;
    this.paintErr = styles.paintErr;
    this.formatters = formatters;
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

  /**
   * The one document of -o json or -o yaml. YAML is written by its module, which escapes what a
   * terminal acts on; a renderer made without it (`new Renderer` in tests) writes JSON, which YAML
   * readers read too.
   */
  private documentText(data: unknown): string {
    const yaml = this.options.format === 'yaml' ? this.formatters.yaml : undefined;
    return yaml ? redact(yaml(data)) : `${escapeJsonText(redact(JSON.stringify(data, null, 2)))}\n`;
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

  /**
   * Writes a command's result: its document (what --query selects of it), or its text view (with -q,
   * the IDs of a list), paged when long on a terminal; then the closing error. Settles once a pager
   * has been closed; without one, everything is written before this returns.
   */
  result(result: CommandResult): Promise<void> {
    this.stopSpinner();
    if (result.rendered) return Promise.resolve();
    const query = this.formatters.query;
    if (this.options.format !== 'text') {
      return this.emit(this.documentText(query ? query.compiled.apply(result.data) : result.data));
    }
    const text = query ? redact(query.text(query.compiled.apply(result.data))) : this.textOf(result);
    const closing = () => {
      if (result.closing) this.writeErr(this.errorText(result.closing));
    };
    if (!text) {
      closing();
      return Promise.resolve();
    }
    return this.emit(text.endsWith('\n') ? text : `${text}\n`).then(closing);
  }

  /** A text result as it is written: painted, masked and escaped; with -q, only a list's IDs. */
  private textOf(result: CommandResult): string {
    if (this.options.quiet) return result.ids ? redact(result.ids.map(escapeControls).join('\n')) : '';
    const text = result.text ? result.text(this.out) : '';
    return text ? this.paintOut(redact(text)) : '';
  }

  /**
   * Finished text to stdout, through the pager when it is longer than the terminal is high; written
   * at once (before this returns) otherwise.
   */
  private async emit(text: string): Promise<void> {
    const rows = this.io.stdout.rows;
    const pager = this.options.pager;
    const long = rows !== undefined && rows > 0 && rowCount(text, this.io.stdout.columns ?? 0) >= rows;
    if (pager !== undefined && long) {
      const { page } = await import('./pager.js');
      await page(text, pager, this.io, (reason) =>
        this.warn(
          `cannot run the pager ${quote(pager)} (${reason}); printing without it (--no-pager, or HSS_PAGER= to turn it off)`,
        ),
      );
      return;
    }
    this.io.stdout.write(text);
  }

  fail(error: HssError, stack?: string): void {
    this.stopSpinner();
    const document = this.options.format !== 'text';
    if (document) {
      this.io.stdout.write(this.documentText({ ok: false, error: errorJson(error) } satisfies ErrorDocument));
    }
    if (document && this.options.quiet) return;
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
