import { UsageError } from './errors.js';
import { quote } from './text.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/;
const MAX_MS = 7 * 24 * 3_600_000;

/** `500ms`, `10s`, `5m`, `1h`, `1d` or plain seconds → milliseconds; refuses zero, negatives and more than 7 days. */
export function parseDuration(text: string, label: string): number {
  const match = DURATION.exec(text);
  if (!match) {
    throw new UsageError(
      `${label} ${quote(text)}: not a duration; use e.g. 500ms, 10s, 5m, 1h, 1d or plain seconds`,
    );
  }
  // Stryker disable next-line StringLiteral: no unit and an unknown one both fall back to seconds
  const ms = Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
  if (ms <= 0) throw new UsageError(`${label} ${quote(text)}: must be more than zero`);
  if (ms > MAX_MS) throw new UsageError(`${label} ${quote(text)}: must be at most 7 days`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 59_950) return `${Math.round(ms / 100) / 10}s`;
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours}h${minutes % 60}m` : `${hours}h`;
}

/** A whole number within [min, max]. */
export function parseInteger(text: string, label: string, min: number, max: number): number {
  if (!/^\s*\d+\s*$/.test(text))
    throw new UsageError(`${label} ${quote(text)}: must be a whole number from ${min} to ${max}`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${label} ${quote(text)}: must be from ${min} to ${max}`);
  return n;
}

/**
 * A point in the past for `--since`: a duration back from `now` (`90m`, `12h`, `2d`, plain seconds)
 * or a date (`2026-11-26` is local midnight; `2026-11-26T20:00`, with or without a zone) → epoch ms.
 */
export function parseSince(text: string, label: string, now: number): number {
  const duration = DURATION.exec(text);
  if (duration) {
    // Stryker disable next-line StringLiteral: no unit and an unknown one both fall back to seconds
    const ms = Math.round(Number(duration[1]) * (UNITS[duration[2] ?? 's'] ?? 1000));
    if (ms <= 0) throw new UsageError(`${label} ${quote(text)}: must be more than zero`);
    return Math.max(0, now - ms);
  }
  const trimmed = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const at = day
    ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])).getTime()
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed)
      ? Date.parse(trimmed.replace(' ', 'T'))
      : Number.NaN;
  // new Date() rolls 2026-02-30 over into March; a date that does not come back unchanged is not one.
  const rolledOver =
    day !== null &&
    (new Date(at).getMonth() !== Number(day[2]) - 1 || new Date(at).getDate() !== Number(day[3]));
  if (Number.isNaN(at) || rolledOver) {
    throw new UsageError(
      `${label} ${quote(text)}: not a duration or a date; use e.g. 12h, 2d, 2026-11-26 or 2026-11-26T20:00`,
    );
  }
  return Math.max(0, at);
}

/** "in 23h 59m", "2m ago": a moment relative to `now`, to the minute. */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  const minutes = Math.floor(Math.abs(diff) / 60_000);
  const text =
    minutes < 1
      ? 'less than a minute'
      : minutes < 60
        ? `${minutes}m`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)}h ${minutes % 60}m`
          : `${Math.floor(minutes / 1440)}d`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** An ISO-8601 UTC time to the second: `2026-11-28T10:00:00Z`. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
