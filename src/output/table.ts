import { escapeForTerminal } from '../core/escape.js';
import { unmarked } from './styles.js';

/** Columns a cell takes once written: its style markers gone, its unsafe characters escaped. */
export function visibleLength(text: string): number {
  return escapeForTerminal(unmarked(text)).length;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/**
 * An aligned plain-text table; cells may carry styles. A cell is one line: a line break in a value
 * is shown escaped, as the renderer shows every other control character.
 */
export function table(header: string[], cells: string[][], bold: (s: string) => string): string {
  const rows = cells.map((row) => row.map((cell) => cell.replaceAll('\n', '\\n')));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [bold(line(header)), ...rows.map(line)].join('\n');
}
