import { alertmanager, fromFile, receiver } from 'moncode';

const secret = (name: string) => fromFile(`/etc/alertmanager/secrets/${name}`);

const teams = receiver({ name: 'teams', msteamsv2_configs: [{ webhook_url: secret('teams-workflow-url'), send_resolved: true }] });
const discord = receiver({ name: 'discord', discord_configs: [{ webhook_url: secret('discord-webhook-url') }] });
const pager = receiver({ name: 'pager', pagerduty_configs: [{ routing_key: secret('pagerduty-routing-key') }] });

export default alertmanager({
  route: {
    receiver: teams,
    group_by: ['alertname', 'job'],
    routes: [
      { receiver: pager, matchers: ['severity="critical"'], continue: true },
      { receiver: discord, matchers: ['team="community"'] },
    ],
  },
  inhibit_rules: [{ name: 'critical-mutes-warning', source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'job'] }],
});
