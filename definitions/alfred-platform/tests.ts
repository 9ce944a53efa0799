import { routeTest, ruleTest } from 'moncode';
import { alertOf } from '../shared/testing.ts';
import { pagerduty, slack } from './alertmanager.ts';
import { serviceAlerts, systemAlerts } from './alerts.ts';

const serviceDown = alertOf(serviceAlerts, 'ServiceDown');
const errorRateCritical = alertOf(serviceAlerts, 'HighErrorRateCritical');
const errorRateWarning = alertOf(serviceAlerts, 'HighErrorRate');
const instanceDown = alertOf(systemAlerts, 'InstanceDown');
const diskCritical = alertOf(systemAlerts, 'DiskSpaceCritical');

// Rule tests of seed 000's critical alerts: each fires once its `for` is over, and stays
// silent while pending, below its threshold, or for series it does not watch.

export const serviceDownTest = ruleTest({
  name: 'ServiceDown fires for an agent service down a minute',
  interval: '1m',
  inputSeries: [
    { series: 'up{job="agent-core", instance="agent-core:8011"}', values: '1 1 0x10' },
    { series: 'up{job="agent-rag", instance="agent-rag:8012"}', values: '1x12' },
  ],
  alerts: [
    { alert: serviceDown, evalTime: '2m', firing: [] },
    {
      alert: serviceDown,
      evalTime: '5m',
      firing: [
        {
          labels: { severity: 'critical', job: 'agent-core', instance: 'agent-core:8011' },
          annotations: {
            summary: 'Service agent-core is down',
            description: 'agent-core:8011 of agent-core has not answered a scrape for 1 minute.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/alfred-platform/service-down.md',
          },
        },
      ],
    },
  ],
});

export const errorRateCriticalTest = ruleTest({
  name: 'HighErrorRateCritical fires at 10% 5xx',
  interval: '1m',
  inputSeries: [
    { series: 'http_requests_total{job="agent-core", status="500"}', values: '0+60x20' },
    { series: 'http_requests_total{job="agent-core", status="200"}', values: '0+540x20' },
  ],
  alerts: [
    {
      alert: errorRateCritical,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', job: 'agent-core' },
          annotations: {
            summary: 'High error rate on agent-core',
            description: '10% of requests on agent-core answered 5xx over 5 minutes (threshold 5%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/alfred-platform/high-error-rate.md',
          },
        },
      ],
    },
  ],
});

export const errorRateTiersTest = ruleTest({
  name: 'at 2% 5xx only the warning tier fires',
  interval: '1m',
  inputSeries: [
    { series: 'http_requests_total{job="agent-core", status="500"}', values: '0+12x20' },
    { series: 'http_requests_total{job="agent-core", status="200"}', values: '0+588x20' },
  ],
  alerts: [
    { alert: errorRateCritical, evalTime: '10m', firing: [] },
    {
      alert: errorRateWarning,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'warning', job: 'agent-core' },
          annotations: {
            summary: 'High error rate on agent-core',
            description: '2% of requests on agent-core answered 5xx over 5 minutes (threshold 1%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/alfred-platform/high-error-rate.md',
          },
        },
      ],
    },
  ],
});

export const instanceDownTest = ruleTest({
  name: 'InstanceDown fires for infrastructure jobs only',
  interval: '1m',
  inputSeries: [
    { series: 'up{job="node", instance="node-1:9100"}', values: '1 0x10' },
    { series: 'up{job="agent-core", instance="agent-core:8011"}', values: '1 0x10' },
  ],
  alerts: [
    { alert: instanceDown, evalTime: '1m', firing: [] },
    {
      alert: instanceDown,
      evalTime: '5m',
      firing: [
        {
          labels: { severity: 'critical', job: 'node', instance: 'node-1:9100' },
          annotations: {
            summary: 'Instance node-1:9100 is down',
            description: 'node-1:9100 of job node has not answered a scrape for 1m.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/hosts/instance-down.md',
          },
        },
      ],
    },
  ],
});

export const diskCriticalTest = ruleTest({
  name: 'DiskSpaceCritical fires under 5% free, not at 8%',
  interval: '1m',
  inputSeries: [
    { series: 'node_filesystem_avail_bytes{job="node", instance="node-1:9100", mountpoint="/", fstype="ext4"}', values: '3x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="node-1:9100", mountpoint="/", fstype="ext4"}', values: '100x20' },
    { series: 'node_filesystem_avail_bytes{job="node", instance="node-1:9100", mountpoint="/data", fstype="xfs"}', values: '8x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="node-1:9100", mountpoint="/data", fstype="xfs"}', values: '100x20' },
  ],
  alerts: [
    { alert: diskCritical, evalTime: '4m', firing: [] },
    {
      alert: diskCritical,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', job: 'node', instance: 'node-1:9100', mountpoint: '/', fstype: 'ext4' },
          annotations: {
            summary: 'Disk space low on node-1:9100 /',
            description: 'Only 3% of / is free (threshold 5%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/hosts/disk-space-low.md',
          },
        },
      ],
    },
  ],
});

// Routing: critical pages and, through `continue`, reaches Slack as well; the rest Slack.

export const criticalRoute = routeTest({
  name: 'a critical alert pages and reaches Slack',
  alert: { rule: serviceDown, labels: { job: 'agent-core', instance: 'agent-core:8011' } },
  expect: [pagerduty, slack],
  grouping: ['alertname', 'instance', 'severity'],
});

export const warningRoute = routeTest({
  name: 'a warning reaches Slack only',
  alert: { rule: errorRateWarning, labels: { job: 'agent-core' } },
  expect: [slack],
  grouping: ['alertname', 'instance', 'severity'],
});
