import { alertRule, dashboard, datasource, prom, recordingRule, row, ruleGroup, timeseries } from 'moncode';

export const metrics = datasource({ name: 'Prometheus', uid: 'prometheus', type: 'prometheus', url: 'http://prometheus-operated.monitoring:9090', isDefault: true });

export const rules = ruleGroup({
  name: 'shop',
  rules: [
    recordingRule({ record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total{job="shop"}[5m]))' }),
    alertRule({
      alert: 'ShopDown',
      expr: 'up{job="shop"} == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Shop instance {{ $labels.instance }} is down',
        description: 'The instance has not answered a scrape for 5 minutes.',
        runbook_url: 'https://runbooks.example.com/shop#down',
      },
    }),
  ],
});

export default dashboard({
  title: 'Shop',
  uid: 'shop',
  datasource: metrics,
  rows: [row('Traffic', [timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('job:http_requests:rate5m{job="shop"}', { legend: '{{job}}' })] })])],
});
