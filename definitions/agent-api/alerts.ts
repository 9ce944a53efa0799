import { alertRule, ruleGroup } from 'moncode';
import { hostAlerts } from '../shared/hosts.ts';
import { errorRatioAlert, latencyAlert, type HttpService } from '../shared/http.ts';
import { runbook } from '../shared/runbooks.ts';
import { agentSessions, apiAvailability, apiLatency } from './slos.ts';

/** The Agent API's HTTP metrics (seed 003 scrapes it as job `agent-api`). */
export const agentApi: HttpService = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  selector: 'job="agent-api"',
  statusLabel: 'status',
  by: 'job',
};

/** Seed 003's `agent_alerts` group, evaluated every 30s. */
export const agentAlerts = ruleGroup({
  name: 'agent_alerts',
  interval: '30s',
  rules: [
    errorRatioAlert(agentApi, {
      name: 'HighErrorRate',
      above: 0.05,
      for: '5m',
      severity: 'critical',
      runbook: runbook('agent-api/high-error-rate'),
      slo: apiAvailability,
      // docs/seed-findings.md: a 1× page over 5 minutes, kept as the seed documents it.
      lint: { disable: ['slo/low-precision'], reason: "seed 003's documented page; the generated burn-rate alerts carry the SLO" },
    }),
    latencyAlert(agentApi, { name: 'HighResponseTime', quantile: 0.95, above: 1, for: '5m', severity: 'warning', runbook: runbook('agent-api/high-response-time'), slo: apiLatency }),
    alertRule({
      alert: 'HighTokenUsage',
      expr: 'sum by (agent_type) (rate(agent_tokens_used_total[5m])) > 1000',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'High token usage by {{ $labels.agent_type }} agents',
        description: '{{ $labels.agent_type }} agents use {{ $value | humanize }} tokens/s (threshold 1000/s) for more than 10 minutes.',
        runbook_url: runbook('agent-api/high-token-usage'),
      },
    }),
    alertRule({
      alert: 'LowCacheHitRate',
      expr: 'sum(rate(cache_hits_total[5m])) / (sum(rate(cache_hits_total[5m])) + sum(rate(cache_misses_total[5m]))) < 0.5',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Low cache hit rate',
        description: 'Only {{ $value | humanizePercentage }} of cache lookups hit (threshold 50%) for more than 10 minutes.',
        runbook_url: runbook('agent-api/low-cache-hit-rate'),
      },
    }),
    alertRule({
      alert: 'DatabaseConnectionPoolExhausted',
      expr: 'sum by (instance) (pg_stat_activity_count) > 90',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Database connection pool nearly exhausted on {{ $labels.instance }}',
        description: '{{ $value }} connections are open (threshold 90) for more than 5 minutes.',
        runbook_url: runbook('agent-api/database-connection-pool-exhausted'),
      },
    }),
    ...hostAlerts({
      selector: 'job="node"',
      cpu: { name: 'HighCPUUsage', above: 0.8, for: '5m', severity: 'warning' },
      memory: { name: 'HighMemoryUsage', above: 0.85, for: '5m', severity: 'warning' },
      disk: [{ name: 'DiskSpaceLow', freeBelow: 0.1, for: '5m', severity: 'critical' }],
    }),
    alertRule({
      alert: 'HighAgentFailureRate',
      expr: 'sum(rate(agent_sessions_failed_total[5m])) / sum(rate(agent_sessions_total[5m])) > 0.1',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'High agent failure rate',
        description: '{{ $value | humanizePercentage }} of agent sessions fail (threshold 10%) for more than 5 minutes.',
        runbook_url: runbook('agent-api/high-agent-failure-rate'),
      },
      slo: agentSessions,
    }),
    alertRule({
      alert: 'VectorDatabaseSlowQueries',
      expr: 'histogram_quantile(0.95, sum by (le) (rate(vector_db_query_duration_seconds_bucket[5m]))) > 2',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Vector database queries are slow',
        description: 'p95 vector query time is {{ $value | humanizeDuration }} (threshold 2s) for more than 5 minutes.',
        runbook_url: runbook('agent-api/vector-database-slow-queries'),
      },
    }),
  ],
});
