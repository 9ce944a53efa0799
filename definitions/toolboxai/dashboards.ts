import { dashboard, jaeger as trace, logs, loki as logql, nodeGraph, prom, row, stat, timeseries, traces } from 'moncode';
import { httpPanels, latencyHeatmap, type HttpService } from '../shared/http.ts';
import { jaeger, loki, prometheus } from './datasources.ts';

/** The FastAPI backend (job `fastapi-backend`), instrumented with prometheus-fastapi-instrumentator conventions. */
export const backend: HttpService = {
  requests: 'http_requests_total',
  duration: 'http_request_duration_seconds',
  selector: 'job="fastapi-backend"',
  statusLabel: 'status',
  by: 'handler',
};
const backendTotal: HttpService = { ...backend, by: undefined };

export const fastapi = dashboard({
  title: 'FastAPI Application Metrics',
  uid: 'fastapi-dashboard',
  tags: ['toolboxai', 'fastapi'],
  refresh: '30s',
  datasource: prometheus,
  rows: [
    row('Requests', httpPanels(backendTotal, { errorAlertAt: 0.05, latencyAlertAt: 2, titles: { latency: 'Response Time', status: 'HTTP Status Codes' } })),
    row('Process', [
      stat({ title: 'Active Connections', unit: 'short', targets: [prom('sum(http_requests_inprogress{job="fastapi-backend"})')] }),
      timeseries({ title: 'CPU Usage', unit: 'percentunit', targets: [prom('rate(process_cpu_seconds_total{job="fastapi-backend"}[$__rate_interval])', { legend: '{{instance}}' })] }),
      timeseries({
        title: 'Memory Usage',
        unit: 'bytes',
        thresholds: { 0: 'green', 2147483648: 'red' },
        thresholdsStyle: 'line',
        targets: [prom('process_resident_memory_bytes{job="fastapi-backend"}', { legend: '{{instance}}' })],
      }),
    ]),
    row('Dependencies', [
      timeseries({
        title: 'Database Query Performance',
        unit: 's',
        thresholds: { 0: 'green', 1: 'red' },
        thresholdsStyle: 'line',
        targets: [
          prom('histogram_quantile(0.95, sum by (le) (rate(db_query_duration_seconds_bucket{job="fastapi-backend"}[$__rate_interval])))', { legend: 'p95' }),
          prom('histogram_quantile(0.50, sum by (le) (rate(db_query_duration_seconds_bucket{job="fastapi-backend"}[$__rate_interval])))', { legend: 'p50' }),
        ],
      }),
      timeseries({ title: 'Redis Operations', unit: 'ops', targets: [prom('sum by (cmd) (rate(redis_commands_total{job="redis-exporter"}[$__rate_interval]))', { legend: '{{cmd}}' })] }),
      timeseries({
        title: 'Agent Task Processing',
        unit: 'short',
        targets: [prom('sum by (agent, status) (rate(agent_tasks_total{job="fastapi-backend"}[$__rate_interval]))', { legend: '{{agent}} {{status}}' })],
      }),
    ]),
  ],
});

/** Promtail ships Docker container logs (job `docker`) and the application's log files (job `application`). */
const app = '{job="application"}';

export const lokiLogs = dashboard({
  title: 'Loki Logs Visualization',
  uid: 'loki-logs-dashboard',
  tags: ['toolboxai', 'logs'],
  refresh: '1m',
  datasource: loki,
  rows: [
    row('Volume', [
      timeseries({
        title: 'Log Volume by Level',
        unit: 'short',
        width: 24,
        custom: { drawStyle: 'bars', stacking: { mode: 'normal' }, fillOpacity: 80 },
        targets: ['ERROR', 'WARNING', 'INFO', 'DEBUG'].map((level) => logql(`sum(count_over_time(${app} |= "${level}" [$__interval]))`, { legend: level })),
      }),
    ]),
    row('Streams', [
      logs({ title: 'Error Logs', targets: [logql(`${app} |= "ERROR"`)] }),
      logs({ title: 'Application Logs', targets: [logql(app)] }),
      logs({ title: 'Container Logs', targets: [logql('{job="docker"}')] }),
      logs({ title: 'API Request Logs', targets: [logql(`${app} |~ "(GET|POST|PUT|DELETE)" |~ "/api/"`)] }),
      logs({ title: 'Database Query Logs', targets: [logql(`${app} |~ "(?i)(sqlalchemy|select |insert |update |delete )"`)] }),
      logs({ title: 'Agent Activity Logs', targets: [logql(`${app} |~ "ContentAgent|OrchestrationAgent"`)] }),
      logs({ title: 'Authentication and Security Logs', width: 24, targets: [logql(`${app} |~ "(?i)(auth|login|token|permission denied|forbidden)"`)] }),
    ]),
  ],
});

const SERVICE = 'toolboxai-backend';

export const jaegerTraces = dashboard({
  title: 'Jaeger Distributed Tracing',
  uid: 'jaeger-traces-dashboard',
  tags: ['toolboxai', 'tracing'],
  refresh: '1m',
  datasource: jaeger,
  rows: [
    row('Overview', [
      traces({ title: 'Trace Timeline', width: 24, height: 12, targets: [trace({ service: SERVICE, limit: 20 })] }),
      nodeGraph({ title: 'Service Dependency Map', width: 12, height: 10, targets: [trace({ queryType: 'dependencyGraph' })] }),
      { ...latencyHeatmap(backend), title: 'Operation Latency Distribution', datasource: prometheus },
    ]),
    row('Errors and throughput', [
      traces({ title: 'Traces with Errors', width: 12, targets: [trace({ service: SERVICE, tags: 'error=true', limit: 20 })] }),
      stat({ title: 'Trace Error Rate', unit: 'percentunit', datasource: prometheus, thresholds: { 0: 'green', 0.05: 'red' }, targets: [prom('sum(rate(http_requests_total{job="fastapi-backend", status=~"5.."}[5m])) / sum(rate(http_requests_total{job="fastapi-backend"}[5m]))')] }),
      timeseries({
        title: 'Active Spans',
        unit: 'short',
        datasource: prometheus,
        targets: [
          prom('sum(rate(otelcol_receiver_accepted_spans_total{job="otel-collector"}[$__rate_interval]))', { legend: 'accepted spans/s' }),
          prom('sum(rate(otelcol_exporter_sent_spans_total{job="otel-collector"}[$__rate_interval]))', { legend: 'exported spans/s' }),
        ],
      }),
    ]),
    row('Traces by kind', [
      traces({ title: 'Database Traces', targets: [trace({ service: SERVICE, tags: 'db.system=postgresql', limit: 20 })] }),
      traces({ title: 'HTTP Request Traces', targets: [trace({ service: SERVICE, operation: 'GET /api/v1/content', minDuration: '100ms', limit: 20 })] }),
      traces({ title: 'Agent Task Traces', width: 24, targets: [trace({ service: SERVICE, tags: 'agent.type=ContentAgent', limit: 20 })] }),
    ]),
  ],
});

