import { ruleTester } from '../tester.js';
import { availabilitySlo, sloAlert, WORKBOOK } from '../slo-fixtures.js';

const ratio = (window: string, threshold: number) =>
  `sum(rate(http_requests_total{job="api", code=~"5.."}[${window}])) / sum(rate(http_requests_total{job="api"}[${window}])) > ${threshold}`;

ruleTester('slo/budget-uncovered', {
  valid: [
    { name: 'the four-tier Workbook policy', files: { 'slo.yaml': availabilitySlo() } },
    { name: 'pages plus a hand-written 1× ticket over 3 days', files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK.slice(0, 2) }), 'r.yml': sloAlert('Ticket', ratio('3d', 0.001), { slo: 'api-availability' }) } },
  ],
  invalid: [
    {
      name: 'pages only',
      files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK.slice(0, 2) }) },
      expect: [{ rule: 'slo/budget-uncovered', line: 20, subject: 'SLO api-availability', message: 'no alert fires on a sustained burn between 1× and 6×: at 6× (an error ratio of 0.006) the 30d budget is gone in 5 days' }],
    },
    {
      name: 'one hand-written 5% alert (research §6.3)',
      files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('E', ratio('5m', 0.05), { slo: 'api-availability', for: '5m' }) },
      expect: [{ rule: 'slo/budget-uncovered', line: 1, message: 'between 1× and 50×: at 50× (an error ratio of 0.05) the 30d budget is gone in 14.4 h' }],
    },
  ],
});
