import { alertRule, ruleGroup } from 'moncode';
import { hostAlerts } from '../shared/hosts.ts';
import { errorRatioAlert, latencyAlert } from '../shared/http.ts';
import { runbook } from '../shared/runbooks.ts';
import { agents } from './dashboards.ts';

/** Seed 000's system, service and database alert tables. */

export const systemAlerts = ruleGroup({
  name: 'system',
  rules: hostAlerts({
    selector: 'job="node"',
    // The seed's `up == 0` caught every target, agents included, which ServiceDown also reports.
    instanceDown: { name: 'InstanceDown', selector: 'job=~"node|postgres|redis|prometheus"', for: '1m', severity: 'critical' },
    cpu: { name: 'HighCPULoad', above: 0.8, for: '5m', severity: 'warning' },
    memory: { name: 'HighMemoryUsage', above: 0.85, for: '5m', severity: 'warning' },
    disk: [
      { name: 'DiskSpaceLow', freeBelow: 0.1, for: '15m', severity: 'warning' },
      { name: 'DiskSpaceCritical', freeBelow: 0.05, for: '5m', severity: 'critical' },
    ],
  }),
});

export const serviceAlerts = ruleGroup({
  name: 'services',
  rules: [
    alertRule({
      alert: 'ServiceDown',
      expr: 'up{job=~"agent-.*"} == 0',
      for: '1m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Service {{ $labels.job }} is down',
        description: '{{ $labels.instance }} of {{ $labels.job }} has not answered a scrape for 1 minute.',
        runbook_url: runbook('alfred-platform/service-down'),
      },
    }),
    errorRatioAlert(agents, { name: 'HighErrorRate', above: 0.01, for: '5m', severity: 'warning', runbook: runbook('alfred-platform/high-error-rate') }),
    errorRatioAlert(agents, { name: 'HighErrorRateCritical', above: 0.05, for: '1m', severity: 'critical', runbook: runbook('alfred-platform/high-error-rate') }),
    latencyAlert(agents, { name: 'SlowResponseTime', quantile: 0.95, above: 0.5, for: '10m', severity: 'warning', runbook: runbook('alfred-platform/slow-response-time') }),
    alertRule({
      alert: 'ServiceRestart',
      expr: 'changes(process_start_time_seconds{job=~"agent-.*"}[5m]) > 0',
      labels: { severity: 'info' },
      annotations: {
        summary: '{{ $labels.job }} restarted',
        description: '{{ $labels.instance }} of {{ $labels.job }} started again within the last 5 minutes.',
      },
    }),
  ],
});

export const databaseAlerts = ruleGroup({
  name: 'database',
  rules: [
    alertRule({
      alert: 'DatabaseConnections',
      expr: 'sum by (instance) (pg_stat_activity_count) / max by (instance) (pg_settings_max_connections) > 0.8',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'PostgreSQL {{ $labels.instance }} is using most of its connections',
        description: '{{ $value | humanizePercentage }} of max_connections are open (threshold 80%) for more than 10 minutes.',
        runbook_url: runbook('alfred-platform/database-connections'),
      },
    }),
    alertRule({
      alert: 'SlowQueries',
      expr: 'max by (instance, datname) (pg_stat_activity_max_tx_duration{state="active"}) > 10',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Slow queries on {{ $labels.datname }} ({{ $labels.instance }})',
        description: 'An active transaction has been running for {{ $value | humanizeDuration }} (threshold 10s).',
        runbook_url: runbook('alfred-platform/slow-queries'),
      },
    }),
    alertRule({
      alert: 'HighTransactionTime',
      expr: 'histogram_quantile(0.95, sum by (job, le) (rate(db_transaction_duration_seconds_bucket{job=~"agent-.*"}[5m]))) > 1',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Slow database transactions in {{ $labels.job }}',
        description: 'p95 transaction time is {{ $value | humanizeDuration }} (threshold 1s) for more than 10 minutes.',
        runbook_url: runbook('alfred-platform/high-transaction-time'),
      },
    }),
    alertRule({
      alert: 'ReplicationLag',
      expr: 'max by (instance) (pg_replication_lag_seconds) > 30',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Replica {{ $labels.instance }} lags behind the primary',
        description: 'Replication lag is {{ $value | humanizeDuration }} (threshold 30s).',
        runbook_url: runbook('alfred-platform/replication-lag'),
      },
    }),
    alertRule({
      alert: 'TableSize',
      expr: 'max by (datname, schemaname, relname) (pg_stat_user_tables_table_size_bytes) > 10 * 1024 ^ 3',
      labels: { severity: 'info' },
      annotations: {
        summary: 'Table {{ $labels.schemaname }}.{{ $labels.relname }} is larger than 10 GiB',
        description: '{{ $labels.datname }}.{{ $labels.schemaname }}.{{ $labels.relname }} holds {{ $value | humanize1024 }}B.',
      },
    }),
  ],
});
