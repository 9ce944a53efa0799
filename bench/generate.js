// Synthetic definitions trees for the benchmarks.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PANEL_KINDS = ['timeseries', 'stat', 'gauge', 'table'];

function dashboardSource(system, index, panels) {
  const rows = [];
  for (let r = 0; r < panels / 5; r++) {
    const items = [];
    for (let p = 0; p < 5; p++) {
      const n = r * 5 + p;
      const kind = PANEL_KINDS[n % PANEL_KINDS.length];
      const unit = kind === 'gauge' ? 'percentunit' : kind === 'stat' ? 'short' : 'reqps';
      items.push(
        `      ${kind}({ title: 'Panel ${n}', unit: '${unit}', thresholds: { 0: 'green', ${80 + (n % 10)}: 'red' }, targets: [prom('sum by (job) (rate(http_requests_total{job="${system}", handler="/h${n}"}[$__rate_interval]))', { legend: '{{job}}' })] }),`,
      );
    }
    rows.push(`    row('Row ${r}', [\n${items.join('\n')}\n    ]),`);
  }
  return `import { dashboard, gauge, prom, queryVariable, row, stat, table, timeseries } from 'moncode';
import { metrics } from './datasources';

export default dashboard({
  title: '${system} dashboard ${index}',
  tags: ['${system}', 'bench'],
  datasource: metrics,
  variables: [queryVariable({ name: 'job', query: 'label_values(up, job)', datasource: metrics })],
  rows: [
${rows.join('\n')}
  ],
});
`;
}

function rulesSource(system, index, rules) {
  const items = [];
  for (let n = 0; n < rules; n++) {
    if (n % 4 === 0) {
      items.push(`    { record: 'job:http_requests:rate5m_${index}_${n}', expr: 'sum by (job) (rate(http_requests_total{job="${system}", handler="/h${n}"}[5m]))', labels: { team: '${system}' } },`);
    } else {
      items.push(
        `    alertRule({ alert: 'Bench${index}Alert${n}', expr: 'sum by (job) (rate(http_requests_total{job="${system}", code=~"5..", handler="/h${n}"}[5m])) / sum by (job) (rate(http_requests_total{job="${system}", handler="/h${n}"}[5m])) > 0.0${1 + (n % 9)}', for: '5m', labels: { severity: '${n % 2 ? 'warning' : 'critical'}', team: '${system}' }, annotations: { summary: 'Errors on {{ $labels.job }}', description: 'Error ratio is {{ $value | humanizePercentage }}', runbook_url: 'https://runbooks.example.com/${system}/bench-${n}' } }),`,
      );
    }
  }
  return `import { alertRule, ruleGroup } from 'moncode';

export const group${index} = ruleGroup({
  name: '${system}-group-${index}',
  interval: '1m',
  rules: [
${items.join('\n')}
  ],
});
`;
}

/**
 * Writes `systems` folders under `dir`/definitions, each with dashboards of
 * `panels` panels and groups of `rules` rules.
 */
export function generateTree(dir, { systems, dashboardsPerSystem, panels, groupsPerSystem, rules }) {
  rmSync(dir, { recursive: true, force: true });
  for (let s = 0; s < systems; s++) {
    const system = `svc${String(s).padStart(3, '0')}`;
    const base = path.join(dir, 'definitions', system);
    mkdirSync(base, { recursive: true });
    writeFileSync(
      path.join(base, 'datasources.ts'),
      `import { datasource } from 'moncode';\nexport const metrics = datasource({ name: '${system} Prometheus', type: 'prometheus', uid: '${system}-prom', url: 'http://prometheus:9090' });\n`,
    );
    for (let d = 0; d < dashboardsPerSystem; d++) writeFileSync(path.join(base, `dashboard-${d}.ts`), dashboardSource(system, d, panels));
    for (let g = 0; g < groupsPerSystem; g++) writeFileSync(path.join(base, `rules-${g}.ts`), rulesSource(system, g, rules));
  }
}

/**
 * One Prometheus rule file of `count` rules in groups of 20: recording rules and the
 * alerts built on them, with label templates, a few shapes of expression and realistic
 * annotations, so every lint rule has work to do.
 */
export function ruleFileYaml(count) {
  const lines = ['groups:'];
  for (let n = 0; n < count; n++) {
    if (n % 20 === 0) lines.push(`  - name: bench-${n / 20}`, '    interval: 1m', '    rules:');
    const service = `svc${Math.floor(n / 20)}`;
    switch (n % 4) {
      case 0:
        lines.push(
          `      - record: job_handler:http_requests:rate5m`,
          `        expr: sum by (job, handler) (rate(http_requests_total{job="${service}", handler="/h${n}"}[5m]))`,
          `        labels:`,
          `          team: ${service}`,
        );
        break;
      case 1:
        lines.push(
          `      - alert: Bench${n}HighErrorRate`,
          `        expr: sum by (job) (rate(http_requests_total{job="${service}", code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total{job="${service}"}[5m])) > 0.05`,
          `        for: 5m`,
          `        labels:`,
          `          severity: critical`,
          `          team: ${service}`,
          `        annotations:`,
          `          summary: High error rate on {{ $labels.job }}`,
          `          description: '{{ $value | humanizePercentage }} of requests fail'`,
          `          runbook_url: https://runbooks.example.com/${service}/high-error-rate`,
        );
        break;
      case 2:
        lines.push(
          `      - alert: Bench${n}SlowRequests`,
          `        expr: histogram_quantile(0.99, sum by (job, le) (rate(http_request_duration_seconds_bucket{job="${service}"}[5m]))) > 0.5`,
          `        for: 10m`,
          `        labels:`,
          `          severity: warning`,
          `        annotations:`,
          `          summary: Slow requests on {{ $labels.job }}`,
          `          description: 'p99 is {{ $value | humanizeDuration }}'`,
          `          runbook_url: https://runbooks.example.com/${service}/slow`,
        );
        break;
      default:
        lines.push(
          `      - alert: Bench${n}InstanceDown`,
          `        expr: up{job="${service}"} == 0`,
          `        for: 5m`,
          `        labels:`,
          `          severity: warning`,
          `        annotations:`,
          `          summary: '{{ $labels.instance }} of {{ $labels.job }} is down'`,
          `          description: The target has not answered scrapes for 5 minutes`,
          `          runbook_url: https://runbooks.example.com/${service}/down`,
        );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One OpenSLO file of `count` availability SLOs (ten per service), each with the four
 * window pairs of the SRE Workbook as inline alert policies, and a rule file of one
 * hand-written alert per SLO tied to it by the `slo` label.
 */
export function sloFilesYaml(count) {
  const pairs = [
    ['page', 14.4, '1h', '5m'],
    ['page', 6, '6h', '30m'],
    ['ticket', 3, '1d', '2h'],
    ['ticket', 1, '3d', '6h'],
  ];
  const docs = [];
  const alerts = ['groups:', '  - name: slo-alerts', '    rules:'];
  for (let n = 0; n < count; n++) {
    const service = `svc${Math.floor(n / 10)}`;
    const name = `availability-${n}`;
    const policies = pairs
      .map(
        ([severity, burn, long, short], i) => `    - kind: AlertPolicy
      metadata:
        name: ${name}-p${i}
      spec:
        conditions:
          - kind: AlertCondition
            metadata:
              name: ${name}-c${i}
              annotations:
                moncode.dev/short-window: ${short}
            spec:
              severity: ${severity}
              condition: { kind: burnrate, op: gt, threshold: ${burn}, lookbackWindow: ${long} }`,
      )
      .join('\n');
    docs.push(`apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
  annotations:
    moncode.dev/detection-time: 10m
    moncode.dev/runbook: https://runbooks.example.com/${service}
spec:
  service: ${service}
  timeWindow: [{ duration: 30d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - target: 0.999
  indicator:
    metadata:
      name: ${name}-sli
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{job="${service}", handler="/h${n}", code=~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{job="${service}", handler="/h${n}"}' } } }
  alertPolicies:
${policies}`);
    alerts.push(
      `      - alert: Handler${n}Errors`,
      `        expr: sum(rate(http_requests_total{job="${service}", handler="/h${n}", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="${service}", handler="/h${n}"}[5m])) > 0.05`,
      `        for: 5m`,
      `        labels:`,
      `          severity: critical`,
      `          slo: ${name}`,
      `        annotations:`,
      `          summary: Errors on /h${n}`,
      `          description: '{{ $value | humanizePercentage }} of requests fail'`,
      `          runbook_url: https://runbooks.example.com/${service}`,
    );
  }
  return { slos: `${docs.join('\n---\n')}\n`, rules: `${alerts.join('\n')}\n` };
}
