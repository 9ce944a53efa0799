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
 * share of the budget, so the windows scale with the period (rounded to whole minutes):
 * a 7-day SLO pages on 14.4× over 14m/1m.
 */
export function defaultWindows(periodMs: number, kind: 'page' | 'ticket'): WindowPair[] {
  const scale = periodMs / (30 * DAY);
  return WORKBOOK_30D.filter((pair) => pair.kind === kind).map((pair) => ({
    ...pair,
    long: scaled(pair.long, scale),
    short: scaled(pair.short, scale),
  }));
}

function scaled(window: string, scale: number): string {
  if (scale === 1) return window;
  const minutes = Math.max(1, Math.round((parseDuration(window)! * scale) / 60_000));
  return formatDuration(minutes * 60_000, WINDOW_UNITS);
}
