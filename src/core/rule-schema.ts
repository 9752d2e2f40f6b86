/**
 * zod, configured for a CLI, and the rules of src/core/rules.ts as zod schemas: what every module of
 * schemas (API requests and answers, the profile store, the credential cache) builds on. Loaded only
 * with those modules, never on a path that checks only the plain rules.
 */
import * as z from 'zod';
import { firstIssue, type Rule } from './rules.js';

// A CLI parses a handful of values per run: compiling object parsers with `new Function` costs more
// than it saves, and zod's probe for it touches `navigator`, which on Node ≥ 21 loads Node's bundled
// undici (tens of milliseconds).
z.config({ jitless: true });

/** A zod schema of a string that keeps a rule of src/core/rules.ts, with its message. */
export function fromRule(rule: Rule<string, string>) {
  return z.string().superRefine((s, ctx) => {
    const parsed = rule.safeParse(s);
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: firstIssue(parsed.error) });
  });
}
