import type { SecretRef } from './datasource.js';
import type { Duration } from './duration.js';
import { brand, type Resource } from './resource.js';
import type { Suppressible } from './suppression.js';

/**
 * Alertmanager configuration as code, in alertmanager.yml's own vocabulary
 * (`group_by`, `routes`, `slack_configs`), compiled to
 * `out/alertmanager/<system>/alertmanager.yml` for Alertmanager 0.25 or later.
 *
 * Credentials are `fromFile(path)` references and compile to the `*_file`
 * fields; a literal key or webhook URL is a type error. Alertmanager does not
 * expand environment variables, so `fromEnv` is not accepted here.
 */

/** A label matcher in Alertmanager's syntax: `severity="critical"`, `service=~"api|web"`, `team!="db"`. */
export type Matcher = `${string}${'=' | '!=' | '=~' | '!~'}${string}`;

/** A credential Alertmanager reads from a file. */
export type SecretFile = SecretRef<'file'>;

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

export interface WebhookConfig {
  /** Receiver endpoint. Alertmanager 0.25 has no `url_file`: put tokens in `http_config`, not the URL. */
  url: string;
  send_resolved?: boolean;
  /** Alerts per message; 0 sends all. */
  max_alerts?: number;
  http_config?: { authorization?: { type?: string; credentials?: SecretFile }; basic_auth?: { username: string; password?: SecretFile } };
}

export interface Receiver {
  /** Unique within the configuration. */
  name: string;
  slack_configs?: SlackConfig[];
  pagerduty_configs?: PagerdutyConfig[];
  email_configs?: EmailConfig[];
  webhook_configs?: WebhookConfig[];
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';
type ClockTime = `${number}:${number}`;

export interface TimeRange {
  /** Days of the week (`saturday`) or ranges (`monday:friday`). */
  weekdays?: Array<Weekday | `${Weekday}:${Weekday}`>;
  /** Times of day, `start_time` inclusive, `end_time` exclusive, 24h clock: `{ start_time: '18:00', end_time: '24:00' }`. */
  times?: Array<{ start_time: ClockTime; end_time: ClockTime }>;
  days_of_month?: string[];
  months?: string[];
  years?: string[];
  /** IANA time zone the times are in, e.g. `Europe/London`; UTC when omitted. */
  location?: string;
}

export interface TimeInterval {
  name: string;
  time_intervals: TimeRange[];
}

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

export interface InhibitRule {
  /** Alerts that mute others while firing. */
  source_matchers: Matcher[];
  /** Alerts that are muted. */
  target_matchers: Matcher[];
  /** Labels source and target must share for the muting to apply. */
  equal?: string[];
}

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
