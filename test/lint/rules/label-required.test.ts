import { alert, record, ruleTester, rules } from '../tester.js';

ruleTester('label/required', {
  valid: [
    { name: 'severity in the default set', files: { 'r.yml': rules(alert('A', 'up == 0')) } },
    { name: 'severity set on the group (Prometheus 3)', files: { 'r.yml': `groups:\n  - name: g\n    labels:\n      severity: critical\n    rules:\n      - alert: A\n        expr: up == 0\n` } },
    { name: 'recording rules need nothing by default', files: { 'r.yml': rules(record('job:up:sum', 'sum by (job) (up)')) } },
    { name: '`severity: none`, the heartbeat that never notifies (Watchdog)', files: { 'r.yml': rules(alert('Watchdog', 'vector(1)', 'labels:\n  severity: none')) } },
    { name: 'a templated value is not judged', files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: "{{ $labels.sev }}"')) } },
  ],
  invalid: [
    {
      name: 'no severity',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'annotations:\n  summary: s')) },
      expect: [{ rule: 'label/required', line: 4, column: 9, endLine: 7, endColumn: 21, subject: 'A', message: 'alert has no `severity` label (one of critical, warning, info, none)' }],
    },
    {
      name: 'a value outside the set',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: urgent')) },
      expect: [{ rule: 'label/required', line: 7, column: 21, endLine: 7, endColumn: 27, message: '`severity: urgent` is not one of the allowed values' }],
    },
    {
      name: 'a value outside the set inherited from the group, reported at the group label',
      files: { 'r.yml': `groups:\n  - name: g\n    labels:\n      severity: urgent\n    rules:\n      - alert: A\n        expr: up == 0\n        labels:\n          team: db\n` },
      expect: [{ rule: 'label/required', line: 4, column: 17, endLine: 4, endColumn: 23, subject: 'A', message: '`severity: urgent` is not one of the allowed values' }],
    },
  ],
});
