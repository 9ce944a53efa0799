import { alertmanager, receiver } from 'moncode';
import { secretFile, slackReceiver } from '../shared/alerting.ts';

export const slack = slackReceiver('slack-notifications', '#alfred-monitoring');
export const pagerduty = receiver({
  name: 'pagerduty-critical',
  pagerduty_configs: [{ service_key: secretFile('alfred-pagerduty-service-key'), send_resolved: true }],
});

/**
 * Seed 000's routing. Its critical route had `continue: true` and no route after it,
 * so critical alerts reached PagerDuty only, never Slack; the catch-all child route
 * below is what `continue` was meant to reach.
 */
export default alertmanager({
  global: { resolve_timeout: '5m', slack_api_url: secretFile('alfred-slack-webhook-url') },
  route: {
    receiver: slack,
    group_by: ['alertname', 'instance', 'severity'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: [
      { matchers: ['severity="critical"'], receiver: pagerduty, continue: true },
      { receiver: slack },
    ],
  },
});
