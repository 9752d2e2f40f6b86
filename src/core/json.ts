/**
 * JSON from outside (a server, a file, a child process) checked for depth before anything walks it.
 * JSON.parse itself copes with any depth, but what walks the result recursively — zod, JSON.stringify
 * when the result is printed — overflows the stack on a few thousand levels, which would surface as
 * an internal error. Nothing hss reads is nested more than a handful of levels.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `text` nests arrays and objects deeper than `limit`: one pass, strings skipped, no parse. */
export function nestedDeeperThan(text: string, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
