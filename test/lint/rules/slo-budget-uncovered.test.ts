import { ruleTester } from '../tester.js';
import { availabilitySlo, countersSlo, sloAlert, WORKBOOK } from '../slo-fixtures.js';

const ratio = (window: string, threshold: number) => `sum(rate(http_requests_total{job="api", code=~"5.."}[${window}])) / sum(rate(http_requests_total{job="api"}[${window}])) > ${threshold}`;

ruleTester('slo/budget-uncovered', {
  valid: [
    { name: 'the four-tier Workbook policy', files: { 'slo.yaml': availabilitySlo() } },
    {
      name: 'pages plus a hand-written 1× ticket over 3 days',
      files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK.slice(0, 2) }), 'r.yml': sloAlert('Ticket', ratio('3d', 0.001), { slo: 'api-availability' }) },
    },
    {
      name: 'four hand-written tiers over separate failed and total counters',
      files: {
        'slo.yaml': countersSlo(),
        'r.yml': sloAlert('Ticket', '(sum(rate(search_failed_total[3d])) / sum(rate(search_total[3d])) > 0.001) and (sum(rate(search_failed_total[6h])) / sum(rate(search_total[6h])) > 0.001)', {
          slo: 'search',
        }),
      },
    },
    {
      name: 'a 1× ticket on the good counter: good / total below the objective',
      files: { 'slo.yaml': countersSlo({ good: true }), 'r.yml': sloAlert('Ticket', 'sum(rate(search_ok_total[3d])) / sum(rate(search_total[3d])) < 0.999', { slo: 'search' }) },
    },
  ],
  invalid: [
    {
      name: 'pages only',
      files: { 'slo.yaml': availabilitySlo({ policies: WORKBOOK.slice(0, 2) }) },
      expect: [
        {
          rule: 'slo/budget-uncovered',
          line: 20,
          column: 5,
          endLine: 45,
          endColumn: 84,
          subject: 'SLO api-availability',
          message: 'no alert fires on a sustained burn between 1× and 6×: at 6× (an error ratio of 0.006) the 30d budget is gone in 5 days',
        },
      ],
    },
    {
      name: 'one hand-written 5% alert (research §6.3)',
      files: { 'slo.yaml': availabilitySlo({ policies: [] }), 'r.yml': sloAlert('E', ratio('5m', 0.05), { slo: 'api-availability', for: '5m' }) },
      expect: [{ rule: 'slo/budget-uncovered', line: 4, column: 9, endLine: 4, endColumn: 25, message: 'between 1× and 50×: at 50× (an error ratio of 0.05) the 30d budget is gone in 14.4 h' }],
    },
    {
      name: 'separate counters, and the only alert cannot fire on a 90% objective',
      files: { 'slo.yaml': countersSlo({ target: 0.9 }), 'r.yml': sloAlert('SearchFast', 'sum(rate(search_failed_total[1h])) / sum(rate(search_total[1h])) > 14.4 * 0.1', { slo: 'search' }) },
      expect: [
        {
          rule: 'slo/budget-uncovered',
          line: 4,
          column: 9,
          endLine: 4,
          endColumn: 15,
          subject: 'SLO search',
          message:
            'no alert can fire at any burn: the one needing the least, SearchFast, needs 14.4× (an error ratio of 1.44), but a full outage burns at most 10×; a full outage empties the 28d budget in 2.8 days',
        },
      ],
    },
    {
      name: 'the good counter, a page only',
      files: { 'slo.yaml': countersSlo({ good: true }), 'r.yml': sloAlert('SearchFast', 'sum(rate(search_ok_total[1h])) / sum(rate(search_total[1h])) < 1 - 14.4 * 0.001', { slo: 'search' }) },
      expect: [{ rule: 'slo/budget-uncovered', line: 4, column: 9, endLine: 4, endColumn: 15, subject: 'SLO search', message: 'no alert fires on a sustained burn between 1× and 14.4×' }],
    },
    {
      name: 'separate counters, a page only',
      files: { 'slo.yaml': countersSlo(), 'r.yml': sloAlert('SearchFast', 'sum(rate(search_failed_total[1h])) / sum(rate(search_total[1h])) > 14.4 * 0.001', { slo: 'search' }) },
      expect: [{ rule: 'slo/budget-uncovered', line: 4, column: 9, endLine: 4, endColumn: 15, subject: 'SLO search', message: 'no alert fires on a sustained burn between 1× and 14.4×' }],
    },
  ],
});
