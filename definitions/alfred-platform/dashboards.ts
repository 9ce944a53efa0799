import { dashboard, logs, loki as logql, prom, row, timeseries } from 'moncode';
import { errorRatio, latencyQuantile, type HttpService } from '../shared/http.ts';
import { loki, prometheus } from './datasources.ts';

/** Every HTTP service of the platform, by the `service` label their clients set. */
const services: HttpService = { requests: 'http_requests_total', duration: 'http_request_duration_seconds', selector: '', statusLabel: 'status', by: 'service' };
/** The agent services, scraped as jobs `agent-core`, `agent-rag`, … */
export const agents: HttpService = { requests: 'http_requests_total', duration: 'http_request_duration_seconds', selector: 'job=~"agent-.*"', statusLabel: 'status', by: 'job' };

export const platformOverview = dashboard({
  title: 'Alfred Platform Overview',
  uid: 'alfred-platform-overview',
  tags: ['overview'],
  timezone: 'browser',
  refresh: '10s',
  datasource: prometheus,
  rows: [
    row('Hosts', [
      timeseries({
        title: 'System Load',
        unit: 'short',
        targets: [prom('node_load1{job="node"}', { legend: '1m {{instance}}' }), prom('node_load5{job="node"}', { legend: '5m {{instance}}' }), prom('node_load15{job="node"}', { legend: '15m {{instance}}' })],
      }),
      timeseries({
        title: 'Memory Usage',
        unit: 'bytes',
        targets: [prom('node_memory_MemTotal_bytes{job="node"} - node_memory_MemAvailable_bytes{job="node"}', { legend: 'used {{instance}}' })],
      }),
    ]),
    row('Services', [
      timeseries({ title: 'API Request Rate', unit: 'reqps', targets: [prom('sum by (service) (rate(http_requests_total[$__rate_interval]))', { legend: '{{service}}' })] }),
      timeseries({
        title: 'Response Time',
        unit: 's',
        thresholds: { 0: 'green', 0.5: 'red' },
        thresholdsStyle: 'line',
        targets: [prom(latencyQuantile(services, 0.95, '$__rate_interval'), { legend: 'p95 {{service}}' })],
      }),
    ]),
    row('Data stores', [
      timeseries({ title: 'Database Connections', unit: 'short', targets: [prom('sum by (datname, state) (pg_stat_activity_count)', { legend: '{{datname}} {{state}}' })] }),
      timeseries({ title: 'Redis Memory Usage', unit: 'bytes', targets: [prom('redis_memory_used_bytes', { legend: '{{instance}}' })] }),
    ]),
  ],
});

export const agentServices = dashboard({
  title: 'Agent Services',
  uid: 'alfred-agent-services',
  tags: ['agents'],
  timezone: 'browser',
  refresh: '10s',
  datasource: prometheus,
  rows: [
    row('Traffic', [
      timeseries({ title: 'Request Rate by Agent', unit: 'reqps', targets: [prom('sum by (job) (rate(http_requests_total{job=~"agent-.*"}[$__rate_interval]))', { legend: '{{job}}' })] }),
      timeseries({
        title: 'Error Rate by Agent',
        unit: 'percentunit',
        thresholds: { 0: 'green', 0.01: 'yellow', 0.05: 'red' },
        thresholdsStyle: 'line',
        targets: [prom(errorRatio(agents, '$__rate_interval'), { legend: '{{job}}' })],
      }),
      timeseries({
        title: 'Request Duration',
        unit: 's',
        thresholds: { 0: 'green', 0.5: 'red' },
        thresholdsStyle: 'line',
        targets: [prom(latencyQuantile(agents, 0.95, '$__rate_interval'), { legend: 'p95 {{job}}' })],
      }),
      // The seed read cAdvisor's container_memory_usage_bytes, which its Prometheus never scrapes;
      // every agent's own client library exports its resident memory.
      timeseries({ title: 'Memory Usage by Agent', unit: 'bytes', targets: [prom('sum by (job) (process_resident_memory_bytes{job=~"agent-.*"})', { legend: '{{job}}' })] }),
    ]),
    row('Logs', [
      logs({ title: 'Agent Core Errors', width: 24, height: 10, datasource: loki, targets: [logql('{container_name="agent-core"} |= "error"')] }),
      timeseries({
        title: 'Errors Logged per Agent',
        unit: 'short',
        width: 24,
        datasource: loki,
        targets: [logql('sum by (container_name) (count_over_time({container_name=~"agent-.*"} |= "error" [$__interval]))', { legend: '{{container_name}}' })],
      }),
    ]),
  ],
});

export const databasePerformance = dashboard({
  title: 'Database Performance',
  uid: 'alfred-database-performance',
  tags: ['database'],
  timezone: 'browser',
  refresh: '10s',
  datasource: prometheus,
  panels: [
    timeseries({ title: 'Active Connections', unit: 'short', targets: [prom('sum by (datname) (pg_stat_activity_count{state="active"})', { legend: '{{datname}}' })] }),
    timeseries({
      title: 'Transaction Rate',
      unit: 'ops',
      targets: [prom('rate(pg_stat_database_xact_commit{datname="postgres"}[$__rate_interval]) + rate(pg_stat_database_xact_rollback{datname="postgres"}[$__rate_interval])', { legend: '{{datname}}' })],
    }),
    timeseries({ title: 'Database Size', unit: 'bytes', targets: [prom('pg_database_size_bytes', { legend: '{{datname}}' })] }),
    timeseries({
      title: 'Cache Hit Ratio',
      unit: 'percentunit',
      min: 0,
      max: 1,
      targets: [
        prom(
          'rate(pg_stat_database_blks_hit{datname="postgres"}[$__rate_interval]) / (rate(pg_stat_database_blks_hit{datname="postgres"}[$__rate_interval]) + rate(pg_stat_database_blks_read{datname="postgres"}[$__rate_interval]))',
          { legend: '{{datname}}' },
        ),
      ],
    }),
  ],
});
