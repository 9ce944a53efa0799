import { alertRule, heatmap, prom, stat, timeseries, type AlertRule, type Duration, type Panel, type Severity, type Slo, type Suppression } from 'moncode';

/**
 * HTTP services instrumented with a request counter and a latency histogram
 * (Prometheus client conventions): request, error and latency panels, and the
 * error-ratio and latency alerts, for any metric prefix and status label.
 */
export interface HttpService {
  /** Counter of requests, e.g. `http_requests_total`. */
  requests: string;
  /** Histogram of request durations in seconds, without `_bucket`, e.g. `http_request_duration_seconds`. */
  duration: string;
  /** Selector of the service's series: `job="api"`. Empty for every job. */
  selector: string;
  /** Label holding the HTTP status code. */
  statusLabel?: string;
  /** Label to break panels and alerts down by, e.g. `job`, `handler`. */
  by?: string;
  /** Also give alerts the `by` label under this name (`service` for routing and inhibition). */
  alias?: string;
}

const join = (...parts: string[]) => parts.filter(Boolean).join(', ');

function errors(service: HttpService): string {
  return `${service.requests}{${join(service.selector, `${service.statusLabel ?? 'status'}=~"5.."`)}}`;
}

function all(service: HttpService): string {
  return `${service.requests}{${service.selector}}`;
}

/** The share (0–1) of requests answered 5xx, per `by` label when given. */
export function errorRatio(service: HttpService, window = '5m', by = service.by): string {
  const sum = by ? `sum by (${by})` : 'sum';
  return `${sum} (rate(${errors(service)}[${window}])) / ${sum} (rate(${all(service)}[${window}]))`;
}

/** A latency quantile (0–1) in seconds. */
export function latencyQuantile(service: HttpService, quantile: number, window = '5m', by = service.by): string {
  return `histogram_quantile(${quantile}, sum by (${join(by ?? '', 'le')}) (rate(${service.duration}_bucket{${service.selector}}[${window}])))`;
}

export interface HttpPanelOptions {
  /** Panel titles, where a system's documents name them differently. */
  titles?: { requests?: string; errors?: string; latency?: string; status?: string };
  /** Error ratio at which the service's alert fires; drawn as a threshold. */
  errorAlertAt?: number;
  /** Latency (seconds) at which the latency alert fires. */
  latencyAlertAt?: number;
  quantiles?: number[];
}

/** Request rate, error ratio, latency percentiles and status codes. */
export function httpPanels(service: HttpService, options: HttpPanelOptions = {}): Panel[] {
  const by = service.by;
  const legend = by ? `{{${by}}}` : 'all';
  const quantiles = options.quantiles ?? [0.5, 0.95, 0.99];
  return [
    timeseries({
      title: options.titles?.requests ?? 'Request Rate',
      unit: 'reqps',
      targets: [prom(`${by ? `sum by (${by})` : 'sum'} (rate(${all(service)}[$__rate_interval]))`, { legend })],
    }),
    timeseries({
      title: options.titles?.errors ?? 'Error Rate',
      unit: 'percentunit',
      min: 0,
      thresholds: { 0: 'green', [options.errorAlertAt ?? 0.05]: 'red' },
      thresholdsStyle: 'line',
      targets: [prom(errorRatio(service, '$__rate_interval'), { legend })],
    }),
    timeseries({
      title: options.titles?.latency ?? 'Latency Percentiles',
      unit: 's',
      thresholds: { 0: 'green', [options.latencyAlertAt ?? 1]: 'red' },
      thresholdsStyle: 'line',
      targets: quantiles.map((q) => prom(latencyQuantile(service, q, '$__rate_interval'), { legend: `p${Math.round(q * 100)}${by ? ` {{${by}}}` : ''}` })),
    }),
    timeseries({
      title: options.titles?.status ?? 'Status Codes',
      unit: 'reqps',
      custom: { stacking: { mode: 'normal' }, fillOpacity: 30 },
      targets: [prom(`sum by (${service.statusLabel ?? 'status'}) (rate(${all(service)}[$__rate_interval]))`, { legend: `{{${service.statusLabel ?? 'status'}}}` })],
    }),
  ];
}

/** Latency distribution of all requests, as a heatmap of the histogram's buckets. */
export function latencyHeatmap(service: HttpService): Panel {
  return heatmap({
    title: 'Latency Distribution',
    unit: 's',
    targets: [prom(`sum by (le) (increase(${service.duration}_bucket{${service.selector}}[$__rate_interval]))`, { format: 'heatmap', legend: '{{le}}' })],
    options: { calculate: false, yAxis: { unit: 's' }, cellGap: 1 },
  });
}

/** Requests per second right now, as one number. */
export function requestRateStat(service: HttpService): Panel {
  return stat({ title: 'Requests / s', unit: 'reqps', targets: [prom(`sum(rate(${all(service)}[5m]))`)] });
}

export interface RatioAlert {
  name: string;
  /** Error ratio (0–1) above which the alert fires. */
  above: number;
  for: Duration;
  severity: Severity;
  runbook: string;
  labels?: Record<string, string>;
  summary?: string;
  /** The SLO this alert protects. */
  slo?: Slo;
  lint?: Suppression;
}

/** `expr`, with the `by` label copied to the alias label when the service asks for one. */
function aliased(service: HttpService, expr: string): string {
  return service.alias && service.by ? `label_replace(${expr}, "${service.alias}", "$1", "${service.by}", "(.*)")` : expr;
}

/** Fires when the share of 5xx answers stays above a ratio. */
export function errorRatioAlert(service: HttpService, rule: RatioAlert): AlertRule {
  const where = service.by ? ` on {{ $labels.${service.by} }}` : '';
  return alertRule({
    alert: rule.name,
    expr: `${aliased(service, errorRatio(service))} > ${rule.above}`,
    for: rule.for,
    labels: { severity: rule.severity, ...rule.labels },
    annotations: {
      summary: rule.summary ?? `High error rate${where}`,
      description: `{{ $value | humanizePercentage }} of requests${where} answered 5xx over 5 minutes (threshold ${Math.round(rule.above * 1000) / 10}%).`,
      runbook_url: rule.runbook,
    },
    ...(rule.slo ? { slo: rule.slo } : {}),
    ...(rule.lint ? { lint: rule.lint } : {}),
  });
}

export interface LatencyAlert {
  name: string;
  quantile: number;
  /** Seconds. */
  above: number;
  for: Duration;
  severity: Severity;
  runbook: string;
  labels?: Record<string, string>;
  /** The SLO this alert protects. */
  slo?: Slo;
}

/** Fires when a latency quantile stays above a number of seconds. */
export function latencyAlert(service: HttpService, rule: LatencyAlert): AlertRule {
  const where = service.by ? ` on {{ $labels.${service.by} }}` : '';
  const p = `p${Math.round(rule.quantile * 100)}`;
  const limit = rule.above < 1 ? `${Math.round(rule.above * 1000)}ms` : `${rule.above}s`;
  return alertRule({
    alert: rule.name,
    expr: `${aliased(service, latencyQuantile(service, rule.quantile))} > ${rule.above}`,
    for: rule.for,
    labels: { severity: rule.severity, ...rule.labels },
    annotations: {
      summary: `${p} latency above ${limit}${where}`,
      description: `${p} response time is {{ $value | humanizeDuration }} (threshold ${limit}) for more than ${rule.for}.`,
      runbook_url: rule.runbook,
    },
    ...(rule.slo ? { slo: rule.slo } : {}),
  });
}
