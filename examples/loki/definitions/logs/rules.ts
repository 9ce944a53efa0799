import { alertRule, recordingRule, ruleGroup } from 'moncode';

export const logs = ruleGroup({
  name: 'api-logs',
  interval: '1m',
  rules: [
    // Needs the ruler's remote_write: the series is written to a Prometheus-compatible store.
    recordingRule({ record: 'job:log_errors:rate5m', expr: 'sum by (job) (rate({job="api"} |= "error" [5m]))' }),
    alertRule({
      alert: 'ApiErrorLogs',
      expr: 'sum by (job) (rate({job="api"} |= "error" [5m])) / sum by (job) (rate({job="api"}[5m])) > 0.05',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'More than 5% of the {{ $labels.job }} log lines are errors',
        description: 'The error share of the log lines has been above 5% for 10 minutes.',
        runbook_url: 'https://runbooks.example.com/api#error-logs',
      },
    }),
  ],
});
