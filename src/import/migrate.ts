import { pointer, pointerUnder } from '../model/pointer.js';
import { schemaVersionOf, STEPS } from './migrate-steps.js';

/**
 * Legacy dashboards brought to the shape Grafana itself gives them when it loads them (its
 * DashboardMigrator and the panels' own migration handlers), so the import writes what Grafana
 * would show: `rows[]` become row panels on the 24-column grid, `graph` becomes `timeseries`,
 * `singlestat` becomes `stat` (or `gauge`), `table-old` (and a `table` with `styles`) becomes
 * `table`. The input is not modified. Fields a migration leaves behind, because Grafana drops
 * them too, are named in `changes`.
 */

type Json = Record<string, unknown>;

export interface Migration {
  json: Json;
  /** `at` points into the input, `panel` (for a panel's change) at the panel in the migrated dashboard. */
  changes: Array<{ at: string; message: string; panel?: string }>;
}

const GRID_CELL_HEIGHT = 30;
const GRID_CELL_VMARGIN = 8;
const DEFAULT_ROW_HEIGHT = 250;
const MIN_PANEL_HEIGHT = GRID_CELL_HEIGHT * 3;
const DEFAULT_PANEL_SPAN = 4;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function migrateDashboard(input: Json): Migration {
  const json = structuredClone(input);
  const changes: Migration['changes'] = [];
  const version = schemaVersionOf(input);
  const steps = (from: number, to: number): void => {
    for (const step of STEPS) {
      if (step.version <= version || step.version < from || step.version >= to) continue;
      for (const message of new Set(step.run(json))) changes.push({ at: '', message: `schemaVersion ${step.version}: ${message}, as Grafana migrates it` });
    }
  };
  steps(0, 16);
  if (Array.isArray(json.rows)) {
    json.panels = [...(Array.isArray(json.panels) ? json.panels : []), ...rowsToPanels(json.rows as unknown[])];
    delete json.rows;
    changes.push({ at: '/rows', message: 'rows[] laid out as row panels on the 24-column grid, as Grafana does when it loads the dashboard' });
  }
  const visit = (panels: unknown[], at: (i: number) => string, sourceAt: (i: number) => string): void => {
    panels.forEach((item, i) => {
      if (!isMap(item)) return;
      let panel: Json = item;
      // Grafana's default place and size for a panel that has none.
      if (!isMap(panel.gridPos)) {
        panels[i] = panel = { ...panel, gridPos: { x: 0, y: 0, w: 6, h: 3 } };
        changes.push({ at: sourceAt(i), panel: at(i), message: 'a panel without gridPos placed where Grafana places it (x 0, y 0, 6 wide, 3 high)' });
      }
      const migrated = migratePanel(panel);
      if (migrated) {
        panels[i] = migrated.panel;
        changes.push({ at: sourceAt(i), panel: at(i), message: migrated.message });
      }
      const nested = (panels[i] as Json).panels;
      if (Array.isArray(nested))
        visit(
          nested,
          (j) => pointerUnder(at(i), 'panels', j),
          (j) => pointerUnder(sourceAt(i), 'panels', j),
        );
    });
  };
  steps(16, Infinity);
  // Grafana's dashboard model has no theme of its own any more: its migrated dashboards leave `style` out.
  if ('style' in json) {
    delete json.style;
    changes.push({ at: '/style', message: 'style (the dashboard theme Grafana no longer reads) left out, as Grafana migrates it' });
  }
  if (Array.isArray(json.panels))
    visit(
      json.panels as unknown[],
      (i) => pointer('panels', i),
      (i) => (Array.isArray(input.panels) && i < input.panels.length ? pointer('panels', i) : '/rows'),
    );
  return { json, changes };
}

function gridHeight(height: unknown): number {
  let px = typeof height === 'string' ? parseInt(height.replace('px', ''), 10) : typeof height === 'number' ? height : DEFAULT_ROW_HEIGHT;
  if (!Number.isFinite(px)) px = DEFAULT_ROW_HEIGHT;
  if (px < MIN_PANEL_HEIGHT) px = MIN_PANEL_HEIGHT;
  return Math.ceil(px / (GRID_CELL_HEIGHT + GRID_CELL_VMARGIN));
}

/** Grafana's upgrade of schemaVersion < 16 rows: spans of 12 become widths of 24, heights in px become grid rows. */
function rowsToPanels(rows: unknown[]): Json[] {
  const out: Json[] = [];
  const showRows = rows.some((row) => isMap(row) && (row.collapse === true || row.showTitle === true || (typeof row.repeat === 'string' && row.repeat !== '')));
  let y = 0;
  for (const raw of rows) {
    // A copy Grafana made of a repeated row: it makes the copies again from the row that repeats.
    if (!isMap(raw) || raw.repeatIteration === true) continue;
    const rowHeight = gridHeight(raw.height);
    const collapsed = raw.collapse === true;
    const rowPanel: Json = { type: 'row', title: typeof raw.title === 'string' ? raw.title : '', collapsed, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] };
    if (typeof raw.repeat === 'string' && raw.repeat !== '') rowPanel.repeat = raw.repeat;
    if (showRows) {
      out.push(rowPanel);
      y++;
    }
    // Grafana's row area: each panel takes the free columns nearest the right that fit it, else the
    // area moves down by the row's height (not the panels'); the next row starts a row height below.
    const area = new RowArea(rowHeight, y);
    for (const panel of Array.isArray(raw.panels) ? raw.panels : []) {
      if (!isMap(panel)) continue;
      const p: Json = { ...panel };
      const span = typeof p.span === 'number' && p.span > 0 ? p.span : DEFAULT_PANEL_SPAN;
      const w = Math.min(24, Math.max(1, Math.floor(span * 2)));
      const h = p.height !== undefined && p.height !== null && p.height !== '' ? gridHeight(p.height) : rowHeight;
      const at = area.place(w);
      p.gridPos = { x: at.x, y: area.y + at.y, w, h };
      area.add(p.gridPos as { x: number; y: number; w: number; h: number });
      if (typeof p.minSpan === 'number') p.minSpan = Math.min(24, p.minSpan * 2);
      delete p.span;
      delete p.height;
      if (collapsed) (rowPanel.panels as Json[]).push(p);
      else out.push(p);
    }
    if (!collapsed) y = area.y + rowHeight;
    else y = area.y;
  }
  return out;
}

/** How high each of the 24 columns of a legacy row is filled, from the top of the area's current line. */
class RowArea {
  private readonly filled = new Array<number>(24).fill(0);
  constructor(
    private readonly height: number,
    public y: number,
  ) {}

  /** Where a panel `w` wide goes: the free run of columns ending at the rightmost free one, or the start of the next line. */
  place(w: number, again = false): { x: number; y: number } {
    let start: number | undefined;
    let end: number | undefined;
    for (let i = 23; i >= 0; i--) {
      if (this.height - this.filled[i]! <= 0) break;
      if (end === undefined) end = i;
      else if (this.filled[i]! <= this.filled[i + 1]!) start = i;
      else break;
    }
    if (start !== undefined && end !== undefined && end - start >= w - 1) return { x: start, y: Math.max(...this.filled.slice(start)) };
    if (again) return { x: 0, y: 0 };
    this.y += this.height;
    this.filled.fill(0);
    return this.place(w, true);
  }

  add(box: { x: number; y: number; w: number; h: number }): void {
    for (let i = box.x; i < box.x + box.w && i < 24; i++) this.filled[i] = Math.max(this.filled[i]!, box.y + box.h - this.y);
  }
}

function migratePanel(panel: Json): { panel: Json; message: string } | undefined {
  if (panel.type === 'graph') return { panel: graphToTimeseries(panel), message: 'graph panel migrated to timeseries, as Grafana migrates it' };
  if (panel.type === 'singlestat' || panel.type === 'grafana-singlestat-panel') {
    const migrated = singlestatToStat(panel);
    return { panel: migrated, message: `singlestat panel migrated to ${String(migrated.type)}, as Grafana migrates it` };
  }
  if (panel.type === 'table-old' || (panel.type === 'table' && Array.isArray(panel.styles)))
    return { panel: tableOldToTable(panel), message: 'table-old panel migrated to table, as Grafana migrates it' };
  return undefined;
}

/** What every panel keeps: identity, queries, layout and time overrides. */
const PANEL_KEEPS = [
  'id',
  'title',
  'description',
  'datasource',
  'targets',
  'gridPos',
  'links',
  'repeat',
  'repeatDirection',
  'maxPerRow',
  'interval',
  'maxDataPoints',
  'timeFrom',
  'timeShift',
  'hideTimeOverride',
  'transparent',
  'transformations',
  'libraryPanel',
];

function base(panel: Json, type: string): Json {
  const out: Json = { type };
  for (const key of PANEL_KEEPS) if (panel[key] !== undefined && panel[key] !== null) out[key] = panel[key];
  if (Array.isArray(out.links) && out.links.length === 0) delete out.links;
  return out;
}

const LEGEND_CALCS: Record<string, string> = { avg: 'mean', min: 'min', max: 'max', current: 'lastNotNull', total: 'sum' };

function unitOf(format: unknown): string | undefined {
  return typeof format === 'string' && format !== '' && format !== 'short' ? format : format === 'short' ? 'short' : undefined;
}

function colorOverride(name: string, color: string): Json {
  return { matcher: matcherOf(name), properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: color } }] };
}

function matcherOf(alias: string): Json {
  const regex = /^\/(.*)\/[gimsuy]*$/.exec(alias);
  return regex ? { id: 'byRegexp', options: alias } : { id: 'byName', options: alias };
}

function graphToTimeseries(panel: Json): Json {
  const out = base(panel, 'timeseries');
  const custom: Json = {};
  const defaults: Json = {};
  const overrides: Json[] = [];
  const yaxes = Array.isArray(panel.yaxes) ? (panel.yaxes as Json[]) : [];
  const y1 = isMap(yaxes[0]) ? yaxes[0] : {};
  const y2 = isMap(yaxes[1]) ? yaxes[1] : {};

  if (panel.bars === true) {
    custom.drawStyle = 'bars';
    custom.fillOpacity = 100;
  } else if (panel.lines !== false) {
    custom.drawStyle = 'line';
    custom.lineWidth = typeof panel.linewidth === 'number' ? panel.linewidth : 1;
    custom.fillOpacity = typeof panel.fill === 'number' ? panel.fill * 10 : 10;
    if (typeof panel.fillGradient === 'number' && panel.fillGradient > 0) custom.gradientMode = 'opacity';
  } else if (panel.points === true) {
    custom.drawStyle = 'points';
  }
  custom.showPoints = panel.points === true ? 'always' : 'never';
  if (panel.points === true && typeof panel.pointradius === 'number') custom.pointSize = 2 + panel.pointradius * 2;
  if (panel.steppedLine === true) custom.lineInterpolation = 'stepAfter';
  if (panel.dashes === true) custom.lineStyle = { fill: 'dash', dash: [Number(panel.dashLength ?? 10), Number(panel.spaceLength ?? 10)] };
  custom.spanNulls = panel.nullPointMode === 'connected';
  if (panel.stack === true) custom.stacking = { mode: panel.percentage === true ? 'percent' : 'normal', group: 'A' };
  if (y1.show === false) custom.axisPlacement = 'hidden';
  if (typeof y1.label === 'string' && y1.label !== '') custom.axisLabel = y1.label;
  if (typeof y1.logBase === 'number' && y1.logBase > 1) custom.scaleDistribution = { type: 'log', log: y1.logBase };
  if (panel.nullPointMode === 'null as zero') defaults.nullValueMode = 'null as zero';

  const unit = unitOf(y1.format);
  if (unit) defaults.unit = unit;
  const decimals = typeof y1.decimals === 'number' ? y1.decimals : typeof panel.decimals === 'number' ? panel.decimals : undefined;
  if (decimals !== undefined) defaults.decimals = decimals;
  for (const key of ['min', 'max'] as const) {
    const v = y1[key];
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : undefined;
    if (n !== undefined && Number.isFinite(n)) defaults[key] = n;
  }

  const thresholds = Array.isArray(panel.thresholds) ? (panel.thresholds as Json[]).filter(isMap) : [];
  if (thresholds.length > 0) {
    const steps: Json[] = [{ color: 'transparent', value: null }];
    for (const t of [...thresholds].sort((a, b) => Number(a.value) - Number(b.value))) {
      const color = t.colorMode === 'critical' ? 'red' : t.colorMode === 'warning' ? 'orange' : t.colorMode === 'ok' ? 'green' : typeof t.lineColor === 'string' ? t.lineColor : 'red';
      steps.push({ color, value: Number(t.value) });
    }
    defaults.thresholds = { mode: 'absolute', steps };
    custom.thresholdsStyle = { mode: thresholds.some((t) => t.fill === true) ? (thresholds.some((t) => t.line === true) ? 'line+area' : 'area') : 'line' };
  }

  for (const [name, color] of Object.entries(isMap(panel.aliasColors) ? panel.aliasColors : {})) {
    if (typeof color === 'string') overrides.push(colorOverride(name, color));
  }
  for (const raw of Array.isArray(panel.seriesOverrides) ? panel.seriesOverrides : []) {
    if (!isMap(raw) || typeof raw.alias !== 'string') continue;
    const properties: Json[] = [];
    const set = (id: string, value: unknown) => properties.push({ id, value });
    for (const [key, value] of Object.entries(raw)) {
      switch (key) {
        case 'color':
          set('color', { mode: 'fixed', fixedColor: value });
          break;
        case 'bars':
          if (value === true) set('custom.drawStyle', 'bars');
          break;
        case 'lines':
          if (value === true) set('custom.drawStyle', 'line');
          else if (value === false && raw.bars !== true && raw.points !== true) set('custom.lineWidth', 0);
          break;
        case 'points':
          if (value === true) set('custom.showPoints', 'always');
          break;
        case 'fill':
          set('custom.fillOpacity', Number(value) * 10);
          break;
        case 'fillGradient':
          if (Number(value) > 0) set('custom.gradientMode', 'opacity');
          break;
        case 'linewidth':
          set('custom.lineWidth', value);
          break;
        case 'steppedLine':
          if (value === true) set('custom.lineInterpolation', 'stepAfter');
          break;
        case 'dashes':
          if (value === true) set('custom.lineStyle', { fill: 'dash', dash: [Number(raw.dashLength ?? 10), Number(raw.spaceLength ?? 10)] });
          break;
        case 'yaxis':
          if (value === 2) {
            set('custom.axisPlacement', 'right');
            const u = unitOf(y2.format);
            if (u && u !== unit) set('unit', u);
          }
          break;
        case 'stack':
          if (value === false) set('custom.stacking', { mode: 'none', group: 'A' });
          else if (value === true) set('custom.stacking', { mode: 'normal', group: 'A' });
          else set('custom.stacking', { mode: 'normal', group: String(value) });
          break;
        case 'transform':
          if (value === 'negative-Y') set('custom.transform', 'negative-Y');
          break;
        case 'legend':
          if (value === false) set('custom.hideFrom', { viz: false, legend: true, tooltip: false });
          break;
        case 'hiddenSeries':
          if (value === true) set('custom.hideFrom', { viz: true, legend: false, tooltip: true });
          break;
      }
    }
    if (properties.length > 0) overrides.push({ matcher: matcherOf(raw.alias), properties });
  }

  const legend = isMap(panel.legend) ? panel.legend : {};
  const calcs = Object.keys(LEGEND_CALCS)
    .filter((k) => legend[k] === true)
    .map((k) => LEGEND_CALCS[k]!);
  const tooltip = isMap(panel.tooltip) ? panel.tooltip : {};
  out.options = {
    legend: { showLegend: legend.show !== false, displayMode: legend.alignAsTable === true ? 'table' : 'list', placement: legend.rightSide === true ? 'right' : 'bottom', calcs },
    tooltip: { mode: tooltip.shared === false ? 'single' : 'multi', sort: tooltip.sort === 1 ? 'asc' : tooltip.sort === 2 ? 'desc' : 'none' },
  };
  // A graph already migrated once (Grafana 7+) carries its field config next to the angular options.
  const existing = isMap(panel.fieldConfig) ? panel.fieldConfig : {};
  const existingDefaults = isMap(existing.defaults) ? existing.defaults : {};
  out.fieldConfig = {
    defaults: { ...existingDefaults, ...defaults, custom: { ...(isMap(existingDefaults.custom) ? existingDefaults.custom : {}), ...custom } },
    overrides: [...(Array.isArray(existing.overrides) ? existing.overrides : []), ...overrides],
  };
  return out;
}

const STAT_CALCS: Record<string, string> = {
  current: 'lastNotNull',
  avg: 'mean',
  min: 'min',
  max: 'max',
  total: 'sum',
  first: 'firstNotNull',
  delta: 'delta',
  diff: 'diff',
  range: 'range',
  name: 'lastNotNull',
  last_time: 'lastNotNull',
};

function singlestatToStat(panel: Json): Json {
  const gauge = isMap(panel.gauge) && panel.gauge.show === true;
  const out = base(panel, gauge ? 'gauge' : 'stat');
  const defaults: Json = {};
  const unit = unitOf(panel.format);
  if (unit && unit !== 'none') defaults.unit = unit;
  else if (unit === 'none') defaults.unit = 'none';
  if (typeof panel.decimals === 'number') defaults.decimals = panel.decimals;
  const colors = Array.isArray(panel.colors) ? (panel.colors as unknown[]).filter((c): c is string => typeof c === 'string') : [];
  const thresholds =
    typeof panel.thresholds === 'string'
      ? panel.thresholds
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '')
          .map(Number)
      : [];
  // Without both thresholds and colours Grafana keeps the stat panel's default thresholds (green, red from 80).
  const steps: Json[] =
    thresholds.length > 0 && colors.length > 0
      ? [{ color: colors[0] ?? 'green', value: null }]
      : [
          { color: 'green', value: null },
          { color: 'red', value: 80 },
        ];
  if (thresholds.length > 0 && colors.length > 0)
    thresholds.forEach((t, i) => {
      if (Number.isFinite(t)) steps.push({ color: colors[i + 1] ?? 'red', value: t });
    });
  defaults.thresholds = { mode: 'absolute', steps };
  const mappings: Json[] = [];
  const mappingType = panel.mappingType;
  for (const map of Array.isArray(panel.valueMaps) ? panel.valueMaps : []) {
    if (!isMap(map) || (mappingType !== undefined && mappingType !== 1)) continue;
    if (map.value === 'null') mappings.push({ type: 'special', options: { match: 'null', result: { text: String(map.text ?? '') } } });
    else mappings.push({ type: 'value', options: { [String(map.value)]: { text: String(map.text ?? '') } } });
  }
  for (const map of Array.isArray(panel.rangeMaps) ? panel.rangeMaps : []) {
    if (!isMap(map) || mappingType !== 2) continue;
    const from = map.from === 'null' || map.from === undefined ? null : Number(map.from);
    const to = map.to === 'null' || map.to === undefined ? null : Number(map.to);
    mappings.push({ type: 'range', options: { from, to, result: { text: String(map.text ?? '') } } });
  }
  if (mappings.length > 0) defaults.mappings = mappings;
  if (typeof panel.nullText === 'string' && panel.nullText !== '') defaults.noValue = panel.nullText;
  if (gauge && isMap(panel.gauge)) {
    if (typeof panel.gauge.minValue === 'number') defaults.min = panel.gauge.minValue;
    if (typeof panel.gauge.maxValue === 'number') defaults.max = panel.gauge.maxValue;
  }
  const calc = STAT_CALCS[String(panel.valueName ?? 'avg')] ?? 'mean';
  const reduceOptions = { calcs: [calc], fields: typeof panel.tableColumn === 'string' && panel.tableColumn !== '' ? `/^${panel.tableColumn}$/` : '', values: false };
  if (gauge && isMap(panel.gauge)) {
    out.options = { reduceOptions, orientation: 'horizontal', showThresholdMarkers: panel.gauge.thresholdMarkers !== false, showThresholdLabels: panel.gauge.thresholdLabels === true };
  } else {
    const sparkline = isMap(panel.sparkline) ? panel.sparkline : {};
    out.options = {
      reduceOptions,
      orientation: 'horizontal',
      colorMode: panel.colorBackground === true ? 'background' : panel.colorValue === true ? 'value' : 'none',
      graphMode: sparkline.show === true ? 'area' : 'none',
      justifyMode: 'auto',
      textMode: 'auto',
      // The stat panel's defaults for what singlestat did not have, as Grafana's migration writes them.
      wideLayout: true,
      showPercentChange: false,
      percentChangeColorMode: 'standard',
    };
  }
  const existing = isMap(panel.fieldConfig) ? panel.fieldConfig : {};
  out.fieldConfig = { defaults: { ...(isMap(existing.defaults) ? existing.defaults : {}), ...defaults }, overrides: Array.isArray(existing.overrides) ? existing.overrides : [] };
  return out;
}

function tableOldToTable(panel: Json): Json {
  const out = base(panel, 'table');
  const defaults: Json = {};
  const overrides: Json[] = [];
  for (const style of Array.isArray(panel.styles) ? panel.styles : []) {
    if (!isMap(style) || typeof style.pattern !== 'string') continue;
    const properties: Array<{ id: string; value: unknown }> = [];
    if (typeof style.alias === 'string' && style.alias !== '') properties.push({ id: 'displayName', value: style.alias });
    if (typeof style.unit === 'string' && style.type === 'number') properties.push({ id: 'unit', value: style.unit });
    if (typeof style.decimals === 'number') properties.push({ id: 'decimals', value: style.decimals });
    if (style.type === 'hidden') properties.push({ id: 'custom.hidden', value: true });
    // Grafana writes an override for every style's align, 'auto' (every style's since step 22) as ''.
    if (typeof style.align === 'string' && style.align !== '') properties.push({ id: 'custom.align', value: style.align === 'auto' ? '' : style.align });
    if (style.type === 'date') properties.push({ id: 'unit', value: `time: ${typeof style.dateFormat === 'string' ? style.dateFormat : 'YYYY-MM-DD HH:mm:ss'}` });
    if (style.pattern === '/.*/') {
      for (const p of properties) if (!p.id.startsWith('custom.') && p.id !== 'displayName') defaults[p.id] = p.value;
      continue;
    }
    if (properties.length > 0) overrides.push({ matcher: matcherOf(style.pattern), properties });
  }
  const transformations: Json[] = [...(Array.isArray(panel.transformations) ? (panel.transformations as Json[]) : [])];
  if (panel.transform === 'timeseries_aggregations') transformations.push({ id: 'reduce', options: { reducers: ['mean', 'max', 'min', 'lastNotNull'] } });
  else if (panel.transform === 'table') transformations.push({ id: 'merge', options: {} });
  else if (panel.transform === 'timeseries_to_columns') transformations.push({ id: 'seriesToColumns', options: {} });
  if (transformations.length > 0) out.transformations = transformations;
  out.options = { showHeader: panel.showHeader !== false };
  out.fieldConfig = { defaults, overrides };
  return out;
}
