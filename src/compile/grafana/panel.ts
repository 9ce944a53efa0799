import type * as schema from '@grafana/schema';
import type { Locator } from '../../model/locator.js';
import { BUILT_IN_PANEL_TYPES, OTHER_BUILT_IN_PANEL_TYPES, type FieldOverride, type Panel, type ThresholdsInput } from '../../model/panel.js';
import { targetLanguage, type Target } from '../../model/query.js';
import { whereOf } from '../../model/source-location.js';
import { isUnit } from '../../model/unit.js';
import { quoteValue } from '../../model/describe-value.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import type { DatasourceRefJson, DatasourceRegistry } from './datasources.js';
import { definedFields, type PanelJson } from './schema.js';
import { pointerUnder } from '../../model/pointer.js';
import { mergeExtra } from './extra.js';

export interface PanelContext {
  system: string;
  problems: Problems;
  locator: Locator;
  datasources: DatasourceRegistry;
  /** Names of the dashboard's variables (for `$var` datasources). */
  variables: ReadonlySet<string>;
  /** The dashboard's default datasource, for panels that name none. */
  dashboardDatasource?: DatasourceRefJson;
  subject: string;
}

/** `<org>-<name>-panel`: the id of a panel plugin (Grafana's plugin catalog requires the form). */
const PLUGIN_PANEL_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*-panel$/;

const LANGUAGE_PLUGIN = { promql: 'prometheus', logql: 'loki', jaeger: 'jaeger' } as const;

/** Panel fields written as the definition gives them; each must be a field of Grafana's panel schema. */
const COPIED_FIELDS = [
  'description',
  'interval',
  'maxDataPoints',
  'timeFrom',
  'timeShift',
  'hideTimeOverride',
  'transparent',
  'transformations',
  'repeat',
  'repeatDirection',
  'maxPerRow',
] as const satisfies ReadonlyArray<keyof PanelJson>;

/** Field config defaults written as the definition gives them. */
const COPIED_DEFAULTS = ['decimals', 'min', 'max', 'noValue', 'displayName', 'color'] as const satisfies ReadonlyArray<keyof schema.FieldConfig>;

/** One panel in Grafana's JSON shape (without `id`/`gridPos`, which the layout sets). */
export function compilePanel(panel: Panel, at: string, ctx: PanelContext): PanelJson {
  ctx.locator.set(at, whereOf(panel));
  for (const key of ['type', 'title', 'description', 'gridPos', 'unit', 'thresholds', 'targets', 'datasource', 'options', 'custom', 'width', 'height'] as const) {
    ctx.locator.set(pointerUnder(at, key), whereOf(panel, key));
  }
  ctx.locator.set(pointerUnder(at, 'fieldConfig', 'defaults', 'unit'), whereOf(panel, 'unit'));
  ctx.locator.set(pointerUnder(at, 'fieldConfig', 'defaults', 'thresholds'), whereOf(panel, 'thresholds'));

  if (!BUILT_IN_PANEL_TYPES.has(panel.type) && !OTHER_BUILT_IN_PANEL_TYPES.has(panel.type) && !PLUGIN_PANEL_ID.test(panel.type)) {
    ctx.problems.error(INVALID, `panel type "${String(panel.type)}" is neither a Grafana panel nor a plugin id (<org>-<name>-panel)`, whereOf(panel, 'type') ?? whereOf(panel), ctx.subject);
  }
  const json: PanelJson = { type: panel.type, title: panel.title, ...definedFields(panel, COPIED_FIELDS) };
  if (panel.repeat && !panel.repeatDirection) json.repeatDirection = 'h';
  if (panel.links) json.links = panel.links.map((link) => ({ title: link.title, url: link.url, targetBlank: link.targetBlank ?? false }));

  const targets = panel.targets ?? [];
  const panelDatasource = resolvePanelDatasource(panel, targets, ctx, at);
  if (panelDatasource) json.datasource = panelDatasource;
  if (targets.length > 0) json.targets = compileTargets(targets, panelDatasource, pointerUnder(at, 'targets'), ctx);

  const fieldConfig = compileFieldConfig(panel, ctx, at);
  if (panel.type !== 'text' && panel.type !== 'alertlist') json.fieldConfig = fieldConfig;
  json.options = compileOptions(panel);
  if (panel.extra !== undefined) mergeExtra(json as Record<string, unknown>, panel.extra, { locator: ctx.locator, pointer: at });
  return json;
}

function copy(json: Record<string, unknown>, source: object, keys: readonly string[]): void {
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key];
    if (value !== undefined) json[key] = value;
  }
}

function resolvePanelDatasource(panel: Panel, targets: readonly Target[], ctx: PanelContext, at: string): DatasourceRefJson | undefined {
  const languages = new Set(targets.map(targetLanguage));
  const type = languages.size === 1 ? LANGUAGE_PLUGIN[[...languages][0]!] : 'prometheus';
  if (panel.datasource !== undefined) {
    const { ref, error } = ctx.datasources.resolve(ctx.system, panel.datasource, type, ctx.variables);
    if (error) ctx.problems.error('dashboard/datasource', error, whereOf(panel, 'datasource'), ctx.subject);
    return ref;
  }
  if (languages.size > 1) return { type: 'datasource', uid: '-- Mixed --' };
  if (ctx.dashboardDatasource && (targets.length === 0 || ctx.dashboardDatasource.type === type)) return ctx.dashboardDatasource;
  if (targets.length === 0) return undefined;
  const { ref } = ctx.datasources.resolve(ctx.system, undefined, type, ctx.variables);
  if (!ref && type !== 'prometheus') {
    ctx.problems.error(
      'dashboard/datasource',
      `no ${type} datasource for this panel's queries: declare one with datasource({ type: '${type}', … }) and export it`,
      whereOf(panel, 'targets') ?? whereOf(panel),
      ctx.subject,
    );
  }
  return ref;
}

function compileTargets(targets: readonly Target[], panelDatasource: DatasourceRefJson | undefined, at: string, ctx: PanelContext): Array<Record<string, unknown>> {
  const taken = new Set(targets.map((t) => t.refId).filter((id): id is string => id !== undefined));
  const seen = new Set<string>();
  let next = 0;
  return targets.map((target, index) => {
    const here = pointerUnder(at, index);
    ctx.locator.set(here, whereOf(target));
    if (target.lang !== 'jaeger') {
      ctx.locator.set(pointerUnder(here, 'expr'), whereOf(target, 'expr'));
      ctx.locator.set(pointerUnder(here, 'legendFormat'), whereOf(target, 'legend'));
    }
    let refId = target.refId;
    if (refId === undefined) {
      do refId = refIdFor(next++);
      while (taken.has(refId));
    } else if (seen.has(refId)) {
      ctx.problems.error(INVALID, `refId "${refId}" is used twice in this panel`, whereOf(target, 'refId'), ctx.subject);
    }
    seen.add(refId);

    const language = targetLanguage(target);
    const plugin = LANGUAGE_PLUGIN[language];
    let datasource = panelDatasource?.type === plugin || panelDatasource?.uid.startsWith('${') ? panelDatasource : undefined;
    if (target.datasource !== undefined || !datasource) {
      const { ref, error } = ctx.datasources.resolve(ctx.system, target.datasource, plugin, ctx.variables);
      if (error) ctx.problems.error('dashboard/datasource', error, whereOf(target, 'datasource'), ctx.subject);
      datasource = ref ?? datasource;
    }
    if (target.lang === 'jaeger') {
      const json: Record<string, unknown> = { refId, queryType: target.traceId !== undefined ? undefined : (target.queryType ?? 'search') };
      if (datasource) json.datasource = datasource;
      copy(json, target, ['service', 'operation', 'tags', 'minDuration', 'maxDuration', 'limit', 'hide']);
      if (target.traceId !== undefined) json.query = target.traceId;
      if (json.queryType === undefined) delete json.queryType;
      if (target.extra !== undefined) mergeExtra(json, target.extra, { locator: ctx.locator, pointer: here });
      return json;
    }
    const json: Record<string, unknown> = { refId, expr: target.expr, editorMode: 'code' };
    if (datasource) json.datasource = datasource;
    if (target.legend !== undefined) json.legendFormat = target.legend;
    if (target.hide !== undefined) json.hide = target.hide;
    if (target.lang === 'logql') {
      json.queryType = target.instant ? 'instant' : 'range';
      copy(json, target, ['maxLines', 'direction', 'step']);
    } else {
      copy(json, target, ['interval', 'maxDataPoints']);
      if (target.instant) {
        json.instant = true;
        json.range = target.range ?? false;
      } else {
        json.range = true;
      }
      copy(json, target, ['format', 'exemplar', 'intervalFactor']);
    }
    if (target.extra !== undefined) mergeExtra(json, target.extra, { locator: ctx.locator, pointer: here });
    return json;
  });
}

/** A, B, …, Z, AA, AB, … */
export function refIdFor(index: number): string {
  let id = '';
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) id = String.fromCharCode(65 + (n % 26)) + id;
  return id;
}

function compileFieldConfig(panel: Panel, ctx: PanelContext, at: string): schema.FieldConfigSource {
  // A colour is written as partial as the definition gives it (`{ mode: 'palette-classic' }`): Grafana fills the rest.
  const defaults = definedFields(panel, COPIED_DEFAULTS) as schema.FieldConfig;
  // Value mappings are written as partial as the definition gives them: Grafana fills the rest.
  if (panel.mappings !== undefined) defaults.mappings = panel.mappings as schema.ValueMapping[];
  if (panel.unit !== undefined) {
    if (!isUnit(panel.unit)) ctx.problems.error(INVALID, `unknown unit "${panel.unit}"`, whereOf(panel, 'unit'), ctx.subject);
    defaults.unit = panel.unit;
  }
  if (panel.thresholds !== undefined) {
    const thresholds = compileThresholds(panel.thresholds);
    if (typeof thresholds === 'string') ctx.problems.error(INVALID, thresholds, whereOf(panel, 'thresholds'), ctx.subject);
    else defaults.thresholds = thresholds;
  }
  const custom: Record<string, unknown> = { ...('custom' in panel ? (panel.custom as Record<string, unknown> | undefined) : undefined) };
  if (panel.thresholdsStyle) custom.thresholdsStyle = { mode: panel.thresholdsStyle };
  if (Object.keys(custom).length > 0) defaults.custom = custom;
  const overrides = (panel.overrides ?? []).map((override, index) => {
    const result = compileOverride(override);
    if (typeof result === 'string') ctx.problems.error(INVALID, result, whereOf(override) ?? whereOf(panel, 'overrides'), ctx.subject);
    ctx.locator.set(pointerUnder(at, 'fieldConfig', 'overrides', index), whereOf(override));
    return typeof result === 'string' ? { matcher: { id: 'byName', options: '' }, properties: [] } : result;
  });
  return { defaults, overrides };
}

/** Grafana's threshold config, or a message saying what is wrong. */
export function compileThresholds(input: ThresholdsInput): schema.ThresholdsConfig | string {
  const isConfig = typeof input === 'object' && 'steps' in input && (Array.isArray(input.steps) || typeof input.steps === 'object');
  const mode = (isConfig ? (input as { mode?: string }).mode : undefined) ?? 'absolute';
  const steps = isConfig ? (input as { steps: unknown }).steps : input;
  if (Array.isArray(steps)) return { mode: mode as schema.ThresholdsMode, steps: steps as schema.Threshold[] };
  const entries = Object.entries(steps as Record<string, string>).map(([key, color]) => [Number(key), color] as const);
  const bad = entries.find(([value]) => !Number.isFinite(value));
  if (bad) return `threshold keys must be numbers; got ${JSON.stringify(Object.keys(steps as object))}`;
  if (entries.length === 0) return 'thresholds need at least one step';
  entries.sort((a, b) => a[0] - b[0]);
  return {
    mode: mode as schema.ThresholdsMode,
    steps: entries.map(([value, color], i) => ({ color, value: i === 0 ? null : value })),
  };
}

const MATCHERS = { byName: 'byName', byRegexp: 'byRegexp', byRefId: 'byFrameRefID', byType: 'byType' } as const;

function compileOverride(override: FieldOverride): schema.FieldConfigSource['overrides'][number] | string {
  if ('matcher' in override) return override;
  const key = (Object.keys(MATCHERS) as Array<keyof typeof MATCHERS>).find((k) => k in override);
  if (!key) return 'an override needs byName, byRegexp, byRefId, byType or a matcher';
  const properties: Array<{ id: string; value?: unknown }> = [];
  for (const [id, value] of Object.entries(override.set)) {
    if (id === 'thresholds') {
      const thresholds = compileThresholds(value as ThresholdsInput);
      if (typeof thresholds === 'string') return thresholds;
      properties.push({ id, value: thresholds });
    } else if (id === 'unit' && !isUnit(value)) {
      return `unknown unit ${quoteValue(value)}`;
    } else {
      properties.push({ id, value });
    }
  }
  return { matcher: { id: MATCHERS[key], options: (override as Record<string, unknown>)[key] }, properties };
}

function compileOptions(panel: Panel): Record<string, unknown> {
  const options: Record<string, unknown> = { ...(panel.options as Record<string, unknown> | undefined) };
  const merge = (key: string, value: unknown): void => {
    if (value === undefined) return;
    const existing = options[key];
    options[key] = typeof existing === 'object' && existing !== null && typeof value === 'object' ? { ...existing, ...value } : value;
  };
  if ('legend' in panel) merge('legend', panel.legend);
  if ('tooltip' in panel) merge('tooltip', panel.tooltip);
  if ('reduce' in panel && panel.reduce !== undefined) merge('reduceOptions', { calcs: [panel.reduce], fields: '', values: false });
  if (panel.type === 'text') {
    if (panel.content !== undefined) options.content = panel.content;
    if (panel.mode !== undefined) options.mode = panel.mode;
  }
  return options;
}
