import { alert, ruleTester, rules } from '../tester.js';

const withSummary = (summary: string) => `labels:\n  severity: warning\nannotations:\n  summary: '${summary}'\n  description: d\n  runbook_url: https://r.example.com/x`;

ruleTester('label/template-missing', {
  valid: [
    { name: 'a label the aggregation keeps', files: { 'r.yml': rules(alert('A', 'sum by (job) (rate(x_total[5m])) > 1', withSummary('{{ $labels.job }}'))) } },
    { name: 'a label the raw selector may carry', files: { 'r.yml': rules(alert('A', 'x > 1', withSummary('{{ $labels.pod }}'))) } },
    { name: 'label_replace adds the label', files: { 'r.yml': rules(alert('A', 'label_replace(sum(x), "host", "$1", "instance", "(.*)") > 1', withSummary('{{ $labels.host }}'))) } },
    { name: '.Labels inside with refers to a query result', files: { 'r.yml': rules(alert('A', 'sum(x) > 1', withSummary('{{ with query "up" }}{{ .Labels.job }}{{ end }}'))) } },
  ],
  invalid: [
    {
      name: 'a label removed by by(...)',
      files: { 'r.yml': rules(alert('A', 'count by (namespace, service) (up) > 1', withSummary('down in {{ $labels.job }}'))) },
      expect: [
        {
          rule: 'label/template-missing',
          line: 9,
          column: 40,
          endLine: 9,
          endColumn: 43,
          subject: 'A',
          message: '`$labels.job` is always empty here: `count by (namespace, service) (up)` removes it',
        },
      ],
    },
    {
      name: 'no labels after sum() and absent()',
      files: { 'r.yml': rules(alert('H', 'sum(rate(x[5m])) > 0.15', withSummary('{{ $labels.instance }}')), alert('N', 'absent(up{job="a"})', withSummary('{{ .Labels.instance }}'))) },
      expect: [
        { rule: 'label/template-missing', line: 9, column: 32, endLine: 9, endColumn: 40, subject: 'H' },
        { rule: 'label/template-missing', line: 17, column: 32, endLine: 17, endColumn: 40, subject: 'N', message: 'absent(up{job="a"})' },
      ],
    },
    {
      name: 'a long aggregation is quoted up to its grouping, never cut mid-token',
      files: {
        'r.yml': rules(
          alert('L', 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="shop", handler="/api/v1/orders"}[5m]))) > 1', withSummary('{{ $labels.job }}')),
          alert('T', 'sum(rate(alertmanager_notifications_failed_total{job="alertmanager", integration="webhook"}[5m])) by (integration) > 0', withSummary('{{ $labels.instance }}')),
        ),
      },
      expect: [
        { rule: 'label/template-missing', line: 9, column: 32, endLine: 9, endColumn: 35, subject: 'L', message: '`$labels.job` is always empty here: `sum by (le) (…)` removes it' },
        { rule: 'label/template-missing', line: 17, column: 32, endLine: 17, endColumn: 40, subject: 'T', message: '`$labels.instance` is always empty here: `sum (…) by (integration)` removes it' },
      ],
    },
    {
      name: 'a label a recording rule of another file drops: the message quotes no span of the other expression',
      files: {
        'a.yml': 'groups:\n  - name: rec\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
        'b.yml': rules(alert('B', 'job:up:sum{job="x"} == 0', withSummary('{{ $labels.instance }}'))),
      },
      expect: [
        {
          rule: 'label/template-missing',
          line: 9,
          column: 32,
          endLine: 9,
          endColumn: 40,
          subject: 'B',
          message: '`$labels.instance` is always empty here: the result carries only `job`',
        },
      ],
    },
    {
      name: 'a label lost in histogram_quantile by (le)',
      files: { 'r.yml': rules(alert('Q', 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) > 1', withSummary('{{ $labels.job }}'))) },
      expect: [{ rule: 'label/template-missing', line: 9, column: 32, endLine: 9, endColumn: 35, subject: 'Q' }],
    },
  ],
});
