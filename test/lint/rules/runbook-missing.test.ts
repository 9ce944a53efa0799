import { alert, ruleTester, rules } from '../tester.js';

ruleTester('runbook/missing', {
  valid: [
    { name: 'a runbook_url', files: { 'r.yml': rules(alert('A', 'up == 0')) } },
    {
      name: 'a runbook annotation under the other default key',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: critical\nannotations:\n  runbook: https://wiki.example.com/A')) },
    },
    { name: 'info alerts need none', files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: info')) } },
    { name: 'no severity: label/required reports it, not this rule', files: { 'r.yml': rules(alert('A', 'up == 0', 'annotations:\n  summary: s')) } },
  ],
  invalid: [
    {
      name: 'a critical alert without one',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: critical\nannotations:\n  summary: s')) },
      expect: [{ rule: 'runbook/missing', line: 9, column: 11, endLine: 9, endColumn: 21, subject: 'A', message: 'critical alert without a runbook' }],
    },
    {
      name: 'a placeholder',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: warning\nannotations:\n  runbook: TODO')) },
      expect: [{ rule: 'runbook/missing', line: 9, column: 20, endLine: 9, endColumn: 24, message: 'placeholder ("TODO")' }],
    },
  ],
});
