import { barchart, dashboard, gauge, piechart, prom, row, stat, table, timeseries } from 'moncode';
import { hostGauge } from '../shared/hosts.ts';
import { prometheus } from './datasources.ts';

const api = 'job="agent-api"';

export const agentMetrics = dashboard({
  title: 'Agent Metrics',
  uid: 'agent-metrics',
  tags: ['agents'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Traffic', [
      timeseries({
        title: 'Request Rate',
        unit: 'reqps',
        targets: [prom(`sum by (instance) (rate(http_requests_total{${api}}[$__rate_interval]))`, { legend: '{{instance}}' })],
      }),
      timeseries({
        title: 'Response Time (p95)',
        unit: 's',
        thresholds: { 0: 'green', 1: 'red' },
        thresholdsStyle: 'line',
        targets: [prom(`histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${api}}[$__rate_interval])))`, { legend: 'p95' })],
      }),
    ]),
    row('Health', [
      gauge({
        title: 'Error Rate',
        unit: 'percentunit',
        min: 0,
        max: 0.1,
        thresholds: { 0: 'green', 0.01: 'yellow', 0.05: 'red' },
        targets: [prom(`sum(rate(http_requests_total{${api},status=~"5.."}[5m])) / sum(rate(http_requests_total{${api}}[5m]))`)],
      }),
      gauge({
        title: 'Cache Hit Rate',
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: { 0: 'red', 0.5: 'yellow', 0.8: 'green' },
        targets: [prom('sum(rate(cache_hits_total[5m])) / (sum(rate(cache_hits_total[5m])) + sum(rate(cache_misses_total[5m])))')],
      }),
      gauge({
        title: 'Agent Success Rate',
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: { 0: 'red', 0.9: 'yellow', 0.95: 'green' },
        targets: [prom('sum(rate(agent_sessions_completed_total[5m])) / sum(rate(agent_sessions_total[5m]))')],
      }),
      stat({ title: 'Active Agents', unit: 'short', height: 6, targets: [prom('sum(agent_sessions_active)')] }),
    ]),
    row('Agents and storage', [
      piechart({
        title: 'Token Usage by Agent',
        unit: 'short',
        targets: [prom('sum by (agent_type) (rate(agent_tokens_used_total[5m]))', { legend: '{{agent_type}}' })],
      }),
      timeseries({
        title: 'Database Query Time',
        unit: 's',
        targets: [prom('histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket[$__rate_interval])))', { legend: 'p95' })],
      }),
    ]),
  ],
});

/** Token counts over the dashboard's range; the default range is "today so far". */
const today = (expr: string) => prom(expr, { instant: true });

export const tokenUsage = dashboard({
  title: 'Token Usage',
  uid: 'token-usage',
  tags: ['agents', 'cost'],
  time: { from: 'now/d', to: 'now' },
  datasource: prometheus,
  rows: [
    row('Today', [
      stat({ title: 'Total Tokens Used', unit: 'short', targets: [today('sum(increase(agent_tokens_used_total[$__range]))')] }),
      stat({ title: 'Total Cost', unit: 'currencyUSD', decimals: 2, targets: [today('sum(increase(agent_cost_total[$__range]))')] }),
      stat({ title: 'Token Savings from Caching', unit: 'short', width: 4, targets: [today('sum(increase(agent_tokens_saved_caching_total[$__range]))')] }),
      stat({ title: 'Token Savings from Compression', unit: 'short', width: 4, targets: [today('sum(increase(agent_tokens_saved_compression_total[$__range]))')] }),
      stat({ title: 'Token Savings from Model Routing', unit: 'short', width: 4, targets: [today('sum(increase(agent_tokens_saved_routing_total[$__range]))')] }),
    ]),
    row('Breakdown', [
      barchart({
        title: 'Tokens by Agent Type',
        unit: 'short',
        targets: [prom('sum by (agent_type) (increase(agent_tokens_used_total[$__range]))', { instant: true, format: 'table', legend: '{{agent_type}}' })],
      }),
      table({
        title: 'Tokens by Workflow Step',
        unit: 'short',
        targets: [prom('sum by (workflow_step) (increase(agent_tokens_used_total[$__range]))', { instant: true, format: 'table' })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { workflow_step: 'Workflow step', Value: 'Tokens' } } }],
      }),
    ]),
    row('Cost', [
      timeseries({
        title: 'Cost Trend',
        unit: 'currencyUSD',
        width: 24,
        timeFrom: '7d',
        interval: '1d',
        custom: { drawStyle: 'bars', fillOpacity: 80 },
        targets: [prom('sum(increase(agent_cost_total[1d]))', { legend: 'cost per day', interval: '1d' })],
      }),
    ]),
  ],
});

export const systemHealth = dashboard({
  title: 'System Health',
  uid: 'system-health',
  tags: ['infrastructure'],
  refresh: '30s',
  datasource: prometheus,
  panels: [
    hostGauge('CPU Usage', 'job="node"', 0.8),
    hostGauge('Memory Usage', 'job="node"', 0.85),
    hostGauge('Disk Usage', 'job="node"', 0.9),
    stat({
      title: 'Database Connections',
      unit: 'short',
      height: 6,
      thresholds: { 0: 'green', 80: 'yellow', 90: 'red' },
      targets: [prom('sum(pg_stat_activity_count)')],
    }),
    gauge({ title: 'Redis Memory', unit: 'bytes', targets: [prom('sum(redis_memory_used_bytes)')] }),
    timeseries({
      title: 'Network I/O',
      unit: 'Bps',
      width: 18,
      targets: [
        prom('sum by (instance) (rate(node_network_transmit_bytes_total{device!="lo"}[$__rate_interval]))', { legend: 'transmit {{instance}}' }),
        prom('sum by (instance) (rate(node_network_receive_bytes_total{device!="lo"}[$__rate_interval]))', { legend: 'receive {{instance}}' }),
      ],
    }),
  ],
});
