import { fromFile, receiver, timeInterval, type Receiver, type SecretFile } from 'moncode';

/**
 * Alertmanager building blocks the systems share. Credentials are files mounted
 * next to Alertmanager (a Kubernetes or Docker secret), never values in Git.
 */
export const SECRETS_DIR = '/etc/alertmanager/secrets';

export function secretFile(name: string): SecretFile {
  return fromFile(`${SECRETS_DIR}/${name}`);
}

const SLACK_TITLE = '[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }}';
const SLACK_TEXT = [
  '{{ range .Alerts }}*{{ .Annotations.summary }}*',
  '{{ .Annotations.description }}',
  '{{ if .Annotations.runbook_url }}Runbook: {{ .Annotations.runbook_url }}{{ end }}',
  '{{ end }}',
].join('\n');

/** A Slack channel, posting summary, description and runbook of each alert. */
export function slackReceiver(name: string, channel: string, options: { titlePrefix?: string; sendResolved?: boolean } = {}): Receiver {
  return receiver({
    name,
    slack_configs: [
      {
        channel,
        send_resolved: options.sendResolved ?? true,
        title: options.titlePrefix ? `${options.titlePrefix} ${SLACK_TITLE}` : SLACK_TITLE,
        text: SLACK_TEXT,
      },
    ],
  });
}

/** Saturday and Sunday, all day. */
export function weekends(location: string) {
  return timeInterval('weekends', { weekdays: ['saturday', 'sunday'], location });
}

/** Weekday evenings and nights, outside 08:00–18:00. */
export function afterHours(location: string) {
  return timeInterval(
    'after-hours',
    { weekdays: ['monday:friday'], times: [{ start_time: '00:00', end_time: '08:00' }], location },
    { weekdays: ['monday:friday'], times: [{ start_time: '18:00', end_time: '24:00' }], location },
  );
}
