import { escapeJsonText } from './escape.js';
import { redact } from './redact.js';

/**
 * Quotes a value for a message: in double quotes, escaped as core/escape.ts says (so it stays one
 * line and shows what it holds), and cut short when long. Known secrets are masked before the cut,
 * as a cut secret (a token pasted as a task ID) would escape the later masking.
 */
export function quote(value: string, max = 48): string {
  const masked = redact(value);
  const cut = masked.length > max ? `${masked.slice(0, max)}…` : masked;
  return escapeJsonText(JSON.stringify(cut));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
