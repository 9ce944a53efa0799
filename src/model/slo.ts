import { decimal, dividedBy100, format } from './decimal.js';
import { quoteValue } from './describe-value.js';
import type { Duration } from './duration.js';
import { brand, type Resource } from './resource.js';
import type { Severity } from './severity.js';
import type { Suppressible } from './suppression.js';

/**
 * Service level objectives. An SLO compiles to Sloth-compatible recording rules
 * (`slo:sli_error:ratio_rate5m` …), one multi-window multi-burn-rate alert per
 * window pair, an alert for a missing SLI, `promtool test rules` cases and a
 * Grafana dashboard per service; and lint checks hand-written alerts against it.
 */

/** A ratio (`0.999`) or a percentage (`'99.9%'`). */
export type ObjectiveInput = number | `${number}%`;

/** Errors over total, both counter selectors: `http_requests_total{job="api",code=~"5.."}`. */
export interface ErrorRatioSli {
  errors: string;
  total: string;
}

/** Good events over total, both counter selectors. */
export interface GoodRatioSli {
  good: string;
  total: string;
}

/** Requests slower than a threshold, from a classic histogram. */
export interface LatencySli {
  latency: {
    /** The histogram without `_bucket`, with its selector: `http_request_duration_seconds{job="api"}`. */
    histogram: string;
    /** Requests slower than this are errors: `'500ms'`, `'1s'`. Must be a bucket boundary. */
    threshold: Duration;
  };
}

/** An error-ratio query of your own, with `$window` (or Sloth's `{{.window}}`) where the range goes. */
export interface RawSli {
  errorRatio: string;
}

/**
 * What an SLO measures: an error ratio, good over total events, requests over a latency threshold, or a ratio query of your own.
 * @see https://sre.google/workbook/implementing-slos/
 */
export type Sli = ErrorRatioSli | GoodRatioSli | LatencySli | RawSli;

/** A multi-window burn-rate condition: both windows burn faster than `burn` × the budget rate. */
export interface BurnWindow {
  long: Duration;
  short: Duration;
  burn: number;
  /** This pair's own severity and pending time (over its tier's). */
  severity?: Severity;
  for?: Duration;
}

/**
 * One tier of an SLO's burn-rate alerts (page or ticket): its window pairs, severity, labels and annotations.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface AlertTier {
  /** Window pairs; the SRE Workbook's for a 30-day period, scaled to the SLO's period, when omitted. */
  windows?: BurnWindow[];
  /** Defaults: `critical` for page, `warning` for ticket. */
  severity?: Severity;
  labels?: Record<string, string>;
  /** Annotations of this tier's alerts (over `alerting.annotations`). */
  annotations?: Record<string, string>;
  /** Pending time before firing (none by default: the short window already filters blips). */
  for?: Duration;
}

/**
 * The alerts an SLO generates: a page tier for fast burns, a ticket tier for slow ones, and one for a missing SLI.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface SloAlerting {
  /** Alert name; default `<Service><Slo>BudgetBurn`. */
  name?: string;
  /** Fast burns that page; `false` turns the tier off. */
  page?: AlertTier | false;
  /** Slow burns that open a ticket; `false` turns the tier off. */
  ticket?: AlertTier | false;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** An alert when the SLI has no data (default on). */
  absent?: boolean;
}

/**
 * What `slo({…})` takes: the objective, period and SLI, and the burn-rate alerts, recording rules and dashboard it generates.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface SloSpec extends Suppressible {
  /** Lower case letters, digits and dashes: `requests-availability`. */
  name: string;
  service: string;
  description?: string;
  /** Share of good events over the period: `0.999` or `'99.9%'`. */
  objective: ObjectiveInput;
  /** Rolling period, default `30d`. `'1M'` (a calendar month) is taken as 30 days, with a warning. */
  period?: Duration | '1M';
  /**
   * Occurrences (default): good events over all events of the period. Timeslices: the share
   * of `window`-long slices whose own SLI meets `target`.
   */
  budgeting?: 'occurrences' | { timeslices: { window: Duration; target: ObjectiveInput } };
  sli: Sli;
  /** Generated burn-rate alerts; `false` for none (hand-written alerts must then govern the SLO). */
  alerting?: SloAlerting | false;
  /** The worst-case time to notify a full outage that this SLO promises (`slo/detection-time`). */
  detectionTime?: Duration;
  /** Runbook of the generated alerts. */
  runbook?: string;
  /** Added to every generated rule. */
  labels?: Record<string, string>;
}

/**
 * An SLO as `slo()` returns it; `slo:` on an alert ties the alert to it.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export type Slo = SloSpec & Resource<'slo'>;

/**
 * An SLO: `slo({ name: 'availability', service: 'api', objective: '99.9%', sli: { errors: '…', total: '…' } })`.
 * Alerts refer to it with `slo: thisSlo` so lint checks them against it.
 */
export function slo(spec: SloSpec): Slo {
  return brand(spec, 'slo');
}

/** A ratio in (0, 1) from a ratio or percentage input, or why it is not one. */
export function objectiveRatio(input: ObjectiveInput | unknown): number | string {
  let value: number;
  // Through decimals: '99.9%' is 0.999, not 0.9990000000000001.
  if (typeof input === 'string' && /^\s*-?\d+(\.\d+)?\s*%\s*$/.test(input)) value = Number(format(dividedBy100(decimal(input.replace('%', '')))));
  else if (typeof input === 'number') value = input;
  else return `objective must be a ratio such as 0.999 or a percentage such as '99.9%', got ${quoteValue(input)}`;
  if (!(value > 0 && value < 1)) {
    if (typeof input === 'string') return `objective ${input} must be above 0% and below 100%`;
    return input >= 50 && input < 100
      ? `objective ${input} is not a ratio between 0 and 1; for a percentage write '${input}%'`
      : `objective ${input} must be a ratio above 0 and below 1 (or a percentage such as '99.9%')`;
  }
  return value;
}
