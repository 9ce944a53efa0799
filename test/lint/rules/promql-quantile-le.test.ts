import { alert, dashboardJson, lineOf, ruleTester, rules } from '../tester.js';

const withoutLe = dashboardJson([
  { type: 'timeseries', title: 'p', datasource: { type: 'prometheus', uid: 'p' }, targets: [{ refId: 'A', expr: 'histogram_quantile(0.5, sum without (le) (rate(x_bucket[5m])))' }] },
]);

ruleTester('promql/quantile-le', {
  valid: [
    { name: 'le kept', files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.9, sum by (job, le) (rate(x_bucket[5m]))) > 1')) } },
    { name: 'raw buckets', files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.9, rate(x_bucket[5m])) > 1')) } },
    { name: 'without() other labels', files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.9, sum without (pod) (rate(x_bucket[5m]))) > 1')) } },
  ],
  invalid: [
    {
      name: 'sum by (job) drops le',
      files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.9, sum by (job) (rate(x_bucket[5m]))) > 1')) },
      expect: [{ rule: 'promql/quantile-le', line: 5, column: 16, endLine: 5, endColumn: 74, subject: 'A', message: '`sum by (job) (rate(x_bucket[5m]))` drops it' }],
    },
    {
      name: 'without (le)',
      files: { 'd.json': withoutLe },
      expect: [{ rule: 'promql/quantile-le', line: lineOf(withoutLe, 'histogram_quantile'), column: 20, endLine: lineOf(withoutLe, 'histogram_quantile'), endColumn: 82 }],
    },
  ],
});
