// Module-resolution hooks (they run on Node's loader thread): record, pass on unchanged.
import { appendFileSync } from 'node:fs';

let file;

export function initialize(data) {
  file = data.file;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (file)
    appendFileSync(file, `${JSON.stringify({ url: resolved.url, parent: context.parentURL ?? null })}\n`);
  return resolved;
}
