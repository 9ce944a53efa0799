import { formatDuration, parseDuration, WINDOW_UNITS } from '../model/duration.js';

/** A window pair of the multi-window, multi-burn-rate policy. */
interface WindowPair {
  tier: string;
  kind: 'page' | 'ticket';
  long: string;
  short: string;
  burn: number;
}

const DAY = 24 * 3600_000;
export const DEFAULT_PERIOD = '30d';

/**
 * The SRE Workbook's policy for a 30-day period, as Sloth generates it: pages at 14.4×
 * over 1h/5m and 6× over 6h/30m (2% and 5% of the budget), tickets at 3× over 1d/2h and
 * 1× over 3d/6h (10% each).
 */
const WORKBOOK_30D: readonly WindowPair[] = [
  { tier: 'page-fast', kind: 'page', long: '1h', short: '5m', burn: 14.4 },
  { tier: 'page-slow', kind: 'page', long: '6h', short: '30m', burn: 6 },
  { tier: 'ticket-fast', kind: 'ticket', long: '1d', short: '2h', burn: 3 },
  { tier: 'ticket-slow', kind: 'ticket', long: '3d', short: '6h', burn: 1 },
];

/**
 * The default window pairs for a period. Other periods keep each tier's burn factor and
 * share of the budget, so the windows scale with the period (rounded to whole minutes).
 * A short window that would span fewer than two scrapes (rate() needs two samples) is
 * raised to two scrape intervals; the long window keeps its scaled length (and so its share
 * of the budget) unless that is not at least twice the short one. At the default 1m scrape
 * a 7-day SLO pages on 14.4× over 14m/2m, not 14m/1m.
 */
export function defaultWindows(periodMs: number, kind: 'page' | 'ticket', scrapeMs = 60_000): WindowPair[] {
  const scale = periodMs / (30 * DAY);
  const floorMinutes = Math.ceil((2 * scrapeMs) / 60_000);
  return WORKBOOK_30D.filter((pair) => pair.kind === kind).map((pair) => {
    if (scale === 1) return { ...pair };
    const short = Math.max(floorMinutes, scaledMinutes(pair.short, scale));
    const long = Math.max(scaledMinutes(pair.long, scale), 2 * short);
    return { ...pair, long: minutes(long), short: minutes(short) };
  });
}

function scaledMinutes(window: string, scale: number): number {
  return Math.max(1, Math.round((parseDuration(window)! * scale) / 60_000));
}

function minutes(count: number): string {
  return formatDuration(count * 60_000, WINDOW_UNITS);
}
