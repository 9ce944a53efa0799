import { routeTest, ruleTest } from 'moncode';
import { alertOf } from '../shared/testing.ts';
import { critical, logOnly, slack } from './alertmanager.ts';
import { criticalAlerts, warningAlerts } from './alerts.ts';

const serviceDown = alertOf(criticalAlerts, 'ServiceDown');
const highErrorRate = alertOf(criticalAlerts, 'HighErrorRate');
const tradingHalted = alertOf(criticalAlerts, 'TradingHalted');
const mongoDown = alertOf(criticalAlerts, 'MongoDBDown');
const diskSpaceLow = alertOf(criticalAlerts, 'DiskSpaceLow');
const highLatency = alertOf(warningAlerts, 'HighLatencyP95');

// Rule tests of seed 001's critical alerts: each fires once its `for` is over, and stays
// silent while pending or below its threshold.

export const serviceDownTest = ruleTest({
  name: 'ServiceDown fires after 2 minutes, labelled with its service',
  interval: '1m',
  inputSeries: [
    { series: 'up{job="rust-core-engine", instance="engine:8080"}', values: '1 0x10' },
    { series: 'up{job="nextjs-ui", instance="ui:3000"}', values: '1x11' },
  ],
  alerts: [
    { alert: serviceDown, evalTime: '2m', firing: [] },
    {
      alert: serviceDown,
      evalTime: '5m',
      firing: [
        {
          labels: { severity: 'critical', job: 'rust-core-engine', instance: 'engine:8080', service: 'rust-core-engine' },
          annotations: {
            summary: 'rust-core-engine is down',
            description: 'engine:8080 of rust-core-engine has been unreachable for 2 minutes: complete service outage.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/bot-core/service-down.md',
          },
        },
      ],
    },
  ],
});

export const errorRateTest = ruleTest({
  name: 'HighErrorRate fires at 10% 5xx after 5 minutes',
  interval: '1m',
  inputSeries: [
    { series: 'http_requests_total{job="python-ai-service", status="500"}', values: '0+60x20' },
    { series: 'http_requests_total{job="python-ai-service", status="200"}', values: '0+540x20' },
  ],
  alerts: [
    { alert: highErrorRate, evalTime: '4m', firing: [] },
    {
      alert: highErrorRate,
      evalTime: '15m',
      firing: [
        {
          labels: { severity: 'critical', slo: 'availability', job: 'python-ai-service', service: 'python-ai-service' },
          annotations: {
            summary: 'High error rate on python-ai-service',
            description: '10% of requests on python-ai-service answered 5xx over 5 minutes (threshold 5%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/bot-core/high-error-rate.md',
          },
        },
      ],
    },
  ],
});

export const tradingHaltedTest = ruleTest({
  name: 'TradingHalted fires when trades stop while trading is enabled',
  interval: '1m',
  inputSeries: [
    { series: 'trades_total{instance="engine:8080"}', values: '0+5x10 50x20' },
    { series: 'trading_enabled{instance="engine:8080"}', values: '1x30' },
  ],
  alerts: [
    { alert: tradingHalted, evalTime: '8m', firing: [] },
    {
      alert: tradingHalted,
      evalTime: '25m',
      firing: [
        {
          labels: { severity: 'critical', service: 'rust-core-engine' },
          annotations: {
            summary: 'No trades for 10 minutes while trading is enabled',
            description: 'The engine has executed no trade in the last 10 minutes although trading is enabled.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/bot-core/trading-halted.md',
          },
        },
      ],
    },
  ],
});

export const tradingDisabledTest = ruleTest({
  name: 'TradingHalted stays quiet while trading is disabled',
  interval: '1m',
  inputSeries: [
    { series: 'trades_total{instance="engine:8080"}', values: '50x30' },
    { series: 'trading_enabled{instance="engine:8080"}', values: '0x30' },
  ],
  alerts: [{ alert: tradingHalted, evalTime: '25m', firing: [] }],
});

export const mongoDownTest = ruleTest({
  name: 'MongoDBDown fires after a minute unreachable',
  interval: '1m',
  inputSeries: [{ series: 'mongodb_up{job="mongodb", instance="mongodb-exporter:9216"}', values: '1 0x10' }],
  alerts: [
    { alert: mongoDown, evalTime: '1m', firing: [] },
    {
      alert: mongoDown,
      evalTime: '5m',
      firing: [
        {
          labels: { severity: 'critical', service: 'mongodb', job: 'mongodb', instance: 'mongodb-exporter:9216' },
          annotations: {
            summary: 'MongoDB is unreachable',
            description: 'The MongoDB exporter on mongodb-exporter:9216 cannot reach the database: all data operations fail.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/bot-core/mongodb-down.md',
          },
        },
      ],
    },
  ],
});

export const diskTest = ruleTest({
  name: 'DiskSpaceLow fires under 10% free, not for overlay',
  interval: '1m',
  inputSeries: [
    { series: 'node_filesystem_avail_bytes{job="node", instance="bot-1:9100", mountpoint="/", fstype="ext4"}', values: '5x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="bot-1:9100", mountpoint="/", fstype="ext4"}', values: '100x20' },
    { series: 'node_filesystem_avail_bytes{job="node", instance="bot-1:9100", mountpoint="/var/lib/docker", fstype="overlay"}', values: '1x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="bot-1:9100", mountpoint="/var/lib/docker", fstype="overlay"}', values: '100x20' },
  ],
  alerts: [
    { alert: diskSpaceLow, evalTime: '4m', firing: [] },
    {
      alert: diskSpaceLow,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', service: 'host', job: 'node', instance: 'bot-1:9100', mountpoint: '/', fstype: 'ext4' },
          annotations: {
            summary: 'Disk space low on bot-1:9100 /',
            description: 'Only 5% of / is free (threshold 10%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/hosts/disk-space-low.md',
          },
        },
      ],
    },
  ],
});

// Routing: critical → PagerDuty + email + Slack, warning → Slack, info → logged only; a
// critical alert silences the warnings of its service, ServiceDown everything else of it.

const ai = { job: 'python-ai-service', service: 'python-ai-service' };

export const criticalRoute = routeTest({
  name: 'a critical alert goes to the critical receiver',
  alert: { rule: highErrorRate, labels: ai },
  expect: [critical],
  grouping: ['alertname', 'service'],
});

export const warningRoute = routeTest({
  name: 'a warning goes to Slack',
  alert: { rule: highLatency, labels: ai },
  expect: [slack],
  grouping: ['alertname', 'service'],
});

export const infoRoute = routeTest({
  name: 'an info alert is logged only',
  alert: { alertname: 'DeploymentStarted', severity: 'info', service: 'nextjs-ui' },
  expect: [logOnly],
  grouping: ['alertname', 'service'],
});

export const warningInhibited = routeTest({
  name: 'a critical alert of the service silences its warning',
  alert: { rule: highLatency, labels: ai },
  expect: [slack],
  inhibitedBy: [{ rule: highErrorRate, labels: ai }],
});

export const otherServiceNotInhibited = routeTest({
  name: 'a critical alert of another service does not',
  alert: { rule: highLatency, labels: ai },
  expect: [slack],
  firingWith: [{ rule: highErrorRate, labels: { job: 'nextjs-ui', service: 'nextjs-ui' } }],
  inhibitedBy: [],
});

export const serviceDownInhibits = routeTest({
  name: 'ServiceDown silences the other critical alerts of its service',
  alert: { rule: highErrorRate, labels: ai },
  expect: [critical],
  inhibitedBy: [{ rule: serviceDown, labels: { ...ai, instance: 'ai:8000' } }],
});
