import { alertRule, ruleGroup } from 'moncode';
import { hostAlerts } from '../shared/hosts.ts';
import { errorRatioAlert, latencyAlert, type HttpService } from '../shared/http.ts';
import { runbook } from '../shared/runbooks.ts';

/**
 * Seed 002's Grafana-alerting rules (infrastructure/grafana/alerting/alert-rules.yaml),
 * written as Prometheus rules so they are versioned, linted and tested like the rest.
 * The seed gives thresholds but no pending periods; these use 5 minutes unless the
 * seed names one.
 */
const backend: HttpService = { requests: 'http_requests_total', duration: 'http_request_duration_seconds', selector: 'job="fastapi-backend"', statusLabel: 'status', by: 'job' };

export const critical = ruleGroup({
  name: 'toolboxai-critical',
  rules: [
    alertRule({
      alert: 'ServiceDown',
      expr: 'up{job=~"fastapi-backend|otel-collector|jaeger|loki|grafana"} == 0',
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: '{{ $labels.job }} is down',
        description: '{{ $labels.instance }} of {{ $labels.job }} has not answered a scrape for 2 minutes.',
        runbook_url: runbook('toolboxai/service-down'),
      },
    }),
    errorRatioAlert(backend, { name: 'HighErrorRate', above: 0.05, for: '5m', severity: 'critical', runbook: runbook('toolboxai/high-error-rate') }),
    alertRule({
      alert: 'RedisConnectionIssues',
      expr: 'redis_up{job="redis-exporter"} == 0 or increase(redis_rejected_connections_total{job="redis-exporter"}[5m]) > 0',
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Redis on {{ $labels.instance }} is unreachable or refusing connections',
        description: 'The Redis exporter cannot reach Redis, or Redis rejected new connections in the last 5 minutes.',
        runbook_url: runbook('toolboxai/redis-connection-issues'),
      },
    }),
    alertRule({
      alert: 'SSLCertificateExpiry',
      expr: '(probe_ssl_earliest_cert_expiry{job="blackbox"} - time()) / 86400 < 7',
      for: '1h',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'TLS certificate of {{ $labels.instance }} expires soon',
        description: 'The certificate expires in {{ $value | printf "%.1f" }} days.',
        runbook_url: runbook('toolboxai/ssl-certificate-expiry'),
      },
    }),
  ],
});

export const warning = ruleGroup({
  name: 'toolboxai-warning',
  rules: [
    latencyAlert(backend, { name: 'HighResponseTime', quantile: 0.95, above: 2, for: '5m', severity: 'warning', runbook: runbook('toolboxai/high-response-time') }),
    alertRule({
      alert: 'HighMemoryUsage',
      expr: 'process_resident_memory_bytes{job="fastapi-backend"} > 2 * 1024 ^ 3',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'FastAPI backend {{ $labels.instance }} uses more than 2 GiB',
        description: 'Resident memory is {{ $value | humanize1024 }}B (threshold 2 GiB).',
        runbook_url: runbook('toolboxai/high-memory-usage'),
      },
    }),
    alertRule({
      alert: 'DatabaseSlowQueries',
      expr: 'histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket{job="fastapi-backend"}[5m]))) > 1',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Database queries are slow',
        description: 'p95 query time is {{ $value | humanizeDuration }} (threshold 1s).',
        runbook_url: runbook('toolboxai/database-slow-queries'),
      },
    }),
    alertRule({
      alert: 'HighAgentErrorRate',
      expr: 'sum by (agent) (rate(agent_tasks_total{job="fastapi-backend", status="failed"}[5m])) / sum by (agent) (rate(agent_tasks_total{job="fastapi-backend"}[5m])) > 0.1',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: '{{ $labels.agent }} tasks are failing',
        description: '{{ $value | humanizePercentage }} of {{ $labels.agent }} tasks fail (threshold 10%).',
        runbook_url: runbook('toolboxai/high-agent-error-rate'),
      },
    }),
    alertRule({
      alert: 'PusherConnectionFailures',
      expr: 'sum(increase(pusher_connection_failures_total{job="fastapi-backend"}[10m])) > 5',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Pusher connections are failing',
        description: '{{ $value | printf "%.0f" }} Pusher connection failures in the last 10 minutes (threshold 5).',
        runbook_url: runbook('toolboxai/pusher-connection-failures'),
      },
    }),
    ...hostAlerts({
      selector: 'job="node"',
      disk: [{ name: 'LowDiskSpace', freeBelow: 0.1, for: '5m', severity: 'warning' }],
    }),
  ],
});
