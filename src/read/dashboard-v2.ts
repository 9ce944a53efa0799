import { pointer, pointerUnder } from '../model/pointer.js';
import { isMap } from './rule-file.js';

type Json = Record<string, unknown>;

/** Grafana's Kubernetes-style dashboard resource: `v1` around v1 JSON (v0alpha1, v1beta1), `v2` around a schema v2 spec (v2alpha1, v2beta1, v2). */
export function dashboardResourceKind(value: Json): 'v1' | 'v2' | undefined {
  if (value.kind !== 'Dashboard' || typeof value.apiVersion !== 'string' || !isMap(value.spec)) return undefined;
  const match = /^dashboard\.grafana\.app\/(v\d+)/.exec(value.apiVersion);
  if (!match) return undefined;
  return match[1] === 'v0' || match[1] === 'v1' ? 'v1' : 'v2';
}

const VARIABLE_TYPES: Record<string, string> = {
  QueryVariable: 'query',
  CustomVariable: 'custom',
  ConstantVariable: 'constant',
  TextVariable: 'textbox',
  IntervalVariable: 'interval',
  DatasourceVariable: 'datasource',
  AdhocVariable: 'adhoc',
  GroupByVariable: 'groupby',
  SwitchVariable: 'switch',
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The object without its undefined fields: the lint rules take a present key for a written one. */
function defined(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** A v1 datasource reference of a v2 query: its plugin (`group`) and the datasource's uid (`datasource.name`). */
function datasourceRef(query: Json): Json | undefined {
  const uid = isMap(query.datasource) ? str(query.datasource.name) : undefined;
  return uid !== undefined || str(query.group) ? defined({ type: str(query.group), uid }) : undefined;
}

/**
 * The v1 form of a schema v2 dashboard resource, for the dashboard lint rules: its panel
 * elements (in layout order, with their ids, types, queries, field config and repeats), the
 * dashboard's and the sections' variables, annotations; and `toV2`, which maps a pointer of
 * the v1 form to the v2 resource, so problems point into the file as written. Positions stay
 * out (each v2 grid, row and tab places its panels on its own), so `dashboard/grid` has
 * nothing to check.
 */
export function v1FormOfV2(resource: Json): { json: Json; toV2: (v1Pointer: string) => string } {
  const spec = resource.spec as Json;
  const metadata = isMap(resource.metadata) ? resource.metadata : {};
  const prefixes: Array<[string, string]> = [
    ['/uid', pointer('metadata', 'name')],
    ['/title', pointer('spec', 'title')],
    ['/tags', pointer('spec', 'tags')],
  ];
  const elements = isMap(spec.elements) ? spec.elements : {};
  const panels: Json[] = [];
  const variables: Json[] = [];
  const placed = new Set<string>();

  const variable = (kind: Json, at: string): void => {
    const v = isMap(kind.spec) ? kind.spec : {};
    const json: Json = { name: str(v.name) ?? '', type: VARIABLE_TYPES[str(kind.kind) ?? ''] ?? str(kind.kind) ?? '' };
    const query = isMap(v.query) ? (v.query as Json) : undefined;
    const queryText = query ? (str((query.spec as Json | undefined)?.__legacyStringValue) ?? str((query.spec as Json | undefined)?.query) ?? str(v.definition)) : str(v.query);
    if (json.type === 'datasource') json.query = str(v.pluginId) ?? '';
    else if (queryText !== undefined) json.query = queryText;
    const datasource = datasourceRef(query ?? kind);
    if (datasource && json.type !== 'datasource') json.datasource = datasource;
    for (const key of ['regex', 'multi', 'includeAll', 'allValue', 'label', 'current', 'options'] as const) if (v[key] !== undefined) json[key] = v[key];
    const v1 = pointer('templating', 'list', variables.length);
    prefixes.push([v1, at], [`${v1}/`, `${pointerUnder(at, 'spec')}/`]);
    variables.push(json);
  };
  const sectionVariables = (section: Json, at: string): void => {
    if (Array.isArray(section.variables)) section.variables.forEach((kind, i) => isMap(kind) && variable(kind, pointerUnder(at, 'variables', i)));
  };
  const panel = (name: string, repeat: unknown): void => {
    const element = elements[name];
    if (!isMap(element) || element.kind !== 'Panel' || !isMap(element.spec) || placed.has(name)) return;
    placed.add(name);
    const p = element.spec;
    const at = pointer('spec', 'elements', name, 'spec');
    const viz = isMap(p.vizConfig) ? p.vizConfig : {};
    const vizSpec = isMap(viz.spec) ? viz.spec : {};
    const data = isMap(p.data) && isMap(p.data.spec) ? p.data.spec : {};
    const index = panels.length;
    const json: Json = defined({ id: p.id, title: str(p.title) ?? '', type: str(viz.group) ?? '' });
    if (p.description !== undefined) json.description = p.description;
    if (isMap(vizSpec.fieldConfig)) json.fieldConfig = vizSpec.fieldConfig;
    if (isMap(vizSpec.options)) json.options = vizSpec.options;
    if (isMap(repeat) && typeof repeat.value === 'string') json.repeat = repeat.value;
    const queries = Array.isArray(data.queries) ? data.queries : [];
    json.targets = queries.map((q, j) => {
      const query = isMap(q) && isMap(q.spec) && isMap(q.spec.query) ? q.spec.query : {};
      const target: Json = defined({ ...(isMap(query.spec) ? query.spec : {}), refId: isMap(q) && isMap(q.spec) ? str(q.spec.refId) : undefined });
      const datasource = datasourceRef(query);
      if (datasource) target.datasource = datasource;
      prefixes.push([pointer('panels', index, 'targets', j), pointerUnder(at, 'data', 'spec', 'queries', j, 'spec', 'query', 'spec')]);
      return target;
    });
    if (Array.isArray(data.transformations)) json.transformations = data.transformations.map((t) => (isMap(t) ? { id: t.group, ...(isMap(t.spec) ? t.spec : {}) } : t));
    prefixes.push(
      [pointer('panels', index, 'fieldConfig'), pointerUnder(at, 'vizConfig', 'spec', 'fieldConfig')],
      [pointer('panels', index, 'options'), pointerUnder(at, 'vizConfig', 'spec', 'options')],
      [pointer('panels', index, 'type'), pointerUnder(at, 'vizConfig', 'group')],
      [pointer('panels', index), at],
    );
    panels.push(json);
  };
  const layout = (node: unknown, at: string, depth: number): void => {
    if (!isMap(node) || !isMap(node.spec) || depth > 32) return;
    const s = node.spec;
    const items = (key: string): unknown[] => (Array.isArray(s[key]) ? (s[key] as unknown[]) : []);
    if (node.kind === 'GridLayout' || node.kind === 'AutoGridLayout') {
      for (const item of items('items')) {
        if (!isMap(item) || !isMap(item.spec)) continue;
        const element = isMap(item.spec.element) ? str(item.spec.element.name) : undefined;
        if (element) panel(element, item.spec.repeat);
      }
    }
    const sections = node.kind === 'RowsLayout' ? items('rows') : node.kind === 'TabsLayout' ? items('tabs') : [];
    sections.forEach((section, i) => {
      if (!isMap(section) || !isMap(section.spec)) return;
      const sectionAt = pointerUnder(at, 'spec', node.kind === 'RowsLayout' ? 'rows' : 'tabs', i, 'spec');
      sectionVariables(section.spec, sectionAt);
      const repeat = isMap(section.spec.repeat) ? str(section.spec.repeat.value) : undefined;
      if (repeat) {
        prefixes.push([pointer('panels', panels.length), sectionAt]);
        panels.push({ type: 'row', title: str(section.spec.title) ?? '', repeat, panels: [] });
      }
      layout(section.spec.layout, pointerUnder(sectionAt, 'layout'), depth + 1);
    });
  };

  if (Array.isArray(spec.variables)) spec.variables.forEach((kind, i) => isMap(kind) && variable(kind, pointer('spec', 'variables', i)));
  layout(spec.layout, pointer('spec', 'layout'), 0);
  for (const name of Object.keys(elements)) panel(name, undefined);

  const annotations = (Array.isArray(spec.annotations) ? spec.annotations : []).map((kind, i) => {
    const a = isMap(kind) && isMap(kind.spec) ? kind.spec : {};
    const query = isMap(a.query) ? a.query : {};
    const json: Json = defined({ ...(isMap(query.spec) ? query.spec : {}), name: a.name, enable: a.enable, hide: a.hide });
    if (a.builtIn) json.builtIn = 1;
    const datasource = datasourceRef(query);
    if (datasource) json.datasource = datasource;
    prefixes.push([pointer('annotations', 'list', i), pointer('spec', 'annotations', i, 'spec', 'query', 'spec')]);
    return json;
  });

  const json: Json = {
    uid: str(metadata.name) ?? '',
    title: str(spec.title) ?? '',
    tags: Array.isArray(spec.tags) ? spec.tags : [],
    panels,
    templating: { list: variables },
    annotations: { list: annotations },
  };
  // Longest prefix first: a target's pointer maps before its panel's.
  prefixes.sort((a, b) => b[0].length - a[0].length);
  const toV2 = (v1: string): string => {
    if (v1 === '') return '';
    for (const [from, to] of prefixes) {
      // A prefix ending in `/` maps what is below it only (a variable's fields lie under its `spec`).
      if (from.endsWith('/') ? v1.startsWith(from) : v1 === from || v1.startsWith(`${from}/`)) return to + v1.slice(from.length);
    }
    return pointer('spec');
  };
  return { json, toV2 };
}
