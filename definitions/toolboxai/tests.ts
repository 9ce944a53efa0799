import { routeTest, ruleTest } from 'moncode';
import { alertOf } from '../shared/testing.ts';
import { backendWebhook, criticalEmail, warnings } from './alertmanager.ts';
import { critical, warning } from './alerts.ts';

const serviceDown = alertOf(critical, 'ServiceDown');
const highErrorRate = alertOf(critical, 'HighErrorRate');
const redisIssues = alertOf(critical, 'RedisConnectionIssues');
const certExpiry = alertOf(critical, 'SSLCertificateExpiry');
const pusherFailures = alertOf(warning, 'PusherConnectionFailures');

// Rule tests of seed 002's critical alerts: each fires once its `for` is over, and stays
// silent while pending or below its threshold.

export const serviceDownTest = ruleTest({
  name: 'ServiceDown fires after 2 minutes',
  interval: '1m',
  inputSeries: [
    { series: 'up{job="jaeger", instance="jaeger:14269"}', values: '1 0x10' },
    { series: 'up{job="fastapi-backend", instance="backend:8009"}', values: '1x11' },
  ],
  alerts: [
    { alert: serviceDown, evalTime: '2m', firing: [] },
    {
      alert: serviceDown,
      evalTime: '5m',
      firing: [
        {
          labels: { severity: 'critical', job: 'jaeger', instance: 'jaeger:14269' },
          annotations: {
            summary: 'jaeger is down',
            description: 'jaeger:14269 of jaeger has not answered a scrape for 2 minutes.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/toolboxai/service-down.md',
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
    { series: 'http_requests_total{job="fastapi-backend", handler="/api/v1/agents", status="500"}', values: '0+60x20' },
    { series: 'http_requests_total{job="fastapi-backend", handler="/api/v1/agents", status="200"}', values: '0+540x20' },
  ],
  alerts: [
    { alert: highErrorRate, evalTime: '4m', firing: [] },
    {
      alert: highErrorRate,
      evalTime: '15m',
      firing: [
        {
          labels: { severity: 'critical', job: 'fastapi-backend' },
          annotations: {
            summary: 'High error rate on fastapi-backend',
            description: '10% of requests on fastapi-backend answered 5xx over 5 minutes (threshold 5%).',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/toolboxai/high-error-rate.md',
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
    { series: 'http_requests_total{job="fastapi-backend", handler="/api/v1/agents", status="500"}', values: '0+6x20' },
    { series: 'http_requests_total{job="fastapi-backend", handler="/api/v1/agents", status="200"}', values: '0+594x20' },
  ],
  alerts: [{ alert: highErrorRate, evalTime: '15m', firing: [] }],
});

const redisAnnotations = {
  summary: 'Redis on redis-exporter:9121 is unreachable or refusing connections',
  description: 'The Redis exporter cannot reach Redis, or Redis rejected new connections in the last 5 minutes.',
  runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/toolboxai/redis-connection-issues.md',
};

export const redisDownTest = ruleTest({
  name: 'RedisConnectionIssues fires when Redis is unreachable',
  interval: '1m',
  inputSeries: [
    { series: 'redis_up{job="redis-exporter", instance="redis-exporter:9121"}', values: '1 0x10' },
    { series: 'redis_rejected_connections_total{job="redis-exporter", instance="redis-exporter:9121"}', values: '0x11' },
  ],
  alerts: [
    { alert: redisIssues, evalTime: '1m', firing: [] },
    { alert: redisIssues, evalTime: '5m', firing: [{ labels: { severity: 'critical', job: 'redis-exporter', instance: 'redis-exporter:9121' }, annotations: redisAnnotations }] },
  ],
});

export const redisRejectsTest = ruleTest({
  name: 'RedisConnectionIssues fires when Redis rejects connections, not before',
  interval: '1m',
  inputSeries: [
    { series: 'redis_up{job="redis-exporter", instance="redis-exporter:9121"}', values: '1x20' },
    { series: 'redis_rejected_connections_total{job="redis-exporter", instance="redis-exporter:9121"}', values: '0x10 0+3x10' },
  ],
  alerts: [
    { alert: redisIssues, evalTime: '9m', firing: [] },
    { alert: redisIssues, evalTime: '15m', firing: [{ labels: { severity: 'critical', job: 'redis-exporter', instance: 'redis-exporter:9121' }, annotations: redisAnnotations }] },
  ],
});

export const certExpiryTest = ruleTest({
  name: 'SSLCertificateExpiry fires an hour into the last 7 days',
  interval: '1m',
  inputSeries: [
    // The test's clock starts at the Unix epoch: expiry timestamps are seconds from it.
    { series: 'probe_ssl_earliest_cert_expiry{job="blackbox", instance="https://toolboxai.example"}', values: '432000x150' },
    { series: 'probe_ssl_earliest_cert_expiry{job="blackbox", instance="https://docs.toolboxai.example"}', values: '2592000x150' },
  ],
  alerts: [
    { alert: certExpiry, evalTime: '30m', firing: [] },
    {
      alert: certExpiry,
      evalTime: '2h',
      firing: [
        {
          labels: { severity: 'critical', job: 'blackbox', instance: 'https://toolboxai.example' },
          annotations: {
            summary: 'TLS certificate of https://toolboxai.example expires soon',
            description: 'The certificate expires in 4.9 days.',
            runbook_url: 'https://github.com/moncode/moncode/blob/main/docs/runbooks/toolboxai/ssl-certificate-expiry.md',
          },
        },
      ],
    },
  ],
});

// Routing: every alert reaches the backend webhook; critical also email, warnings also
// Slack, except at weekends and outside 08:00–18:00 New York time.

export const criticalRoute = routeTest({
  name: 'a critical alert reaches the webhook and email',
  alert: { rule: serviceDown, labels: { job: 'jaeger', instance: 'jaeger:14269' } },
  expect: [backendWebhook, criticalEmail],
  grouping: ['alertname', 'job'],
});

export const warningRoute = routeTest({
  name: 'a warning on a weekday afternoon reaches the webhook and Slack',
  alert: { rule: pusherFailures, labels: { job: 'fastapi-backend' } },
  expect: [backendWebhook, warnings],
  grouping: ['alertname', 'job'],
  at: '2026-12-03T15:00:00Z',
  muted: [],
});

export const warningWeekend = routeTest({
  name: 'a warning on Saturday reaches the webhook only',
  alert: { rule: pusherFailures, labels: { job: 'fastapi-backend' } },
  expect: [backendWebhook, warnings],
  at: '2026-12-05T15:00:00Z',
  muted: [warnings],
});

export const warningEvening = routeTest({
  name: 'a warning at 18:30 New York time reaches the webhook only',
  alert: { rule: pusherFailures, labels: { job: 'fastapi-backend' } },
  expect: [backendWebhook, warnings],
  at: '2026-12-03T23:30:00Z',
  muted: [warnings],
});

export const otherRoute = routeTest({
  name: 'an alert without severity reaches the webhook only',
  alert: { alertname: 'Watchdog' },
  expect: [backendWebhook],
  grouping: ['alertname', 'job'],
});
