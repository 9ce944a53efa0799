import { ruleTester } from '../tester.js';
import { availabilitySlo, latencySlo, sloAlert, WORKBOOK } from '../slo-fixtures.js';

const ratio = (window: string) => `sum(rate(http_requests_total{job="api", code=~"5.."}[${window}])) / sum(rate(http_requests_total{job="api"}[${window}]))`;

ruleTester('slo/low-precision', {
  valid: [
    { name: 'the generated Workbook policy', files: { 'slo.yaml': availabilitySlo() } },
    {
      name: 'a hand-written Workbook page: 14.4× over 1h and 5m spends 2%',
      files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('Page', `${ratio('1h')} > 14.4 * 0.001 and ${ratio('5m')} > 14.4 * 0.001`, { slo: 'api-availability' }) },
    },
    {
      name: 'a ticket at 1× over 5m stays above the ticket floor (0.0116% ≥ 0.01%)',
      files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK }), 'r.yml': sloAlert('Ticket', `${ratio('5m')} > 0.001`, { slo: 'api-availability', severity: 'warning' }) },
    },
  ],
  invalid: [
    {
      name: 'a page at 1× over 5 minutes (Workbook approach #1)',
      files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK }), 'r.yml': sloAlert('ApiErrors', `${ratio('5m')} > 0.001`, { slo: 'api-availability' }) },
      expect: [
        {
          rule: 'slo/low-precision',
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 136,
          subject: 'ApiErrors',
          message: "fires on an error burst that spends only 0.01157% of SLO api-availability's 30d budget (1× over 5 min), so it can page up to 8,640 times in 30d while the SLO is never at risk",
        },
      ],
    },
    {
      name: 'a p95 page at the SLO latency over 5 minutes',
      files: { 'slo.yaml': latencySlo(), 'r.yml': sloAlert('Slow', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m]))) > 0.5', { slo: 'api-latency' }) },
      expect: [{ rule: 'slo/low-precision', line: 5, column: 16, endLine: 5, endColumn: 121, subject: 'Slow', message: '(1× over 5 min)' }],
    },
  ],
});
