import { routeTest, ruleTest } from 'moncode';
import { alertOf } from '../shared/testing.ts';
import { pagerduty, slack, webhook } from './alertmanager.ts';
import { freeagenticsRules } from './alerts.ts';

const diskSpaceLow = alertOf(freeagenticsRules, 'DiskSpaceLow');
const apiErrors = alertOf(freeagenticsRules, 'APIHighErrorRate');
const coordination = alertOf(freeagenticsRules, 'AgentCoordinationFailures');

// Rule tests of seed 004's critical alerts: each fires once its `for` is over, and stays
// silent while pending or below its threshold.

export const diskTest = ruleTest({
  name: 'DiskSpaceLow fires under 15% free, not at 20%',
  interval: '1m',
  inputSeries: [
    { series: 'node_filesystem_avail_bytes{job="node", instance="api-1:9100", mountpoint="/", fstype="ext4"}', values: '10x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="api-1:9100", mountpoint="/", fstype="ext4"}', values: '100x20' },
    { series: 'node_filesystem_avail_bytes{job="node", instance="api-1:9100", mountpoint="/data", fstype="ext4"}', values: '20x20' },
    { series: 'node_filesystem_size_bytes{job="node", instance="api-1:9100", mountpoint="/data", fstype="ext4"}', values: '100x20' },
  ],
  alerts: [
    { alert: diskSpaceLow, evalTime: '4m', firing: [] },
    {
      alert: diskSpaceLow,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', job: 'node', instance: 'api-1:9100', mountpoint: '/', fstype: 'ext4' },
          annotations: {
            summary: 'Disk space low on api-1:9100 /',
            description: 'Only 10% of / is free (threshold 15%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/hosts/disk-space-low.md',
          },
        },
      ],
    },
  ],
});

export const apiErrorsTest = ruleTest({
  name: 'APIHighErrorRate fires at 20% 5xx after 2 minutes',
  interval: '1m',
  inputSeries: [
    { series: 'freeagentics_requests_total{job="freeagentics-api", status="500"}', values: '0+120x20' },
    { series: 'freeagentics_requests_total{job="freeagentics-api", status="200"}', values: '0+480x20' },
  ],
  alerts: [
    {
      alert: apiErrors,
      evalTime: '10m',
      firing: [
        {
          labels: { severity: 'critical', slo: 'availability' },
          annotations: {
            summary: 'High API error rate',
            description: '20% of API requests answer 5xx (threshold 10%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/freeagentics/api-high-error-rate.md',
          },
        },
      ],
    },
  ],
});

export const apiErrorsQuietTest = ruleTest({
  name: 'APIHighErrorRate stays quiet at 5% 5xx',
  interval: '1m',
  inputSeries: [
    { series: 'freeagentics_requests_total{job="freeagentics-api", status="500"}', values: '0+30x20' },
    { series: 'freeagentics_requests_total{job="freeagentics-api", status="200"}', values: '0+570x20' },
  ],
  alerts: [{ alert: apiErrors, evalTime: '10m', firing: [] }],
});

// Routing: critical to PagerDuty, warning to Slack, anything else to the webhook.

export const criticalRoute = routeTest({
  name: 'a critical alert goes to PagerDuty',
  alert: apiErrors,
  expect: [pagerduty],
  grouping: ['alertname'],
});

export const warningRoute = routeTest({
  name: 'a warning goes to Slack',
  alert: coordination,
  expect: [slack],
  grouping: ['alertname'],
});

export const fallbackRoute = routeTest({
  name: 'an alert without severity goes to the webhook',
  alert: { alertname: 'Watchdog' },
  expect: [webhook],
  grouping: ['alertname'],
});
