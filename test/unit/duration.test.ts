import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  isoSeconds,
  parseDuration,
  parseInteger,
  relativeTime,
} from '../../src/core/duration.js';
import { UsageError } from '../../src/core/errors.js';

const DAY = 24 * 3_600_000;

function usageError(fn: () => unknown): UsageError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  const error = caught as UsageError;
  expect(error.exitCode).toBe(2);
  expect(error.message).not.toMatch(/[\r\n]/);
  return error;
}

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['1ms', 1],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['30', 30_000],
    ['0.5', 500],
    ['1.5s', 1500],
    ['1.5m', 90_000],
    ['0.25h', 900_000],
    ['2.5ms', 3],
    [' 10s ', 10_000],
    ['10 s', 10_000],
    ['007s', 7000],
    ['168h', 7 * DAY],
    ['604800', 7 * DAY],
    ['10080m', 7 * DAY],
    ['1d', DAY],
    ['7d', 7 * DAY],
    ['0.5d', 12 * 3_600_000],
    ['2 d', 2 * DAY],
    // Decimals of any length, rounded to the millisecond.
    ['1.25h', 4_500_000],
    ['0.125s', 125],
    ['1.0005s', 1001],
    ['\t5m\n', 300_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  it.each([
    '',
    '   ',
    'abc',
    '10x',
    '-1s',
    '-1',
    '+5s',
    '1e3',
    '.5s',
    '5.',
    '1h30m',
    '10S',
    '1D',
    '1d12h',
    'Infinity',
    '0x10',
  ])('refuses %j as not a duration, naming the label, the value and the forms', (text) => {
    const error = usageError(() => parseDuration(text, '--interval'));
    expect(error.message).toBe(
      `--interval ${JSON.stringify(text)}: not a duration; use e.g. 500ms, 10s, 5m, 1h, 1d or plain seconds`,
    );
  });

  it.each(['0', '0s', '0ms', '0.0', '0.0001s', '0.4ms'])('refuses %j as zero', (text) => {
    const error = usageError(() => parseDuration(text, '--wait-timeout'));
    expect(error.message).toBe(`--wait-timeout ${JSON.stringify(text)}: must be more than zero`);
  });

  it.each(['192h', '168.001h', '604801', '10081m', '604800001ms', '8d', '7.001d', '99999999999999999999'])(
    'refuses %j as more than 7 days',
    (text) => {
      const error = usageError(() => parseDuration(text, '--wait-timeout'));
      expect(error.message).toBe(`--wait-timeout ${JSON.stringify(text)}: must be at most 7 days`);
    },
  );
});

describe('parseInteger', () => {
  it.each([
    ['1', 1],
    ['4', 4],
    ['32', 32],
    [' 7 ', 7],
    ['007', 7],
  ])('accepts %j within 1–32', (text, n) => {
    expect(parseInteger(text, '--concurrency', 1, 32)).toBe(n);
  });

  it('accepts both bounds and refuses one past each', () => {
    expect(parseInteger('10', '--limit', 10, 200)).toBe(10);
    expect(parseInteger('200', '--limit', 10, 200)).toBe(200);
    expect(usageError(() => parseInteger('9', '--limit', 10, 200)).message).toBe(
      '--limit "9": must be from 10 to 200',
    );
    expect(usageError(() => parseInteger('201', '--limit', 10, 200)).message).toBe(
      '--limit "201": must be from 10 to 200',
    );
  });

  it('accepts zero when the range starts at zero', () => {
    expect(parseInteger('0', '--offset', 0, 2_000_000)).toBe(0);
    expect(usageError(() => parseInteger('2000001', '--offset', 0, 2_000_000)).message).toContain(
      'must be from 0 to 2000000',
    );
  });

  it.each(['', 'abc', '-1', '1.5', '1e2', '+3', '0x10', '3 4', '١٢'])(
    'refuses %j as not a whole number',
    (text) => {
      const error = usageError(() => parseInteger(text, '--max-attempts', 1, 10));
      expect(error.message).toBe(
        `--max-attempts ${JSON.stringify(text)}: must be a whole number from 1 to 10`,
      );
    },
  );

  it('refuses a number too large for a double', () => {
    const error = usageError(() => parseInteger('99999999999999999999999', '--limit', 1, 100));
    expect(error.message).toContain('must be from 1 to 100');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [1, '1ms'],
    [999, '999ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1549, '1.5s'],
    [10_000, '10s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [61_000, '1m1s'],
    [90_000, '1m30s'],
    [30 * 60_000, '30m'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [7 * DAY, '168h'],
  ])('formats %d ms as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips what parseDuration reads', () => {
    for (const text of ['500ms', '10s', '5m', '1h', '2h', '1.5s']) {
      expect(formatDuration(parseDuration(text, 'x'))).toBe(text);
    }
  });

  it.each([
    [119_500, '2m'],
    [3_599_500, '1h'],
    [59_999, '1m'],
    // 59.95 s rounds to 60 s at one decimal: that is a minute, not "60s".
    [59_950, '1m'],
    [59_949, '59.9s'],
    [3_570_000, '59m30s'],
    [3_660_000, '1h1m'],
    [3_629_999, '1h'],
    [25 * 3_600_000, '25h'],
  ])('never shows 60 seconds or 60 minutes: %d ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('relativeTime: a moment near now, to the minute (auth status: "expires … (in 23h 59m)")', () => {
  const NOW = Date.UTC(2026, 10, 28, 10, 0, 0);
  const MIN = 60_000;

  it.each([
    [0, 'in less than a minute'],
    [MIN - 1, 'in less than a minute'],
    [-(MIN - 1), 'less than a minute ago'],
    [MIN, 'in 1m'],
    [2 * MIN - 1, 'in 1m'],
    [-2 * MIN, '2m ago'],
    [-(2 * MIN + 59_999), '2m ago'],
    [59 * MIN, 'in 59m'],
    [60 * MIN, 'in 1h 0m'],
    [23 * 60 * MIN + 59 * MIN, 'in 23h 59m'],
    [-(25 * 60 * MIN + 5 * MIN), '25h 5m ago'],
    [48 * 60 * MIN - MIN, 'in 47h 59m'],
    [48 * 60 * MIN, 'in 2d'],
    [3 * DAY + 23 * 60 * MIN, 'in 3d'],
    [-10 * DAY, '10d ago'],
  ])('%d ms from now: %s', (offset, text) => {
    expect(relativeTime(NOW + offset, NOW)).toBe(text);
  });
});

describe('isoSeconds: UTC, to the second', () => {
  it.each([
    [Date.UTC(2026, 10, 28, 10, 0, 0, 0), '2026-11-28T10:00:00Z'],
    [Date.UTC(2026, 10, 28, 10, 0, 59, 999), '2026-11-28T10:00:59Z'],
    [Date.UTC(1999, 0, 1, 0, 0, 0, 1), '1999-01-01T00:00:00Z'],
  ])('%d is %s', (ms, text) => {
    expect(isoSeconds(ms)).toBe(text);
  });
});
