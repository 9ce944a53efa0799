import { alert, dashboardJson, lineOf, record, ruleTester, rules } from '../tester.js';

const broken = dashboardJson([{ type: 'stat', title: 'p', datasource: { type: 'prometheus', uid: 'p' }, targets: [{ refId: 'A', expr: 'sum(up' }] }]);

ruleTester('promql/syntax', {
  valid: [
    { name: 'a well-formed alert and record', files: { 'r.yml': rules(alert('A', 'sum by (job) (rate(x_total[5m])) > 1'), record('job:x:rate5m', 'sum by (job) (rate(x_total[5m]))')) } },
    { name: 'a Loki rule file (LogQL)', files: { 'loki.yml': rules(alert('L', 'sum by (job) (count_over_time({job="a"} |= "error" [5m])) > 0')) } },
    { name: 'Prometheus 2.x holt_winters', files: { 'r.yml': rules(record('job:x:hw', 'holt_winters(x[1h], 0.3, 0.3)')) } },
    {
      name: 'dashboard queries with Grafana variables',
      files: {
        'd.json': dashboardJson(
          [
            {
              type: 'timeseries',
              title: 'p',
              gridPos: { x: 0, y: 0, w: 12, h: 8 },
              datasource: { type: 'prometheus', uid: 'p' },
              targets: [{ refId: 'A', expr: 'sum by ($group) (rate(x{job=~"$job"}[$__rate_interval] offset -$__interval))' }],
            },
          ],
          [
            { name: 'job', type: 'query' },
            { name: 'group', type: 'custom', query: 'job' },
          ],
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'an unclosed parenthesis, at the end',
      files: { 'r.yml': rules(alert('A', 'sum(rate(x[5m])')) },
      expect: [{ rule: 'promql/syntax', line: 5, column: 31, endLine: 5, endColumn: 32, subject: 'A', message: 'unexpected end of expression' }],
    },
    {
      name: 'an unknown function, at its name',
      files: { 'r.yml': rules(alert('A', 'rat(x[5m]) > 0')) },
      expect: [{ rule: 'promql/syntax', line: 5, column: 16, endLine: 5, endColumn: 19, message: 'unknown function "rat"' }],
    },
    {
      name: 'rate of an instant vector',
      files: { 'r.yml': rules(record('a:b:c', 'rate(x)')) },
      expect: [{ rule: 'promql/syntax', line: 5, column: 21, endLine: 5, endColumn: 22, message: 'argument 1 of rate() must be a range vector' }],
    },
    {
      name: 'a comparison of two scalars without bool',
      files: { 'r.yml': rules(record('a:b:c', '1 > 2')) },
      expect: [{ rule: 'promql/syntax', line: 5, column: 18, endLine: 5, endColumn: 19, message: 'needs bool' }],
    },
    {
      name: 'the rest of the file still lints',
      files: { 'r.yml': rules(alert('A', 'sum(x'), alert('B', 'up ==')) },
      expect: [
        { rule: 'promql/syntax', line: 5, column: 21, endLine: 5, endColumn: 22 },
        { rule: 'promql/syntax', line: 13, column: 21, endLine: 13, endColumn: 22 },
      ],
    },
    {
      name: 'a broken dashboard query',
      files: { 'd.json': broken },
      expect: [{ rule: 'promql/syntax', line: lineOf(broken, 'sum(up'), column: 26, endLine: lineOf(broken, 'sum(up'), endColumn: 27, subject: 'Test / p' }],
    },
  ],
});
