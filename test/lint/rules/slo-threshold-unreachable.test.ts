import { ruleTester } from '../tester.js';
import { availabilitySlo, countersSlo, sloAlert, WORKBOOK } from '../slo-fixtures.js';

ruleTester('slo/threshold-unreachable', {
  valid: [
    { name: 'the Workbook policy at 99.9%', files: { 'slo.yaml': availabilitySlo() } },
    {
      name: 'a ratio threshold below 1',
      files: {
        'slo.yaml': availabilitySlo(),
        'r.yml': sloAlert('E', 'sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 0.05', { slo: 'api-availability' }),
      },
    },
  ],
  invalid: [
    {
      name: 'a 14.4× page on a 90% objective',
      files: { 'slo.yaml': availabilitySlo({ target: 'target: 0.9', policies: WORKBOOK }) },
      expect: [
        { rule: 'slo/threshold-unreachable', line: 20, column: 5, endLine: 71, endColumn: 84, subject: 'SLO api-availability', message: "page-1 alert's 14.4× burn needs an error ratio of 1.44" },
      ],
    },
    {
      name: 'an error ratio compared with 5 (a percentage)',
      files: {
        'slo.yaml': availabilitySlo(),
        'r.yml': sloAlert('E', 'sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m])) > 5', { slo: 'api-availability' }),
      },
      expect: [
        {
          rule: 'slo/threshold-unreachable',
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 132,
          subject: 'E',
          message: 'compares the error ratio of SLO api-availability with 5: a ratio never exceeds 1',
        },
      ],
    },
    {
      name: 'separate failed and total counters, a folded threshold above 1',
      files: { 'slo.yaml': countersSlo({ target: 0.9 }), 'r.yml': sloAlert('SearchFast', 'sum(rate(search_failed_total[1h])) / sum(rate(search_total[1h])) > 14.4 * 0.1', { slo: 'search' }) },
      expect: [
        {
          rule: 'slo/threshold-unreachable',
          line: 5,
          column: 16,
          endLine: 5,
          endColumn: 93,
          subject: 'SearchFast',
          message: 'compares the error ratio of SLO search with 1.44: a ratio never exceeds 1, so the alert can never fire (an implied burn of 14.4× against at most 10× for a full outage)',
        },
      ],
    },
  ],
});
