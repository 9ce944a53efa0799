import type { SecretRef } from './datasource.js';
import type { Duration } from './duration.js';
import { brand, type Resource } from './resource.js';
import type { Suppressible } from './suppression.js';

/**
 * Alertmanager configuration as code, in alertmanager.yml's own vocabulary
 * (`group_by`, `routes`, `slack_configs`), compiled to
 * `out/alertmanager/<system>/alertmanager.yml` for the declared Alertmanager (0.25–0.34):
 * a receiver or field the version lacks is an error at its line.
 *
 * Credentials are `fromFile(path)` references and compile to the `*_file`
 * fields; a literal key or webhook URL is a type error. Alertmanager does not
 * expand environment variables, so `fromEnv` is not accepted here.
 */

/** A label matcher in Alertmanager's syntax: `severity="critical"`, `service=~"api|web"`, `team!="db"`. */
export type Matcher = `${string}${'=' | '!=' | '=~' | '!~'}${string}`;

/** A credential Alertmanager reads from a file. */
export type SecretFile = SecretRef<'file'>;

/**
 * A Slack notification (`slack_configs`): channel, title and text templates; the webhook URL only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#slack_config
 */
export interface SlackConfig {
  /** Channel or user to send to, e.g. `#alerts`. */
  channel: string;
  /** The incoming-webhook URL; `global.slack_api_url` when omitted. */
  api_url?: SecretFile;
  send_resolved?: boolean;
  username?: string;
  icon_emoji?: string;
  title?: string;
  title_link?: string;
  text?: string;
  color?: string;
}

/**
 * A PagerDuty notification (`pagerduty_configs`): the routing or service key only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#pagerduty_config
 */
export interface PagerdutyConfig {
  /** Events API v2 integration key. */
  routing_key?: SecretFile;
  /** Events API v1 (service integration) key. */
  service_key?: SecretFile;
  send_resolved?: boolean;
  severity?: string;
  description?: string;
  client?: string;
  client_url?: string;
  details?: Record<string, string>;
}

/**
 * An e-mail notification (`email_configs`): recipient, sender, SMTP settings over `global`'s.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#email_config
 */
export interface EmailConfig {
  to: string;
  from?: string;
  smarthost?: string;
  auth_username?: string;
  auth_password?: SecretFile;
  require_tls?: boolean;
  send_resolved?: boolean;
  headers?: Record<string, string>;
  html?: string;
  text?: string;
}

/**
 * A webhook notification (`webhook_configs`): Alertmanager POSTs the alerts as JSON to the URL.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 */
export interface WebhookConfig {
  /**
   * Receiver endpoint. A URL that holds a credential is `fromFile(path)`, written as `url_file`
   * (Alertmanager 0.26+); on 0.25 put tokens in `http_config`, not the URL.
   */
  url: string | SecretFile;
  send_resolved?: boolean;
  /** Alerts per message; 0 sends all. */
  max_alerts?: number;
  http_config?: { authorization?: { type?: string; credentials?: SecretFile }; basic_auth?: { username: string; password?: SecretFile } };
}

/** What every notifier config has; `http_config` credentials are file references too. */
interface Notifier {
  send_resolved?: boolean;
  http_config?: HttpConfig;
}

type HttpConfig = { authorization?: { type?: string; credentials?: SecretFile }; basic_auth?: { username: string; password?: SecretFile } };

/**
 * Microsoft Teams incoming webhook (Alertmanager 0.26+; `webhook_url_file` from 0.27).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#msteams_config
 */
export interface MsTeamsConfig extends Notifier {
  webhook_url: SecretFile;
  title?: string;
  summary?: string;
  text?: string;
}

/**
 * Microsoft Teams through Power Automate flows (Alertmanager 0.28+).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#msteamsv2_config
 */
export interface MsTeamsV2Config extends Notifier {
  webhook_url: SecretFile;
  title?: string;
  text?: string;
}

/**
 * A Discord notification (`discord_configs`): the webhook URL only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#discord_config
 */
export interface DiscordConfig extends Notifier {
  /** The webhook URL holds its token: `webhook_url_file` (Alertmanager 0.27+). */
  webhook_url: SecretFile;
  title?: string;
  message?: string;
  content?: string;
  username?: string;
  avatar_url?: string;
}

/**
 * Webex: the bot token goes in `http_config.authorization.credentials`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#webex_config
 */
export interface WebexConfig extends Notifier {
  room_id: string;
  api_url?: string;
  message?: string;
}

/**
 * A Telegram notification (`telegram_configs`): the bot token only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#telegram_config
 */
export interface TelegramConfig extends Notifier {
  /** `bot_token_file` (Alertmanager 0.26+). */
  bot_token: SecretFile;
  /** The chat id, or (Alertmanager 0.31+) a file holding it. */
  chat_id: number | SecretFile;
  message_thread_id?: number;
  message?: string;
  disable_notifications?: boolean;
  parse_mode?: 'MarkdownV2' | 'Markdown' | 'HTML' | '';
  api_url?: string;
}

/**
 * An Opsgenie notification (`opsgenie_configs`): the API key only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#opsgenie_config
 */
export interface OpsgenieConfig extends Notifier {
  /** `api_key_file`; `global.opsgenie_api_key` when omitted. */
  api_key?: SecretFile;
  api_url?: string;
  message?: string;
  description?: string;
  source?: string;
  details?: Record<string, string>;
  entity?: string;
  responders?: Array<{ id?: string; name?: string; username?: string; type: 'team' | 'teams' | 'user' | 'escalation' | 'schedule' }>;
  actions?: string;
  tags?: string;
  note?: string;
  priority?: string;
  update_alerts?: boolean;
}

/**
 * A VictorOps (Splunk On-Call) notification (`victorops_configs`): the API key only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#victorops_config
 */
export interface VictorOpsConfig extends Notifier {
  /** `api_key_file`; `global.victorops_api_key` when omitted. */
  api_key?: SecretFile;
  routing_key: string;
  api_url?: string;
  message_type?: string;
  state_message?: string;
  entity_display_name?: string;
  monitoring_tool?: string;
  custom_fields?: Record<string, string>;
}

/**
 * A Pushover notification (`pushover_configs`): user key and token only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#pushover_config
 */
export interface PushoverConfig extends Notifier {
  /** `user_key_file` and `token_file` (Alertmanager 0.26+). */
  user_key: SecretFile;
  token: SecretFile;
  title?: string;
  message?: string;
  url?: string;
  url_title?: string;
  device?: string;
  sound?: string;
  priority?: string;
  retry?: Duration;
  expire?: Duration;
  ttl?: Duration;
  html?: boolean;
}

/**
 * An Amazon SNS notification (`sns_configs`): a topic or phone number, SigV4 credentials.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#sns_config
 */
export interface SnsConfig extends Notifier {
  api_url?: string;
  sigv4?: { region?: string; access_key?: string; secret_key?: SecretFile; profile?: string; role_arn?: string };
  topic_arn?: string;
  phone_number?: string;
  target_arn?: string;
  subject?: string;
  message?: string;
  attributes?: Record<string, string>;
}

/**
 * A WeChat notification (`wechat_configs`): the API secret only as `fromFile()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#wechat_config
 */
export interface WechatConfig extends Notifier {
  /** `api_secret_file` (Alertmanager 0.31+); `global.wechat_api_secret` when omitted. */
  api_secret?: SecretFile;
  corp_id?: string;
  api_url?: string;
  message?: string;
  message_type?: 'text' | 'markdown';
  to_user?: string;
  to_party?: string;
  to_tag?: string;
  agent_id?: string;
}

/**
 * Jira issues (Alertmanager 0.28+); credentials in `http_config`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#jira_config
 */
export interface JiraConfig extends Notifier {
  project: string;
  issue_type: string;
  api_url?: string;
  summary?: string;
  description?: string;
  labels?: string[];
  priority?: string;
  reopen_transition?: string;
  resolve_transition?: string;
  wont_fix_resolution?: string;
  reopen_duration?: Duration;
  fields?: Record<string, unknown>;
}

/**
 * Rocket.Chat (Alertmanager 0.28+): `token_file`, `token_id_file`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#rocketchat_config
 */
export interface RocketchatConfig extends Notifier {
  token?: SecretFile;
  token_id?: SecretFile;
  api_url?: string;
  channel?: string;
  color?: string;
  title?: string;
  title_link?: string;
  text?: string;
  emoji?: string;
  icon_url?: string;
  image_url?: string;
  thumb_url?: string;
  link_names?: boolean;
  short_fields?: boolean;
}

/**
 * incident.io (Alertmanager 0.29+): the alert source URL and token are both credentials.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#incidentio_config
 */
export interface IncidentioConfig extends Notifier {
  url: SecretFile;
  alert_source_token?: SecretFile;
  max_alerts?: number;
  timeout?: Duration;
}

/**
 * Mattermost incoming webhook (Alertmanager 0.30+).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#mattermost_config
 */
export interface MattermostConfig extends Notifier {
  webhook_url?: SecretFile;
  channel?: string;
  username?: string;
  text?: string;
  icon_url?: string;
  icon_emoji?: string;
  priority?: { priority?: string; requested_ack?: boolean; persistent_notifications?: boolean };
}

/**
 * A named receiver routes send notifications to, with its integrations (`<kind>_configs`); returned by `receiver()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#receiver-integration-settings
 */
export interface Receiver {
  /** Unique within the configuration. */
  name: string;
  slack_configs?: SlackConfig[];
  pagerduty_configs?: PagerdutyConfig[];
  email_configs?: EmailConfig[];
  webhook_configs?: WebhookConfig[];
  /** The receivers below need the Alertmanager version that has them (`alertmanager.version` in mon.config.ts). */
  msteams_configs?: MsTeamsConfig[];
  msteamsv2_configs?: MsTeamsV2Config[];
  discord_configs?: DiscordConfig[];
  webex_configs?: WebexConfig[];
  telegram_configs?: TelegramConfig[];
  opsgenie_configs?: OpsgenieConfig[];
  victorops_configs?: VictorOpsConfig[];
  pushover_configs?: PushoverConfig[];
  sns_configs?: SnsConfig[];
  wechat_configs?: WechatConfig[];
  jira_configs?: JiraConfig[];
  rocketchat_configs?: RocketchatConfig[];
  incidentio_configs?: IncidentioConfig[];
  mattermost_configs?: MattermostConfig[];
}

/**
 * A day of the week as Alertmanager's time intervals name it.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
 */
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
type ClockTime = `${number}:${number}`;

/**
 * When a time interval is in force: times of day, weekdays, days of the month, months and years, in a time zone (`location`).
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
 */
export interface TimeRange {
  /** Days of the week (`saturday`) or ranges (`monday:friday`); Alertmanager's week starts on Sunday, so `saturday:sunday` is refused. */
  weekdays?: Array<Weekday | `${Weekday}:${Weekday}`>;
  /** Times of day, `start_time` inclusive, `end_time` exclusive, 24h clock: `{ start_time: '18:00', end_time: '24:00' }`. */
  times?: Array<{ start_time: ClockTime; end_time: ClockTime }>;
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  /** IANA time zone the times are in, e.g. `Europe/London`; UTC when omitted. */
  location?: string;
}

/**
 * A named time interval routes are muted (`mute_time_intervals`) or active (`active_time_intervals`) in; returned by `timeInterval()`.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#time_interval
 */
export interface TimeInterval {
  name: string;
  time_intervals: TimeRange[];
}

/**
 * A node of Alertmanager's routing tree: the matchers it takes alerts by, its receiver, grouping and timing, and child routes.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#route
 */
export interface Route {
  /** The receiver object (or its name). Required on the root route. */
  receiver?: Receiver | string;
  matchers?: Matcher[];
  /** Labels that group alerts into one notification; `['...']` groups by all labels. */
  group_by?: string[];
  group_wait?: Duration;
  group_interval?: Duration;
  repeat_interval?: Duration;
  /** Keep matching the following sibling routes after this one matched. */
  continue?: boolean;
  routes?: Route[];
  /** No notifications while one of these intervals is active. */
  mute_time_intervals?: Array<TimeInterval | string>;
  /** Notifications only while one of these intervals is active. */
  active_time_intervals?: Array<TimeInterval | string>;
}

/**
 * Mutes alerts matching `target_matchers` while an alert matching `source_matchers` fires with the same values of the `equal` labels.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#inhibit_rule
 */
export interface InhibitRule {
  /** A name for the rule (Alertmanager 0.30+), shown in its logs and events. */
  name?: string;
  /** Alerts that mute others while firing. */
  source_matchers: Matcher[];
  /** Alerts that are muted. */
  target_matchers: Matcher[];
  /** Labels source and target must share for the muting to apply. */
  equal?: string[];
}

/**
 * Alertmanager's `global` section: defaults (SMTP, resolve timeout, API URLs) receivers inherit.
 * @see https://prometheus.io/docs/alerting/latest/configuration/#configuration-file
 */
export interface GlobalConfig {
  resolve_timeout?: Duration;
  slack_api_url?: SecretFile;
  pagerduty_url?: string;
  smtp_smarthost?: string;
  smtp_from?: string;
  smtp_hello?: string;
  smtp_auth_username?: string;
  smtp_auth_password?: SecretFile;
  smtp_require_tls?: boolean;
}

/**
 * What `alertmanager({…})` takes: a system's Alertmanager configuration, compiled to out/alertmanager/<system>/alertmanager.yml.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export interface AlertmanagerSpec extends Suppressible {
  global?: GlobalConfig;
  /** The routing tree; its root needs a receiver and catches every alert no child route takes. */
  route: Route & { receiver: Receiver | string };
  /** Every receiver a route names; defaults to the receivers the routes refer to by object, in order of first use. */
  receivers?: Receiver[];
  inhibit_rules?: InhibitRule[];
  /** Defaults to the intervals the routes refer to by object. */
  time_intervals?: TimeInterval[];
  /** Notification template files Alertmanager loads. */
  templates?: string[];
}

/**
 * A system's Alertmanager configuration as `alertmanager()` returns it.
 * @see https://prometheus.io/docs/alerting/latest/configuration/
 */
export type Alertmanager = AlertmanagerSpec & Resource<'alertmanager'>;

/** A system's Alertmanager configuration. One per system; compiled to `out/alertmanager/<system>/alertmanager.yml`. */
export function alertmanager(spec: AlertmanagerSpec): Alertmanager {
  return brand(spec, 'alertmanager');
}

/** A receiver, declared once and referred to by routes (`receiver: pager`), so a rename cannot leave a route dangling. */
export function receiver(spec: Receiver): Receiver {
  return spec;
}

/** A named time interval, referred to by routes' `mute_time_intervals` / `active_time_intervals`. */
export function timeInterval(name: string, ...ranges: TimeRange[]): TimeInterval {
  return { name, time_intervals: ranges };
}
