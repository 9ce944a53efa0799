import { alert, ruleTester, rules } from '../tester.js';

const config = `route:\n  receiver: default\n  group_by: [alertname, cluster]\n  routes:\n    - matchers: ['severity="critical"']\n      receiver: pager\n    - match:\n        severity: warning\n      receiver: chat\n    - match:\n        team: storage\n      receiver: storage\ninhibit_rules:\n  - source_matchers: ['severity="critical"']\n    target_matchers: ['severity="warning"']\n    equal: [service]\nreceivers:\n  - name: default\n  - name: pager\n  - name: chat\n  - name: storage\n`;

ruleTester('label/route-unmatched', {
  valid: [
    {
      name: 'every alert reaches a child route; labels may come from expressions',
      files: { 'am.yml': config, 'r.yml': rules(alert('A', 'up == 0'), alert('B', 'up == 0', 'labels:\n  severity: critical')) },
    },
    { name: 'a config without alerts is not judged', files: { 'am.yml': config } },
  ],
  invalid: [
    {
      name: 'an alert only the root catches, and labels no alert carries',
      files: {
        'am.yml': config,
        'r.yml': rules(alert('Info', 'sum(up) == 0', 'labels:\n  severity: info'), alert('Down', 'sum(up) == 0', 'labels:\n  severity: critical')),
      },
      expect: [
        { rule: 'label/route-unmatched', line: 3, column: 25, endLine: 3, endColumn: 32, message: 'group_by `cluster`: no alert carries this label' },
        { rule: 'label/route-unmatched', line: 11, column: 15, endLine: 11, endColumn: 22, message: 'route matcher on `team`: no alert carries this label' },
        { rule: 'label/route-unmatched', line: 16, column: 13, endLine: 16, endColumn: 20, message: 'equal `service`' },
        { rule: 'label/route-unmatched', line: 7, column: 11, endLine: 7, endColumn: 25, subject: 'Info', message: 'only the root route\'s receiver "default" gets it' },
      ],
    },
  ],
});
