import type * as schema from '@grafana/schema';
import type { DashboardModel, LoadedResource, ScopedSuppression } from '../../model/project-model.js';
import type { Annotation, Dashboard, DashboardLink } from '../../model/dashboard.js';
import type { Panel, Row, Tab } from '../../model/panel.js';
import { slugify } from '../../model/datasource.js';
import { grafanaTimeProblem } from '../../model/duration.js';
import { Locator } from '../../model/locator.js';
import { whereOf } from '../../model/source-location.js';
import { INVALID, UNSUPPORTED, type Problems } from '../../model/diagnostic.js';
import type { DatasourceRefJson, DatasourceRegistry } from './datasources.js';
import { layout } from './layout.js';
import { compilePanel, type PanelContext } from './panel.js';
import type { AnnotationJson, DashboardJson, PanelJson, RowPanelJson } from './schema.js';
import { compileVariables } from './variables.js';
import { checkDashboardSchema } from './dashboard-schema.js';
import { hasExtra, mergeExtra } from './extra.js';
import { dashboardV2 } from './v2.js';
import { flattenSections, type Flattened } from './sections.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

/** Grafana's last v1 dashboard schema version; Grafana keeps it at 42 for good. */
const SCHEMA_VERSION = 42;

const UID = /^[A-Za-z0-9_-]{1,40}$/;

const BUILT_IN_ANNOTATION: AnnotationJson = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

const GRAPH_TOOLTIP = { default: 0, crosshair: 1, tooltip: 2 } as const;

/** Compiles a dashboard definition to Grafana's v1 JSON (schemaVersion 42) with a locator back to the TS. */
export function compileDashboard(resource: LoadedResource<Dashboard>, datasources: DatasourceRegistry, problems: Problems, schema: 'v1' | 'v2' = 'v1'): DashboardModel {
  const spec = resource.value;
  const subject = spec.title;
  const locator = new Locator();
  locator.set('', whereOf(spec));
  locator.set('/title', whereOf(spec, 'title'));
  locator.set('/uid', whereOf(spec, 'uid') ?? whereOf(spec, 'title'));
  locator.set('/folder', whereOf(spec, 'folder'));
  locator.set('/templating', whereOf(spec, 'variables'));
  locator.set('/panels', whereOf(spec, 'panels') ?? whereOf(spec, 'rows'));
  const suppressions: ScopedSuppression[] = [];
  const suppress = (pointer: string, owner: { lint?: ScopedSuppression['suppression'] }): void => {
    if (owner.lint) suppressions.push({ pointer, suppression: owner.lint, where: whereOf(owner, 'lint') });
  };
  suppress('', spec);

  const uid = spec.uid ?? slugify(spec.title);
  if (!UID.test(uid)) {
    problems.error(
      INVALID,
      spec.uid === undefined ? `cannot derive a uid from the title "${spec.title}": set \`uid\` (1–40 of A-Z a-z 0-9 _ -)` : `uid "${uid}" must be 1–40 characters of A-Z a-z 0-9 _ -`,
      whereOf(spec, spec.uid === undefined ? 'title' : 'uid'),
      subject,
    );
  }

  const sections = flattenSections([...(spec.panels ?? []), ...(spec.rows ?? [])], spec.autoGrid);
  checkSections(spec, sections, schema, problems);
  const variables = [...(spec.variables ?? []), ...sections.variables.map(({ variable }) => variable)];
  const variableNames = new Set(variables.map((v) => v.name));
  const dashboardDatasource = spec.datasource ? datasources.resolve(resource.system, spec.datasource, spec.datasource.type, variableNames).ref : undefined;
  // Section variables join the v1 form's templating list, so lint sees them defined; the v2 resource puts them back in their sections.
  const templating = compileVariables(variables, { system: resource.system, problems, locator, datasources, variables: variableNames, subject });

  const ctx = (panelTitle: string): PanelContext => ({
    system: resource.system,
    problems,
    locator,
    datasources,
    variables: variableNames,
    dashboardDatasource,
    subject: `${spec.title} / ${panelTitle}`,
  });

  const placed = layout(sections.items);
  const originOf = (row: Row): Row | Tab => sections.origins.get(row) ?? row;
  checkSchemaFields(spec, placed, originOf, schema, problems);
  const panels: Array<PanelJson | RowPanelJson> = [];
  let nextId = 1;
  const place = (item: (typeof placed.top)[number], at: string): PanelJson => {
    suppress(at, item.panel);
    const json = compilePanel(item.panel, at, ctx(item.panel.title));
    json.id = nextId++;
    json.gridPos = item.gridPos;
    return json;
  };
  for (const item of placed.top) panels.push(place(item, pointer('panels', panels.length)));
  for (const { row, y, panels: rowPanels } of placed.rows) {
    const rowAt = pointer('panels', panels.length);
    const origin = originOf(row);
    locator.set(rowAt, whereOf(origin));
    locator.set(pointerUnder(rowAt, 'title'), whereOf(origin, 'title'));
    suppress(rowAt, origin);
    const rowJson: RowPanelJson = { type: 'row', title: row.title, collapsed: row.collapsed ?? false, id: nextId++, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] };
    if (row.repeat) rowJson.repeat = row.repeat;
    if (row.extra !== undefined) mergeExtra(rowJson as unknown as Record<string, unknown>, row.extra, { locator, pointer: rowAt });
    panels.push(rowJson);
    for (const item of rowPanels) {
      if (row.collapsed) rowJson.panels.push(place(item, pointerUnder(rowAt, 'panels', rowJson.panels.length)));
      else panels.push(place(item, pointer('panels', panels.length)));
    }
  }

  const json: DashboardJson = {
    annotations: { list: [BUILT_IN_ANNOTATION, ...(spec.annotations ?? []).map((a, i) => compileAnnotation(a, i))] },
    editable: spec.editable ?? true,
    fiscalYearStartMonth: 0,
    graphTooltip: GRAPH_TOOLTIP[spec.graphTooltip ?? 'default'],
    links: (spec.links ?? []).map(compileLink),
    panels,
    refresh: spec.refresh ?? '',
    schemaVersion: SCHEMA_VERSION,
    tags: spec.tags ?? [],
    templating: { list: templating },
    time: spec.time ?? { from: 'now-6h', to: 'now' },
    timepicker: compileTimepicker(spec.timepicker),
    timezone: spec.timezone ?? 'browser',
    title: spec.title,
    uid,
    weekStart: spec.weekStart ?? '',
  };
  if (spec.description !== undefined) json.description = spec.description;
  if (spec.liveNow !== undefined) json.liveNow = spec.liveNow;
  if (spec.extra !== undefined) mergeExtra(json as unknown as Record<string, unknown>, spec.extra, { locator, pointer: '' });
  checkTime(json.time, spec, problems, resource.value.title);

  function compileAnnotation(annotation: Annotation, index: number): AnnotationJson {
    locator.set(pointer('annotations', 'list', index + 1), whereOf(annotation));
    const result: AnnotationJson = {
      enable: annotation.enable ?? true,
      hide: annotation.hide ?? false,
      iconColor: annotation.color ?? 'red',
      name: annotation.name,
    };
    if (annotation.tags) {
      result.datasource = { type: 'grafana', uid: '-- Grafana --' };
      result.target = { type: 'tags', tags: annotation.tags, limit: 100, matchAny: false };
      if (annotation.extra !== undefined) mergeExtra(result as Record<string, unknown>, annotation.extra, { locator, pointer: pointer('annotations', 'list', index + 1) });
      return result;
    }
    const { ref, error } = datasources.resolve(resource.system, annotation.datasource, 'prometheus', variableNames);
    if (error) problems.error('dashboard/datasource', error, whereOf(annotation, 'datasource'), subject);
    const datasource: DatasourceRefJson | undefined = ref ?? dashboardDatasource;
    if (datasource) result.datasource = datasource;
    for (const key of ['expr', 'step', 'tagKeys', 'titleFormat', 'textFormat'] as const) {
      if (annotation[key] !== undefined) result[key] = annotation[key];
    }
    if (annotation.extra !== undefined) mergeExtra(result as Record<string, unknown>, annotation.extra, { locator, pointer: pointer('annotations', 'list', index + 1) });
    return result;
  }

  if (schema === 'v1' && hasExtra(locator)) checkDashboardSchema(json as unknown as Record<string, unknown>, locator, subject, problems);

  const model: DashboardModel = {
    uid,
    title: spec.title,
    folder: spec.folder ?? resource.system,
    system: resource.system,
    // The model holds dashboards as loose JSON (a read one is whatever its file holds).
    json: json as unknown as DashboardModel['json'],
    locator,
    file: resource.module,
    from: 'ts',
    suppressions,
  };
  if (schema === 'v2') model.resource = dashboardV2(json, sections.layout, spec.variables?.length ?? 0) as unknown as Record<string, unknown>;
  return model;
}

/**
 * The layout's shape: tabs and section variables exist only in schema v2 (a v1 dashboard has
 * neither, and no lossless stand-in: rows cannot nest, and a dashboard variable would apply to
 * every panel), and a `tabs(…)` stands alone. A section variable named like another variable of the
 * dashboard is lint's dashboard/duplicate-uid: the v1 form lists them all.
 */
function checkSections(spec: Dashboard, sections: Flattened, schema: 'v1' | 'v2', problems: Problems): void {
  const subject = spec.title;
  for (const problem of sections.problems) problems.error(INVALID, problem.message, whereOf(problem.at, problem.property), subject);
  if (schema === 'v1') {
    for (const { at, property, what } of sections.v2Only) {
      problems.error(
        UNSUPPORTED,
        what === 'tabs'
          ? "`tabs` is a layout of schema v2 dashboards; this system's dashboards are v1 JSON, which has no tabs (rows cannot hold rows): set grafana: { version: '13.0', dashboardSchema: 'v2' } in mon.config.ts, or use rows"
          : "section `variables` exist only in schema v2 dashboards; this system's dashboards are v1 JSON, where a variable is the whole dashboard's: set grafana: { version: '13.0', dashboardSchema: 'v2' } in mon.config.ts, or declare it in the dashboard's `variables`",
        whereOf(at, property),
        subject,
      );
    }
  }
}

/**
 * Fields one dashboard schema has and the other lacks, refused at their line: `autoGrid` exists
 * only in v2; `extra` is v1 JSON written over the compiled dashboard, which a v2 resource cannot
 * carry (a query's `extra` stays: it becomes part of the v2 query's spec).
 */
function checkSchemaFields(spec: Dashboard, placed: ReturnType<typeof layout>, originOf: (row: Row) => Row | Tab, schema: 'v1' | 'v2', problems: Problems): void {
  const subject = spec.title;
  if (schema === 'v1') {
    for (const owner of [spec, ...placed.rows.map(({ row }) => originOf(row))]) {
      if (owner.autoGrid !== undefined) {
        problems.error(
          UNSUPPORTED,
          "`autoGrid` is a layout of schema v2 dashboards; this system's dashboards are v1 JSON: set grafana: { version: '13.0', dashboardSchema: 'v2' } in mon.config.ts, or lay the panels out with width/height",
          whereOf(owner, 'autoGrid'),
          subject,
        );
      }
    }
    return;
  }
  const extraOf = (owner: { extra?: unknown } | undefined, what: string): void => {
    if (owner?.extra === undefined) return;
    problems.error(
      UNSUPPORTED,
      `\`extra\` is v1 dashboard JSON written over the compiled ${what}; a v2 dashboard (grafana.dashboardSchema 'v2') has no place for it: model the field, or compile this system's dashboards as v1`,
      whereOf(owner, 'extra'),
      subject,
    );
  };
  extraOf(spec, 'dashboard');
  for (const annotation of spec.annotations ?? []) extraOf(annotation, 'annotation');
  for (const variable of spec.variables ?? []) extraOf(variable, 'variable');
  const panelsOf = (items: ReadonlyArray<{ panel: Panel }>, autoGrid: boolean): void => {
    for (const { panel } of items) {
      extraOf(panel, 'panel');
      if (autoGrid && panel.gridPos !== undefined) {
        problems.error(UNSUPPORTED, '`gridPos` places a panel on a grid, but it sits in an `autoGrid`, where Grafana places the panels itself: remove one', whereOf(panel, 'gridPos'), subject);
      }
    }
  };
  panelsOf(placed.top, spec.autoGrid !== undefined);
  for (const { row, panels } of placed.rows) {
    const origin = originOf(row);
    if (origin.type === 'row') extraOf(origin, 'row');
    panelsOf(panels, row.autoGrid !== undefined);
  }
}

function compileLink(link: DashboardLink): schema.DashboardLink {
  return {
    asDropdown: link.asDropdown ?? false,
    icon: link.icon ?? (link.type === 'dashboards' ? 'dashboard' : 'external link'),
    includeVars: link.includeVars ?? false,
    keepTime: link.keepTime ?? false,
    tags: link.tags ?? [],
    targetBlank: link.targetBlank ?? false,
    title: link.title,
    tooltip: link.tooltip ?? '',
    type: link.type ?? 'link',
    url: link.url ?? '',
  };
}

function compileTimepicker(timepicker: Dashboard['timepicker']): schema.TimePickerConfig {
  if (!timepicker) return {};
  const json: schema.TimePickerConfig = {};
  if (timepicker.hidden !== undefined) json.hidden = timepicker.hidden;
  if (timepicker.refreshIntervals) json.refresh_intervals = timepicker.refreshIntervals;
  if (timepicker.nowDelay !== undefined) json.nowDelay = timepicker.nowDelay;
  return json;
}

/**
 * The time range as written (after `extra`) against Grafana's date math: a string it cannot read
 * makes Grafana fall back to its default range without a word. At `time.from`/`time.to`, or at
 * `extra` when that is where the value came from.
 */
function checkTime(time: unknown, spec: Dashboard, problems: Problems, subject: string): void {
  if (typeof time !== 'object' || time === null) return;
  const fromExtra = typeof spec.extra?.time === 'object' && spec.extra.time !== null;
  for (const end of ['from', 'to'] as const) {
    const value = (time as Record<string, unknown>)[end];
    if (value === undefined) continue;
    const problem = typeof value === 'string' ? grafanaTimeProblem(value) : 'not a string';
    if (problem === undefined) continue;
    const extra = fromExtra && (spec.extra!.time as Record<string, unknown>)[end] !== undefined;
    const where = extra ? whereOf(spec, 'extra') : (whereOf(spec.time, end) ?? whereOf(spec, 'time'));
    problems.error(INVALID, `\`time.${end}\` is ${JSON.stringify(value)}, which Grafana does not read as a time: ${problem}`, where, subject);
  }
}
