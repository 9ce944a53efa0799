import { alertRule, ruleGroup } from 'moncode';
import { hostAlerts } from '../shared/hosts.ts';
import { errorRatio } from '../shared/http.ts';
import { runbook } from '../shared/runbooks.ts';
import { api, COORDINATION_FAILURE_RATIO } from './services.ts';
import { apiAvailability } from './slos.ts';

/** Seed 004's `freeagentics.rules`. */
export const freeagenticsRules = ruleGroup({
  name: 'freeagentics.rules',
  rules: [
    ...hostAlerts({
      selector: 'job="node"',
      cpu: { name: 'HighCPUUsage', above: 0.8, for: '5m', severity: 'warning' },
      memory: { name: 'HighMemoryUsage', above: 0.85, for: '5m', severity: 'warning' },
      disk: [{ name: 'DiskSpaceLow', freeBelow: 0.15, for: '5m', severity: 'critical' }],
    }),
    // The seed compared the 5xx request *rate* (requests/s) with 0.1 while its description
    // promised "error rate above 10%": a ratio of 5xx to all requests is what was meant.
    alertRule({
      alert: 'APIHighErrorRate',
      expr: `${errorRatio(api)} > 0.1`,
      for: '2m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'High API error rate',
        description: '{{ $value | humanizePercentage }} of API requests answer 5xx (threshold 10%).',
        runbook_url: runbook('freeagentics/api-high-error-rate'),
      },
      slo: apiAvailability,
    }),
    // Likewise: failures per second against 0.05, described as "failure rate above 5%".
    alertRule({
      alert: 'AgentCoordinationFailures',
      expr: `${COORDINATION_FAILURE_RATIO} > 0.05`,
      for: '3m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Agent coordination failures',
        description: '{{ $value | humanizePercentage }} of agent coordination attempts fail (threshold 5%).',
        runbook_url: runbook('freeagentics/agent-coordination-failures'),
      },
    }),
  ],
});
