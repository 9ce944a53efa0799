import { describe, expect, it } from 'vitest';
import { formatDuration, isRelativeTime, parseDuration, readableDuration, WINDOW_UNITS } from '../../src/model/duration.js';

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['1y', 31_536_000_000],
    ['250ms', 250],
    ['1m30s500ms', 90_500],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '5', '5 minutes', '5min', '1.5m', '30m1h', '-5m', '5M', '1h1h'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [300_000, '5m'],
    [5_400_000, '1h30m'],
    [86_400_000 * 30, '4w2d'],
    [250, '250ms'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('isRelativeTime', () => {
  it.each(['now', 'now-6h', 'now/d', 'now-1d/d', 'now-7d', 'now-1M'])('accepts %s', (t) => expect(isRelativeTime(t)).toBe(true));
  it.each(['now-', 'yesterday', 'now-6 hours', 'now+1h'])('rejects %s', (t) => expect(isRelativeTime(t)).toBe(false));
});

describe('formatDuration in window units', () => {
  it.each([
    [28 * 86_400_000, '28d'],
    [5_400_000, '1h30m'],
    [90_500, '1m30s'],
    [0, '0s'],
  ])('spells %d ms as %s, never in weeks or milliseconds', (ms, text) => expect(formatDuration(ms, WINDOW_UNITS)).toBe(text));

  it('spells weeks and milliseconds in all units', () => {
    expect(formatDuration(28 * 86_400_000 + 500)).toBe('4w500ms');
  });
});

describe('readableDuration', () => {
  it.each([
    [2.5 * 86_400_000, '2.5 days', '2.5 days'],
    [5 * 3_600_000, '5 hours', '5 h'],
    [43 * 60_000, '43 minutes', '43 min'],
    [90_000, '90 seconds', '90 s'],
    [47 * 3_600_000, '47 hours', '47 h'],
  ])('spells %d ms as %s or %s', (ms, long, short) => {
    expect(readableDuration(ms, 'long')).toBe(long);
    expect(readableDuration(ms, 'short')).toBe(short);
  });
});
