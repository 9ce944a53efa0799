import { alertRule, recordingRule, ruleGroup } from 'moncode';
import { hostAlerts } from '../shared/hosts.ts';
import { errorRatioAlert, latencyAlert } from '../shared/http.ts';
import { runbook } from '../shared/runbooks.ts';
import { APP_JOBS, appsForAlerts } from './services.ts';
import { apiAvailability } from './slos.ts';

/**
 * Seed 001's critical and warning alerts. Every alert carries `service`, which the
 * Alertmanager inhibition rules compare ("critical suppresses warning for the same
 * service; ServiceDown suppresses the rest").
 */
export const criticalAlerts = ruleGroup({
  name: 'bot-core-critical',
  interval: '30s',
  rules: [
    alertRule({
      alert: 'ServiceDown',
      expr: `label_replace(up{job=~"${APP_JOBS}"}, "service", "$1", "job", "(.*)") == 0`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: '{{ $labels.service }} is down',
        description: '{{ $labels.instance }} of {{ $labels.service }} has been unreachable for 2 minutes: complete service outage.',
        runbook_url: runbook('bot-core/service-down'),
      },
    }),
    errorRatioAlert(appsForAlerts, { name: 'HighErrorRate', above: 0.05, for: '5m', severity: 'critical', runbook: runbook('bot-core/high-error-rate'), slo: apiAvailability }),
    alertRule({
      alert: 'TradingHalted',
      expr: 'sum(increase(trades_total[10m])) == 0 and on () max(trading_enabled) == 1',
      for: '1m',
      labels: { severity: 'critical', service: 'rust-core-engine' },
      annotations: {
        summary: 'No trades for 10 minutes while trading is enabled',
        description: 'The engine has executed no trade in the last 10 minutes although trading is enabled.',
        runbook_url: runbook('bot-core/trading-halted'),
      },
    }),
    alertRule({
      alert: 'MongoDBDown',
      expr: 'mongodb_up == 0',
      for: '1m',
      labels: { severity: 'critical', service: 'mongodb' },
      annotations: {
        summary: 'MongoDB is unreachable',
        description: 'The MongoDB exporter on {{ $labels.instance }} cannot reach the database: all data operations fail.',
        runbook_url: runbook('bot-core/mongodb-down'),
      },
    }),
    ...hostAlerts({
      selector: 'job="node"',
      labels: { service: 'host' },
      disk: [{ name: 'DiskSpaceLow', freeBelow: 0.1, for: '5m', severity: 'critical' }],
    }),
  ],
});

export const warningAlerts = ruleGroup({
  name: 'bot-core-warning',
  interval: '30s',
  rules: [
    ...hostAlerts({
      selector: 'job="node"',
      labels: { service: 'host' },
      cpu: { name: 'HighCPUUsage', above: 0.8, for: '5m', severity: 'warning' },
      memory: { name: 'HighMemoryUsage', above: 0.9, for: '5m', severity: 'warning' },
    }),
    latencyAlert(appsForAlerts, { name: 'HighLatencyP95', quantile: 0.95, above: 1, for: '5m', severity: 'warning', runbook: runbook('bot-core/high-latency-p95') }),
    alertRule({
      alert: 'LowTradingBalance',
      expr: 'min(trading_balance_usd) < 100',
      for: '5m',
      labels: { severity: 'warning', service: 'rust-core-engine' },
      annotations: {
        summary: 'Trading balance below $100',
        description: 'The available balance is {{ $value | printf "%.2f" }} USD: trades may not execute.',
        runbook_url: runbook('bot-core/low-trading-balance'),
      },
    }),
  ],
});

/** The recording rules the seed's queries use (`recording-rules/rules.yml`). */
export const recordingRules = ruleGroup({
  name: 'bot-core-recording',
  interval: '30s',
  rules: [
    recordingRule({ record: 'instance:node_cpu_utilization:rate5m', expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{job="node", mode="idle"}[5m]))' }),
  ],
});
