import { describe, expect, it } from 'vitest';
import { formatDuration, grafanaTimeProblem, parseDuration, readableDuration, WINDOW_UNITS } from '../../src/model/duration.js';

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

describe("grafanaTimeProblem (Grafana's date math and ISO 8601 times)", () => {
  it.each([
    'now',
    'now-6h',
    'now/d',
    'now-1d/d',
    'now-7d',
    'now-1M',
    'now+1h',
    'now-d',
    'now/1d',
    'now-1y/fy',
    'now/fQ',
    'now-1d/d+8h',
    'now - 6h',
    'now-06h',
    '2024-03-01',
    '2024-03-01T08:00:00Z',
    '2024-03-01 08:00',
    '2024-03-01T08:00:00.123+02:00',
    '20240301T0800',
    '2024-W09-5',
    '2024-03-01||/M',
    '2024-03-01||-1d/d',
  ])('accepts %s', (t) => expect(grafanaTimeProblem(t)).toBeUndefined());
  it.each([
    ['now-', "`-` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
    ['now-6 hours', "`ours` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
    ['now-6H', "`-6H` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
    ['now/2d', "`/2d` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
    ['now6h', "`6h` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
    ['now-1d/d-1d/d+12h', 'Grafana reads no number past the 10th character of its date math'],
    ['yesterday', 'neither `now` with date math nor an ISO 8601 time'],
    ['-6h', 'neither `now` with date math nor an ISO 8601 time'],
    ['1700000000000', 'neither `now` with date math nor an ISO 8601 time'],
    ['2024-03-01||+1x', "`+1x` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)"],
  ])('rejects %s: %s', (t, problem) => expect(grafanaTimeProblem(t)).toBe(problem));
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
