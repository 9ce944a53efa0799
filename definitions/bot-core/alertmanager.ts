import { alertmanager, receiver } from 'moncode';
import { secretFile, slackReceiver } from '../shared/alerting.ts';

/**
 * Seed 001's notification policy: critical → PagerDuty + email + Slack (immediate),
 * warning → Slack (within the hour), info → logged only (visible in Alertmanager,
 * never sent).
 */
export const slack = slackReceiver('slack', '#alerts');
export const critical = receiver({
  name: 'critical',
  pagerduty_configs: [{ routing_key: secretFile('bot-core-pagerduty-routing-key'), send_resolved: true, severity: 'critical' }],
  email_configs: [{ to: 'ops-team@bot-core.example', send_resolved: true }],
  slack_configs: [{ channel: '#alerts', send_resolved: true, title: 'CRITICAL: {{ .GroupLabels.alertname }}', text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.runbook_url }}\n{{ end }}' }],
});
export const logOnly = receiver({ name: 'log-only' });

export default alertmanager({
  global: {
    resolve_timeout: '5m',
    slack_api_url: secretFile('bot-core-slack-webhook-url'),
    smtp_smarthost: 'smtp.bot-core.example:587',
    smtp_from: 'alertmanager@bot-core.example',
    smtp_auth_username: 'alertmanager@bot-core.example',
    smtp_auth_password: secretFile('bot-core-smtp-password'),
  },
  route: {
    receiver: slack,
    group_by: ['alertname', 'service'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: [
      { matchers: ['severity="critical"'], receiver: critical, group_wait: '10s', repeat_interval: '1h' },
      { matchers: ['severity="warning"'], receiver: slack },
      { matchers: ['severity="info"'], receiver: logOnly },
    ],
  },
  inhibit_rules: [
    { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['service'] },
    { source_matchers: ['alertname="ServiceDown"'], target_matchers: ['alertname!="ServiceDown"'], equal: ['service'] },
  ],
});
