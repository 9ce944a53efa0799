import { alertRule, recordingRule, ruleGroup } from 'moncode';

// Evaluated over the series of two tenants at once (the ruler needs -ruler.tenant-federation.enabled).
export const federated = ruleGroup({
  name: 'cross-tenant',
  source_tenants: ['team-a', 'team-b'],
  rules: [recordingRule({ record: 'cluster:http_requests:rate5m', expr: 'sum by (cluster) (rate(http_requests_total[5m]))' })],
});

export const own = ruleGroup({
  name: 'metrics',
  file: 'metrics-alerts',
  rules: [
    alertRule({
      alert: 'HighErrorRate',
      expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.job }} answers more than 5% errors',
        description: 'More than 5% of the requests of {{ $labels.job }} failed over 10 minutes.',
        runbook_url: 'https://runbooks.example.com/http#errors',
      },
    }),
  ],
});
