import { ruleTester } from '../tester.js';

const am = (global: string, receiver: string) => `global:\n${global}\nroute:\n  receiver: team\nreceivers:\n  - name: team\n${receiver}\n`;

ruleTester('secret/literal', {
  valid: [
    { name: 'credentials from files', files: { 'am.yml': am('  slack_api_url_file: /run/secrets/slack', '    pagerduty_configs:\n      - routing_key_file: /run/secrets/pd\n    webhook_configs:\n      - url: http://hooks.internal:5000/alert') } },
    { name: 'Grafana references', files: { 'ds.yaml': 'apiVersion: 1\ndatasources:\n  - name: Loki\n    type: loki\n    secureJsonData:\n      basicAuthPassword: $__file{/run/secrets/loki}\n' } },
  ],
  invalid: [
    {
      name: 'a Slack webhook and a PagerDuty key written in the config',
      files: { 'am.yml': am("  slack_api_url: 'https://hooks.slack.com/services/T00/B00/XXXX'", "    pagerduty_configs:\n      - service_key: '0123456789abcdef0123456789abcdef'") },
      expect: [
        { rule: 'secret/literal', line: 2, column: 19, subject: 'slack_api_url', message: 'use slack_api_url_file' },
        { rule: 'secret/literal', line: 8, column: 23, subject: 'service_key', message: 'use service_key_file' },
      ],
    },
    {
      name: 'an environment placeholder Alertmanager does not expand',
      files: { 'am.yml': am('  resolve_timeout: 5m', "    slack_configs:\n      - api_url: '${SLACK_WEBHOOK_URL}'") },
      expect: [{ rule: 'secret/literal', line: 8, message: 'Alertmanager does not expand environment variables' }],
    },
    { name: 'a literal datasource password', files: { 'ds.yaml': 'apiVersion: 1\ndatasources:\n  - name: Loki\n    type: loki\n    secureJsonData:\n      basicAuthPassword: hunter2\n' }, expect: [{ rule: 'secret/literal', line: 6, column: 26, message: 'secureJsonData.basicAuthPassword of "Loki" is written literally' }] },
  ],
});
