import type * as sdk from '@grafana/grafana-foundation-sdk/alerting';

/**
 * Grafana's alerting provisioning file (apiVersion 1), the source scripts/gen-schemas.mjs turns
 * into src/model/grafana-alerting.schema.gen.ts. The parts whose JSON/YAML spelling is the
 * foundation SDK's (its `alerting` types, generated from Grafana's API) are the SDK's types; the
 * file's own envelope and the fields it spells differently from the API are written from
 * Grafana's provisioning structs (pkg/services/provisioning/alerting: AlertingFileV1,
 * AlertRuleGroupV1, AlertRuleV1, QueryV1, RecordV1, ContactPointV1, ReceiverV1,
 * NotificiationPolicyV1, MuteTimeV1, NotificationTemplateV1), each named below.
 */

/** AlertingFileV1: the parts moncode writes (no delete* or resetPolicies). */
export interface GrafanaAlertingFile {
  apiVersion: 1;
  groups?: RuleGroupV1[];
  contactPoints?: ContactPointV1[];
  policies?: PolicyV1[];
  muteTimes?: MuteTimeV1[];
  templates?: TemplateV1[];
}

/** AlertRuleGroupV1: the folder by title, the interval as a duration string (the SDK's is seconds). */
interface RuleGroupV1 {
  orgId: number;
  name: string;
  folder: string;
  /** @pattern ^([0-9]+(ms|[smhdwy]))+$ */
  interval: string;
  rules: RuleV1[];
}

/** QueryV1: refId, datasourceUid and relativeTimeRange as the SDK's Query, the model a datasource's query JSON. */
interface QueryV1 {
  refId: NonNullable<sdk.Query['refId']>;
  datasourceUid: NonNullable<sdk.Query['datasourceUid']>;
  relativeTimeRange: NonNullable<sdk.Query['relativeTimeRange']>;
  model: Record<string, unknown>;
}

/** RecordV1: the SDK's RecordRule, with the file's camel-case `targetDatasourceUid`. */
type RecordV1 = Pick<sdk.RecordRule, 'metric' | 'from'> & { targetDatasourceUid?: string };

/** AlertRuleV1: the SDK's Rule fields the file shares; `keepFiringFor` is the file's spelling of `keep_firing_for`. */
type RuleV1 = Pick<sdk.Rule, 'title' | 'labels' | 'annotations' | 'isPaused'> & {
  /** @pattern ^[a-zA-Z0-9_-]{1,40}$ */
  uid: string;
  data: QueryV1[];
  condition?: string;
  noDataState?: sdk.Rule['noDataState'];
  execErrState?: sdk.Rule['execErrState'];
  for?: string;
  keepFiringFor?: string;
  notification_settings?: sdk.NotificationSettings;
  record?: RecordV1;
};

/** ContactPointV1 / ReceiverV1: the integrations of one contact point, typed as the SDK's ContactPoint. */
interface ContactPointV1 {
  orgId: number;
  name: string;
  receivers: Array<{ uid: NonNullable<sdk.ContactPoint['uid']>; type: sdk.ContactPoint['type']; settings: Record<string, unknown>; disableResolveMessage?: boolean }>;
}

/** The SDK's NotificationPolicy as the file writes it: matchers as object_matchers, child policies alike. */
type Policy = Pick<sdk.NotificationPolicy, 'receiver' | 'group_by' | 'group_wait' | 'group_interval' | 'repeat_interval' | 'continue' | 'mute_time_intervals' | 'active_time_intervals'> & {
  object_matchers?: Array<[string, '=' | '!=' | '=~' | '!~', string]>;
  routes?: Policy[];
};

/** NotificiationPolicyV1: an organisation's whole tree, its root inline beside orgId. */
type PolicyV1 = { orgId: number } & Policy & { receiver: string };

/**
 * MuteTimeV1: Alertmanager's time interval as its YAML spells it (`monday:friday`, `start_time`),
 * which the SDK's TimeInterval (the Go structs, begin/end numbers) does not describe.
 */
interface MuteTimeV1 {
  orgId: number;
  name: string;
  time_intervals: Array<{
    times?: Array<{ start_time: string; end_time: string }>;
    weekdays?: string[];
    days_of_month?: string[];
    months?: string[];
    years?: string[];
    location?: string;
  }>;
}

/** NotificationTemplateV1. */
interface TemplateV1 {
  orgId: number;
  name: NonNullable<sdk.NotificationTemplate['name']>;
  template: NonNullable<sdk.NotificationTemplate['template']>;
}
