/**
 * The styles text views are given, and the last step of each stream. A stream with colour gets styles
 * that only mark where a colour starts and ends (with a marker no outside text can forge); its text is
 * escaped, and only then are the markers turned into the terminal's colour codes (src/output/renderer.ts).
 */
import type { ChalkInstance } from 'chalk';
import { escapeForTerminal } from '../core/escape.js';

/** The styles for stdout and stderr, and the painters that finish each stream's text. */
export interface Styles {
  out: ChalkInstance;
  err: ChalkInstance;
  paintOut: Paint;
  paintErr: Paint;
}

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
export type Paint = (text: string) => string;

export function painter(chalk: ChalkInstance | undefined): Paint {
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
export async function stylesFor(options: { colorOut: boolean; colorErr: boolean }): Promise<Styles> {
  if (!options.colorOut && !options.colorErr) return plainStyles();
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level: 1 });
  return {
    out: options.colorOut ? MARKING : PLAIN,
    err: options.colorErr ? MARKING : PLAIN,
    paintOut: painter(options.colorOut ? chalk : undefined),
    paintErr: painter(options.colorErr ? chalk : undefined),
  };
}

/** No colour on either stream. */
export function plainStyles(): Styles {
  return { out: PLAIN, err: PLAIN, paintOut: painter(undefined), paintErr: painter(undefined) };
}
