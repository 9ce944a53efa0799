import type { Duration } from './duration.js';
import type { LintRuleId } from './suppression.js';

/**
 * A lint rule's severity: `error` fails the build; `warning` and `info` are reported.
 */
export type LintSeverity = 'error' | 'warning' | 'info';

/** The Prometheus version rules are compiled for when mon.config.ts declares none (Debian bookworm's). */
export const DEFAULT_PROMETHEUS_VERSION = '2.42';

/**
 * The Prometheus releases moncode knows what rule files may hold in (src/promql/versions.ts is
 * taken from Prometheus' sources up to 3.14.0): `prometheus.version` outside them is a bad config.
 */
export const PROMETHEUS_VERSIONS = { oldest: '2.0', newest: '3.14' } as const;

/** The Alertmanager version configs are compiled for when mon.config.ts declares none (Debian bookworm's). */
export const DEFAULT_ALERTMANAGER_VERSION = '0.25';

/** The Grafana version dashboards are compiled for when mon.config.ts declares none (schemaVersion 42 JSON). */
export const DEFAULT_GRAFANA_VERSION = '12.0';

type Version = `${number}.${number}` | `${number}.${number}.${number}`;

/** The rule-file dialect and version rules are compiled for. */
export interface PrometheusTarget {
  /**
   * `prometheus` (default): out/prometheus/rules; `thanos`: the same files with Thanos' fields;
   * `mimir` or `cortex`: ruler namespaces in out/mimir/<system>/ as mimirtool rules load reads them;
   * `loki`: LogQL rule files.
   */
  flavor?: 'prometheus' | 'thanos' | 'mimir' | 'cortex' | 'loki';
  /** Prometheus version the rule files must load in, e.g. `2.42` (default) or `3.1`; moncode knows 2.0 to 3.14. */
  version?: Version;
  /** How often targets are scraped (default `1m`, Prometheus' own default). */
  scrapeInterval?: Duration;
  /** How often rule groups are evaluated (default `1m`). */
  evaluationInterval?: Duration;
  /**
   * Feature flags the Prometheus runs with (its `--enable-feature`), e.g. `promql-experimental-functions`
   * for `sort_by_label`, `mad_over_time`, `limitk`. Default: none.
   */
  features?: PrometheusFeature[];
  /**
   * The Loki tenant (X-Scope-OrgID) a `loki` system's rules belong to: they are written to
   * out/loki/rules/<tenant>/, the layout of the Loki ruler's local rule storage. Default `fake`,
   * the tenant Loki uses when `auth_enabled` is false. Only for the `loki` flavor.
   */
  tenant?: string;
}

/** Prometheus `--enable-feature` flags that change what rule files may use. */
type PrometheusFeature =
  'promql-experimental-functions' | 'promql-duration-expr' | 'promql-extended-range-selectors' | 'promql-binop-fill-modifiers' | 'promql-delayed-name-removal' | 'use-start-timestamps';

/**
 * The Grafana a system's dashboards load in: version, dashboard schema (v1 JSON or v2 resources), provisioning path.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#dashboards
 */
export interface GrafanaTarget {
  /** Where Grafana finds the dashboards directory (the provider's `options.path`). */
  dashboardsPath?: string;
  /** Grafana version the dashboards must load in, e.g. `12.0` (default) or `13.0`. */
  version?: Version;
  /** Dashboard JSON model: `v1` (default, schemaVersion 42 JSON) or `v2` (Grafana 12+ `dashboard.grafana.app/v2` resources). */
  dashboardSchema?: 'v1' | 'v2';
  /**
   * Who evaluates the system's alert and recording rules and sends its notifications:
   * `prometheus` (default; rule files for Prometheus, alertmanager.yml for Alertmanager) or
   * `grafana` (Grafana-managed alerting, Grafana 12+: also out/grafana/provisioning/alerting/<system>.yaml
   * with the rules, contact points and mute timings, and the organisation's policies.yaml).
   */
  alerting?: 'prometheus' | 'grafana';
}

/** Project-wide Grafana settings: every system's provisioning loads into one Grafana. */
export interface GrafanaProjectTarget extends GrafanaTarget {
  /**
   * The organisation's default datasource, by uid or name (e.g. `agent-api-prometheus`). Grafana
   * refuses provisioning with two defaults in one organisation; without this setting at most one
   * datasource of all systems may say `isDefault: true`.
   */
  defaultDatasource?: string;
}

export interface AlertmanagerTarget {
  /** Alertmanager version the config must load in, e.g. `0.25` (default) or `0.28`. */
  version?: Version;
}

/** Kubernetes resources for the Prometheus Operator (and Grafana's dashboard sidecar/operator). */
export interface KubernetesDeployment {
  /** Namespace of every resource written, e.g. `monitoring`. */
  namespace: string;
  /** Labels on every resource, e.g. what the Prometheus' `ruleSelector` matches (`release: kube-prometheus-stack`). */
  labels?: Record<string, string>;
  /** Annotations on every resource. */
  annotations?: Record<string, string>;
  /**
   * Dashboards as resources in out/kubernetes/<system>/: `configmap` (default) for Grafana's
   * dashboard sidecar, `grafana` for Grafana's own dashboard.grafana.app resources (Git Sync,
   * grafanactl; v1 or v2 spec as grafana.dashboardSchema says), `grafana-operator` for the
   * grafana-operator's `GrafanaDashboard` (grafana.integreatly.org/v1beta1; v1 dashboards only,
   * see `grafanaOperator`), or `none`.
   */
  dashboards?: 'configmap' | 'grafana' | 'grafana-operator' | 'none';
  /** Labels the sidecar selects dashboard ConfigMaps by. Default: `{ grafana_dashboard: '1' }`. */
  dashboardLabels?: Record<string, string>;
  /** How `dashboards: 'grafana-operator'` writes its `GrafanaDashboard` resources. */
  grafanaOperator?: GrafanaOperatorDashboards;
}

/** A Go `time.Duration` as Kubernetes operators read it: `90s`, `5m`, `1h30m` (no days). */
export type GoDuration = `${bigint}${'ms' | 's' | 'm' | 'h'}` | `${bigint}${'h' | 'm'}${bigint}${'m' | 's'}`;

/** The grafana-operator's `GrafanaDashboard` settings (https://grafana.github.io/grafana-operator/docs/dashboards/). */
export interface GrafanaOperatorDashboards {
  /** Labels of the `Grafana` resources that import the dashboards (`spec.instanceSelector.matchLabels`). Default: `{ dashboards: 'grafana' }`, the operator's examples' label. */
  instanceSelector?: Record<string, string>;
  /** How often the operator re-applies each dashboard, a Go duration such as `5m` or `1h30m` (no `d`). Default: unset, the operator's own 10m. */
  resyncPeriod?: GoDuration;
  /**
   * Where the dashboard JSON lives: `json` (default) inline in `spec.json`; `configMapRef` in a
   * ConfigMap of its own (`configmap-dashboard-<uid>.yaml`, without the sidecar's labels) that
   * `spec.configMapRef` names.
   */
  content?: 'json' | 'configMapRef';
  /** Let `Grafana` resources in other namespaces import the dashboards (`spec.allowCrossNamespaceImport`). Default: false. */
  allowCrossNamespaceImport?: boolean;
}

/** How out/ is deployed: plain `files` (default) or, in addition, Kubernetes resources in out/kubernetes/<system>/. */
export type Deployment = 'files' | { kubernetes: KubernetesDeployment };

/**
 * A system's targets (Prometheus, Alertmanager, Grafana, deployment) over the project's: `systems.<name>` of mon.config.ts, the name a folder of definitions/.
 */
export interface SystemConfig {
  prometheus?: PrometheusTarget;
  alertmanager?: AlertmanagerTarget;
  grafana?: GrafanaTarget;
  deployment?: Deployment;
}

/**
 * `lint` of mon.config.ts: each rule's severity, and the labels, annotations and runbooks the rules require.
 */
export interface LintConfig {
  /** Severity per rule, or `off`. */
  rules?: Partial<Record<LintRuleId, LintSeverity | 'off'>>;
  /** Labels every alert needs, each with its allowed values (an empty list allows any value). Default: `severity` ∈ the severities `Severities` declares (critical, warning, info, none — an alert that never notifies, such as Watchdog — and those the project adds by augmenting it). */
  alertLabels?: Record<string, readonly string[]>;
  /** Labels every recording rule needs, with allowed values. Default: none. */
  recordLabels?: Record<string, readonly string[]>;
  /** Annotations that hold an alert's runbook link. Default: `runbook_url`, `runbook`. */
  runbookAnnotations?: readonly string[];
  /** Severities that need no runbook. Default: `info`, `none`. */
  runbookExemptSeverities?: readonly string[];
  /**
   * URL prefixes that point into this repository, e.g. `https://github.com/org/repo/blob/main/`.
   * mon-build writes a runbook annotation given as a repository path as a URL under the first.
   */
  runbookBaseUrls?: readonly string[];
  /** Annotations every alert should have. Default: `summary`, `description`. */
  alertAnnotations?: readonly string[];
  /** Labels every scraped series carries. Default: `job`, `instance`. */
  targetLabels?: readonly string[];
  /** Labels recording-rule names leave out of their level. Default: `cluster`. */
  implicitLevelLabels?: readonly string[];
  /**
   * Which rule files one Prometheus loads together, for `rule/duplicate`: every file linted or
   * built together (`deployment`, the default, as Prometheus loads all of its `rule_files`),
   * every file of one `directory`, or each `file` on its own. Definitions in TS are grouped by system.
   */
  duplicateScope?: 'deployment' | 'directory' | 'file';
}

/** Shares (percent, 0–100) of the hand-written rules `mon-test --coverage` requires; below one, it exits 1. Default: none required. */
export interface CoverageThresholds {
  /** Alerts some rule test expects firing. */
  alertsFired?: number;
  /** Alerts some rule test expects silent at an evaluation time. */
  alertsSilent?: number;
  /** Recording rules some rule test's `exprs` checks. */
  records?: number;
  /** Receivers of the Alertmanager configurations some routing test is routed to. */
  receivers?: number;
  /** Routes (the root included) some routing test's alert passes through or ends at. */
  routes?: number;
  /** Inhibit rules that mute an alert in some routing test. */
  inhibitRules?: number;
}

/**
 * `tests` of mon.config.ts: the coverage `mon-test --coverage` requires.
 */
export interface TestsConfig {
  coverage?: CoverageThresholds;
}

/**
 * What `defineConfig({…})` takes (mon.config.ts): paths, targets, per-system overrides, lint and test settings; everything has a default.
 */
export interface MoncodeConfig extends SystemConfig {
  grafana?: GrafanaProjectTarget;
  /** Folder of TS definitions (default `definitions`). Each sub-folder is a system. */
  definitions?: string;
  /** Folder the build writes (default `out`). */
  out?: string;
  /** Per-system overrides, keyed by the folder name under definitions/. */
  systems?: Record<string, SystemConfig>;
  lint?: LintConfig;
  /** `mon-test` settings. */
  tests?: TestsConfig;
}

/** The project configuration, `mon.config.ts`: `export default defineConfig({ … })`. */
export function defineConfig(config: MoncodeConfig): MoncodeConfig {
  return config;
}
