import { alertmanager, fromFile, receiver, timeInterval } from 'moncode';

// With grafana.alerting: 'grafana' this compiles to Grafana contact points, notification policies and mute timings.
const oncall = receiver({ name: 'oncall', pagerduty_configs: [{ routing_key: fromFile('/etc/grafana/secrets/pagerduty-routing-key') }] });
const team = receiver({
  name: 'shop-team',
  slack_configs: [{ channel: '#shop-alerts', api_url: fromFile('/etc/grafana/secrets/slack-webhook-url'), title: '{{ .CommonLabels.alertname }}', send_resolved: true }],
});
const nights = timeInterval('nights', { times: [{ start_time: '00:00', end_time: '07:00' }], location: 'Europe/Berlin' });

export default alertmanager({
  route: {
    receiver: team,
    group_by: ['alertname', 'job'],
    group_wait: '30s',
    group_interval: '5m',
    repeat_interval: '4h',
    routes: [
      { matchers: ['severity="critical"'], receiver: oncall, continue: true },
      { matchers: ['severity="warning"'], receiver: team, mute_time_intervals: [nights] },
    ],
  },
});
