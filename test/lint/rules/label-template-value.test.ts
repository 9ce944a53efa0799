import { alert, ruleTester, rules } from '../tester.js';

ruleTester('label/template-value', {
  valid: [
    {
      name: 'the value in an annotation',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value }} down"\n  description: d\n  runbook_url: https://runbooks.example.com/x')) },
    },
    {
      name: 'a label templated from other labels',
      files: {
        'r.yml': rules(
          alert('A', 'up == 0', 'labels:\n  severity: warning\n  target: "{{ $labels.instance }}"\nannotations:\n  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x'),
        ),
      },
    },
  ],
  invalid: [
    {
      name: '$value in a label',
      files: {
        'r.yml': rules(
          alert('A', 'up == 0', 'labels:\n  severity: warning\n  current: "{{ $value | humanize }}"\nannotations:\n  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x'),
        ),
      },
      expect: [{ rule: 'label/template-value', line: 8, column: 24, endLine: 8, endColumn: 30, subject: 'A', message: "label `current` uses $value: labels are the alert's identity" }],
    },
    {
      name: '.Value in a label',
      files: {
        'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: warning\n  current: "{{ .Value }}"\nannotations:\n  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x')),
      },
      expect: [{ rule: 'label/template-value', line: 8, column: 24, endLine: 8, endColumn: 30, subject: 'A', message: 'uses .Value' }],
    },
  ],
});
