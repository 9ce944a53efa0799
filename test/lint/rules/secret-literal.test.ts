import { alert, dashboardJson, lineOf, ruleTester, rules } from '../tester.js';

const am = (global: string, receiver: string) => `global:\n${global}\nroute:\n  receiver: team\nreceivers:\n  - name: team\n${receiver}\n`;
const ds = (body: string) => `apiVersion: 1\ndatasources:\n  - name: Loki\n    type: loki\n${body}\n`;
const withAnnotation = (value: string) => rules(alert('A', 'up == 0', `labels:\n  severity: warning\nannotations:\n  summary: s\n  runbook_url: ${value}`));
const linkDashboard = (url: string) => dashboardJson([], [], { links: [{ title: 'Runbook', type: 'link', url }] });
const panelLinkDashboard = (url: string) =>
  dashboardJson([{ type: 'stat', id: 1, title: 'Up', gridPos: { x: 0, y: 0, w: 6, h: 4 }, fieldConfig: { defaults: { unit: 'short', links: [{ title: 'Logs', url }] }, overrides: [] }, targets: [] }]);

const SLACK = 'https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx';
const panelLink = panelLinkDashboard('https://logs.example.com/?api_key=0f9e8d7c6b5a4f3e');

ruleTester('secret/literal', {
  valid: [
    {
      name: 'credentials from files',
      files: {
        'am.yml': am(
          '  slack_api_url_file: /run/secrets/slack',
          '    pagerduty_configs:\n      - routing_key_file: /run/secrets/pd\n    webhook_configs:\n      - url: http://hooks.internal:5000/alert',
        ),
      },
    },
    { name: 'a hidden value as Alertmanager prints it', files: { 'am.yml': am("  smtp_auth_password: '<secret>'", '    email_configs:\n      - to: ops@example.com') } },
    {
      name: 'environment placeholders outside Alertmanager credential fields',
      files: { 'ds.yaml': ds('    url: ${LOKI_URL}\n    basicAuthUser: $LOKI_USER\n    jsonData:\n      httpHeaderValue1: ${LOKI_TOKEN}') },
    },
    {
      name: 'an API base URL is not a webhook',
      files: { 'am.yml': am('  opsgenie_api_url: https://api.eu.opsgenie.com/', '    opsgenie_configs:\n      - api_key_file: /run/secrets/og\n        api_url: https://api.eu.opsgenie.com/') },
    },
    { name: 'a constructor key', files: { 'am.yml': am('  resolve_timeout: 5m', '    webhook_configs:\n      - url: http://hooks.internal:5000/alert\n        constructor: value-of-a-key') } },
    {
      name: 'a receiver URL with a UUID and words',
      files: { 'am.yml': am('  resolve_timeout: 5m', '    webhook_configs:\n      - url: https://events.example.com/v1/8c1d1e2f-1a2b-4c3d-9e8f-0a1b2c3d4e5f/kubernetes_cluster_production') },
    },
    {
      name: 'header values from files',
      files: {
        'am.yml': am(
          '  resolve_timeout: 5m',
          '    webhook_configs:\n      - url: http://hooks.internal:5000/alert\n        http_config:\n          http_headers:\n            Authorization:\n              files: [/run/secrets/auth]',
        ),
      },
    },
    {
      name: 'Grafana references',
      files: {
        'ds.yaml': ds('    secureJsonData:\n      basicAuthPassword: $__file{/run/secrets/loki}\n      httpHeaderValue1: $__env{LOKI_TOKEN}\n    jsonData:\n      httpHeaderName1: Authorization'),
      },
    },
    { name: 'a datasource URL with a user only', files: { 'ds.yaml': ds('    url: https://reader@loki.example.com\n    basicAuth: true\n    basicAuthUser: reader') } },
    { name: 'a datasource URL with an environment password', files: { 'ds.yaml': ds('    url: https://reader:${LOKI_PASSWORD}@loki.example.com') } },
    { name: 'runbook links with variables and templates', files: { 'r.yml': withAnnotation("'https://runbooks.example.com/A?token={{ $labels.token }}'") } },
    { name: 'a dashboard link with Grafana variables', files: { 'd.json': linkDashboard('https://logs.example.com/?token=${token}&orgId=1') } },
    {
      name: 'prose about tokens in an annotation',
      files: {
        'r.yml': rules(
          alert(
            'A',
            'up == 0',
            'labels:\n  severity: warning\nannotations:\n  summary: Bearer tokens expire for users\n  description: Basic authentication is failing\n  runbook_url: https://runbooks.example.com/a',
          ),
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'a Slack webhook and a PagerDuty key written in the config',
      files: { 'am.yml': am("  slack_api_url: 'https://hooks.slack.com/services/T00/B00/XXXX'", "    pagerduty_configs:\n      - service_key: '0123456789abcdef0123456789abcdef'") },
      expect: [
        { rule: 'secret/literal', line: 2, column: 19, endLine: 2, endColumn: 64, subject: 'slack_api_url', message: 'use slack_api_url_file' },
        { rule: 'secret/literal', line: 8, column: 23, endLine: 8, endColumn: 55, subject: 'service_key', message: 'use service_key_file' },
      ],
    },
    {
      name: 'an environment placeholder Alertmanager does not expand',
      files: { 'am.yml': am('  resolve_timeout: 5m', "    slack_configs:\n      - api_url: '${SLACK_WEBHOOK_URL}'") },
      expect: [{ rule: 'secret/literal', line: 8, column: 19, endLine: 8, endColumn: 39, message: 'Alertmanager does not expand environment variables' }],
    },
    {
      name: 'a placeholder in a credential field',
      files: { 'am.yml': am("  slack_api_url: 'YOUR_SLACK_WEBHOOK_URL'", '    slack_configs:\n      - channel: x') },
      expect: [{ rule: 'secret/literal', line: 2, column: 19, endLine: 2, endColumn: 41, message: 'holds a placeholder' }],
    },
    {
      name: 'a receiver webhook URL with a Discord token',
      files: { 'am.yml': am('  resolve_timeout: 5m', '    webhook_configs:\n      - url: https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_0987') },
      expect: [{ rule: 'secret/literal', line: 8, column: 47, endLine: 8, endColumn: 84, message: 'a Discord webhook token' }],
    },
    {
      name: 'a receiver webhook URL with a token in its path',
      files: { 'am.yml': am('  resolve_timeout: 5m', '    webhook_configs:\n      - url: https://events.example.com/hooks/a8F3kL9qZ2xW7mN4pR6tY1uV') },
      expect: [{ rule: 'secret/literal', line: 8, column: 47, endLine: 8, endColumn: 71, message: 'a token in the webhook path' }],
    },
    {
      name: 'a receiver URL with a token parameter',
      files: { 'am.yml': am('  resolve_timeout: 5m', '    webhook_configs:\n      - url: https://events.example.com/alert?TOKEN=z9y8x7w6v5') },
      expect: [
        {
          rule: 'secret/literal',
          line: 8,
          column: 53,
          endLine: 8,
          endColumn: 63,
          message: "URL parameter TOKEN, written literally: put it in a file and use the field's *_file twin (Alertmanager does not expand",
        },
      ],
    },
    {
      name: 'a literal Authorization header',
      files: {
        'am.yml': am(
          '  resolve_timeout: 5m',
          '    webhook_configs:\n      - url: http://hooks.internal:5000/alert\n        http_config:\n          http_headers:\n            Authorization:\n              values: ["Bearer abc123def456ghi789"]',
        ),
      },
      expect: [{ rule: 'secret/literal', line: 12, column: 25, endLine: 12, endColumn: 50, message: 'Authorization header is written literally' }],
    },
    {
      name: 'a literal datasource password',
      files: { 'ds.yaml': ds('    secureJsonData:\n      basicAuthPassword: hunter2') },
      expect: [{ rule: 'secret/literal', line: 6, column: 26, endLine: 6, endColumn: 33, message: 'secureJsonData.basicAuthPassword of "Loki" is written literally' }],
    },
    {
      name: 'a datasource URL with user:pass@',
      files: { 'ds.yaml': ds('    url: https://reader:s3cr3tPass@loki.example.com') },
      expect: [{ rule: 'secret/literal', line: 5, column: 25, endLine: 5, endColumn: 35, subject: 'Loki', message: 'a password in a URL' }],
    },
    {
      name: 'a datasource URL with ?api_key=',
      files: { 'ds.yaml': ds('    url: https://loki.example.com/?api_key=0f9e8d7c6b5a4f3e') },
      expect: [
        {
          rule: 'secret/literal',
          line: 5,
          column: 44,
          endLine: 5,
          endColumn: 60,
          message: 'URL parameter api_key, written literally: read it from a file or the environment ($__file{…} or $__env{…} in secureJsonData)',
        },
      ],
    },
    {
      name: 'a Bearer token in jsonData',
      files: { 'ds.yaml': ds('    jsonData:\n      httpHeaderName1: Authorization\n      httpHeaderValue1: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc') },
      expect: [{ rule: 'secret/literal', line: 7, column: 25, endLine: 7, endColumn: 60, message: 'jsonData.httpHeaderValue1 of "Loki" is a credential in plain text' }],
    },
    {
      name: 'an AWS key pair in jsonData',
      files: { 'ds.yaml': ds('    jsonData:\n      authType: keys\n      accessKey: AKIAIOSFODNN7EXAMPLE\n      secretKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') },
      expect: [
        { rule: 'secret/literal', line: 7, column: 18, endLine: 7, endColumn: 38, message: 'jsonData.accessKey' },
        { rule: 'secret/literal', line: 8, column: 18, endLine: 8, endColumn: 58, message: 'jsonData.secretKey' },
      ],
    },
    {
      name: 'a literal password field',
      files: { 'ds.yaml': ds('    basicAuth: true\n    basicAuthPassword: hunter2') },
      expect: [{ rule: 'secret/literal', line: 6, column: 24, endLine: 6, endColumn: 31, message: 'has its basicAuthPassword written in the file' }],
    },
    {
      name: 'a private key in a datasource',
      files: {
        'ds.yaml': ds(
          '    jsonData:\n      tlsAuth: true\n    secureJsonData:\n      tlsClientKey: $__file{/k}\n    url: |\n      -----BEGIN EC PRIVATE KEY-----\n      MHcCAQEEIBfakefakefake\n      -----END EC PRIVATE KEY-----',
        ),
      },
      expect: [{ rule: 'secret/literal', line: 10, column: 7, endLine: 10, endColumn: 37, message: 'a private key, written literally: keep keys in files Grafana reads' }],
    },
    {
      name: 'a token in a runbook URL',
      files: { 'r.yml': withAnnotation('https://runbooks.example.com/A?token=abc123def456') },
      expect: [
        { rule: 'secret/literal', line: 10, column: 61, endLine: 10, endColumn: 73, subject: 'A', message: 'URL parameter token, written literally: labels and annotations travel with every alert' },
      ],
    },
    {
      name: 'an AWS access key in a label',
      files: { 'r.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: warning\n  aws_key: AKIAIOSFODNN7EXAMPLE\nannotations:\n  summary: s\n  runbook_url: https://runbooks.example.com/a')) },
      expect: [
        { rule: 'secret/literal', line: 8, column: 20, endLine: 8, endColumn: 40, subject: 'A', message: 'an AWS access key, written literally: labels and annotations travel with every alert' },
      ],
    },
    {
      name: 'a Slack webhook in an annotation',
      files: { 'r.yml': rules(alert('A', 'up == 0', `labels:\n  severity: warning\nannotations:\n  summary: s\n  chat: ${SLACK}\n  runbook_url: https://runbooks.example.com/a`)) },
      expect: [{ rule: 'secret/literal', line: 10, column: 50, endLine: 10, endColumn: 94, message: 'a Slack webhook token' }],
    },
    {
      name: 'a token in a dashboard link',
      files: { 'd.json': linkDashboard('https://logs.example.com/?access_token=ya29a0AfH6SMxyz') },
      expect: [
        {
          rule: 'secret/literal',
          line: lineOf(linkDashboard('https://logs.example.com/?access_token=ya29a0AfH6SMxyz'), 'access_token'),
          column: 54,
          endLine: lineOf(linkDashboard('https://logs.example.com/?access_token=ya29a0AfH6SMxyz'), 'access_token'),
          endColumn: 69,
          subject: 'Test',
          message: 'URL parameter access_token',
        },
      ],
    },
    {
      name: 'an API key in a panel link',
      files: { 'd.json': panelLink },
      expect: [{ rule: 'secret/literal', line: lineOf(panelLink, 'api_key='), column: 57, endLine: lineOf(panelLink, 'api_key='), endColumn: 73, message: 'URL parameter api_key' }],
    },
  ],
});
