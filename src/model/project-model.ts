import type { Locator } from './locator.js';
import type { Suppression } from './suppression.js';
import type { Where } from './source-location.js';

/**
 * What lint rules and the emitter see: every resource in its output shape,
 * whether it was compiled from TS or read from YAML/JSON, with a locator that
 * leads each part back to where it was written.
 */

/** A `lint: { disable, reason }` (TS) or `# mon-lint disable` (YAML) applying to a pointer and below. */
export interface ScopedSuppression {
  pointer: string;
  suppression: Suppression;
  where?: Where;
}

export interface GridPosJson {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface GrafanaPanelJson {
  type: string;
  id?: number;
  title?: string;
  gridPos?: GridPosJson;
  datasource?: unknown;
  targets?: Array<Record<string, unknown>>;
  panels?: GrafanaPanelJson[];
  collapsed?: boolean;
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  options?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GrafanaDashboardJson {
  uid?: string;
  title?: string;
  panels?: GrafanaPanelJson[];
  templating?: { list?: Array<Record<string, unknown>> };
  [key: string]: unknown;
}

export interface DashboardModel {
  uid: string;
  title: string;
  folder: string;
  system: string;
  json: GrafanaDashboardJson;
  locator: Locator;
  /** The file it was written in (a TS module or a dashboard JSON file). */
  file: string;
  from: 'ts' | 'json';
  suppressions: ScopedSuppression[];
  /** Made by moncode (the dashboard of a service's SLOs), not written by anyone. */
  generated?: boolean;
}

/** One rule in Prometheus' rule-file shape. */
export interface RuleModel {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rule group in Prometheus' rule-file shape; pointers are relative to the group (`/rules/3/expr`). */
export interface RuleGroupModel {
  name: string;
  interval?: string;
  limit?: number;
  query_offset?: string;
  labels?: Record<string, string>;
  partial_response_strategy?: 'warn' | 'abort';
  source_tenants?: string[];
  rules: RuleModel[];
  system: string;
  /** Output rule file name, without extension. */
  outputName: string;
  /** The file it was written in (a TS module or a rule YAML file). */
  file: string;
  from: 'ts' | 'yaml';
  locator: Locator;
  suppressions: ScopedSuppression[];
  /** Set on the rules moncode generates for an SLO. */
  generatedFrom?: SloModel;
}

/** An Alertmanager configuration in alertmanager.yml's shape; pointers as in the YAML (`/route/routes/0`). */
export interface AlertmanagerModel {
  system: string;
  file: string;
  from: 'ts' | 'yaml';
  config: Record<string, unknown>;
  locator: Locator;
  suppressions: ScopedSuppression[];
}

/** A datasource Grafana knows: from TS definitions or a provisioning file. */
export interface DatasourceDeclaration {
  name: string;
  uid: string;
  type: string;
  system: string;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'info' | 'stateset' | 'gaugehistogram';

export interface CatalogMetric {
  name: string;
  type: MetricType;
  /** Label names the metric carries (without target labels). */
  labels: ReadonlySet<string>;
  unit?: string;
  /** Histogram bucket boundaries (`le` values), when known. */
  buckets?: readonly number[];
}

/** What is known about the metrics a system exposes: declared in TS, or read from a saved /metrics page. */
export interface MetricCatalogModel {
  metrics: Map<string, CatalogMetric>;
  /** Labels every scraped series gets from its target (default `job`, `instance`). */
  targetLabels: readonly string[];
}

/** An SLI, normalised: queries are built per window from these. */
export type SliModel =
  /** Counter selectors (`errors` or `good` over `total`). */
  | { kind: 'ratio'; errors?: string; good?: string; total: string }
  /** Requests slower than `thresholdSeconds` from a classic histogram `metric` (`_bucket`/`_count` appended). */
  | { kind: 'latency'; metric: string; matchers: string; thresholdSeconds: number; le: string }
  /** Error and total queries with a window placeholder (Sloth's `events`). */
  | { kind: 'events'; errorQuery: string; totalQuery: string }
  /** An error-ratio query with a window placeholder. */
  | { kind: 'raw'; errorRatio: string };

/** One generated multi-window burn-rate alert. */
export interface BurnTierModel {
  /** `page-fast`, `page-slow`, `ticket-fast`, `ticket-slow`, or `page-3` for extra pairs. */
  tier: string;
  kind: 'page' | 'ticket';
  severity: string;
  long: string;
  short: string;
  burn: number;
  for?: string;
  labels: Record<string, string>;
}

/** An SLO from TS, OpenSLO or a Sloth spec: everything generation and lint need. */
export interface SloModel {
  name: string;
  service: string;
  /** `<service>-<name>`, Sloth's `sloth_id`. */
  id: string;
  description?: string;
  /** Ratio in (0, 1). */
  objective: number;
  /** The objective as written, for labels (`99.9`). */
  objectiveText: string;
  period: string;
  budgeting: { kind: 'occurrences' } | { kind: 'timeslices'; window: string; target: number };
  sli: SliModel;
  /** Generated alerts; empty when alerting is off. */
  tiers: BurnTierModel[];
  alertName: string;
  absentAlert: boolean;
  alertLabels: Record<string, string>;
  alertAnnotations: Record<string, string>;
  detectionTime?: string;
  runbook?: string;
  labels: Record<string, string>;
  system: string;
  file: string;
  from: 'ts' | 'openslo' | 'sloth';
  /** Pointers: `/objective`, `/sli`, `/alerting`, `/detectionTime`, `/tiers/0`. */
  locator: Locator;
  suppressions: ScopedSuppression[];
}
