/**
 * `-o yaml`: the document JSON would print, as YAML (the `yaml` package, loaded only for this format).
 *
 * Written so that YAML 1.1 readers (PyYAML) and 1.2 readers (yq, the `yaml` package) read the same
 * values: strings that 1.1 would take for something else (`yes`, `on`, `0755`) are quoted. A string
 * holding a character a terminal acts on is double-quoted, where YAML has escapes, and that character
 * is written as one (`\e`, `\u202e`): the same value, safe to show. Lines are never folded, so a
 * value (and a secret the renderer masks) stays in one piece.
 */
import { Document, isScalar, visit } from 'yaml';

/** Characters a terminal acts on (core/escape.ts), but the line feed, which block scalars keep. */
const UNSAFE_BUT_LF =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_BUT_LF_ALL = new RegExp(UNSAFE_BUT_LF.source, 'g');

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

export function yamlText(data: unknown): string {
  const doc = new Document(data, { version: '1.1' });
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && UNSAFE_BUT_LF.test(node.value)) {
        node.type = 'QUOTE_DOUBLE';
      }
    },
  });
  // What the library leaves raw inside double quotes (C1 and bidirectional controls) is escaped here;
  // every such character is inside a double-quoted string, where `\uXXXX` is an escape.
  return doc.toString({ lineWidth: 0 }).replace(UNSAFE_BUT_LF_ALL, escapeChar);
}
