import { routeTest, ruleTest } from 'moncode';
import { alertOf } from '../shared/testing.ts';
import { critical, fallback, warning } from './alertmanager.ts';
import { agentAlerts } from './alerts.ts';

const highErrorRate = alertOf(agentAlerts, 'HighErrorRate');
const poolExhausted = alertOf(agentAlerts, 'DatabaseConnectionPoolExhausted');
const diskSpaceLow = alertOf(agentAlerts, 'DiskSpaceLow');
const highTokenUsage = alertOf(agentAlerts, 'HighTokenUsage');

// Rule tests of seed 003's critical alerts: each fires once its `for` is over, and stays
// silent while pending or under its threshold.

export const errorRateTest = ruleTest({
  name: 'HighErrorRate pages at 10% 5xx after 5 minutes',
  interval: '1m',
  inputSeries: [
    { series: 'http_requests_total{job="agent-api", status="500"}', values: '0+60x20' },
    { series: 'http_requests_total{job="agent-api", status="200"}', values: '0+540x20' },
  ],
  alerts: [
    { alert: highErrorRate, evalTime: '4m', firing: [] },
    {
      alert: highErrorRate,
      evalTime: '15m',
      firing: [
        {
          labels: { severity: 'critical', slo: 'availability', job: 'agent-api' },
          annotations: {
            summary: 'High error rate on agent-api',
            description: '10% of requests on agent-api answered 5xx over 5 minutes (threshold 5%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/agent-api/high-error-rate.md',
          },
        },
      ],
    },
  ],
});

export const errorRateQuietTest = ruleTest({
  name: 'HighErrorRate stays quiet at 1% 5xx',
  interval: '1m',
  inputSeries: [
    { series: 'http_requests_total{job="agent-api", status="500"}', values: '0+6x20' },
    { series: 'http_requests_total{job="agent-api", status="200"}', values: '0+594x20' },
  ],
  alerts: [{ alert: highErrorRate, evalTime: '15m', firing: [] }],
});

export const poolTest = ruleTest({
  name: 'DatabaseConnectionPoolExhausted fires above 90 connections only',
  interval: '1m',
  inputSeries: [
    { series: 'pg_stat_activity_count{instance="db-1:9187", datname="agents"}', values: '95x20' },
    { series: 'pg_stat_activity_count{instance="db-2:9187", datname="agents"}', values: '80x20' },
  ],
  alerts: [
    { alert: poolExhausted, evalTime: '3m', firing: [] },
    {
      alert: poolExhausted,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', instance: 'db-1:9187' },
          annotations: {
            summary: 'Database connection pool nearly exhausted on db-1:9187',
            description: '95 connections are open (threshold 90) for more than 5 minutes.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/agent-api/database-connection-pool-exhausted.md',
          },
        },
      ],
    },
  ],
});

export const diskTest = ruleTest({
  name: 'DiskSpaceLow fires under 10% free, not for tmpfs',
  interval: '1m',
  inputSeries: [
    { series: 'node_filesystem_avail_bytes{job="node", instance="host-1:9100", mountpoint="/", fstype="ext4"}', values: '5x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="host-1:9100", mountpoint="/", fstype="ext4"}', values: '100x20' },
    { series: 'node_filesystem_avail_bytes{job="node", instance="host-1:9100", mountpoint="/run", fstype="tmpfs"}', values: '1x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="host-1:9100", mountpoint="/run", fstype="tmpfs"}', values: '100x20' },
  ],
  alerts: [
    { alert: diskSpaceLow, evalTime: '4m', firing: [] },
    {
      alert: diskSpaceLow,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', job: 'node', instance: 'host-1:9100', mountpoint: '/', fstype: 'ext4' },
          annotations: {
            summary: 'Disk space low on host-1:9100 /',
            description: 'Only 5% of / is free (threshold 10%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/hosts/disk-space-low.md',
          },
        },
      ],
    },
  ],
});

// Routing: critical to Slack and PagerDuty, warning to #warnings, the rest to #alerts.

export const criticalRoute = routeTest({
  name: 'a critical alert goes to the critical receiver',
  alert: { rule: highErrorRate, labels: { job: 'agent-api' } },
  expect: [critical],
  grouping: ['alertname', 'job', 'instance'],
});

export const warningRoute = routeTest({
  name: 'a warning goes to #warnings',
  alert: { rule: highTokenUsage, labels: { agent_type: 'planner' } },
  expect: [warning],
  grouping: ['alertname', 'job', 'instance'],
});

export const fallbackRoute = routeTest({
  name: 'an alert without severity goes to #alerts',
  alert: { alertname: 'Watchdog' },
  expect: [fallback],
  grouping: ['alertname', 'job', 'instance'],
});
