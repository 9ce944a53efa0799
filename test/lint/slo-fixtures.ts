/** OpenSLO documents for SLO rule tests. */

export interface PolicySpec {
  severity: 'page' | 'ticket';
  burn: number;
  long: string;
  short: string;
}

/** The SRE Workbook's four window pairs at 30 days. */
export const WORKBOOK: PolicySpec[] = [
  { severity: 'page', burn: 14.4, long: '1h', short: '5m' },
  { severity: 'page', burn: 6, long: '6h', short: '30m' },
  { severity: 'ticket', burn: 3, long: '1d', short: '2h' },
  { severity: 'ticket', burn: 1, long: '3d', short: '6h' },
];

export function availabilitySlo(options: { name?: string; target?: string; policies?: PolicySpec[]; detection?: string } = {}): string {
  const name = options.name ?? 'api-availability';
  const annotations = options.detection ? `\n  annotations:\n    moncode.dev/detection-time: ${options.detection}` : '';
  const policies = (options.policies ?? WORKBOOK)
    .map(
      (p, i) => `    - kind: AlertPolicy
      metadata:
        name: ${name}-policy-${i}
      spec:
        conditions:
          - kind: AlertCondition
            metadata:
              name: ${name}-condition-${i}
              annotations:
                moncode.dev/short-window: ${p.short}
            spec:
              severity: ${p.severity}
              condition: { kind: burnrate, op: gt, threshold: ${p.burn}, lookbackWindow: ${p.long} }`,
    )
    .join('\n');
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}${annotations}
spec:
  service: api
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - ${options.target ?? 'target: 0.999'}
  indicator:
    metadata:
      name: ${name}-sli
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{job="api", code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{job="api"}' } } }
${policies ? `  alertPolicies:\n${policies}\n` : ''}`;
}

/**
 * An SLO over two counters of their own (`search_failed_total` of `search_total`,
 * or `search_ok_total` when `good`), with the window placeholder OpenSLO queries use.
 */
export function countersSlo(options: { target?: number; good?: boolean } = {}): string {
  const part = options.good
    ? "good: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(search_ok_total[{{.window}}]))' } } }"
    : "bad: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(search_failed_total[{{.window}}]))' } } }";
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: search
spec:
  service: search
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - target: ${options.target ?? 0.999}
  indicator:
    metadata:
      name: search-sli
    spec:
      ratioMetric:
        counter: true
        ${part}
        total: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(search_total[{{.window}}]))' } } }
`;
}

export function latencySlo(options: { target?: number; threshold?: number } = {}): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-latency
spec:
  service: api
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - { targetPercent: ${options.target ?? 95}, op: lte, value: ${options.threshold ?? 0.5} }
  indicator:
    metadata:
      name: api-latency-sli
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'http_request_duration_seconds_bucket{job="api"}' } } }
`;
}

/** A rule file of one alert tied to an SLO by its `slo` label. */
export function sloAlert(name: string, expr: string, options: { slo?: string; for?: string; severity?: string } = {}): string {
  const slo = options.slo === undefined ? '' : `\n          slo: ${options.slo}`;
  return `groups:
  - name: api
    rules:
      - alert: ${name}
        expr: ${JSON.stringify(expr)}${options.for ? `\n        for: ${options.for}` : ''}
        labels:
          severity: ${options.severity ?? 'critical'}${slo}
        annotations:
          summary: s
          description: d
          runbook_url: https://runbooks.example.com/api
`;
}
