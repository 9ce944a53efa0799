import type { HttpService } from '../shared/http.ts';

/** The API's own metrics (`freeagentics_requests_total{method, endpoint, status}` and its duration histogram). */
export const api: HttpService = {
  requests: 'freeagentics_requests_total',
  duration: 'freeagentics_request_duration_seconds',
  selector: 'job="freeagentics-api"',
  statusLabel: 'status',
};

export const apiByEndpoint: HttpService = { ...api, by: 'endpoint' };

/** Share (0–1) of agent coordination attempts that fail. */
export const COORDINATION_FAILURE_RATIO =
  'sum(rate(freeagentics_agent_coordination_failures_total[5m])) / (sum(rate(freeagentics_agent_coordination_success_total[5m])) + sum(rate(freeagentics_agent_coordination_failures_total[5m])))';
