import type { Diagnostic } from '../model/diagnostic.js';
import type { DashboardModel } from '../model/project-model.js';
import { OTHER_BUILT_IN_PANEL_TYPES } from '../model/panel.js';
import { slugify } from '../model/datasource.js';
import { pointer, pointerSegments, pointerUnder } from '../model/pointer.js';
import { migrateDashboard } from './migrate.js';
import type { DatasourceTable } from './datasources.js';
import { Call, identifierFor, type Statement } from './print.js';
import { shapesOf, split, type Shape } from './shapes.js';

/** A field kept through `extra` (it has no typed field, or its value does not type-check there). */
export const IMPORT_KEPT = 'import/kept-as-written';
/** Something of the input the import changes on purpose (a legacy panel migrated, instance bookkeeping left out). */
export const IMPORT_CHANGED = 'import/changed';

/** Panel type → its helper and authoring type. */
const PANELS: Record<string, { helper: string; type: string }> = {
  timeseries: { helper: 'timeseries', type: 'TimeseriesPanel' },
  stat: { helper: 'stat', type: 'StatPanel' },
  gauge: { helper: 'gauge', type: 'GaugePanel' },
  bargauge: { helper: 'bargauge', type: 'BarGaugePanel' },
  table: { helper: 'table', type: 'TablePanel' },
  piechart: { helper: 'piechart', type: 'PieChartPanel' },
  text: { helper: 'text', type: 'TextPanel' },
  logs: { helper: 'logs', type: 'LogsPanel' },
  heatmap: { helper: 'heatmap', type: 'HeatmapPanel' },
  histogram: { helper: 'histogram', type: 'HistogramPanel' },
  barchart: { helper: 'barchart', type: 'BarChartPanel' },
  'state-timeline': { helper: 'stateTimeline', type: 'StateTimelinePanel' },
  'status-history': { helper: 'statusHistory', type: 'StatusHistoryPanel' },
  alertlist: { helper: 'alertlist', type: 'AlertListPanel' },
  traces: { helper: 'traces', type: 'TracesPanel' },
  nodeGraph: { helper: 'nodeGraph', type: 'NodeGraphPanel' },
};
const OTHER_PANEL = { helper: 'grafanaPanel', type: 'OtherBuiltInPanel' };
const PLUGIN_PANEL = { helper: 'pluginPanel', type: 'PluginPanel' };
const PLUGIN_PANEL_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*-panel$/;

const VARIABLES: Record<string, { helper: string; type: string }> = {
  query: { helper: 'queryVariable', type: 'QueryVariable' },
  custom: { helper: 'customVariable', type: 'CustomVariable' },
  datasource: { helper: 'datasourceVariable', type: 'DatasourceVariable' },
  interval: { helper: 'intervalVariable', type: 'IntervalVariable' },
  constant: { helper: 'constantVariable', type: 'ConstantVariable' },
  textbox: { helper: 'textboxVariable', type: 'TextboxVariable' },
  adhoc: { helper: 'adhocVariable', type: 'AdhocVariable' },
};

const SHAPE_QUERIES = ['M.DashboardSpec', 'M.PromTarget', 'M.LokiTarget', 'M.Row', ...[...Object.values(PANELS), OTHER_PANEL, PLUGIN_PANEL, ...Object.values(VARIABLES)].map((p) => `M.${p.type}`)];

/** Model field of a panel → where Grafana's JSON has it. */
const PANEL_FIELD_PATH: Record<string, string[]> = {
  unit: ['fieldConfig', 'defaults', 'unit'],
  decimals: ['fieldConfig', 'defaults', 'decimals'],
  min: ['fieldConfig', 'defaults', 'min'],
  max: ['fieldConfig', 'defaults', 'max'],
  noValue: ['fieldConfig', 'defaults', 'noValue'],
  displayName: ['fieldConfig', 'defaults', 'displayName'],
  color: ['fieldConfig', 'defaults', 'color'],
  thresholds: ['fieldConfig', 'defaults', 'thresholds'],
  mappings: ['fieldConfig', 'defaults', 'mappings'],
  custom: ['fieldConfig', 'defaults', 'custom'],
  overrides: ['fieldConfig', 'overrides'],
};

/** Panel fields written as they are in the model. */
const PANEL_COPIED = ['description', 'interval', 'maxDataPoints', 'timeFrom', 'timeShift', 'hideTimeOverride', 'transparent', 'transformations', 'repeat', 'repeatDirection', 'maxPerRow', 'options'];

/** Dashboard fields that are a Grafana instance's bookkeeping, not the dashboard: not imported. */
const INSTANCE_FIELDS = new Set(['id', 'version', 'iteration', '__inputs', '__requires', '__elements', 'schemaVersion']);

const GRAPH_TOOLTIP = ['default', 'crosshair', 'tooltip'] as const;
const SORT_NAMES = [
  'disabled',
  'alphabetical',
  'alphabetical-desc',
  'numerical',
  'numerical-desc',
  'alphabetical-case-insensitive',
  'alphabetical-case-insensitive-desc',
  'natural',
  'natural-desc',
] as const;
const HIDE_NAMES = ['nothing', 'label', 'variable'] as const;

const GRID_COLUMNS = 24;
const DEFAULT_WIDTH: Record<string, number> = { stat: 6, gauge: 6, bargauge: 6, text: 24 };
const DEFAULT_HEIGHT: Record<string, number> = { stat: 4, gauge: 6, bargauge: 6, text: 6 };

type Json = Record<string, unknown>;

export interface DashboardModules {
  /** `dashboards.ts` statements, and the helpers it imports from moncode. */
  dashboards: Statement[];
  helpers: Set<string>;
  /** Names it imports from `./datasources.js`. */
  datasourceNames: Set<string>;
  diagnostics: Diagnostic[];
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

function setPath(target: Json, path: readonly string[], value: unknown): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (!isMap(at[key])) at[key] = {};
    at = at[key] as Json;
  }
  const last = path[path.length - 1]!;
  if (isMap(at[last]) && isMap(value)) Object.assign(at[last] as Json, value);
  else at[last] = value;
}

const VARIABLE_REF = /^\$(?:\{([\w]+)(?::\w+)?\}|(\w+))$|^\[\[(\w+)\]\]$/;

/**
 * The dashboards of one system as `dashboard({ … })` constants, with the datasources they name
 * declared once in `datasources.ts` and referred to by object.
 */
export function importDashboards(models: readonly DashboardModel[], used: Set<string>, table: DatasourceTable): DashboardModules {
  const shapes = shapesOf(SHAPE_QUERIES);
  const shape = (type: string): Shape => shapes.get(`M.${type}`)!;
  const helpers = new Set<string>(['dashboard']);
  const datasourceNames = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const statements: Statement[] = [];

  for (const model of models) {
    const subject = model.title;
    const where = (at: string) => model.locator.get(at) ?? model.locator.get('') ?? { file: model.file, start: 0, end: 0 };
    const { json, changes } = migrateDashboard(model.json as Json);
    // A panel's change is about that panel: lint names the panel so, and the migration may change its findings.
    for (const change of changes) {
      const panel = change.panel !== undefined ? panelSubjectAt(model, json, change.panel) : undefined;
      // A rows[] panel's change stands at rows[]: the panel's name tells the changes there apart.
      const message = panel !== undefined && change.at === '/rows' ? `${change.message}: ${panel.slice(model.title.length + 3)}` : change.message;
      diagnostics.push({ rule: IMPORT_CHANGED, severity: 'info', message, where: where(change.at), subject: panel ?? subject });
    }
    const kept: string[] = [];
    const keep = (at: string, what: string) => kept.push(what ? `${at} ${what}` : at);
    const inputs = new Map<string, Json>();
    for (const input of Array.isArray(model.json.__inputs) ? (model.json.__inputs as unknown[]) : []) {
      if (isMap(input) && typeof input.name === 'string' && input.type === 'datasource') inputs.set(input.name, input);
    }

    /** A datasource reference as the model writes it: a declared datasource, `$var`, or undefined for the default. */
    const datasourceOf = (raw: unknown, fallbackType: string | undefined): { value?: unknown; raw?: unknown } => {
      if (raw === null || raw === undefined || raw === '' || raw === 'default') return {};
      let uid: string | undefined;
      let type: string | undefined;
      if (typeof raw === 'string') uid = raw;
      else if (isMap(raw)) {
        uid = typeof raw.uid === 'string' ? raw.uid : undefined;
        type = typeof raw.type === 'string' ? raw.type : undefined;
      }
      if (uid === undefined) return isMap(raw) && Object.keys(raw).length === 0 ? {} : { raw };
      const variable = VARIABLE_REF.exec(uid);
      const input = variable ? inputs.get(variable[1] ?? variable[2] ?? variable[3] ?? '') : undefined;
      if (variable && !input) return { value: `$${variable[1] ?? variable[2] ?? variable[3]}` };
      if (uid.startsWith('-- ') || type === 'datasource' || type === 'grafana' || uid === 'grafana') return { raw };
      let name = uid;
      if (input) {
        type = typeof input.pluginId === 'string' ? input.pluginId : type;
        name = typeof input.label === 'string' && input.label !== '' ? input.label : String(input.name);
        uid = slugify(name) || uid;
      }
      const ref = table.refer(uid, type, name) ?? (type === undefined && fallbackType !== undefined ? table.refer(uid, fallbackType, name) : undefined);
      if (!ref) return { raw };
      datasourceNames.add(ref.name);
      return { value: ref };
    };

    const languageOf = (panelDs: unknown, target: Json): 'prom' | 'loki' | undefined => {
      const type = pluginOf(model, target.datasource ?? panelDs) ?? (target.datasource !== undefined && sameUid(target.datasource, panelDs) ? pluginOf(model, panelDs) : undefined);
      if (typeof target.expr !== 'string') return undefined;
      if (type === 'loki') return 'loki';
      if (type === undefined || type === 'prometheus') return 'prom';
      return undefined;
    };

    const importTargets = (panel: Json, panelDs: unknown, panelDsType: string | undefined, at: string, extra: Json): unknown[] | undefined => {
      const targets = Array.isArray(panel.targets) ? (panel.targets as unknown[]) : [];
      if (targets.length === 0) return undefined;
      const languages = targets.map((t) => (isMap(t) ? languageOf(panelDs, t) : undefined));
      if (languages.some((l) => l === undefined)) {
        // Queries of other datasources (or none) are kept as Grafana wrote them.
        extra.targets = targets;
        keep(pointerUnder(at, 'targets'), '(queries of a datasource moncode has no query type for)');
        return undefined;
      }
      const refIds = targets.map((t) => (isMap(t) ? t.refId : undefined)).filter((id) => id !== undefined && id !== null);
      if (new Set(refIds).size !== refIds.length) {
        // Two queries with one refId: mon-build refuses that in a definition, Grafana shows them as they are.
        extra.targets = targets;
        keep(pointerUnder(at, 'targets'), '(two queries share a refId)');
        return undefined;
      }
      const autoIds = targets.every((t, i) => isMap(t) && t.refId === refIdFor(i));
      return targets.map((raw, i) => {
        const target = raw as Json;
        const language = languages[i]!;
        const options: Json = {};
        const rest: Json = {};
        for (const [key, value] of Object.entries(target)) {
          if (value === null || value === undefined) continue;
          if (key === 'expr') continue;
          if (key === 'refId') {
            if (!autoIds) options.refId = value;
          } else if (key === 'legendFormat') options.legend = value;
          else if (key === 'datasource') {
            const sameAsPanel = JSON.stringify(value) === JSON.stringify(panelDs) || (isMap(value) && isMap(panelDs) && value.uid === panelDs.uid);
            if (sameAsPanel && panelDsType !== 'datasource') continue;
            const ds = datasourceOf(value, language === 'loki' ? 'loki' : 'prometheus');
            if (ds.value !== undefined) options.datasource = ds.value;
            else if (ds.raw !== undefined) rest.datasource = ds.raw;
          } else if (key === 'editorMode' && value === 'code') continue;
          else if (key === 'range' && value === true && target.instant !== true) continue;
          else if (language === 'loki' && key === 'queryType') {
            if (value === 'instant') options.instant = true;
            else if (value !== 'range') rest[key] = value;
          } else options[key] = value;
        }
        const typed = split(shape(language === 'loki' ? 'LokiTarget' : 'PromTarget'), { ...options, expr: String(target.expr), lang: language === 'loki' ? 'logql' : 'promql' });
        const typedOptions = (typed.typed as Json | undefined) ?? {};
        delete typedOptions.expr;
        delete typedOptions.lang;
        const restFields = { ...rest, ...renameBack((typed.rest as Json | undefined) ?? {}, { legend: 'legendFormat' }) };
        if (Object.keys(restFields).length > 0) {
          typedOptions.extra = restFields;
          keep(pointer(...at.split('/').slice(1), 'targets', String(i)), Object.keys(restFields).join(', '));
        }
        helpers.add(language);
        const args: unknown[] = [String(target.expr)];
        if (Object.keys(typedOptions).length > 0) args.push(typedOptions);
        return new Call(language, args);
      });
    };

    const importPanel = (panel: Json, at: string, origin: { x: number; y: number } | undefined, explicit: boolean): unknown => {
      const type = String(panel.type ?? '');
      const kind = PANELS[type] ?? (OTHER_BUILT_IN_PANEL_TYPES.has(type) ? OTHER_PANEL : PLUGIN_PANEL_ID.test(type) ? PLUGIN_PANEL : undefined);
      const spec: Json = {};
      const extra: Json = {};
      if (!kind) {
        // No constructor takes this type: the panel is written whole through a plugin panel's extra.
        Object.assign(extra, panel);
        delete extra.id;
        delete extra.gridPos;
        keep(at, `(panel type "${type}" is no Grafana panel moncode knows, nor a plugin id)`);
        helpers.add(PLUGIN_PANEL.helper);
        return new Call(PLUGIN_PANEL.helper, [{ type: 'moncode-unknown-panel', title: String(panel.title ?? ''), extra }]);
      }
      if (kind === OTHER_PANEL || kind === PLUGIN_PANEL) spec.type = type;
      spec.title = typeof panel.title === 'string' ? panel.title : '';
      const ds = datasourceOf(panel.datasource, Array.isArray(panel.targets) && panel.targets.some((t) => isMap(t) && typeof t.expr === 'string') ? 'prometheus' : undefined);
      const panelDsType = isMap(panel.datasource) && typeof panel.datasource.type === 'string' ? panel.datasource.type : undefined;
      if (ds.value !== undefined) spec.datasource = ds.value;
      const targets = importTargets(panel, panel.datasource, panelDsType, at, extra);
      if (ds.raw !== undefined || (extra.targets !== undefined && panel.datasource !== undefined && panel.datasource !== null)) extra.datasource = panel.datasource;
      if (targets) spec.targets = targets;
      // A panel on `-- Mixed --` (kept in extra): its queries' own datasource stands in for the panel's while mon-build resolves them.
      if (ds.raw !== undefined && spec.datasource === undefined && targets) {
        const first = targets.map((t) => (t instanceof Call && isMap(t.args[1]) ? t.args[1].datasource : undefined)).find((d) => d !== undefined);
        if (first !== undefined) spec.datasource = first;
      }
      for (const key of PANEL_COPIED) if (panel[key] !== undefined && panel[key] !== null) spec[key] = panel[key];
      if (isMap(spec.options) && Object.keys(spec.options).length === 0) delete spec.options;
      // Text and alert list panels have no field config in moncode's model (Grafana shows none): kept as written.
      const noFieldConfig = type === 'text' || type === 'alertlist';
      if (noFieldConfig && isMap(panel.fieldConfig) && (!isEmpty(panel.fieldConfig.defaults) || !isEmpty(panel.fieldConfig.overrides))) extra.fieldConfig = panel.fieldConfig;
      const fieldConfig = isMap(panel.fieldConfig) && !noFieldConfig ? panel.fieldConfig : {};
      const defaults = isMap(fieldConfig.defaults) ? fieldConfig.defaults : {};
      for (const [key, value] of Object.entries(defaults)) {
        if (value === null || value === undefined) continue;
        if (key in PANEL_FIELD_PATH && key !== 'overrides') spec[key] = key === 'thresholds' ? thresholdsOf(value) : value;
        else setPath(extra, ['fieldConfig', 'defaults', key], value);
      }
      if (isMap(spec.custom) && Object.keys(spec.custom).length === 0) delete spec.custom;
      if (Array.isArray(fieldConfig.overrides) && fieldConfig.overrides.length > 0) spec.overrides = fieldConfig.overrides;
      for (const key of Object.keys(fieldConfig)) if (key !== 'defaults' && key !== 'overrides') setPath(extra, ['fieldConfig', key], fieldConfig[key]);
      if (Array.isArray(panel.links) && panel.links.length > 0) {
        const simple = panel.links.every((l) => isMap(l) && Object.keys(l).every((k) => k === 'title' || k === 'url' || k === 'targetBlank'));
        if (simple) spec.links = panel.links;
        else extra.links = panel.links;
      }
      if (panel.repeat === undefined || panel.repeat === null || panel.repeat === '') {
        delete spec.repeat;
        if (panel.repeatDirection !== undefined) {
          delete spec.repeatDirection;
          if (panel.repeatDirection !== 'h') extra.repeatDirection = panel.repeatDirection;
        }
      } else if (panel.repeatDirection === 'h') delete spec.repeatDirection;
      const grid = isMap(panel.gridPos) ? panel.gridPos : undefined;
      if (grid) {
        const w = Number(grid.w);
        const h = Number(grid.h);
        if (explicit && origin) spec.gridPos = { x: Number(grid.x ?? 0), y: Number(grid.y ?? 0) - origin.y, w, h };
        else {
          if (w !== (DEFAULT_WIDTH[type] ?? 12)) spec.width = w;
          if (h !== (DEFAULT_HEIGHT[type] ?? 8)) spec.height = h;
        }
      }
      const known = new Set(['type', 'title', 'datasource', 'targets', 'fieldConfig', 'links', 'gridPos', 'id', ...PANEL_COPIED]);
      for (const [key, value] of Object.entries(panel)) {
        if (known.has(key) || value === undefined) continue;
        extra[key] = value;
      }
      // What does not type-check in its field goes to extra at the same JSON path.
      const typed = split(shape(kind.type), { type, ...spec });
      const result = (typed.typed as Json | undefined) ?? { title: spec.title };
      if (kind !== OTHER_PANEL && kind !== PLUGIN_PANEL) delete result.type;
      if (typed.rest !== undefined) {
        for (const [key, value] of Object.entries(typed.rest as Json)) {
          if (key === 'gridPos' || key === 'width' || key === 'height') continue;
          setPath(extra, PANEL_FIELD_PATH[key] ?? [key], key === 'thresholds' ? (isMap(defaults.thresholds) ? defaults.thresholds : value) : value);
        }
      }
      if (Object.keys(extra).length > 0) {
        result.extra = extra;
        keep(at, Object.keys(flatKeys(extra)).join(', '));
      }
      helpers.add(kind.helper);
      // Without type arguments a plugin panel's options would be inferred from where it stands (no fields at all).
      return new Call(kind.helper, [result], kind === PLUGIN_PANEL ? ['Record<string, unknown>', 'Record<string, unknown>'] : []);
    };

    // Layout: the automatic one when it puts every panel where the input has it, explicit positions otherwise.
    const panels = (Array.isArray(json.panels) ? json.panels : []).filter(isMap);
    const top: Json[] = [];
    const rows: Array<{ row: Json; at: string; panels: Array<{ panel: Json; at: string }> }> = [];
    panels.forEach((panel, i) => {
      const at = pointer('panels', i);
      if (panel.type === 'row') {
        const nested = (Array.isArray(panel.panels) ? panel.panels : []).filter(isMap).map((p, j) => ({ panel: p, at: pointerUnder(at, 'panels', j) }));
        rows.push({ row: panel, at, panels: nested });
      } else if (rows.length === 0) top.push(panel);
      else rows[rows.length - 1]!.panels.push({ panel, at });
    });
    const topAt = panels.map((p, i) => ({ p, at: pointer('panels', i) })).filter(({ p }) => top.includes(p));
    const flows = (list: Json[], originY: number) => flowMatches(list, originY);
    let y = 0;
    const topExplicit = !flows(top, 0);
    const topPanels = topAt.map(({ p, at }) => importPanel(p, at, { x: 0, y: 0 }, topExplicit));
    y = bottomOf(top, 0);
    const rowValues = rows.map(({ row, at, panels: inRow }) => {
      const rowY = isMap(row.gridPos) ? Number(row.gridPos.y) : y;
      if (rowY !== y) keep(at, `(row at y ${rowY}; moncode lays rows out one after the other, at y ${y})`);
      const list = inRow.map((p) => p.panel);
      // A collapsed row's panels are placed below the row when it opens: only their positions relative to each other count.
      const nestedTop = row.collapsed === true && list.length > 0 ? Math.min(...list.map((p) => (isMap(p.gridPos) ? Number(p.gridPos.y ?? 0) : 0))) : rowY + 1;
      const originY = Number.isFinite(nestedTop) ? nestedTop : rowY + 1;
      const explicit = !flows(list, originY);
      const values = inRow.map(({ panel, at: panelAt }) => importPanel(panel, panelAt, { x: 0, y: originY }, explicit));
      y = row.collapsed === true ? rowY + 1 : bottomOf(list, rowY + 1);
      const options: Json = {};
      if (row.collapsed === true) options.collapsed = true;
      if (typeof row.repeat === 'string' && row.repeat !== '') options.repeat = row.repeat;
      const extra: Json = {};
      for (const [key, value] of Object.entries(row)) {
        if (['type', 'title', 'collapsed', 'repeat', 'panels', 'gridPos', 'id'].includes(key) || isEmpty(value)) continue;
        extra[key] = value;
      }
      if (Object.keys(extra).length > 0) {
        options.extra = extra;
        keep(at, Object.keys(extra).join(', '));
      }
      helpers.add('row');
      const args: unknown[] = [typeof row.title === 'string' ? row.title : '', values];
      if (Object.keys(options).length > 0) args.push(options);
      return new Call('row', args);
    });

    const spec: Json = { title: typeof json.title === 'string' ? json.title : model.title };
    const extra: Json = {};
    if (typeof json.uid === 'string' && json.uid !== '' && json.uid !== slugify(String(spec.title))) spec.uid = json.uid;
    for (const [key, value] of Object.entries(json)) {
      if (value === undefined || key === 'title' || key === 'uid' || key === 'panels' || key === 'rows') continue;
      if (INSTANCE_FIELDS.has(key)) continue;
      switch (key) {
        case 'tags':
          if (Array.isArray(value) && value.length > 0) spec.tags = value;
          break;
        case 'description':
          if (value !== null) spec.description = value;
          break;
        case 'refresh':
          if (value !== '' && value !== false && value !== null) spec.refresh = value;
          break;
        case 'time':
          if (!(isMap(value) && value.from === 'now-6h' && value.to === 'now' && Object.keys(value).length === 2)) spec.time = value;
          break;
        case 'timezone':
          if (value !== 'browser') spec.timezone = value;
          break;
        case 'weekStart':
          if (value !== '') spec.weekStart = value;
          break;
        case 'graphTooltip':
          if (value !== 0) spec.graphTooltip = GRAPH_TOOLTIP[value as 0 | 1 | 2] ?? value;
          break;
        case 'editable':
          if (value !== true) spec.editable = value;
          break;
        case 'liveNow':
          spec.liveNow = value;
          break;
        case 'fiscalYearStartMonth':
          if (value !== 0) extra[key] = value;
          break;
        case 'links':
          if (Array.isArray(value) && value.length > 0) spec.links = value.map((link) => (isMap(link) ? linkOf(link) : link));
          break;
        case 'timepicker':
          if (isMap(value)) {
            const picker: Json = {};
            for (const [k, v] of Object.entries(value)) {
              if (k === 'refresh_intervals') picker.refreshIntervals = v;
              else if (k === 'hidden' || k === 'nowDelay') picker[k] = v;
              else setPath(extra, ['timepicker', k], v);
            }
            if (Object.keys(picker).length > 0) spec.timepicker = picker;
          }
          break;
        case 'annotations': {
          const list = isMap(value) && Array.isArray(value.list) ? value.list : [];
          if (!(list.length === 0 || (list.length === 1 && isBuiltInAnnotation(list[0])))) {
            extra.annotations = value;
            keep('/annotations', '');
          }
          break;
        }
        case 'templating': {
          const list = isMap(value) && Array.isArray(value.list) ? value.list : [];
          const variables = list.map((v, i) => (isMap(v) ? importVariable(v, pointer('templating', 'list', i)) : v));
          if (variables.length > 0) spec.variables = variables;
          break;
        }
        default:
          extra[key] = value;
          keep(pointer(key), '');
      }
    }
    function importVariable(variable: Json, at: string): unknown {
      const type = String(variable.type ?? '');
      const kind = VARIABLES[type];
      if (!kind) {
        keep(at, `(variable type "${type}")`);
        helpers.add('textboxVariable');
        return new Call('textboxVariable', [{ name: String(variable.name ?? ''), extra: variable }]);
      }
      const spec: Json = { name: variable.name };
      const extra: Json = {};
      const query = isMap(variable.query) && typeof variable.query.query === 'string' ? variable.query.query : variable.query;
      for (const [key, value] of Object.entries(variable)) {
        if (value === undefined || key === 'name' || key === 'type') continue;
        switch (key) {
          case 'label':
          case 'description':
            if (value !== null && value !== '') spec[key] = value;
            break;
          case 'hide':
            if (value !== (type === 'constant' ? 2 : 0)) spec.hide = HIDE_NAMES[value as 0 | 1 | 2] ?? value;
            break;
          case 'skipUrlSync':
            if (value !== false) spec.skipUrlSync = value;
            break;
          case 'multi':
          case 'includeAll':
            if (['query', 'custom', 'datasource'].includes(type) && value !== false) spec[key] = value;
            else if (!['query', 'custom', 'datasource'].includes(type) && value !== false) extra[key] = value;
            break;
          case 'allValue':
            if (value !== null && value !== '') spec.allValue = value;
            break;
          case 'datasource':
            if (type === 'query' || type === 'adhoc') {
              const ds = datasourceOf(value, 'prometheus');
              if (ds.value !== undefined) spec.datasource = ds.value;
              else if (ds.raw !== undefined) extra.datasource = ds.raw;
            } else if (value !== null) extra.datasource = value;
            break;
          case 'query':
            if (type === 'query') {
              spec.query = typeof query === 'string' ? query : '';
              if (typeof query !== 'string' || value !== query) extra.query = value;
            } else if (type === 'custom' || type === 'interval') {
              spec.values = splitValues(String(value ?? ''));
              if ((spec.values as string[]).length === 0 || (spec.values as string[]).map((v) => v.replace(/,/g, '\\,')).join(',') !== value) extra.query = value;
            } else if (type === 'datasource') spec.plugin = value;
            else if (type === 'constant') spec.value = value;
            else if (type === 'textbox') {
              if (value !== '') spec.value = value;
            } else if (!isEmpty(value)) extra.query = value;
            break;
          case 'definition':
            if (!(type === 'query' && value === query) && !isEmpty(value)) extra.definition = value;
            break;
          case 'refresh':
            if (type === 'query') {
              if (value === 1) spec.refresh = 'load';
              else if (value !== 2) extra.refresh = value;
            } else if (!((type === 'datasource' && value === 1) || (type === 'interval' && value === 2) || value === 0 || value === false)) extra.refresh = value;
            break;
          case 'sort':
            if (type === 'query') {
              if (value !== 1) spec.sort = SORT_NAMES[value as number] ?? value;
            } else if (value !== 0) extra.sort = value;
            break;
          case 'regex':
            if (type === 'query' || type === 'datasource') {
              if (value !== '' && value !== null) spec.regex = value;
            } else if (!isEmpty(value)) extra.regex = value;
            break;
          case 'current':
            importCurrent(type, variable, spec, extra);
            break;
          case 'options':
            // Query and datasource variables read their options afresh; the others' are compiled from the values.
            if (type === 'query' || type === 'datasource') {
              if (!isEmpty(value) && variable.refresh !== 1 && variable.refresh !== 2 && type === 'query') extra.options = value;
            } else if (type === 'custom' || type === 'interval') {
              /* compiled from values and current; compared in the round trip */
            } else if (!isEmpty(value)) extra.options = value;
            break;
          case 'auto':
            if (type === 'interval' && value === true) spec.auto = { ...(spec.auto as Json | undefined) };
            break;
          case 'auto_count':
            if (type === 'interval' && variable.auto === true) {
              if (value !== 30) spec.auto = { ...(spec.auto as Json | undefined), steps: value };
            } else if (!isEmpty(value)) extra[key] = value;
            break;
          case 'auto_min':
            if (type === 'interval' && variable.auto === true) {
              if (value !== '10s') spec.auto = { ...(spec.auto as Json | undefined), minimum: value };
            } else if (!isEmpty(value)) extra[key] = value;
            break;
          case 'filters':
            if (!isEmpty(value)) extra.filters = value;
            break;
          default:
            if (value !== null) extra[key] = value;
        }
      }
      // Grafana's defaults for what the input leaves out: a query variable is read on load, unsorted.
      if (type === 'query' && variable.refresh === undefined) spec.refresh = 'load';
      if (type === 'query' && variable.sort === undefined) spec.sort = 'disabled';
      if (type === 'custom' && spec.values === undefined) spec.values = [];
      if (type === 'interval' && spec.values === undefined) spec.values = [];
      if (type === 'datasource' && spec.plugin === undefined) spec.plugin = '';
      if (type === 'constant' && spec.value === undefined) spec.value = '';
      if (type === 'query' && spec.query === undefined) spec.query = '';
      const typed = split(shape(kind.type), { type, ...spec });
      const result = (typed.typed as Json | undefined) ?? { name: spec.name };
      delete result.type;
      for (const required of ['name', 'query', 'values', 'plugin', 'value'])
        if (spec[required] !== undefined && result[required] === undefined && (type !== 'textbox' || required !== 'value')) {
          result[required] = required === 'values' ? [] : '';
          extra[required === 'values' ? 'query' : required === 'plugin' || required === 'value' ? 'query' : required] = variable[required === 'name' ? 'name' : 'query'];
        }
      if (typed.rest !== undefined) {
        for (const key of Object.keys(typed.rest as Json)) if (!(key in result)) extra[VARIABLE_JSON[key] ?? key] = variable[VARIABLE_JSON[key] ?? key];
      }
      if (Object.keys(extra).length > 0) {
        result.extra = extra;
        keep(at, Object.keys(extra).join(', '));
      }
      helpers.add(kind.helper);
      return new Call(kind.helper, [result]);
    }

    if (topPanels.length > 0 || rowValues.length > 0) spec.panels = [...topPanels, ...rowValues];
    const typed = split(shape('DashboardSpec'), spec);
    const result = (typed.typed as Json | undefined) ?? { title: spec.title };
    for (const key of Object.keys((typed.rest as Json | undefined) ?? {})) {
      if (key === 'panels' || key === 'variables') {
        result[key] = spec[key];
        continue;
      }
      const jsonKey = key === 'graphTooltip' ? 'graphTooltip' : key;
      extra[jsonKey] = json[jsonKey];
    }
    if (Object.keys(extra).length > 0) result.extra = extra;
    if (kept.length > 0) {
      diagnostics.push({
        rule: IMPORT_KEPT,
        severity: 'info',
        message: `kept as written through extra (no typed field takes them): ${kept.slice(0, 8).join('; ')}${kept.length > 8 ? `; and ${kept.length - 8} more` : ''}`,
        where: where(''),
        subject,
      });
    }
    const name = identifierFor(String(spec.title), used, 'Dashboard');
    statements.push({ kind: 'const', name, value: new Call('dashboard', [result]), exported: true });
  }

  return { dashboards: statements, helpers, datasourceNames, diagnostics };
}

const VARIABLE_JSON: Record<string, string> = { values: 'query', plugin: 'query', value: 'query', auto: 'auto' };

function importCurrent(type: string, variable: Json, spec: Json, extra: Json): void {
  const current = variable.current;
  if (!isMap(current) || Object.keys(current).length === 0) return;
  const value = current.value;
  const plain = typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
  const allText = (v: string) => (v === '$__all' ? 'All' : v);
  const text = Array.isArray(value) ? value.map((v) => allText(String(v))) : allText(String(value));
  const matches =
    plain && JSON.stringify(current.text) === JSON.stringify(text) && Object.keys(current).every((k) => k === 'text' || k === 'value' || (k === 'selected' && current.selected === false));
  if (type === 'constant' || type === 'adhoc') {
    extra.current = current;
    return;
  }
  if (type === 'textbox') {
    if (!(matches && value === (spec.value ?? variable.query ?? ''))) extra.current = current;
    return;
  }
  if (plain && (type !== 'interval' || typeof value === 'string')) spec.current = value;
  if (!matches) extra.current = current;
}

function splitValues(query: string): string[] {
  if (query === '') return [];
  const values: string[] = [];
  let current = '';
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '\\' && query[i + 1] === ',') {
      current += ',';
      i++;
    } else if (query[i] === ',') {
      values.push(current.trim());
      current = '';
    } else current += query[i];
  }
  values.push(current.trim());
  return values;
}

function linkOf(link: Json): unknown {
  const out: Json = {};
  const defaults: Json = { asDropdown: false, includeVars: false, keepTime: false, targetBlank: false, tooltip: '', type: 'link', url: '' };
  for (const [key, value] of Object.entries(link)) {
    if (key === 'tags' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'icon' && value === (link.type === 'dashboards' ? 'dashboard' : 'external link')) continue;
    if (key in defaults && defaults[key] === value) continue;
    out[key] = value;
  }
  return out;
}

function isBuiltInAnnotation(value: unknown): boolean {
  return isMap(value) && value.builtIn === 1 && value.enable !== false && value.hide !== false && value.name === 'Annotations & Alerts' && value.type === 'dashboard';
}

/** Grafana's threshold steps as moncode's `{ value: colour }` map when that is exactly what they are. */
function thresholdsOf(value: unknown): unknown {
  if (!isMap(value) || !Array.isArray(value.steps)) return value;
  const steps = value.steps as unknown[];
  if (value.mode !== undefined && value.mode !== 'absolute') return value;
  if (Object.keys(value).some((k) => k !== 'mode' && k !== 'steps')) return value;
  if (steps.length === 0 || !steps.every((s) => isMap(s) && typeof s.color === 'string' && Object.keys(s).every((k) => k === 'color' || k === 'value'))) return value;
  const first = steps[0] as Json;
  if (first.value !== null && first.value !== undefined) return value;
  const rest = steps.slice(1) as Json[];
  if (!rest.every((s, i) => typeof s.value === 'number' && Number.isFinite(s.value) && (i === 0 || (s.value as number) > (rest[i - 1]!.value as number)))) return value;
  const lowest = rest.length > 0 ? (rest[0]!.value as number) : 1;
  const base = lowest > 0 ? 0 : Math.floor(lowest) - 1;
  const map: Json = { [String(base)]: first.color };
  for (const s of rest) map[String(s.value)] = s.color;
  return map;
}

function renameBack(rest: Json, names: Record<string, string>): Json {
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [names[k] ?? k, v]));
}

function flatKeys(value: Json, prefix = ''): Json {
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isMap(item) && Object.keys(item).length > 0 && Object.keys(item).length <= 3 && (key === 'fieldConfig' || key === 'defaults' || key === 'options')) Object.assign(out, flatKeys(item, name));
    else out[name] = true;
  }
  return out;
}

/** A, B, …, Z, AA, … (the refIds mon-build assigns). */
function refIdFor(index: number): string {
  let id = '';
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) id = String.fromCharCode(65 + (n % 26)) + id;
  return id;
}

function sizeOf(panel: Json): { w: number; h: number } {
  const grid = isMap(panel.gridPos) ? panel.gridPos : {};
  const type = String(panel.type);
  return { w: Number(grid.w ?? DEFAULT_WIDTH[type] ?? 12), h: Number(grid.h ?? DEFAULT_HEIGHT[type] ?? 8) };
}

/** Whether mon-build's automatic layout (left to right, wrapping) puts every panel where the input has it. */
function flowMatches(panels: readonly Json[], originY: number): boolean {
  let x = 0;
  let y = originY;
  let line = 0;
  for (const panel of panels) {
    const { w, h } = sizeOf(panel);
    if (!Number.isInteger(w) || w < 1 || w > GRID_COLUMNS || !Number.isInteger(h) || h < 1) return false;
    if (x + w > GRID_COLUMNS) {
      y += Math.max(line, 1);
      x = 0;
      line = 0;
    }
    const grid = isMap(panel.gridPos) ? panel.gridPos : undefined;
    if (!grid || grid.x !== x || grid.y !== y) return false;
    x += w;
    line = Math.max(line, h);
  }
  return true;
}

function bottomOf(panels: readonly Json[], from: number): number {
  return panels.reduce<number>((max, panel) => {
    const grid = isMap(panel.gridPos) ? panel.gridPos : undefined;
    return grid ? Math.max(max, Number(grid.y) + Number(grid.h)) : max;
  }, from);
}

/**
 * The plugin a datasource reference names: its type, else the plugin of the datasource variable
 * (or export input) `$var` stands for, as Grafana resolves it; lint reads a query's language so.
 */
function pluginOf(model: DashboardModel, ref: unknown): string | undefined {
  if (isMap(ref) && typeof ref.type === 'string') return ref.type;
  const uid = typeof ref === 'string' ? ref : isMap(ref) && typeof ref.uid === 'string' ? ref.uid : undefined;
  const name = uid === undefined ? null : VARIABLE_REF.exec(uid);
  const variable = name ? (name[1] ?? name[2] ?? name[3]) : undefined;
  if (variable === undefined) return undefined;
  const json = model.json as Json;
  const list = isMap(json.templating) && Array.isArray(json.templating.list) ? (json.templating.list as unknown[]) : [];
  const defined = list.find((v) => isMap(v) && v.name === variable && v.type === 'datasource');
  if (isMap(defined)) return typeof defined.query === 'string' ? defined.query : undefined;
  const input = (Array.isArray(json.__inputs) ? (json.__inputs as unknown[]) : []).find((i) => isMap(i) && i.name === variable);
  return isMap(input) && typeof input.pluginId === 'string' ? input.pluginId : undefined;
}

/** Two references to one datasource uid (a query's `{ uid: '$datasource' }` under its panel's `{ type: 'loki', uid: '$datasource' }`). */
function sameUid(a: unknown, b: unknown): boolean {
  const uid = (ref: unknown) => (typeof ref === 'string' ? ref : isMap(ref) && typeof ref.uid === 'string' ? ref.uid : undefined);
  return uid(a) !== undefined && uid(a) === uid(b);
}

/** `Dashboard / Panel` (as lint names a panel) for a pointer to a panel of `json` (the input, or its migration: rows[] become panels), or undefined. */
function panelSubjectAt(model: DashboardModel, json: unknown, at: string): string | undefined {
  let value: unknown = json;
  for (const segment of pointerSegments(at)) value = isMap(value) ? value[segment] : Array.isArray(value) ? value[Number(segment)] : undefined;
  if (!isMap(value) || typeof value.type !== 'string') return undefined;
  return `${model.title} / ${typeof value.title === 'string' && value.title ? value.title : `panel ${String(value.id ?? '?')}`}`;
}
