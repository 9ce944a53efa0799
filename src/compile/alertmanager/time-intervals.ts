import type { TimeRange } from '../../model/alertmanager.js';

/** Alertmanager numbers weekdays from Sunday: a range runs forward within one week. */
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const CLOCK = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;

export interface RangeProblem {
  field: keyof TimeRange;
  message: string;
}

/**
 * What Alertmanager's config loader (`amtool check-config`) refuses in one time range:
 * weekday and month names, `a:b` ranges running backwards (weekdays from Sunday), clock
 * times outside `HH:MM`/`24:00` or not ending after they start, days of the month outside
 * ±1–31 or a negative start with a positive end, unknown time zones. moncode also refuses a
 * month number outside 1–12, which Alertmanager 0.25 loads and never matches.
 */
export function timeRangeProblems(range: TimeRange): RangeProblem[] {
  const problems: RangeProblem[] = [];
  const ranges = (field: 'weekdays' | 'days_of_month' | 'months' | 'years', read: (text: string) => number | string, order: (from: number, to: number, spec: string) => string | undefined) => {
    const list = range[field];
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push({ field, message: `\`${field}\` must be a list` });
      return;
    }
    for (const spec of list as unknown[]) {
      if (typeof spec !== 'string') {
        problems.push({ field, message: `\`${field}\` entries are strings, like ${field === 'weekdays' ? "'monday:friday'" : "'1:5'"}` });
        continue;
      }
      const parts = spec.split(':');
      if (parts.length > 2) {
        problems.push({ field, message: `${field} "${spec}" is not a value or a range \`a:b\`` });
        continue;
      }
      const values = parts.map(read);
      const bad = values.find((v): v is string => typeof v === 'string');
      if (bad !== undefined) {
        problems.push({ field, message: bad });
        continue;
      }
      const [from, to] = [values[0] as number, (values[1] ?? values[0]) as number];
      const wrong = order(from, to, spec);
      if (wrong) problems.push({ field, message: wrong });
    }
  };
  ranges(
    'weekdays',
    (text) => {
      const index = WEEKDAYS.indexOf(text.toLowerCase());
      return index >= 0 ? index : `weekday "${text}" is not a day of the week (monday … sunday)`;
    },
    (from, to, spec) => (from > to ? `weekdays "${spec}" runs backwards: Alertmanager's week starts on Sunday, so write each part of it (e.g. 'saturday', 'sunday')` : undefined),
  );
  ranges(
    'days_of_month',
    (text) => {
      if (!/^-?\d+$/.test(text)) return `day of the month "${text}" is not a whole number`;
      const day = Number(text);
      return day === 0 || Math.abs(day) > 31 ? `day of the month ${text} is out of range (1 to 31, or -1 to -31 from the month's end)` : day;
    },
    (from, to, spec) => {
      if (from < 0 && to > 0) return `days_of_month "${spec}": a range starting from the month's end must end there too (negative end)`;
      if (Math.sign(from) === Math.sign(to) && to < from) return `days_of_month "${spec}" runs backwards: the end day is always before the start day`;
      return undefined;
    },
  );
  ranges(
    'months',
    (text) => {
      if (/^\d+$/.test(text)) return Number(text) >= 1 && Number(text) <= 12 ? Number(text) : `month ${text} is out of range (1 to 12)`;
      const index = MONTHS.indexOf(text.toLowerCase());
      return index >= 0 ? index + 1 : `month "${text}" is not a month (january … december, or 1 to 12)`;
    },
    (from, to, spec) => (to < from ? `months "${spec}" runs backwards: write the months at the year's end and start apart (e.g. 'december', 'january')` : undefined),
  );
  ranges(
    'years',
    (text) => (/^\d+$/.test(text) ? Number(text) : `year "${text}" is not a whole number`),
    (from, to, spec) => (to < from ? `years "${spec}" runs backwards` : undefined),
  );
  if (range.times !== undefined) {
    for (const span of Array.isArray(range.times) ? range.times : []) {
      const start = span?.start_time as unknown;
      const end = span?.end_time as unknown;
      const clockProblem = [start, end].find((t) => typeof t !== 'string' || !CLOCK.test(t));
      if (clockProblem !== undefined) problems.push({ field: 'times', message: `time ${JSON.stringify(clockProblem)} is not HH:MM (00:00 to 24:00, two-digit hours)` });
      else if ((start as string) >= (end as string))
        problems.push({ field: 'times', message: `times ${String(start)}–${String(end)}: the end must be after the start (a span over midnight is two spans, to 24:00 and from 00:00)` });
    }
  }
  if (range.location !== undefined && range.location !== 'Local' && range.location !== 'UTC') {
    const zone = range.location;
    let resolved: string | undefined;
    try {
      resolved = typeof zone === 'string' && zone !== '' ? new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone : undefined;
    } catch {
      resolved = undefined;
    }
    // Go's zone names are case-sensitive where ICU's are not: `utc` is unknown to Alertmanager.
    if (resolved === undefined) problems.push({ field: 'location', message: `location "${String(zone)}" is not an IANA time zone (e.g. Europe/London)` });
    else if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())
      problems.push({ field: 'location', message: `location "${zone}": time zone names are case-sensitive, write ${resolved}` });
  }
  return problems;
}
