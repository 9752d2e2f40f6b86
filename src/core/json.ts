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

/**
 * The JSON of a file hss keeps (the profile store, the credential cache): empty text is `{}`; text
 * nested too deep or not JSON is refused with the error `refuse` makes of the reason.
 */
export function parseJsonFile(text: string, refuse: (why: string) => Error): unknown {
  // JSON nested deeper than any such file would overflow the stack of what walks it later (zod, writing).
  if (nestedDeeperThan(text)) throw refuse(`is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw refuse('is not valid JSON');
  }
}

/**
 * A map without a prototype: no key (`constructor`, `toString`) is in it before it is put there, and
 * setting `__proto__` sets a key, not the prototype. The maps read from the store and the cache are kept so.
 */
export function bareRecord<T>(from?: Record<string, T>): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  if (from) for (const key of Object.keys(from)) record[key] = from[key] as T;
  return record;
}
