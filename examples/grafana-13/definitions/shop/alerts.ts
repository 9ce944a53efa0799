import { alertRule, recordingRule, ruleGroup } from 'moncode';

export default ruleGroup({
  name: 'shop',
  interval: '1m',
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
    alertRule({
      alert: 'ShopErrorsHigh',
      expr: 'sum by (job) (rate(http_requests_total{job="shop", code=~"5.."}[5m])) / sum by (job) (job:http_requests:rate5m) > 0.05',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Shop answers {{ $value | humanizePercentage }} of requests with 5xx',
        description: 'Over 5% of requests failed for 10 minutes.',
        runbook_url: 'https://runbooks.example.com/shop#errors',
      },
    }),
  ],
});
