import {
  barchart,
  dashboard,
  gauge,
  heatmap,
  logs,
  loki as logql,
  piechart,
  prom,
  queryVariable,
  row,
  stat,
  stateTimeline,
  table,
  timeseries,
  type Variable,
} from 'moncode';
import { hostPanels } from '../shared/hosts.ts';
import { httpPanels, latencyHeatmap } from '../shared/http.ts';
import { loki, prometheus } from './datasources.ts';
import { APP_JOBS, apps } from './services.ts';

/** "Dashboards support service selection … select specific instances" (seed 001, best practices). */
const serviceVariable: Variable = queryVariable({ name: 'service', label: 'Service', query: `label_values(up{job=~"${APP_JOBS}"}, job)`, multi: true, includeAll: true, allValue: '.*', sort: 'alphabetical' });
const instanceVariable: Variable = queryVariable({ name: 'instance', label: 'Instance', query: 'label_values(up{job=~"$service"}, instance)', multi: true, includeAll: true, allValue: '.*' });

export const systemOverview = dashboard({
  title: 'System Overview',
  uid: 'system-overview',
  tags: ['bot-core', 'infrastructure'],
  refresh: '30s',
  time: { from: 'now-6h', to: 'now' },
  datasource: prometheus,
  rows: [
    row('Health', [
      stateTimeline({
        title: 'Service Status',
        width: 16,
        mappings: [{ type: 'value', options: { '0': { text: 'Down', color: 'red' }, '1': { text: 'Up', color: 'green' } } }],
        targets: [prom(`up{job=~"${APP_JOBS}|mongodb-exporter|redis-exporter|node"}`, { legend: '{{job}} {{instance}}' })],
      }),
      table({
        title: 'Active Alerts',
        width: 8,
        targets: [prom('ALERTS{alertstate="firing"}', { instant: true, format: 'table' })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true } } }],
      }),
      stat({ title: 'Max CPU Usage', unit: 'percentunit', thresholds: { 0: 'green', 0.8: 'orange', 0.9: 'red' }, targets: [prom('max(instance:node_cpu_utilization:rate5m)')] }),
    ]),
    row('Hosts', hostPanels({ selector: 'job="node"', cpuAlertAt: 0.8, memoryAlertAt: 0.9, diskFreeAlertAt: 0.1 })),
  ],
});

export const tradingPerformance = dashboard({
  title: 'Trading Performance',
  uid: 'trading-performance',
  tags: ['bot-core', 'trading'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Execution', [
      timeseries({ title: 'Trades/Minute', unit: 'short', targets: [prom('sum(rate(trades_total[$__rate_interval])) * 60', { legend: 'trades/min' })] }),
      gauge({
        title: 'Success Rate',
        unit: 'percentunit',
        min: 0.8,
        max: 1,
        thresholds: { 0: 'red', 0.95: 'green' },
        targets: [prom('sum(rate(trades_success_total[1h])) / sum(rate(trades_total[1h]))')],
      }),
      timeseries({
        title: 'Execution Latency',
        unit: 's',
        thresholds: { 0: 'green', 1: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('histogram_quantile(0.95, sum by (le) (rate(trade_execution_duration_seconds_bucket[$__rate_interval])))', { legend: 'p95' })],
      }),
    ]),
    row('Portfolio', [
      stat({ title: 'Portfolio Value', unit: 'currencyUSD', targets: [prom('sum(portfolio_value_usd)')] }),
      stat({ title: 'Daily P&L', unit: 'currencyUSD', thresholds: { 0: 'red', 0.01: 'green' }, targets: [prom('sum(daily_pnl_usd)')] }),
      stat({ title: 'Open Positions', unit: 'short', thresholds: { 0: 'green', 10: 'orange' }, targets: [prom('sum(open_positions)')] }),
      stat({ title: 'Trading Balance', unit: 'currencyUSD', thresholds: { 0: 'red', 100: 'green' }, targets: [prom('min(trading_balance_usd)')] }),
      timeseries({ title: 'Portfolio Value over Time', unit: 'currencyUSD', width: 24, targets: [prom('sum(portfolio_value_usd)', { legend: 'value' })] }),
    ]),
    row('Logs', [
      logs({ title: 'Executed Trades', datasource: loki, targets: [logql('{job="rust-core-engine"} |~ "trade.*executed"')] }),
      logs({ title: 'Engine Errors', datasource: loki, targets: [logql('{job="rust-core-engine"} |= "ERROR"')] }),
      timeseries({
        title: 'Errors Logged by Service',
        unit: 'short',
        width: 24,
        datasource: loki,
        targets: [logql('sum by (job) (count_over_time({job=~".+"} |= "ERROR" [$__interval]))', { legend: '{{job}}' })],
      }),
    ], { collapsed: true }),
  ],
});

export const apiPerformance = dashboard({
  title: 'API Performance',
  uid: 'api-performance',
  tags: ['bot-core', 'api'],
  refresh: '30s',
  datasource: prometheus,
  variables: [serviceVariable],
  rows: [
    row('Requests', httpPanels(apps, { errorAlertAt: 0.05, latencyAlertAt: 1, quantiles: [0.95, 0.99], titles: { latency: 'p95/p99 Latency' } })),
    row('Distribution', [
      latencyHeatmap(apps),
      timeseries({
        title: 'Slow Queries',
        description: 'Requests slower than 1 second.',
        unit: 'reqps',
        targets: [prom('sum by (job) (rate(http_request_duration_seconds_count{job=~"$service"}[$__rate_interval])) - sum by (job) (rate(http_request_duration_seconds_bucket{job=~"$service", le="1"}[$__rate_interval]))', { legend: '{{job}}' })],
      }),
      table({
        title: 'Top Endpoints',
        width: 24,
        unit: 'reqps',
        targets: [prom('topk(10, sum by (job, handler) (rate(http_requests_total{job=~"$service"}[5m])))', { instant: true, format: 'table' })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'requests/s' } } }],
      }),
      logs({ title: 'Slow Database Calls (> 1s)', width: 24, datasource: loki, targets: [logql('{job="rust-core-engine"} | json | duration_ms > 1000')] }),
    ]),
  ],
});

export const aiAnalysis = dashboard({
  title: 'AI Analysis',
  uid: 'ai-analysis',
  tags: ['bot-core', 'ai'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Analysis', [
      timeseries({ title: 'Analyses/Minute', unit: 'short', targets: [prom('sum(rate(ai_analyses_total[$__rate_interval])) * 60', { legend: 'analyses/min' })] }),
      timeseries({
        title: 'Analysis Duration',
        unit: 's',
        thresholds: { 0: 'green', 5: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('histogram_quantile(0.95, sum by (le) (rate(ai_analysis_duration_seconds_bucket[$__rate_interval])))', { legend: 'p95' })],
      }),
      heatmap({
        title: 'Model Confidence',
        unit: 'percentunit',
        targets: [prom('sum by (le) (increase(ai_model_confidence_bucket[$__rate_interval]))', { format: 'heatmap', legend: '{{le}}' })],
        options: { calculate: false },
      }),
      piechart({ title: 'Predictions by Signal', unit: 'short', targets: [prom('sum by (signal) (increase(ai_analyses_total[$__range]))', { instant: true, legend: '{{signal}}' })] }),
      timeseries({
        title: 'Prediction Accuracy',
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: { 0: 'red', 0.55: 'green' },
        thresholdsStyle: 'line',
        targets: [prom('avg(ai_prediction_accuracy_ratio)', { legend: 'accuracy' })],
      }),
    ]),
    row('OpenAI', [
      timeseries({ title: 'OpenAI Usage', unit: 'reqps', targets: [prom('sum by (model) (rate(openai_requests_total[$__rate_interval]))', { legend: '{{model}}' })] }),
      timeseries({
        title: 'OpenAI Errors',
        unit: 'percentunit',
        thresholds: { 0: 'green', 0.05: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('sum(rate(openai_requests_total{status="error"}[$__rate_interval])) / sum(rate(openai_requests_total[$__rate_interval]))', { legend: 'error ratio' })],
      }),
      logs({ title: 'AI Analyses with High Confidence', width: 24, datasource: loki, targets: [logql('{job="python-ai-service"} | json | confidence > 0.8')] }),
    ]),
  ],
});

export const databasePerformance = dashboard({
  title: 'Database Performance',
  uid: 'database-performance',
  tags: ['bot-core', 'database'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Queries', [
      timeseries({ title: 'Query Rate', unit: 'ops', targets: [prom('sum by (type) (rate(mongodb_ss_opcounters[$__rate_interval]))', { legend: '{{type}}' })] }),
      timeseries({
        title: 'Query Latency',
        unit: 's',
        thresholds: { 0: 'green', 0.1: 'red' },
        thresholdsStyle: 'line',
        targets: [
          prom('histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket{job="rust-core-engine"}[$__rate_interval])))', { legend: 'p95' }),
          prom('histogram_quantile(0.99, sum by (le) (rate(db_query_duration_seconds_bucket{job="rust-core-engine"}[$__rate_interval])))', { legend: 'p99' }),
        ],
      }),
      timeseries({
        title: 'Slow Queries',
        description: 'Database queries slower than 100 ms.',
        unit: 'ops',
        targets: [prom('sum(rate(db_query_duration_seconds_count{job="rust-core-engine"}[$__rate_interval])) - sum(rate(db_query_duration_seconds_bucket{job="rust-core-engine", le="0.1"}[$__rate_interval]))', { legend: 'slow queries/s' })],
      }),
      barchart({ title: 'Operations', unit: 'ops', targets: [prom('sum by (type) (rate(mongodb_ss_opcounters[5m]))', { instant: true, format: 'table', legend: '{{type}}' })] }),
    ]),
    row('Connections and replication', [
      timeseries({ title: 'Active Connections', unit: 'short', targets: [prom('sum(mongodb_ss_connections{conn_type="current"})', { legend: 'current' })] }),
      gauge({
        title: 'Connection Pool',
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: { 0: 'green', 0.8: 'red' },
        targets: [prom('sum(mongodb_ss_connections{conn_type="current"}) / (sum(mongodb_ss_connections{conn_type="current"}) + sum(mongodb_ss_connections{conn_type="available"}))')],
      }),
      timeseries({
        title: 'Replication Lag',
        unit: 's',
        thresholds: { 0: 'green', 30: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('max by (name) (mongodb_mongod_replset_member_replication_lag)', { legend: '{{name}}' })],
      }),
    ]),
  ],
});

export const websocketMetrics = dashboard({
  title: 'WebSocket Metrics',
  uid: 'websocket-metrics',
  tags: ['bot-core', 'websocket'],
  refresh: '30s',
  datasource: prometheus,
  variables: [serviceVariable, instanceVariable],
  rows: [
    row('Connections', [
      timeseries({
        title: 'Active Connections',
        unit: 'short',
        thresholds: { 0: 'green', 1000: 'orange', 5000: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('sum by (instance) (websocket_connections_active{job=~"$service", instance=~"$instance"})', { legend: '{{instance}}' })],
      }),
      heatmap({
        title: 'Connection Duration',
        unit: 's',
        targets: [prom('sum by (le) (increase(websocket_connection_duration_seconds_bucket{job=~"$service", instance=~"$instance"}[$__rate_interval]))', { format: 'heatmap', legend: '{{le}}' })],
        options: { calculate: false },
      }),
      piechart({ title: 'Disconnect Reasons', unit: 'short', targets: [prom('sum by (reason) (increase(websocket_disconnects_total{job=~"$service", instance=~"$instance"}[$__range]))', { instant: true, legend: '{{reason}}' })] }),
    ]),
    row('Messages', [
      timeseries({ title: 'Messages Sent/Received', unit: 'short', targets: [prom('sum by (direction) (rate(websocket_messages_total{job=~"$service", instance=~"$instance"}[$__rate_interval]))', { legend: '{{direction}}' })] }),
      timeseries({
        title: 'Message Latency',
        unit: 's',
        thresholds: { 0: 'green', 0.1: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('histogram_quantile(0.95, sum by (le) (rate(websocket_message_latency_seconds_bucket{job=~"$service", instance=~"$instance"}[$__rate_interval])))', { legend: 'p95' })],
      }),
      timeseries({
        title: 'Error Rate',
        unit: 'percentunit',
        thresholds: { 0: 'green', 0.05: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('sum(rate(websocket_errors_total{job=~"$service", instance=~"$instance"}[$__rate_interval])) / sum(rate(websocket_messages_total{job=~"$service", instance=~"$instance"}[$__rate_interval]))', { legend: 'errors per message' })],
      }),
    ]),
  ],
});

export const businessMetrics = dashboard({
  title: 'Business Metrics',
  uid: 'business-metrics',
  tags: ['bot-core', 'business'],
  refresh: '5m',
  time: { from: 'now-7d', to: 'now' },
  datasource: prometheus,
  rows: [
    row('Users', [
      stat({ title: 'Active Users', unit: 'short', targets: [prom('sum(active_users)')] }),
      stat({ title: 'New Registrations', description: 'Sign-ups in the last 24 hours.', unit: 'short', targets: [prom('sum(increase(user_registrations_total[24h]))')] }),
      timeseries({
        title: 'User Engagement',
        unit: 'short',
        targets: [prom('sum(increase(user_sessions_total[1h]))', { legend: 'sessions/h' }), prom('sum(increase(user_logins_total[1h]))', { legend: 'logins/h' })],
      }),
    ]),
    row('Money', [
      stat({ title: 'Trading Volume', description: 'Volume traded in the last 24 hours.', unit: 'currencyUSD', targets: [prom('sum(increase(trading_volume_usd_total[24h]))')] }),
      stat({ title: 'Revenue', description: 'Revenue of the last 24 hours.', unit: 'currencyUSD', targets: [prom('sum(increase(revenue_usd_total[24h]))')] }),
      stat({ title: 'Portfolio Growth', description: 'Change of the portfolio value against 24 hours ago.', unit: 'percentunit', decimals: 2, targets: [prom('sum(portfolio_value_usd) / sum(portfolio_value_usd offset 1d) - 1')] }),
      table({
        title: 'Top Strategies',
        unit: 'short',
        targets: [prom('topk(5, sum by (strategy) (increase(trades_total[24h])))', { instant: true, format: 'table' })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { strategy: 'Strategy', Value: 'Trades (24h)' } } }],
      }),
    ]),
  ],
});

