import { slo } from 'moncode';
import { runbook } from '../shared/runbooks.ts';

/**
 * Seed 003 states its objectives only as alert thresholds: at most 5% failed requests,
 * p95 response time within 1 s, at most 10% failed agent sessions. These SLOs write those
 * thresholds down as objectives over 30 days, so the alerts can be checked against them.
 */
export const apiAvailability = slo({
  name: 'availability',
  service: 'agent-api',
  objective: '95%',
  sli: { errors: 'http_requests_total{job="agent-api", status=~"5.."}', total: 'http_requests_total{job="agent-api"}' },
  runbook: runbook('agent-api/high-error-rate'),
});

export const apiLatency = slo({
  name: 'latency',
  service: 'agent-api',
  objective: '95%',
  sli: { latency: { histogram: 'http_request_duration_seconds{job="agent-api"}', threshold: '1s' } },
  runbook: runbook('agent-api/high-response-time'),
});

export const agentSessions = slo({
  name: 'agent-session-success',
  service: 'agent-api',
  objective: '90%',
  sli: { errors: 'agent_sessions_failed_total', total: 'agent_sessions_total' },
  // A 90% objective cannot feed the 14.4× page (it would need 144% failures): page at 6× only.
  alerting: { page: { windows: [{ long: '6h', short: '30m', burn: 6 }] } },
  runbook: runbook('agent-api/high-agent-failure-rate'),
});
