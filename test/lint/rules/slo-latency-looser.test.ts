import { ruleTester } from '../tester.js';
import { latencySlo, sloAlert } from '../slo-fixtures.js';

const p = (q: number, t: number) => `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m]))) > ${t}`;

ruleTester('slo/latency-looser', {
  valid: [
    { name: 'the SLO quantile at the SLO threshold', files: { 'slo.yaml': latencySlo(), 'r.yml': sloAlert('Slow', p(0.95, 0.5), { slo: 'api-latency' }) } },
    { name: 'a stricter early warning', files: { 'slo.yaml': latencySlo(), 'r.yml': sloAlert('Slow', p(0.99, 0.4), { slo: 'api-latency' }) } },
  ],
  invalid: [
    {
      name: 'p95 > 1s against p95 ≤ 500ms',
      files: { 'slo.yaml': latencySlo(), 'r.yml': sloAlert('Slow', p(0.95, 1), { slo: 'api-latency' }) },
      expect: [{ rule: 'slo/latency-looser', line: 5, column: 16, endLine: 5, endColumn: 119, subject: 'Slow', message: 'p95 > 1s lets p95 sit anywhere between 500ms and 1s' }],
    },
    {
      name: 'p90 for a p95 SLO',
      files: { 'slo.yaml': latencySlo(), 'r.yml': sloAlert('Slow', p(0.9, 0.5)) },
      expect: [{ rule: 'slo/latency-looser', line: 5, column: 16, endLine: 5, endColumn: 120, message: "alerts on p90, a lower quantile than SLO api-latency's p95" }],
    },
  ],
});
