import { alertRule, ruleGroup } from 'moncode';

export const agentAlerts = ruleGroup({
  name: 'agent_alerts',
  interval: '30s',
  rules: [
    alertRule({
      alert: 'HighErrorRate',
      expr: 'sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'High error rate on {{ $labels.job }}', description: 'Error rate is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'HighResponseTime',
      expr: 'histogram_quantile(0.95, sum by (job, le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'High response time on {{ $labels.job }}', description: 'p95 response time is {{ $value | humanizeDuration }}' },
    }),
    alertRule({
      alert: 'HighTokenUsage',
      expr: 'rate(agent_tokens_used_total[5m]) > 1000',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'High token usage detected', description: 'Token usage rate is {{ $value | humanize }} tokens/sec' },
    }),
    alertRule({
      alert: 'LowCacheHitRate',
      expr: 'sum(rate(cache_hits_total[5m])) / (sum(rate(cache_hits_total[5m])) + sum(rate(cache_misses_total[5m]))) < 0.5',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Low cache hit rate', description: 'Cache hit rate is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'DatabaseConnectionPoolExhausted',
      expr: 'sum(pg_stat_activity_count) > 90',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Database connection pool exhausted', description: 'Active connections: {{ $value }}' },
    }),
    alertRule({
      alert: 'HighCPUUsage',
      expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.8',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'High CPU usage on {{ $labels.instance }}', description: 'CPU usage is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'HighMemoryUsage',
      expr: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.85',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'High memory usage on {{ $labels.instance }}', description: 'Memory usage is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'DiskSpaceLow',
      expr: '1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay"} > 0.9',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Disk space low on {{ $labels.instance }} {{ $labels.mountpoint }}', description: 'Disk usage is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'HighAgentFailureRate',
      expr: 'sum(rate(agent_sessions_failed_total[5m])) / sum(rate(agent_sessions_total[5m])) > 0.1',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'High agent failure rate', description: 'Failure rate is {{ $value | humanizePercentage }}' },
    }),
    alertRule({
      alert: 'VectorDatabaseSlowQueries',
      expr: 'histogram_quantile(0.95, sum by (le) (rate(vector_db_query_duration_seconds_bucket[5m]))) > 2',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Vector database slow queries', description: 'p95 query time is {{ $value | humanizeDuration }}' },
    }),
  ],
});
