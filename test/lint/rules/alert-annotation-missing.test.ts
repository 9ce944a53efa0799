import { alert, record, ruleTester, rules } from '../tester.js';

ruleTester('alert/annotation-missing', {
  valid: [
    { name: 'summary and description', files: { 'r.yml': rules(alert('A', 'up == 0')) } },
    { name: 'recording rules have no annotations', files: { 'r.yml': rules(record('job:up:sum', 'sum by (job) (up)')) } },
  ],
  invalid: [
    {
      name: 'neither',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: info')) },
      expect: [{ rule: 'alert/annotation-missing', line: 4, column: 9, endLine: 7, endColumn: 25, subject: 'A', message: 'alert without `summary` and `description`' }],
    },
    {
      name: 'no description',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: info\nannotations:\n  summary: Down')) },
      expect: [{ rule: 'alert/annotation-missing', line: 9, column: 11, endLine: 9, endColumn: 24, message: 'without `description`' }],
    },
  ],
});
