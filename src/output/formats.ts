/**
 * What the renderer loads for some options only: the --query and -o yaml modules (each loaded only
 * when asked for, so that no other run pays for them).
 */

import { quote } from '../core/text.js';
import type { Query } from './query.js';
import type { OutputOptions } from './renderer.js';

/** What only some options need, loaded by Renderer.create for them alone. */
export interface Formatters {
  /** `--query`: the expression compiled, and how -o text prints what it selects. */
  query?: { compiled: Query; text: (value: ReturnType<Query['apply']>) => string };
  /** `-o yaml`. */
  yaml?: (data: unknown) => string;
}

/**
 * The modules of --query and -o yaml, loaded only when asked for. The expression is compiled here,
 * before the command runs: a mistake in it is a usage error with nothing sent.
 */
export async function formattersFor(options: OutputOptions): Promise<Formatters> {
  const formatters: Formatters = {};
  const [query, yaml] = await Promise.all([
    options.query === undefined ? undefined : import('./query.js'),
    options.format === 'yaml' ? import('./yaml.js') : undefined,
  ]);
  if (query && options.query !== undefined) {
    const label = `--query ${quote(options.query, 80)}`;
    formatters.query = { compiled: query.compileQuery(options.query, label), text: query.queryText };
  }
  if (yaml) formatters.yaml = yaml.yamlText;
  return formatters;
}

/**
 * The rows a text takes on a terminal `columns` wide (0: unknown, a row a line): a line longer than
 * the terminal wraps. Colour codes take no room; characters are counted as one column each.
 */
export function rowCount(text: string, columns: number): number {
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  let rows = 0;
  for (const line of lines) {
    const width = columns > 0 ? line.replace(/\u001b\[[0-9;]*m/g, '').length : 0;
    rows += Math.max(1, Math.ceil(width / Math.max(columns, 1)));
  }
  return rows;
}
