import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const HOUR = 3_600_000;

describe('parseSince', () => {
  it.each([
    ['12h', NOW - 12 * HOUR],
    ['2d', NOW - 48 * HOUR],
    ['90m', NOW - 1.5 * HOUR],
    ['3600', NOW - HOUR],
    ['1.5d', NOW - 36 * HOUR],
    [' 30s ', NOW - 30_000],
  ])('reads the duration %j as that long before now', (text, at) => {
    expect(parseSince(text, '--since', NOW)).toBe(at);
  });

  it('reads a date as local midnight and a date-time without a zone as local time', () => {
    expect(parseSince('2026-11-26', '--since', NOW)).toBe(new Date(2026, 10, 26).getTime());
    expect(parseSince('2026-11-26T20:30', '--since', NOW)).toBe(new Date(2026, 10, 26, 20, 30).getTime());
    expect(parseSince('2026-11-26 20:30', '--since', NOW)).toBe(new Date(2026, 10, 26, 20, 30).getTime());
  });

  it('honours an explicit zone', () => {
    expect(parseSince('2026-11-26T20:00:00Z', '--since', NOW)).toBe(Date.UTC(2026, 10, 26, 20));
    expect(parseSince('2026-11-26T20:00+08:00', '--since', NOW)).toBe(Date.UTC(2026, 10, 26, 12));
  });

  it('never goes before the epoch', () => {
    expect(parseSince('100000d', '--since', NOW)).toBe(0);
    expect(parseSince('1969-12-31', '--since', NOW)).toBe(0);
  });

  it('reads a date or a date-time with spaces around it, as it reads a duration with them', () => {
    expect(parseSince(' 2026-11-26 ', '--since', NOW)).toBe(new Date(2026, 10, 26).getTime());
    expect(parseSince('\t2026-11-26T20:30\n', '--since', NOW)).toBe(new Date(2026, 10, 26, 20, 30).getTime());
    expect(parseSince(' 2026-11-26 20:30 ', '--since', NOW)).toBe(new Date(2026, 10, 26, 20, 30).getTime());
  });

  it('reads a fraction of any length', () => {
    expect(parseSince('1.25h', '--since', NOW)).toBe(NOW - 1.25 * HOUR);
    expect(parseSince('0.125s', '--since', NOW)).toBe(NOW - 125);
  });

  const NOT_A_POINT = 'not a duration or a date; use e.g. 12h, 2d, 2026-11-26 or 2026-11-26T20:00';
  it.each([
    ['yesterday', NOT_A_POINT],
    ['', NOT_A_POINT],
    ['-2h', NOT_A_POINT],
    ['2w', NOT_A_POINT],
    ['2026-02-30', NOT_A_POINT],
    ['2026-02-29', NOT_A_POINT],
    ['2026-04-31', NOT_A_POINT],
    ['2026-13-01', NOT_A_POINT],
    ['2026-00-10', NOT_A_POINT],
    ['2026-11-00', NOT_A_POINT],
    ['26-11-2026', NOT_A_POINT],
    ['2026-11-26T25:00', NOT_A_POINT],
    ['12026-11-26', NOT_A_POINT],
    ['2026-11-266', NOT_A_POINT],
    ['x2026-11-26T20:00', NOT_A_POINT],
    // Date.parse alone would read this as 11 November.
    ['Nov 2026-11-26 20:00', NOT_A_POINT],
    ['12026-11-26T20:00', NOT_A_POINT],
    ['2026-11-26T20', NOT_A_POINT],
    ['2026-11-26T20:30garbage', NOT_A_POINT],
    ['0', 'must be more than zero'],
    ['0h', 'must be more than zero'],
    ['0.0001s', 'must be more than zero'],
  ])('refuses %j, naming it and the rule', (text, rule) => {
    let caught: unknown;
    try {
      parseSince(text, '--since', NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe(`--since ${JSON.stringify(text)}: ${rule}`);
  });

  it('takes a leap day in a leap year', () => {
    expect(parseSince('2024-02-29', '--since', NOW)).toBe(new Date(2024, 1, 29).getTime());
  });
});
