/**
 * moncode's authoring API: what files in definitions/ import.
 *
 * @packageDocumentation
 */
export { defineConfig } from './model/config.js';
export type { CoverageThresholds, TestsConfig, LintConfig, LintSeverity, MoncodeConfig, PrometheusTarget, GrafanaTarget, SystemConfig } from './model/config.js';
export { alertmanager, receiver, timeInterval } from './model/alertmanager.js';
export type {
  Alertmanager,
  AlertmanagerSpec,
  DiscordConfig,
  EmailConfig,
  GlobalConfig,
  IncidentioConfig,
  InhibitRule,
  JiraConfig,
  Matcher,
  MattermostConfig,
  MsTeamsConfig,
  MsTeamsV2Config,
  OpsgenieConfig,
  PagerdutyConfig,
  PushoverConfig,
  Receiver,
  RocketchatConfig,
  Route,
  SecretFile,
  SlackConfig,
  SnsConfig,
  TelegramConfig,
  TimeInterval,
  TimeRange,
  VictorOpsConfig,
  WebexConfig,
  WebhookConfig,
  WechatConfig,
  Weekday,
} from './model/alertmanager.js';
export { metricCatalog } from './model/catalog.js';
export type { MetricCatalog, MetricCatalogSpec, MetricSpec } from './model/catalog.js';
export { dashboard } from './model/dashboard.js';
export { slo } from './model/slo.js';
export type { AlertTier, BurnWindow, ErrorRatioSli, GoodRatioSli, LatencySli, ObjectiveInput, RawSli, Sli, Slo, SloAlerting, SloSpec } from './model/slo.js';
export type { Annotation, Dashboard, DashboardLink, DashboardSpec } from './model/dashboard.js';
export { datasource, fromEnv, fromFile } from './model/datasource.js';
export type { Datasource, DatasourceName, Datasources, DatasourceSpec, DatasourceType, SecretRef } from './model/datasource.js';
export type { Duration, GrafanaTime, RefreshInterval, RelativeTime } from './model/duration.js';
export {
  alertlist,
  barchart,
  bargauge,
  gauge,
  heatmap,
  histogram,
  logs,
  nodeGraph,
  piechart,
  grafanaPanel,
  pluginPanel,
  row,
  stat,
  tab,
  tabs,
  stateTimeline,
  statusHistory,
  table,
  text,
  timeseries,
  traces,
} from './model/panel.js';
export type {
  AlertListPanel,
  NodeGraphPanel,
  TracesPanel,
  BarChartPanel,
  BarGaugePanel,
  Color,
  DeepPartial,
  FieldOverride,
  GaugePanel,
  GridPos,
  GridWidth,
  HeatmapPanel,
  HistogramPanel,
  LogsPanel,
  Panel,
  PanelLink,
  PanelType,
  PieChartPanel,
  OtherBuiltInPanel,
  OtherBuiltInPanelType,
  PluginPanel,
  PluginPanelId,
  Reducer,
  Row,
  Tab,
  Tabs,
  StatPanel,
  StateTimelinePanel,
  StatusHistoryPanel,
  TablePanel,
  TextPanel,
  ThresholdSteps,
  ThresholdsInput,
  TimeseriesPanel,
} from './model/panel.js';
export { jaeger, loki, prom } from './model/query.js';
export type { JaegerTarget, LokiTarget, PromTarget, Target } from './model/query.js';
export { alertRule, recordingRule, ruleGroup } from './model/rule.js';
export type { AlertAnnotations, AlertLabels, AlertRule, RecordingRule, Rule, RuleGroup, RuleGroupSpec } from './model/rule.js';
export { ruleTest } from './model/rule-test.js';
export { routeTest } from './model/route-test.js';
export type { RouteTest, RouteTestSpec, TestAlert } from './model/route-test.js';
export type { AlertExpectation, ExpectedAlert, ExpectedSample, ExprExpectation, InputSeries, RuleTest, RuleTestSpec } from './model/rule-test.js';
export type { Severities, Severity } from './model/severity.js';
export type { LintRuleId, Suppression } from './model/suppression.js';
export type { GrafanaUnit, Unit } from './model/unit.js';
export { adhocVariable, constantVariable, customVariable, datasourceVariable, intervalVariable, queryVariable, textboxVariable } from './model/variable.js';
export type { AdhocVariable, ConstantVariable, CustomVariable, DatasourceVariable, IntervalVariable, QueryVariable, TextboxVariable, Variable } from './model/variable.js';
