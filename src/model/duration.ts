/**
 * Prometheus durations: `30s`, `5m`, `1h30m`, `7d`. Integers only, units in
 * descending order, as Prometheus' own `model.ParseDuration` accepts them.
 */

type DurationUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'y';

/** `'5m'`, `'1h30m'`. `'5 minutes'` or `'5min'` is a type error. */
export type Duration = `${bigint}${DurationUnit}` | `${bigint}${DurationUnit}${bigint}${DurationUnit}`;

const UNIT_MS: Record<DurationUnit, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ORDER: DurationUnit[] = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** Prometheus keeps durations in Go's `time.Duration`: at most 2^63-1 nanoseconds (about 292 years). */
const MAX_NANOSECONDS = 2n ** 63n - 1n;

/** Milliseconds of a Prometheus duration, or undefined when it is not one (also when it is beyond Prometheus' range). */
export function parseDuration(text: string): number | undefined {
  return durationProblem(text) === undefined ? durationMs(text) : undefined;
}

/** Why Prometheus would refuse a duration: `syntax` (not one), `range` (longer than ~292y), or undefined. */
export function durationProblem(text: string): 'syntax' | 'range' | undefined {
  if (text === '0') return undefined;
  const match = text === '' ? null : DURATION_RE.exec(text);
  if (!match) return 'syntax';
  let nanoseconds = 0n;
  ORDER.forEach((unit, i) => {
    const part = match[i + 1];
    if (part !== undefined) nanoseconds += BigInt(part) * BigInt(UNIT_MS[unit]) * 1_000_000n;
  });
  return nanoseconds > MAX_NANOSECONDS ? 'range' : undefined;
}

/** Why a duration field is refused, in words, or undefined when Prometheus takes it. */
export function durationMessage(field: string, text: string): string | undefined {
  const problem = durationProblem(text);
  if (problem === 'syntax') return `\`${field}\` is "${text}", not a duration such as 30s, 5m or 1h30m`;
  if (problem === 'range') return `\`${field}\` is "${text}", beyond Prometheus' longest duration (292y, 2^63-1 nanoseconds)`;
  return undefined;
}

function durationMs(text: string): number {
  if (text === '0') return 0;
  const match = DURATION_RE.exec(text)!;
  let total = 0;
  ORDER.forEach((unit, i) => {
    const part = match[i + 1];
    if (part !== undefined) total += Number(part) * UNIT_MS[unit];
  });
  return total;
}

/** The units of SLO windows and periods, as Sloth names them: days at most (`28d`, not `4w`), whole seconds at least. */
export const WINDOW_UNITS: readonly DurationUnit[] = ['d', 'h', 'm', 's'];

/**
 * The shortest Prometheus spelling of a duration in the given units (`5400000` → `1h30m`);
 * what is smaller than the smallest unit is dropped, and nothing at all is `0s`.
 */
export function formatDuration(ms: number, units: readonly DurationUnit[] = ORDER): string {
  let rest = ms;
  let text = '';
  for (const unit of units) {
    const size = UNIT_MS[unit];
    if (rest >= size) {
      const count = Math.floor(rest / size);
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text || '0s';
}

const READABLE_UNITS = [
  { ms: UNIT_MS.d, long: 'days', short: 'days' },
  { ms: UNIT_MS.h, long: 'hours', short: 'h' },
  { ms: UNIT_MS.m, long: 'minutes', short: 'min' },
] as const;

/**
 * A duration for people, in the largest of days, hours and minutes it fills at least twice, to
 * one decimal, else in whole seconds: `2.5 days`, `5 hours`, `43 minutes`, `90 seconds`
 * (`long`, for generated annotations); `2.5 days`, `5 h`, `43 min`, `90 s` (`short`, for lint messages).
 */
export function readableDuration(ms: number, spelling: 'long' | 'short'): string {
  for (const unit of READABLE_UNITS) if (ms >= 2 * unit.ms) return `${+(ms / unit.ms).toFixed(1)} ${unit[spelling]}`;
  return `${+(ms / 1000).toFixed(0)} ${spelling === 'long' ? 'seconds' : 's'}`;
}

/** The units of Grafana's date math: Prometheus' without `ms`, with quarters (`Q`) and months (`M`). */
type DateMathUnit = 'y' | 'Q' | 'M' | 'w' | 'd' | 'h' | 'm' | 's';
/** A shift of Grafana's date math: `-6h`, `+1d`, `-d` (one day). */
type DateMathShift = `${'+' | '-'}${'' | bigint}${DateMathUnit}`;
/** A rounding of Grafana's date math: `/d` (start of the day, or its end in `to`), `/fy`, `/fQ` (fiscal year, quarter). */
type DateMathRound = `/${'' | 'f'}${DateMathUnit}`;
type DateMathStep = DateMathShift | DateMathRound;

/**
 * A Grafana relative time: `now`, then one or two steps of its date math (`now-6h`, `now/d`,
 * `now-1d/d`, `now/w+1d`, `now-1y/fy`). Longer math (`now-1d/d+8h`) type-checks only through
 * `extra`; mon-build still checks it.
 * @see https://grafana.com/docs/grafana/latest/dashboards/use-dashboards/#time-units-and-relative-ranges
 */
export type RelativeTime = 'now' | `now${DateMathStep}` | `now${DateMathStep}${DateMathStep}`;

/** An ISO 8601 date, with a time after `T` or a space: `2024-03-01`, `2024-03-01T08:00:00Z`. */
type IsoTime = `${number}-${number}-${number}` | `${number}-${number}-${number}${'T' | ' '}${string}`;

/**
 * A dashboard's `time.from`/`time.to` as Grafana reads it: a relative time (`now-6h`), an
 * ISO 8601 time (`2024-03-01T08:00:00Z`), or one with date math after `||` (`2024-03-01||/M`).
 */
export type GrafanaTime = RelativeTime | IsoTime | `${IsoTime}||${DateMathStep}`;

const STEP = /^(?:([+-])(\d*)|\/(1?))f?([yQMwdhms])/;

/**
 * Why Grafana's date math would not read `text` (`time.from`, `time.to`), or undefined when it
 * does: `now` followed by steps `[+-]N?unit` or `/unit` (whitespace ignored, as Grafana strips
 * it), or an ISO 8601 time with optional `||` math.
 */
export function grafanaTimeProblem(text: string): string | undefined {
  let math: string;
  if (text.startsWith('now')) math = text.slice(3);
  else {
    const bar = text.indexOf('||');
    const absolute = bar < 0 ? text : text.slice(0, bar);
    if (!isIsoTime(absolute)) return 'neither `now` with date math nor an ISO 8601 time';
    math = bar < 0 ? '' : text.slice(bar + 2);
  }
  const stripped = math.replace(/\s/g, '');
  let at = 0;
  while (at < stripped.length) {
    const step = STEP.exec(stripped.slice(at));
    if (!step) return `\`${stripped.slice(at)}\` is not a step of Grafana's date math (-6h, +1d, /d; units y Q M w d h m s)`;
    // Grafana stops reading a number that reaches the 11th character of the math (datemath.ts, `i > 10`).
    const digits = (step[2] ?? step[3] ?? '').length;
    if (digits > 0 && at + digits >= 10) return 'Grafana reads no number past the 10th character of its date math';
    at += step[0].length;
  }
  return undefined;
}

/** ISO 8601 as moment's ISO_8601 reads it: extended or basic dates (calendar, week, ordinal), then a time and zone. Ranges (month 13) are not judged. */
const ISO = /^(?:[+-]\d{6}|\d{4})(?:-(?:\d\d-\d\d|W\d\d(?:-\d)?|\d{3}|\d\d)|\d{4}|W\d\d\d?|\d{3})?(?:[T ]\d\d(?::?\d\d(?::?\d\d(?:[.,]\d+)?)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?$/;

function isIsoTime(text: string): boolean {
  return ISO.test(text);
}

/** Dashboard auto-refresh: `''` (off) or an interval such as `30s`. */
export type RefreshInterval = '' | `${bigint}${'s' | 'm' | 'h' | 'd'}`;
