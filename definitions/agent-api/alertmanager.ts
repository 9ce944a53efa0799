import { alertmanager, receiver } from 'moncode';
import { secretFile, slackReceiver } from '../shared/alerting.ts';

/** Seed 003's Alertmanager: Slack per severity, critical also paged. */
export const fallback = slackReceiver('default', '#alerts');
export const warning = slackReceiver('warning', '#warnings', { titlePrefix: 'Warning:' });
export const critical = receiver({
  name: 'critical',
  slack_configs: [{ channel: '#critical-alerts', send_resolved: true, title: 'CRITICAL: {{ .GroupLabels.alertname }}', text: '{{ range .Alerts }}{{ .Annotations.description }}\n{{ end }}' }],
  pagerduty_configs: [{ service_key: secretFile('agent-api-pagerduty-service-key'), send_resolved: true }],
});

export default alertmanager({
  global: { resolve_timeout: '5m', slack_api_url: secretFile('agent-api-slack-webhook-url') },
  route: {
    receiver: fallback,
    // The seed grouped by `cluster` and `service`, which none of its alerts carry.
    group_by: ['alertname', 'job', 'instance'],
    group_wait: '10s',
    group_interval: '10s',
    repeat_interval: '12h',
    routes: [
      { matchers: ['severity="critical"'], receiver: critical },
      { matchers: ['severity="warning"'], receiver: warning },
    ],
  },
});
