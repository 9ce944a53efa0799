import { alert, dashboardJson, lineOf, record, ruleTester, rules } from '../tester.js';

const variables = dashboardJson([], [{ name: 'status', type: 'query', query: 'label_values(http_requests_total, status)' }]);

const catalog = '# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\nhttp_requests_total{method="GET",code="200"} 1\n';

ruleTester('label/unknown', {
  valid: [
    { name: 'no catalog: nothing is guessed', files: { 'r.yml': rules(alert('A', 'rate(http_requests_total{handler="/x"}[5m]) > 1')) } },
    { name: 'labels the catalog lists, plus target labels', files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'sum by (job, code) (rate(http_requests_total{method="GET"}[5m])) > 1')) } },
    { name: 'an empty matcher on a missing label is fine', files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'rate(http_requests_total{handler=""}[5m]) > 1')) } },
  ],
  invalid: [
    {
      name: 'a matcher on a label the catalog does not list',
      files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'rate(http_requests_total{status="500"}[5m]) > 1')) },
      expect: [{ rule: 'label/unknown', line: 5, column: 41, endLine: 5, endColumn: 47, subject: 'A', message: '`http_requests_total` has no `status` label (per the metric catalog)' }],
    },
    {
      name: 'a label a recording rule does not keep',
      files: { 'r.yml': rules(record('job:x:sum', 'sum by (job) (x)'), alert('A', 'job:x:sum{instance="a"} > 1')) },
      expect: [{ rule: 'label/unknown', line: 7, column: 26, endLine: 7, endColumn: 34, message: 'its recording rule' }],
    },
    {
      name: 'by() over a label the input never has',
      files: { 'r.yml': rules(alert('A', 'sum by (pod) (sum by (job) (x)) > 1')) },
      expect: [{ rule: 'label/unknown', line: 5, column: 24, endLine: 5, endColumn: 27, message: '`by (pod)`: the input of sum never has `pod`' }],
    },
    {
      name: 'label_values() of a label the metric lacks',
      files: { 'metrics.prom': catalog, 'd.json': variables },
      expect: [{ rule: 'label/unknown', line: lineOf(variables, 'label_values'), column: 53, endLine: lineOf(variables, 'label_values'), endColumn: 59, subject: 'Test / $status' }],
    },
  ],
});
