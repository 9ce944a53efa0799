import type * as schema from '@grafana/schema';
import type * as BarChart from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type * as BarGauge from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type * as Gauge from '@grafana/schema/dist/esm/raw/composable/gauge/panelcfg/x/GaugePanelCfg_types.gen';
import type * as Heatmap from '@grafana/schema/dist/esm/raw/composable/heatmap/panelcfg/x/HeatmapPanelCfg_types.gen';
import type * as Histogram from '@grafana/schema/dist/esm/raw/composable/histogram/panelcfg/x/HistogramPanelCfg_types.gen';
import type * as Logs from '@grafana/schema/dist/esm/raw/composable/logs/panelcfg/x/LogsPanelCfg_types.gen';
import type * as NodeGraph from '@grafana/schema/dist/esm/raw/composable/nodegraph/panelcfg/x/NodeGraphPanelCfg_types.gen';
import type * as PieChart from '@grafana/schema/dist/esm/raw/composable/piechart/panelcfg/x/PieChartPanelCfg_types.gen';
import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as StateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type * as StatusHistory from '@grafana/schema/dist/esm/raw/composable/statushistory/panelcfg/x/StatusHistoryPanelCfg_types.gen';
import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type * as Text from '@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen';
import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type { Datasource, DatasourceName } from './datasource.js';
import type { Target } from './query.js';
import { derive } from './resource.js';
import { markArguments } from './source-location.js';
import type { Suppressible } from './suppression.js';
import type { Unit } from './unit.js';
import type { Variable } from './variable.js';

/**
 * Fields @grafana/schema types as plain strings that hold one of Grafana's ids: reducers
 * (`legend.calcs`, `reduceOptions.calcs`, a table footer's `reducers`) and units.
 */
interface GrafanaIds {
  calcs: Reducer[];
  reducers: Reducer[];
  unit: Unit;
  mainStatUnit: Unit;
  secondaryStatUnit: Unit;
}

/**
 * Every property optional, all the way down (Grafana fills the rest from the
 * plugin's defaults), string enums of @grafana/schema accepted as their
 * values (`drawStyle: 'bars'`), and the string fields that hold reducer or
 * unit ids typed as those (`calcs: ['mean']`; `calcs: ['avg']` is a type error).
 */
export type DeepPartial<T> = T extends string
  ? `${T}`
  : T extends readonly (infer U)[]
    ? DeepPartial<U>[]
    : T extends object
      ? { [K in keyof T]?: K extends keyof GrafanaIds ? (NonNullable<T[K]> extends string | readonly string[] ? GrafanaIds[K] : DeepPartial<T[K]>) : DeepPartial<T[K]> }
      : T;

type Hue = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple';
/** Grafana's named colours, or a CSS hex/rgb/hsl colour. */
export type Color =
  | Hue
  | `${'dark' | 'semi-dark' | 'light' | 'super-light'}-${Hue}`
  | 'text'
  | 'transparent'
  | 'white'
  | 'black'
  | `#${string}`
  | `rgb(${string})`
  | `rgba(${string})`
  | `hsl(${string})`
  | `hsla(${string})`;

/**
 * Threshold steps keyed by the value they start at: `{ 0: 'green', 80: 'yellow', 90: 'red' }`.
 * The lowest step is the base colour (Grafana's `-Infinity` step).
 */
export type ThresholdSteps = { readonly [value: number]: Color };

/**
 * Thresholds: `{ 0: 'green', 80: 'red' }` (from each value up, a color), or `{ mode, steps }` with `percentage` mode.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/configure-thresholds/
 */
export type ThresholdsInput = ThresholdSteps | { mode?: 'absolute' | 'percentage'; steps: ThresholdSteps | readonly schema.Threshold[] };

type OverrideProperties = {
  unit?: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  displayName?: string;
  noValue?: string;
  color?: DeepPartial<schema.FieldColor>;
  thresholds?: ThresholdsInput;
  mappings?: Array<DeepPartial<schema.ValueMapping>>;
} & { [custom: `custom.${string}`]: unknown };

/** Field overrides: Grafana's own shape, or `{ byName: 'errors', set: { unit: 'percent' } }`. */
export type FieldOverride =
  | { matcher: schema.MatcherConfig; properties: Array<{ id: string; value?: unknown }> }
  | { byName: string; set: OverrideProperties }
  | { byRegexp: string; set: OverrideProperties }
  | { byRefId: string; set: OverrideProperties }
  | { byType: 'number' | 'string' | 'time' | 'boolean' | 'other'; set: OverrideProperties };

/** Grid columns a panel spans (Grafana's grid is 24 wide). */
export type GridWidth = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 24;

/**
 * Where a panel sits on Grafana's 24-column grid: column `x`, row `y`, width `w`, height `h` (in grid rows).
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/#panels
 */
export interface GridPos {
  x: number;
  y: number;
  w: GridWidth;
  h: number;
}

/**
 * A link in a panel's header.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/configure-panel-options/#panel-links
 */
export interface PanelLink {
  title: string;
  url: string;
  targetBlank?: boolean;
}

interface PanelBase extends Suppressible {
  title: string;
  description?: string;
  /** Datasource for this panel's queries; defaults to the dashboard's. */
  datasource?: Datasource | DatasourceName;
  targets?: Target[];
  /** Columns (1–24). Automatic layout picks a width by panel type when omitted. */
  width?: GridWidth;
  /** Rows of 30px. Defaults to 8 (4 for stat). */
  height?: number;
  /** Explicit position inside its row (y counts from the row's first line); checked against the others. */
  gridPos?: GridPos;
  unit?: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ThresholdsInput;
  /** How threshold lines/areas are drawn on graphs. */
  thresholdsStyle?: 'off' | 'line' | 'area' | 'line+area' | 'dashed' | 'dashed+area';
  mappings?: Array<DeepPartial<schema.ValueMapping>>;
  overrides?: FieldOverride[];
  color?: DeepPartial<schema.FieldColor>;
  noValue?: string;
  displayName?: string;
  links?: PanelLink[];
  repeat?: string;
  repeatDirection?: 'h' | 'v';
  maxPerRow?: 2 | 3 | 4 | 6 | 8 | 12;
  /** Minimum query interval for all queries. */
  interval?: string;
  maxDataPoints?: number;
  timeFrom?: string;
  timeShift?: string;
  hideTimeOverride?: boolean;
  transparent?: boolean;
  transformations?: schema.DataTransformerConfig[];
  /**
   * Panel JSON fields moncode does not model, written over what it compiles (objects merged,
   * anything else replaced): the escape hatch mon-import uses so no field is dropped.
   */
  extra?: Record<string, unknown>;
}

type WithOptions<T extends string, O, C = never> = PanelBase & {
  type: T;
  /** Plugin options; anything left out takes Grafana's default. */
  options?: DeepPartial<O>;
} & ([C] extends [never] ? unknown : { /** Plugin field config (`fieldConfig.defaults.custom`). */ custom?: DeepPartial<C> });

type Legend = { legend?: DeepPartial<schema.VizLegendOptions> };
type Tooltip = { tooltip?: DeepPartial<schema.VizTooltipOptions> };
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/**
 * Grafana's reducer ids (the calculations of a stat, gauge or bar gauge: `ReducerID` in Grafana's
 * `fieldReducer.ts`, Grafana 11 and 12), with the percentiles `p1` … `p99`. The aliases Grafana
 * still resolves in old dashboards (`avg`, `current`, `total`) are left out: Grafana saves `mean`,
 * `lastNotNull` and `sum`, and so does moncode.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/query-transform-data/calculation-types/
 */
export type Reducer =
  | 'lastNotNull'
  | 'last'
  | 'firstNotNull'
  | 'first'
  | 'min'
  | 'max'
  | 'mean'
  | 'median'
  | 'variance'
  | 'stdDev'
  | 'sum'
  | 'count'
  | 'countAll'
  | 'range'
  | 'delta'
  | 'step'
  | 'diff'
  | 'diffperc'
  | 'logmin'
  | 'allIsZero'
  | 'allIsNull'
  | 'changeCount'
  | 'distinctCount'
  | 'allValues'
  | 'uniqueValues'
  | `p${Exclude<Digit, '0'>}`
  | `p${Exclude<Digit, '0'>}${Digit}`;

type Reduce = {
  /** Reduce a series to one value: `lastNotNull` (default), `mean`, `max`, `p95`, … (Grafana's reducer ids). */
  reduce?: Reducer;
};

/**
 * What `timeseries()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/time-series/
 */
export type TimeseriesPanel = WithOptions<'timeseries', TimeSeries.Options, TimeSeries.FieldConfig> & Legend & Tooltip;
/**
 * What `stat()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/stat/
 */
export type StatPanel = WithOptions<'stat', Stat.Options> & Reduce;
/**
 * What `gauge()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/gauge/
 */
export type GaugePanel = WithOptions<'gauge', Gauge.Options> & Reduce;
/**
 * What `bargauge()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/bar-gauge/
 */
export type BarGaugePanel = WithOptions<'bargauge', BarGauge.Options> & Reduce & Legend;
/**
 * What `table()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/table/
 */
export type TablePanel = WithOptions<'table', Table.Options, Table.FieldConfig>;
/**
 * What `piechart()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/pie-chart/
 */
export type PieChartPanel = WithOptions<'piechart', PieChart.Options, PieChart.FieldConfig> &
  Reduce &
  Tooltip & {
    legend?: DeepPartial<PieChart.PieChartLegendOptions>;
  };
/**
 * What `text()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/text/
 */
export type TextPanel = WithOptions<'text', Text.Options> & {
  /** Markdown (or HTML with `mode: 'html'`). */
  content?: string;
  mode?: 'markdown' | 'html' | 'code';
};
/**
 * What `logs()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/logs/
 */
export type LogsPanel = WithOptions<'logs', Logs.Options>;
/**
 * What `heatmap()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/heatmap/
 */
export type HeatmapPanel = WithOptions<'heatmap', Heatmap.Options, Heatmap.FieldConfig>;
/**
 * What `histogram()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/histogram/
 */
export type HistogramPanel = WithOptions<'histogram', Histogram.Options, Histogram.FieldConfig> & Legend & Tooltip;
/**
 * What `barchart()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/bar-chart/
 */
export type BarChartPanel = WithOptions<'barchart', BarChart.Options, BarChart.FieldConfig> & Legend & Tooltip;
/**
 * What `stateTimeline()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/state-timeline/
 */
export type StateTimelinePanel = WithOptions<'state-timeline', StateTimeline.Options, StateTimeline.FieldConfig> & Legend & Tooltip;
/**
 * What `statusHistory()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/status-history/
 */
export type StatusHistoryPanel = WithOptions<'status-history', StatusHistory.Options, StatusHistory.FieldConfig> & Legend & Tooltip;

/** Options of Grafana's alert list panel (its schema is not published in @grafana/schema). */
interface AlertListOptions {
  viewMode: 'list' | 'stat';
  groupMode: 'default' | 'custom';
  groupBy: string[];
  maxItems: number;
  sortOrder: 1 | 2 | 3 | 4 | 5;
  dashboardAlerts: boolean;
  alertName: string;
  alertInstanceLabelFilter: string;
  datasource: string;
  folder: { uid: string; title?: string };
  showInstances: boolean;
  stateFilter: { firing: boolean; pending: boolean; noData: boolean; normal: boolean; error: boolean; recovering: boolean };
}
/**
 * What `alertlist()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/alert-list/
 */
export type AlertListPanel = WithOptions<'alertlist', AlertListOptions>;
/**
 * Grafana's trace view (its options are not published in @grafana/schema; it has none worth setting).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/traces/
 */
export type TracesPanel = WithOptions<'traces', Record<string, never>>;
/**
 * What `nodeGraph()` takes: the panel's title, queries and layout, with Grafana's own options and field config for it (from @grafana/schema).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/node-graph/
 */
export type NodeGraphPanel = WithOptions<'nodeGraph', NodeGraph.Options>;

/** Panels Grafana ships whose options @grafana/schema does not publish; their options are written as given. */
export type OtherBuiltInPanelType = 'dashlist' | 'geomap' | 'news' | 'canvas' | 'xychart' | 'trend' | 'flamegraph' | 'annolist' | 'candlestick' | 'datagrid' | 'debug' | 'welcome' | 'gettingstarted';
/**
 * A built-in Grafana panel moncode has no helper for (`geomap`, `canvas`, `xychart`, …), as `grafanaPanel()` takes it.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/
 */
export type OtherBuiltInPanel = WithOptions<OtherBuiltInPanelType, Record<string, unknown>> & { custom?: Record<string, unknown> };

/**
 * A panel plugin's id: `<org>-<name>-panel`, as Grafana's plugin catalog requires
 * (`grafana-clock-panel`, `marcusolsson-dynamictext-panel`).
 */
export type PluginPanelId = `${string}-panel`;

/**
 * A panel of an installed plugin moncode has no types for. `Options` types its `options` and
 * `FieldConfig` its field config (`fieldConfig.defaults.custom`), as the plugin's own
 * `panelcfg` types do; without them any object is accepted.
 * @see https://grafana.com/docs/grafana/latest/administration/plugin-management/
 */
export type PluginPanel<Options extends object = Record<string, unknown>, FieldConfig extends object = Record<string, unknown>> = PanelBase & {
  type: PluginPanelId;
  /** Plugin options; anything left out takes the plugin's default. */
  options?: DeepPartial<Options>;
  /** Plugin field config (`fieldConfig.defaults.custom`). */
  custom?: DeepPartial<FieldConfig>;
};

/**
 * A panel of a dashboard: one of the helpers' (`timeseries()`, `stat()`, …), `grafanaPanel()` or `pluginPanel()`.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/
 */
export type Panel =
  | PluginPanel<object, object>
  | TimeseriesPanel
  | StatPanel
  | GaugePanel
  | BarGaugePanel
  | TablePanel
  | PieChartPanel
  | TextPanel
  | LogsPanel
  | HeatmapPanel
  | HistogramPanel
  | BarChartPanel
  | StateTimelinePanel
  | StatusHistoryPanel
  | AlertListPanel
  | TracesPanel
  | NodeGraphPanel
  | OtherBuiltInPanel;

/**
 * A panel's plugin id (`timeseries`, `stat`, a plugin's `<name>-panel`).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/
 */
export type PanelType = Panel['type'];

/**
 * Grafana 13's auto grid (dashboards of schema v2 only): panels flow in the order written into
 * equal columns Grafana sizes to the screen; their `width`, `height` and `gridPos` do not apply.
 */
export interface AutoGrid {
  /** At most this many columns (Grafana's default 3). */
  maxColumns?: number;
  /** A width mode, or a minimum column width in pixels (Grafana's `custom` mode). */
  columnWidth?: 'narrow' | 'standard' | 'wide' | number;
  /** A height mode, or a row height in pixels (Grafana's `custom` mode). */
  rowHeight?: 'short' | 'standard' | 'tall' | number;
  /** Stretch the panels to fill the screen's height. */
  fillScreen?: boolean;
}

/**
 * A row of a dashboard, as `row()` makes it: a title over the panels below it, collapsible.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/create-dashboard/#configure-repeating-rows
 */
export interface Row extends Suppressible {
  type: 'row';
  title: string;
  /** The row's panels, or one `tabs(…)` (schema v2 only) that fills the row. */
  panels: Array<Panel | Tabs>;
  /** Lay this row's panels out in an auto grid (schema v2 only). */
  autoGrid?: AutoGrid;
  /** Collapsed rows keep their panels folded until opened. */
  collapsed?: boolean;
  /** Repeat the row for each value of this variable. */
  repeat?: string;
  /** Section variables (schema v2 only): shown in the row's header, usable by its panels only. */
  variables?: Variable[];
  /** Row JSON fields moncode does not model, written over what it compiles. */
  extra?: Record<string, unknown>;
}

/** One tab of a {@link Tabs} layout (schema v2 dashboards only). */
export interface Tab extends Suppressible {
  type: 'tab';
  title: string;
  /** The tab's content: panels, rows (panels before the first row sit above it), or one nested `tabs(…)`. */
  panels: Array<Panel | Row | Tabs>;
  /** Lay the tab's panels (outside rows) out in an auto grid. */
  autoGrid?: AutoGrid;
  /** Repeat the tab for each value of this variable. */
  repeat?: string;
  /** Section variables: shown on the tab, usable by its panels only. */
  variables?: Variable[];
}

/** Tabs (Grafana 13's `TabsLayout`, schema v2 dashboards only): the only item where it stands. */
export interface Tabs {
  type: 'tabs';
  tabs: Tab[];
}

// Omit<> over a union would collapse it; this keeps each panel's own fields.
type Spec<P> = P extends { type: infer _ } ? Omit<P, 'type'> : never;

function panelKind<P extends Panel>(type: P['type']) {
  return (spec: Spec<P>): P => derive(spec, { type }) as unknown as P;
}

/**
 * A time series panel: values over time as lines, bars or points.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/time-series/
 */
export const timeseries = panelKind<TimeseriesPanel>('timeseries');
/**
 * A stat panel: one big value per series (reduced with `reduce`), with an optional sparkline.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/stat/
 */
export const stat = panelKind<StatPanel>('stat');
/**
 * A gauge panel: one reduced value per series against its thresholds.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/gauge/
 */
export const gauge = panelKind<GaugePanel>('gauge');
/**
 * A bar gauge panel: one reduced value per series as a horizontal or vertical bar.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/bar-gauge/
 */
export const bargauge = panelKind<BarGaugePanel>('bargauge');
/**
 * A table panel: query results as rows and columns.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/table/
 */
export const table = panelKind<TablePanel>('table');
/**
 * A pie chart panel: the share of each series in the total.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/pie-chart/
 */
export const piechart = panelKind<PieChartPanel>('piechart');
/**
 * A text panel: Markdown or HTML shown on the dashboard.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/text/
 */
export const text = panelKind<TextPanel>('text');
/**
 * A logs panel: log lines of a Loki (or other logs) query.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/logs/
 */
export const logs = panelKind<LogsPanel>('logs');
/**
 * A heatmap panel: the distribution of values (histogram buckets) over time.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/heatmap/
 */
export const heatmap = panelKind<HeatmapPanel>('heatmap');
/**
 * A histogram panel: the distribution of values over the whole time range.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/histogram/
 */
export const histogram = panelKind<HistogramPanel>('histogram');
/**
 * A bar chart panel: categorical data as bars.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/bar-chart/
 */
export const barchart = panelKind<BarChartPanel>('barchart');
/**
 * A state timeline panel: state changes of each series over time.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/state-timeline/
 */
export const stateTimeline = panelKind<StateTimelinePanel>('state-timeline');
/**
 * A status history panel: periodic states of each series as a grid.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/status-history/
 */
export const statusHistory = panelKind<StatusHistoryPanel>('status-history');
/**
 * An alert list panel: the alerts Grafana knows and their states.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/alert-list/
 */
export const alertlist = panelKind<AlertListPanel>('alertlist');
/**
 * A traces panel: one distributed trace (Tempo, Jaeger).
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/traces/
 */
export const traces = panelKind<TracesPanel>('traces');
/**
 * A node graph panel: a directed graph of services and their edges.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/node-graph/
 */
export const nodeGraph = panelKind<NodeGraphPanel>('nodeGraph');

/**
 * One of Grafana's own panels moncode has no typed options for: `grafanaPanel({ type: 'geomap', title: 'Sites', options: { … } })`.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/
 */
export function grafanaPanel(spec: OtherBuiltInPanel): OtherBuiltInPanel {
  return derive(spec, {});
}

/**
 * A plugin panel, typed by the plugin's options and field config:
 * `pluginPanel<ClockOptions>({ type: 'grafana-clock-panel', title: 'Time', options: { mode: 'countdown' } })`.
 */
export function pluginPanel<Options extends object = Record<string, unknown>, FieldConfig extends object = Record<string, unknown>>(
  // Not inferred from the spec: without type arguments any options are accepted, with them they are checked.
  spec: PluginPanel<NoInfer<Options>, NoInfer<FieldConfig>>,
): PluginPanel<Options, FieldConfig> {
  return derive(spec, {});
}

/** The panel types Grafana ships, each with its constructor above (and rows). */
export const BUILT_IN_PANEL_TYPES: ReadonlySet<string> = new Set<Exclude<PanelType, PluginPanelId> | 'row'>([
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'piechart',
  'text',
  'logs',
  'heatmap',
  'histogram',
  'barchart',
  'state-timeline',
  'status-history',
  'alertlist',
  'traces',
  'nodeGraph',
  'row',
]);

/** Grafana's panels without typed options (`grafanaPanel`). */
export const OTHER_BUILT_IN_PANEL_TYPES: ReadonlySet<string> = new Set<OtherBuiltInPanelType>([
  'dashlist',
  'geomap',
  'news',
  'canvas',
  'xychart',
  'trend',
  'flamegraph',
  'annolist',
  'candlestick',
  'datagrid',
  'debug',
  'welcome',
  'gettingstarted',
]);

/** A row of panels: `row('Traffic', [timeseries(…), stat(…)], { collapsed: true })`. */
export function row(title: string, panels: Array<Panel | Tabs>, options: Omit<Row, 'type' | 'title' | 'panels'> = {}): Row {
  return markArguments(derive(options, { type: 'row' as const, title, panels }), ['title', 'panels']);
}

/**
 * Tabs, one page of panels each (schema v2 dashboards, Grafana 13+):
 * `tabs(tab('Overview', [stat(…)]), tab('Details', [row('Traffic', […])]))`. It stands alone
 * where it is: as a dashboard's `panels`, a row's panels or a tab's. A v1 dashboard has no tabs:
 * there it is an error.
 * @see https://grafana.com/docs/grafana/latest/observability-as-code/schema-v2/layout-schema/
 */
export function tabs(...items: Tab[]): Tabs {
  return markArguments(derive({}, { type: 'tabs' as const, tabs: items }), ['tabs']);
}

/**
 * One tab: `tab('Details', [timeseries(…)], { variables: [customVariable(…)], repeat: 'region' })`.
 * Its `variables` are section variables, shown on the tab and used by its panels only.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/create-dynamic-dashboard/
 */
export function tab(title: string, panels: Array<Panel | Row | Tabs>, options: Omit<Tab, 'type' | 'title' | 'panels'> = {}): Tab {
  return markArguments(derive(options, { type: 'tab' as const, title, panels }), ['title', 'panels']);
}
