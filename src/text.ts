import { redact } from './output/redact.js';

/**
 * Quotes a user-given value for an error message: escaped, and cut short when long. Known secrets are
 * masked before the cut, as a cut secret (a token pasted as a task ID) would escape the later masking.
 */
export function quote(value: string, max = 48): string {
  const masked = redact(value);
  const cut = masked.length > max ? `${masked.slice(0, max)}…` : masked;
  // JSON escapes C0 controls; DEL, C1 controls and Unicode line separators are escaped too, so a message stays one line.
  return JSON.stringify(cut).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
