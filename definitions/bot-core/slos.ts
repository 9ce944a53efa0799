import { slo } from 'moncode';
import { runbook } from '../shared/runbooks.ts';

/**
 * Seed 001's targets: trade success rate above 95%, trade execution p95 under 1 s,
 * API availability of 99.5% ("Availability < 99.5%" is a red flag of the API dashboard).
 */
export const apiAvailability = slo({
  name: 'availability',
  service: 'bot-core-api',
  description: 'Share of HTTP requests of the application services answered without a server error.',
  objective: '99.5%',
  sli: {
    errors: 'http_requests_total{job=~"rust-core-engine|python-ai-service|nextjs-ui", status=~"5.."}',
    total: 'http_requests_total{job=~"rust-core-engine|python-ai-service|nextjs-ui"}',
  },
  runbook: runbook('bot-core/high-error-rate'),
});

export const tradeSuccess = slo({
  name: 'trade-success',
  service: 'rust-core-engine',
  description: 'Share of trades executed successfully.',
  objective: '95%',
  sli: { good: 'trades_success_total', total: 'trades_total' },
  runbook: runbook('bot-core/trading-halted'),
});

export const tradeLatency = slo({
  name: 'trade-execution-latency',
  service: 'rust-core-engine',
  description: 'Share of trades executed within 1 s (p95 ≤ 1 s).',
  objective: '95%',
  sli: { latency: { histogram: 'trade_execution_duration_seconds', threshold: '1s' } },
  runbook: runbook('bot-core/high-latency-p95'),
});
