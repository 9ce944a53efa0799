import { alert, ruleTester, rules } from '../tester.js';

const page = '# High error rate\n\n## Symptoms\n\ntext\n\n## What to do\n\n### Roll back (`kubectl`)\n';
const runbook = (url: string) => `labels:\n  severity: critical\nannotations:\n  summary: s\n  runbook_url: ${url}`;

ruleTester('runbook/unresolved', {
  valid: [
    { name: 'a page and a heading anchor', files: { 'docs/runbooks/errors.md': page, 'r.yml': rules(alert('A', 'up == 0', runbook('docs/runbooks/errors.md#what-to-do'))) } },
    { name: 'an anchor with punctuation and code', files: { 'docs/runbooks/errors.md': page, 'r.yml': rules(alert('A', 'up == 0', runbook('docs/runbooks/errors.md#roll-back-kubectl'))) } },
    { name: 'a path relative to the rule file', files: { 'rules/errors.md': page, 'rules/r.yml': rules(alert('A', 'up == 0', runbook('errors.md'))) } },
    { name: 'an external URL is not checked', files: { 'r.yml': rules(alert('A', 'up == 0', runbook('https://wiki.example.com/missing'))) } },
  ],
  invalid: [
    {
      name: 'a missing page',
      files: { 'r.yml': rules(alert('A', 'up == 0', runbook('docs/runbooks/nope.md'))) },
      expect: [{ rule: 'runbook/unresolved', line: 10, column: 24, endLine: 10, endColumn: 45, subject: 'A', message: 'runbook `docs/runbooks/nope.md` does not exist' }],
    },
    {
      name: 'a missing heading',
      files: { 'docs/runbooks/errors.md': page, 'r.yml': rules(alert('A', 'up == 0', runbook('docs/runbooks/errors.md#rollback'))) },
      expect: [{ rule: 'runbook/unresolved', line: 10, column: 47, endLine: 10, endColumn: 56, message: 'no heading for `#rollback`' }],
    },
  ],
});
