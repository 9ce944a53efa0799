import { describe, expect, it } from 'vitest';
import { formatDuration, isRelativeTime, parseDuration } from '../../src/model/duration.js';

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
