import { dashboard, gauge, prom, row, stat, table, timeseries } from 'moncode';
import { hostGauge } from '../shared/hosts.ts';
import { httpPanels, latencyQuantile, requestRateStat } from '../shared/http.ts';
import { prometheus } from './datasources.ts';
import { api, apiByEndpoint } from './services.ts';

export const systemOverview = dashboard({
  title: 'FreeAgentics System Overview',
  uid: 'freeagentics-system-overview',
  tags: ['freeagentics', 'overview'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Health', [
      stat({
        title: 'System Health',
        unit: 'short',
        width: 12,
        mappings: [{ type: 'value', options: { '0': { text: 'DOWN', color: 'red' }, '1': { text: 'UP', color: 'green' } } }],
        targets: [prom('up{job="freeagentics-api"}', { legend: 'API Service' }), prom('up{job="node"}', { legend: 'System' })],
      }),
      hostGauge('CPU Usage', 'job="node"', 0.8),
      hostGauge('Memory Usage', 'job="node"', 0.85),
    ]),
    row('API', [
      timeseries({
        title: 'API Response Time',
        unit: 's',
        width: 24,
        thresholds: { 0: 'green', 0.5: 'red' },
        thresholdsStyle: 'line',
        targets: [prom(latencyQuantile(api, 0.95, '$__rate_interval'), { legend: '95th percentile' })],
      }),
    ]),
  ],
});

export const applicationPerformance = dashboard({
  title: 'Application Performance',
  uid: 'freeagentics-application-performance',
  tags: ['freeagentics', 'api'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('API', [requestRateStat(api), stat({ title: 'Active Connections', unit: 'short', targets: [prom('sum(freeagentics_active_connections)')] }), ...httpPanels(api, { errorAlertAt: 0.1, latencyAlertAt: 0.5, titles: { latency: 'Response Times' } })]),
    row('Endpoints', [
      table({
        title: 'Slowest Endpoints (p95)',
        unit: 's',
        width: 24,
        targets: [prom(`topk(10, ${latencyQuantile(apiByEndpoint, 0.95)})`, { instant: true, format: 'table' })],
        transformations: [{ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { endpoint: 'Endpoint', Value: 'p95' } } }],
      }),
    ]),
    row('Workers', [
      timeseries({ title: 'Agent Actions per Second', unit: 'ops', targets: [prom('sum(freeagentics_agent_actions_per_second)', { legend: 'actions/s' })] }),
      timeseries({ title: 'Database Query Time', unit: 's', targets: [prom('histogram_quantile(0.95, sum by (le) (rate(freeagentics_database_query_time_seconds_bucket[$__rate_interval])))', { legend: 'p95' })] }),
    ]),
  ],
});

export const agentCoordination = dashboard({
  title: 'Agent Coordination',
  uid: 'freeagentics-agent-coordination',
  tags: ['freeagentics', 'agents'],
  refresh: '30s',
  datasource: prometheus,
  panels: [
    gauge({
      title: 'Coordination Success Rate',
      unit: 'percentunit',
      min: 0.8,
      max: 1,
      thresholds: { 0: 'red', 0.95: 'green' },
      targets: [
        prom(
          'sum(rate(freeagentics_agent_coordination_success_total[5m])) / (sum(rate(freeagentics_agent_coordination_success_total[5m])) + sum(rate(freeagentics_agent_coordination_failures_total[5m])))',
        ),
      ],
    }),
    stat({ title: 'Active Agents', unit: 'short', targets: [prom('sum(freeagentics_active_agents_total)')] }),
    timeseries({
      title: 'Coordination Latency',
      unit: 's',
      width: 24,
      targets: [prom('histogram_quantile(0.95, sum by (le) (rate(freeagentics_agent_coordination_time_seconds_bucket[$__rate_interval])))', { legend: 'p95' })],
    }),
    timeseries({
      title: 'Coordination Attempts',
      unit: 'ops',
      width: 24,
      targets: [
        prom('sum(rate(freeagentics_agent_coordination_success_total[$__rate_interval]))', { legend: 'succeeded' }),
        prom('sum(rate(freeagentics_agent_coordination_failures_total[$__rate_interval]))', { legend: 'failed' }),
      ],
    }),
  ],
});
