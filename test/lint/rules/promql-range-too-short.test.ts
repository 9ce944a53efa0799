import { alert, dashboardJson, ruleTester, rules } from '../tester.js';

ruleTester('promql/range-too-short', {
  valid: [
    { name: 'two scrape intervals', files: { 'r.yml': rules(alert('A', 'rate(x_total[2m]) > 1')) } },
    { name: 'a window function that needs one sample', files: { 'r.yml': rules(alert('A', 'max_over_time(x[1m]) > 1')) } },
    {
      name: '$__rate_interval on a dashboard',
      files: { 'd.json': dashboardJson([{ type: 'stat', title: 'p', datasource: { type: 'prometheus', uid: 'p' }, targets: [{ refId: 'A', expr: 'rate(x_total[$__rate_interval])' }] }]) },
    },
  ],
  invalid: [
    {
      name: 'rate over one scrape interval',
      files: { 'r.yml': rules(alert('A', 'rate(x_total[1m]) > 1')) },
      expect: [{ rule: 'promql/range-too-short', line: 5, column: 29, endLine: 5, endColumn: 31, subject: 'A', message: 'rate() over [1m] sees fewer than two samples at a 1m scrape interval' }],
    },
    {
      name: 'irate over 90s',
      files: { 'r.yml': rules(alert('A', 'irate(x_total[1m30s]) > 1')) },
      expect: [{ rule: 'promql/range-too-short', line: 5, column: 30, endLine: 5, endColumn: 35, message: '[1m30s]' }],
    },
  ],
});
