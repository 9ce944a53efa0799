import type * as v2 from '@grafana/schema/apis/dashboard.grafana.app/v2';
import type { AutoGrid } from '../../model/panel.js';
import type { AnnotationJson, DashboardJson, PanelJson, RowPanelJson, VariableJson } from './schema.js';
import type { SectionNode } from './sections.js';

/** The Kubernetes API group and version Grafana 12+ serves dashboards of schema v2 under. */
const DASHBOARD_V2_API_VERSION = 'dashboard.grafana.app/v2';

/** A schema v2 dashboard as Grafana reads it from a file, Git Sync or its CLI: the resource envelope around the spec. */
interface DashboardV2Resource {
  apiVersion: typeof DASHBOARD_V2_API_VERSION;
  kind: 'Dashboard';
  metadata: { name: string };
  spec: v2.Spec;
}

type GridPos = { x: number; y: number; w: number; h: number };

const CURSOR_SYNC: Record<number, v2.DashboardCursorSync> = { 0: 'Off', 1: 'Crosshair', 2: 'Tooltip' };
const HIDE: Record<number, v2.VariableHide> = { 0: 'dontHide', 1: 'hideLabel', 2: 'hideVariable' };
const REFRESH: Record<number, v2.VariableRefresh> = { 0: 'never', 1: 'onDashboardLoad', 2: 'onTimeRangeChanged' };
const SORT: v2.VariableSort[] = [
  'disabled',
  'alphabeticalAsc',
  'alphabeticalDesc',
  'numericalAsc',
  'numericalDesc',
  'alphabeticalCaseInsensitiveAsc',
  'alphabeticalCaseInsensitiveDesc',
  'naturalAsc',
  'naturalDesc',
];

/** Grafana's own refresh picker choices, written when the definition names none (v2 requires the list). */
const DEFAULT_REFRESH_INTERVALS = ['5s', '10s', '30s', '1m', '5m', '15m', '30m', '1h', '2h', '1d'];

/** Grafana's datasource for its built-in annotations and tag queries. */
const GRAFANA_DATASOURCE = '-- Grafana --';

/**
 * The v2 resource of a compiled v1 dashboard: the same panels (each an element named
 * `panel-<id>`, placed by reference) in the layout the definition wrote (`layout`: grids, auto
 * grids, rows, tabs, nested, with section variables), variables and annotations as their v2
 * kinds. The dashboard's own variables are the first `dashboardVariables` of its templating
 * list; the others are the sections'.
 */
export function dashboardV2(json: DashboardJson, layout: SectionNode, dashboardVariables = json.templating.list.length): DashboardV2Resource {
  const panels: PanelJson[] = [];
  const flatRows: RowPanelJson[] = [];
  for (const panel of json.panels) {
    if (!isRow(panel)) panels.push(panel);
    else {
      flatRows.push(panel);
      panels.push(...(panel.panels as PanelJson[]));
    }
  }
  panels.sort((a, b) => a.id! - b.id!);
  const templating = json.templating.list;
  const sectionVariables = (indexes: number[]): v2.VariableKind[] => indexes.map((i) => variable(templating[dashboardVariables + i]!));

  const elements: Record<string, v2.Element> = {};
  const element = (panel: PanelJson): v2.ElementReference => {
    const name = `panel-${panel.id!}`;
    elements[name] = panelElement(panel);
    return { kind: 'ElementReference', name };
  };
  const item = (panel: PanelJson, rowY: number): v2.GridLayoutItemKind => {
    const reference = element(panel);
    const pos = panel.gridPos as GridPos;
    const spec: v2.GridLayoutItemSpec = { x: pos.x, y: pos.y - rowY - 1, width: pos.w, height: pos.h, element: reference };
    if (panel.repeat) {
      spec.repeat = { mode: 'variable', value: panel.repeat };
      if (panel.repeatDirection) spec.repeat.direction = panel.repeatDirection;
      if (panel.maxPerRow !== undefined) spec.repeat.maxPerRow = panel.maxPerRow;
    }
    return { kind: 'GridLayoutItem', spec };
  };
  const container = (indexes: number[], rowY: number, autoGrid: AutoGrid | undefined): v2.GridLayoutKind | v2.AutoGridLayoutKind => {
    const own = indexes.map((i) => panels[i]!);
    if (!autoGrid) return { kind: 'GridLayout', spec: { items: own.map((panel) => item(panel, rowY)) } };
    const { columnWidth, rowHeight } = autoGrid;
    const spec: v2.AutoGridLayoutSpec = {
      columnWidthMode: typeof columnWidth === 'number' ? 'custom' : (columnWidth ?? 'standard'),
      rowHeightMode: typeof rowHeight === 'number' ? 'custom' : (rowHeight ?? 'standard'),
      items: own.map((panel): v2.AutoGridLayoutItemKind => {
        const itemSpec: v2.AutoGridLayoutItemSpec = { element: element(panel) };
        if (panel.repeat) itemSpec.repeat = { mode: 'variable', value: panel.repeat };
        return { kind: 'AutoGridLayoutItem', spec: itemSpec };
      }),
    };
    if (autoGrid.maxColumns !== undefined) spec.maxColumnCount = autoGrid.maxColumns;
    if (typeof columnWidth === 'number') spec.columnWidth = columnWidth;
    if (typeof rowHeight === 'number') spec.rowHeight = rowHeight;
    if (autoGrid.fillScreen !== undefined) spec.fillScreen = autoGrid.fillScreen;
    return { kind: 'AutoGridLayout', spec };
  };
  const rowY = (flat: number): number => (flat < 0 ? -1 : (flatRows[flat]!.gridPos as GridPos).y);
  const build = (node: SectionNode): v2.Spec['layout'] => {
    if (node.kind === 'panels') return container(node.panels, rowY(node.base), node.autoGrid);
    if (node.kind === 'rows') {
      const rows = node.rows.map((row): v2.RowsLayoutRowKind => {
        const flat = row.flat < 0 ? undefined : flatRows[row.flat]!;
        const spec: Omit<v2.RowsLayoutRowSpec, 'layout'> = { title: flat?.title ?? '', collapse: flat?.collapsed ?? false };
        if (row.hideHeader) spec.hideHeader = true;
        if (flat?.repeat) spec.repeat = { mode: 'variable', value: flat.repeat };
        if (row.variables.length > 0) spec.variables = sectionVariables(row.variables);
        return { kind: 'RowsLayoutRow', spec: { ...spec, layout: build(row.content) } };
      });
      return { kind: 'RowsLayout', spec: { rows } };
    }
    const tabs = node.tabs.map((tab): v2.TabsLayoutTabKind => {
      const flat = flatRows[tab.flat]!;
      const spec: Omit<v2.TabsLayoutTabSpec, 'layout'> = { title: flat.title ?? '' };
      if (flat.repeat) spec.repeat = { mode: 'variable', value: flat.repeat };
      if (tab.variables.length > 0) spec.variables = sectionVariables(tab.variables);
      return { kind: 'TabsLayoutTab', spec: { ...spec, layout: build(tab.content) } };
    });
    return { kind: 'TabsLayout', spec: { tabs } };
  };
  const layoutJson = build(layout);

  const timepicker = json.timepicker ?? {};
  const timeSettings: v2.TimeSettingsSpec = {
    timezone: json.timezone ?? 'browser',
    from: json.time?.from ?? 'now-6h',
    to: json.time?.to ?? 'now',
    autoRefresh: json.refresh ?? '',
    autoRefreshIntervals: timepicker.refresh_intervals ?? DEFAULT_REFRESH_INTERVALS,
    hideTimepicker: timepicker.hidden ?? false,
    fiscalYearStartMonth: json.fiscalYearStartMonth ?? 0,
  };
  if (json.weekStart) timeSettings.weekStart = json.weekStart as v2.TimeSettingsSpec['weekStart'];
  if (timepicker.nowDelay) timeSettings.nowDelay = timepicker.nowDelay;

  const spec: v2.Spec = {
    annotations: json.annotations.list.map(annotation),
    cursorSync: CURSOR_SYNC[json.graphTooltip ?? 0] ?? 'Off',
    editable: json.editable ?? true,
    elements,
    layout: layoutJson,
    links: (json.links ?? []).map((link) => ({ ...link }) as v2.DashboardLink),
    preload: false,
    tags: json.tags ?? [],
    timeSettings,
    title: json.title ?? '',
    variables: templating.slice(0, dashboardVariables).map(variable),
  };
  if (json.description !== undefined) spec.description = json.description;
  if (json.liveNow !== undefined) spec.liveNow = json.liveNow;
  return { apiVersion: DASHBOARD_V2_API_VERSION, kind: 'Dashboard', metadata: { name: json.uid! }, spec };
}

function isRow(panel: PanelJson | RowPanelJson): panel is RowPanelJson {
  return panel.type === 'row';
}

type DatasourceRef = { type?: string; uid?: string } | undefined;

function dataQuery(datasource: DatasourceRef, spec: Record<string, unknown>, fallbackGroup = 'prometheus'): v2.DataQueryKind {
  const query: v2.DataQueryKind = { kind: 'DataQuery', group: datasource?.type ?? fallbackGroup, version: 'v0', spec };
  if (datasource?.uid) query.datasource = { name: datasource.uid };
  return query;
}

function panelElement(panel: PanelJson): v2.PanelKind {
  const panelDatasource = panel.datasource as DatasourceRef;
  const mixed = panelDatasource?.uid === '-- Mixed --';
  const queries = ((panel.targets ?? []) as Array<Record<string, unknown>>).map((target): v2.PanelQueryKind => {
    const { refId, hide, datasource, ...rest } = target;
    const own = (datasource as DatasourceRef) ?? (mixed ? undefined : panelDatasource);
    return { kind: 'PanelQuery', spec: { query: dataQuery(own, rest), refId: String(refId), hidden: hide === true } };
  });
  const queryOptions: v2.QueryOptionsSpec = {};
  for (const key of ['timeFrom', 'timeShift', 'maxDataPoints', 'interval', 'hideTimeOverride'] as const) {
    if (panel[key] !== undefined && panel[key] !== null) (queryOptions as Record<string, unknown>)[key] = panel[key];
  }
  const transformations = (panel.transformations ?? []).map((t): v2.TransformationKind => {
    const spec: v2.TransformationSpec = { options: t.options ?? {} };
    if (t.disabled !== undefined) spec.disabled = t.disabled;
    if (t.filter !== undefined) spec.filter = t.filter as v2.MatcherConfig;
    if (t.topic !== undefined) spec.topic = t.topic as v2.DataTopic;
    return { kind: 'Transformation', group: t.id, spec };
  });
  const spec: v2.PanelSpec = {
    id: panel.id!,
    title: panel.title ?? '',
    links: (panel.links ?? []).map((link) => ({ ...link })),
    data: { kind: 'QueryGroup', spec: { queries, transformations, queryOptions } },
    vizConfig: {
      kind: 'VizConfig',
      group: panel.type,
      version: '',
      spec: { options: (panel.options as Record<string, unknown>) ?? {}, fieldConfig: (panel.fieldConfig as v2.FieldConfigSource) ?? { defaults: {}, overrides: [] } },
    },
  };
  if (panel.description !== undefined) spec.description = panel.description;
  if (panel.transparent !== undefined) spec.transparent = panel.transparent;
  return { kind: 'Panel', spec };
}

function annotation(json: AnnotationJson): v2.AnnotationQueryKind {
  const { builtIn, datasource, enable, hide, iconColor, name, target, expr, step, tagKeys, titleFormat, textFormat } = json;
  const querySpec: Record<string, unknown> = { ...(target ?? {}) };
  if (expr !== undefined) querySpec.expr = expr;
  if (step !== undefined) querySpec.step = step;
  const ref = datasource as DatasourceRef;
  const spec: v2.AnnotationQuerySpec = {
    query: ref?.uid === GRAFANA_DATASOURCE ? { kind: 'DataQuery', group: 'grafana', version: 'v0', datasource: { name: GRAFANA_DATASOURCE }, spec: querySpec } : dataQuery(ref, querySpec),
    enable: enable ?? true,
    hide: hide ?? false,
    iconColor: iconColor ?? 'red',
    name: name ?? '',
  };
  if (builtIn) spec.builtIn = true;
  const legacy: Record<string, unknown> = {};
  if (tagKeys !== undefined) legacy.tagKeys = tagKeys;
  if (titleFormat !== undefined) legacy.titleFormat = titleFormat;
  if (textFormat !== undefined) legacy.textFormat = textFormat;
  if (Object.keys(legacy).length > 0) spec.legacyOptions = legacy;
  return { kind: 'AnnotationQuery', spec };
}

function option(value: unknown): v2.VariableOption {
  const { text, value: v, selected } = (value ?? {}) as { text?: string | string[]; value?: string | string[]; selected?: boolean };
  const result: v2.VariableOption = { text: text ?? '', value: v ?? '' };
  if (selected !== undefined) result.selected = selected;
  return result;
}

function variable(json: VariableJson): v2.VariableKind {
  const common = {
    name: json.name,
    hide: HIDE[Number(json.hide ?? 0)] ?? 'dontHide',
    skipUrlSync: json.skipUrlSync ?? false,
    ...(json.label !== undefined ? { label: json.label } : {}),
    ...(json.description !== undefined && json.description !== null ? { description: json.description } : {}),
  };
  const current = option(json.current);
  const options = (json.options ?? []).map(option);
  const multi = { multi: json.multi ?? false, includeAll: json.includeAll ?? false, ...(json.allValue ? { allValue: json.allValue } : {}) };
  const datasource = json.datasource as DatasourceRef;
  const query = typeof json.query === 'string' ? json.query : '';
  switch (json.type) {
    case 'query':
      return {
        kind: 'QueryVariable',
        spec: {
          ...common,
          ...multi,
          current,
          refresh: REFRESH[Number(json.refresh ?? 1)] ?? 'onDashboardLoad',
          query: dataQuery(datasource, { __legacyStringValue: query }),
          regex: json.regex ?? '',
          sort: SORT[Number(json.sort ?? 0)] ?? 'disabled',
          ...(json.definition !== undefined ? { definition: json.definition } : {}),
          options,
          allowCustomValue: true,
        },
      };
    case 'custom':
      return { kind: 'CustomVariable', spec: { ...common, ...multi, query, current, options, allowCustomValue: true } };
    case 'datasource':
      return {
        kind: 'DatasourceVariable',
        spec: { ...common, ...multi, pluginId: query, refresh: REFRESH[Number(json.refresh ?? 1)] ?? 'onDashboardLoad', regex: json.regex ?? '', current, options, allowCustomValue: true },
      };
    case 'interval':
      return {
        kind: 'IntervalVariable',
        spec: { ...common, query, current, options, auto: json.auto ?? false, auto_min: json.auto_min ?? '10s', auto_count: json.auto_count ?? 30, refresh: 'onTimeRangeChanged' },
      };
    case 'constant':
      return { kind: 'ConstantVariable', spec: { ...common, query, current: { text: query, value: query } } };
    case 'textbox':
      return { kind: 'TextVariable', spec: { ...common, query, current } };
    case 'adhoc': {
      const kind: v2.AdhocVariableKind = {
        kind: 'AdhocVariable',
        group: datasource?.type ?? 'prometheus',
        spec: { ...common, baseFilters: [], filters: [], defaultKeys: [], allowCustomValue: true },
      };
      if (datasource?.uid) kind.datasource = { name: datasource.uid };
      return kind;
    }
    default:
      throw new Error(`variable type ${json.type} has no v2 kind`);
  }
}
