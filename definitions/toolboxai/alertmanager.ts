import { alertmanager, receiver } from 'moncode';
import { afterHours, secretFile, slackReceiver, weekends } from '../shared/alerting.ts';

/**
 * Seed 002's notification channels: email for critical alerts, Slack for warnings,
 * a webhook to the FastAPI backend for every alert, and warnings muted on weekends
 * and after hours.
 */
export const backendWebhook = receiver({ name: 'fastapi-webhook', webhook_configs: [{ url: 'http://host.docker.internal:8009/api/v1/alerts/webhook', send_resolved: true }] });
export const criticalEmail = receiver({ name: 'email-critical', email_configs: [{ to: 'oncall@toolboxai.example', send_resolved: true }] });
export const warnings = slackReceiver('slack-warnings', '#toolboxai-alerts');
const LOCATION = 'America/New_York';

export default alertmanager({
  global: {
    resolve_timeout: '5m',
    slack_api_url: secretFile('toolboxai-slack-webhook-url'),
    smtp_smarthost: 'smtp.toolboxai.example:587',
    smtp_from: 'alerts@toolboxai.example',
    smtp_auth_username: 'alerts@toolboxai.example',
    smtp_auth_password: secretFile('toolboxai-smtp-password'),
  },
  route: {
    receiver: backendWebhook,
    group_by: ['alertname', 'job'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: [
      // Every alert reaches the backend; `continue` lets the severity routes match too.
      { receiver: backendWebhook, continue: true },
      { matchers: ['severity="critical"'], receiver: criticalEmail },
      { matchers: ['severity="warning"'], receiver: warnings, mute_time_intervals: [weekends(LOCATION), afterHours(LOCATION)] },
    ],
  },
});
