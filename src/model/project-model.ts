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
