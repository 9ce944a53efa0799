import type { Duration } from './duration.js';
import { brand, type Resource } from './resource.js';
import type { Slo } from './slo.js';
import type { Severity } from './severity.js';
import type { Suppressible } from './suppression.js';

/**
 * An alert's labels: `severity` is one `Severities` declares, any other label a string.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
export type AlertLabels = { severity?: Severity } & { [label: string]: string | undefined };

/**
 * An alert's annotations: `summary`, `description`, a runbook link, and any other, as Go templates.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/template_examples/
 */
export type AlertAnnotations = {
  summary?: string;
  description?: string;
  /** A URL, or a path to a Markdown page in this repository (`docs/runbooks/x.md#section`). */
  runbook_url?: string;
} & { [annotation: string]: string | undefined };

/**
 * An alerting rule, as `alertRule()` makes it.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
export interface AlertRule extends Suppressible {
  /** Alert name: a valid label value, conventionally CamelCase. */
  alert: string;
  /** PromQL (LogQL for Loki targets). */
  expr: string;
  /** How long the condition must hold before firing. */
  for?: Duration;
  /** How long to keep firing after the condition clears (Prometheus ≥ 2.42). */
  keep_firing_for?: Duration;
  labels?: AlertLabels;
  annotations?: AlertAnnotations;
  /** The SLO this alert protects: lint checks its threshold, windows and detection time against it. */
  slo?: Slo | string;
}

/**
 * A recording rule, as `recordingRule()` makes it.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 */
export interface RecordingRule extends Suppressible {
  /** Series name, conventionally `level:metric:operations`. */
  record: string;
  expr: string;
  labels?: { [label: string]: string };
}

/**
 * A rule of a rule group: alerting or recording.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/#rule_group
 */
export type Rule = AlertRule | RecordingRule;

/**
 * What `ruleGroup({…})` takes: a rule group of a rule file, with its evaluation interval and rules.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/#rule_group
 */
export interface RuleGroupSpec extends Suppressible {
  /** Unique within its rule file. */
  name: string;
  /** Evaluation interval; the server's global interval when omitted. */
  interval?: Duration;
  /** Maximum alerts / series a rule may produce (0 = no limit). */
  limit?: number;
  /** Evaluate as if this much earlier (Prometheus ≥ 2.53, Mimir). */
  query_offset?: Duration;
  /** Labels added to every rule in the group (Prometheus ≥ 3.0). */
  labels?: { [label: string]: string };
  /** Thanos Ruler only. */
  partial_response_strategy?: 'warn' | 'abort';
  /** Mimir federated rule groups only. */
  source_tenants?: string[];
  /** Mimir only: its older name of `query_offset` (deprecated there; prefer `query_offset`). */
  evaluation_delay?: Duration;
  /** Mimir only: evaluate at multiples of the interval (aligned across rulers) instead of spreading groups. */
  align_evaluation_time_on_interval?: boolean;
  /** Rule file this group is written to, without extension; defaults to the system name. */
  file?: string;
  rules: Rule[];
}

/**
 * A rule group as `ruleGroup()` returns it.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/#rule_group
 */
export type RuleGroup = RuleGroupSpec & Resource<'rule-group'>;

/** A Prometheus rule group, compiled to `out/prometheus/rules/<file>.rules.yml`. */
export function ruleGroup(spec: RuleGroupSpec): RuleGroup {
  return brand(spec, 'rule-group');
}

/** An alerting rule. The identity function: it exists for completion and readability. */
export function alertRule(spec: AlertRule): AlertRule {
  return spec;
}

/** A recording rule. */
export function recordingRule(spec: RecordingRule): RecordingRule {
  return spec;
}

export function isAlertRule(rule: Rule): rule is AlertRule {
  return (rule as AlertRule).alert !== undefined;
}
