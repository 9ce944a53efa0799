import { alertmanager, receiver } from 'moncode';
import { secretFile } from '../shared/alerting.ts';

/**
 * Seed 004's routing. The seed wrote `${PAGERDUTY_SERVICE_KEY}` and `${SLACK_WEBHOOK_URL}`,
 * which Alertmanager does not expand (it would send the literal text); they are files here.
 */
export const webhook = receiver({ name: 'web.hook', webhook_configs: [{ url: 'http://webhook:5000/alert' }] });
export const pagerduty = receiver({
  name: 'pagerduty',
  pagerduty_configs: [{ service_key: secretFile('freeagentics-pagerduty-service-key'), description: '{{ range .Alerts }}{{ .Annotations.description }}{{ end }}' }],
});
export const slack = receiver({
  name: 'slack',
  slack_configs: [
    {
      api_url: secretFile('freeagentics-slack-webhook-url'),
      channel: '#alerts',
      title: '{{ range .Alerts }}{{ .Annotations.summary }}{{ end }}',
      text: '{{ range .Alerts }}{{ .Annotations.description }}\n{{ .Annotations.runbook_url }}{{ end }}',
    },
  ],
});

export default alertmanager({
  global: { smtp_smarthost: 'localhost:587', smtp_from: 'alerts@freeagentics.io' },
  route: {
    receiver: webhook,
    group_by: ['alertname'],
    group_wait: '10s',
    group_interval: '10s',
    repeat_interval: '1h',
    routes: [
      { matchers: ['severity="critical"'], receiver: pagerduty },
      { matchers: ['severity="warning"'], receiver: slack },
    ],
  },
});
