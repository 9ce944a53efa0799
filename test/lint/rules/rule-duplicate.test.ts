import { alert, record, ruleTester, rules } from '../tester.js';

ruleTester('rule/duplicate', {
  valid: [
    { name: 'warning and critical pair', files: { 'r.yml': rules(alert('A', 'up == 0'), alert('A', 'up == 0', 'labels:\n  severity: critical')) } },
    {
      name: 'records split by disjoint code classes',
      files: { 'r.yml': rules(record('code:x:increase1h', 'sum by (code) (increase(x_total{code=~"2.."}[1h]))'), record('code:x:increase1h', 'sum by (code) (increase(x_total{code=~"5.."}[1h]))')) },
    },
    { name: 'one alert, one rule per condition', files: { 'r.yml': rules(alert('A', 'time() - last_success > 3600'), alert('A', 'increase(failures_total[2h]) >= 2')) } },
    { name: 'the same rule in two files (vendored copies)', files: { 'a.yml': rules(alert('A', 'up == 0')), 'b.yml': rules(alert('A', 'up == 0')) } },
    {
      name: 'a higher threshold with a shorter `for`: an escalation',
      files: { 'r.yml': rules(alert('Lag', 'lag > 1500', 'for: 10m\nlabels:\n  severity: critical'), alert('Lag', 'lag > 500000', 'for: 2m\nlabels:\n  severity: critical')) },
    },
    {
      name: 'alerts over disjoint inputs, the label aggregated away',
      files: { 'r.yml': rules(alert('Slow', 'sum by (job) (rate(x{handler="query"}[5m])) > 40'), alert('Slow', 'sum by (job) (rate(x{handler="query-frontend"}[5m])) > 40')) },
    },
    { name: 'disjoint matchers on a kept label', files: { 'r.yml': rules(alert('A', 'x{proxy!~"(a|b)"} > 1'), alert('A', 'x{proxy="a"} > 3')) } },
  ],
  invalid: [
    {
      name: 'the same alert twice with overlapping selectors',
      files: { 'r.yml': rules(alert('Lag', 'lag{job="mysql"} > 60'), alert('Lag', 'lag{job="mysql", instance=~".*9104"} > 60')) },
      expect: [{ rule: 'rule/duplicate', line: 12, column: 9, endLine: 19, endColumn: 54, subject: 'Lag', message: 'alert "Lag" with the same labels is also defined earlier in group "test"' }],
    },
    {
      name: 'the same threshold twice, only `for` differs',
      files: {
        'r.yml': rules(alert('Lag', 'lag{job="m"} > 60', 'for: 1m\nlabels:\n  severity: warning'), alert('Lag', 'lag{job="m", instance=~".*9104"} > 60', 'for: 2m\nlabels:\n  severity: warning')),
      },
      expect: [{ rule: 'rule/duplicate', line: 9, column: 9, endLine: 13, endColumn: 28, subject: 'Lag' }],
    },
    {
      name: 'one series recorded by two different expressions',
      files: { 'r.yml': rules(record('job:x:sum', 'sum by (job) (x)'), record('job:x:sum', 'sum by (job) (x{a="b"})')) },
      expect: [{ rule: 'rule/duplicate', line: 6, column: 9, endLine: 7, endColumn: 41, message: 'both write the same series' }],
    },
  ],
});
