/**
 * The one rule for text that came from outside (a server, a file, a child process, the user) on its
 * way to a terminal: every character a terminal may act on instead of showing it is written as an
 * escape. That is C0 controls (ESC, BEL, CR, …), DEL, C1 controls (U+0080–U+009F, CSI and OSC among
 * them), the line and paragraph separators, and the bidirectional controls that reorder what is
 * shown (U+061C, U+200E/U+200F, U+202A–U+202E, U+2066–U+2069).
 *
 * The renderer applies it to everything it writes (see renderer.ts), so no command can forget it;
 * `quote` (text.ts) and the server-text helper of the HTTP client use it for one-line messages.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without the line feed: what a multi-line text may keep. */
const UNSAFE_BUT_LF =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without C0 controls: what JSON.stringify leaves raw inside its strings. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

/** How one unsafe character is shown: JSON's spelling (`\n`, `\u001b`, `\u202e`). */
function escapeChar(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Every unsafe character escaped, line feeds too: a one-line value. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Every unsafe character escaped but the line feed: what the renderer writes to a terminal. */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE_BUT_LF, escapeChar);
}

/**
 * JSON text (from JSON.stringify, which escapes C0 controls in strings) with the other unsafe
 * characters as `\uXXXX` escapes too: the same JSON value, safe to show on a terminal.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_IN_JSON, escapeChar);
}
