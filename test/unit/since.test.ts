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
  });

  it.each([
    'yesterday',
    '',
    '0',
    '0h',
    '-2h',
    '2w',
    '2026-02-30',
    '2026-13-01',
    '26-11-2026',
    '2026-11-26T25:00',
  ])('refuses %j with one line naming it', (text) => {
    let caught: unknown;
    try {
      parseSince(text, '--since', NOW);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toMatch(/^--since ".*": /);
    expect((caught as UsageError).message).not.toMatch(/\n/);
  });
});
