import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { REPO_ROOT } from './project.js';

/**
 * JSON Schemas generated from @grafana/schema's TypeScript types (and, for
 * queries, the Grafana foundation SDK's), never typed by hand. Generated on
 * first use and cached per package version under node_modules/.cache.
 */

const require = createRequire(import.meta.url);
const schemaPackage = path.dirname(require.resolve('@grafana/schema/package.json'));
const schemaVersion = (JSON.parse(readFileSync(path.join(schemaPackage, 'package.json'), 'utf8')) as { version: string }).version;
const sdkRoot = path.join(REPO_ROOT, 'node_modules', '@grafana', 'grafana-foundation-sdk');
const cacheDir = path.join(REPO_ROOT, 'node_modules', '.cache', 'moncode-test', `grafana-schema-${schemaVersion}`);

/** Panel type → folder of its plugin config types in @grafana/schema. */
export const PANEL_PLUGINS: Record<string, { dir: string; fieldConfig: boolean }> = {
  timeseries: { dir: 'timeseries', fieldConfig: true },
  stat: { dir: 'stat', fieldConfig: false },
  gauge: { dir: 'gauge', fieldConfig: false },
  bargauge: { dir: 'bargauge', fieldConfig: false },
  table: { dir: 'table', fieldConfig: true },
  piechart: { dir: 'piechart', fieldConfig: true },
  text: { dir: 'text', fieldConfig: false },
  logs: { dir: 'logs', fieldConfig: false },
  heatmap: { dir: 'heatmap', fieldConfig: true },
  histogram: { dir: 'histogram', fieldConfig: true },
  barchart: { dir: 'barchart', fieldConfig: true },
  'state-timeline': { dir: 'statetimeline', fieldConfig: true },
  'status-history': { dir: 'statushistory', fieldConfig: true },
  nodeGraph: { dir: 'nodegraph', fieldConfig: false },
};

/**
 * Fields Grafana itself writes that the generated types leave out; each is
 * allowed in addition to what the generated schema says.
 */
const KNOWN_SCHEMA_GAPS: Record<string, string[]> = {
  // Interval variables: Grafana's "Auto option" settings.
  VariableModel: ['auto', 'auto_count', 'auto_min', 'definition', 'filters'],
  // A Prometheus annotation's query in the fields Grafana's Prometheus datasource reads (src/compile/grafana/schema.ts).
  AnnotationQuery: ['expr', 'step', 'tagKeys', 'titleFormat', 'textFormat'],
};

function generate(file: string, type: string): Record<string, unknown> {
  const key = path.relative(REPO_ROOT, file).replace(/[^\w.-]+/g, '_');
  const cacheFile = path.join(cacheDir, `${key}-${type}.json`);
  if (existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
  const schema = createGenerator({
    path: file,
    tsconfig: path.join(REPO_ROOT, 'tsconfig.build.json'),
    type,
    skipTypeCheck: true,
    expose: 'export',
    topRef: true,
    additionalProperties: false,
    jsDoc: 'none',
  }).createSchema(type) as Record<string, unknown>;
  mkdirSync(cacheDir, { recursive: true });
  // Written whole, then renamed into place: test files running in parallel never read half a schema.
  const partial = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(schema));
  renameSync(partial, cacheFile);
  return schema;
}

/** Removes every `required` list: authoring is deep-partial and Grafana fills plugin defaults. */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) if (key !== 'required') copy[key] = withoutRequired(value);
  return copy;
}

/**
 * A panel's links as Grafana writes them: data links (title, url, targetBlank), where the
 * generated type has the dashboard's link (with its type, tags, icon, …).
 */
const PANEL_LINK = {
  type: 'object',
  properties: { title: { type: 'string' }, url: { type: 'string' }, targetBlank: { type: 'boolean' } },
  required: ['title', 'url'],
  additionalProperties: false,
};

function withKnownGaps(schema: Record<string, unknown>): Record<string, unknown> {
  const definitions = schema.definitions as Record<string, { properties?: Record<string, unknown> }>;
  const links = definitions.Panel?.properties?.links as { items: unknown } | undefined;
  if (!links) throw new Error('generated schema has no Panel.links: update withKnownGaps');
  links.items = { anyOf: [links.items, PANEL_LINK] };
  for (const [name, fields] of Object.entries(KNOWN_SCHEMA_GAPS)) {
    const definition = definitions[name];
    if (!definition?.properties) throw new Error(`generated schema has no ${name}: update KNOWN_SCHEMA_GAPS`);
    for (const field of fields) definition.properties[field] ??= {};
  }
  return schema;
}

export interface GrafanaValidators {
  dashboard: ValidateFunction;
  options: Map<string, ValidateFunction>;
  fieldConfig: Map<string, ValidateFunction>;
  query: { prometheus: ValidateFunction; loki: ValidateFunction };
}

let validators: GrafanaValidators | undefined;

export function grafanaValidators(): GrafanaValidators {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const raw = path.join(schemaPackage, 'dist', 'types', 'raw');
  const dashboard = ajv.compile(withKnownGaps(generate(path.join(raw, 'dashboard', 'x', 'types.gen.d.ts'), 'Dashboard')));
  const options = new Map<string, ValidateFunction>();
  const fieldConfig = new Map<string, ValidateFunction>();
  for (const [panelType, plugin] of Object.entries(PANEL_PLUGINS)) {
    const file = path.join(raw, 'composable', plugin.dir, 'panelcfg', 'x', 'types.gen.d.ts');
    options.set(panelType, ajv.compile(withoutRequired(generate(file, 'Options')) as object));
    if (plugin.fieldConfig) fieldConfig.set(panelType, ajv.compile(withoutRequired(generate(file, 'FieldConfig')) as object));
  }
  const query = {
    prometheus: ajv.compile(generate(path.join(sdkRoot, 'dist', 'prometheus', 'types.gen.d.ts'), 'Dataquery')),
    loki: ajv.compile(generate(path.join(sdkRoot, 'dist', 'loki', 'types.gen.d.ts'), 'dataquery')),
  };
  validators = { dashboard, options, fieldConfig, query };
  return validators;
}

/** Every schema violation of a compiled dashboard, as readable lines (empty when valid). */
export function validateDashboard(json: Record<string, unknown>): string[] {
  const v = grafanaValidators();
  const problems: string[] = [];
  const describe = (where: string, validate: ValidateFunction): void => {
    for (const error of validate.errors ?? []) problems.push(`${where}${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  };
  if (!v.dashboard(json)) describe('dashboard', v.dashboard);
  const panels = (json.panels as Array<Record<string, unknown>> | undefined) ?? [];
  const all = panels.flatMap((p) => [p, ...((p.panels as Array<Record<string, unknown>> | undefined) ?? [])]);
  for (const panel of all) {
    const type = String(panel.type);
    const where = `panel "${String(panel.title)}"`;
    const options = v.options.get(type);
    if (options && !options(panel.options ?? {})) describe(`${where} options`, options);
    const custom = v.fieldConfig.get(type);
    const defaults = (panel.fieldConfig as { defaults?: { custom?: unknown } } | undefined)?.defaults;
    if (custom && defaults?.custom !== undefined && !custom(defaults.custom)) describe(`${where} fieldConfig.defaults.custom`, custom);
    for (const target of (panel.targets as Array<Record<string, unknown>> | undefined) ?? []) {
      const plugin = (target.datasource as { type?: string } | undefined)?.type ?? (panel.datasource as { type?: string } | undefined)?.type;
      const validate = plugin === 'loki' ? v.query.loki : plugin === 'prometheus' ? v.query.prometheus : undefined;
      const refId = String(target.refId);
      if (validate && !validate(target)) describe(`${where} target ${refId}`, validate);
    }
  }
  return problems;
}

let v2Validator: ValidateFunction | undefined;

/** The schema of a v2 dashboard's spec, generated from @grafana/schema's `dashboard.grafana.app/v2` types. */
export function dashboardV2SpecValidator(): ValidateFunction {
  if (v2Validator) return v2Validator;
  const file = path.join(schemaPackage, 'dist', 'types', 'schema', 'dashboard', 'v2', 'types.spec.gen.d.ts');
  v2Validator = new Ajv({ allErrors: true, strict: false }).compile(generate(file, 'Spec'));
  return v2Validator;
}

/**
 * Every problem of a v2 dashboard resource (empty when valid): the envelope Grafana reads from
 * files and Git Sync, the spec against the v2 types, and each panel's options, field config and
 * Prometheus/Loki queries against the same plugin schemas v1 panels are checked with.
 */
export function validateDashboardV2(resource: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (resource.apiVersion !== 'dashboard.grafana.app/v2') problems.push(`apiVersion is ${JSON.stringify(resource.apiVersion)}`);
  if (resource.kind !== 'Dashboard') problems.push(`kind is ${JSON.stringify(resource.kind)}`);
  const name = (resource.metadata as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(name)) problems.push(`metadata.name is ${JSON.stringify(name)}`);
  const validate = dashboardV2SpecValidator();
  if (!validate(resource.spec)) for (const error of validate.errors ?? []) problems.push(`spec${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  const v = grafanaValidators();
  const describe = (where: string, fn: ValidateFunction): void => {
    for (const error of fn.errors ?? []) problems.push(`${where}${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  };
  const elements = ((resource.spec as { elements?: Record<string, { kind: string; spec: Record<string, any> }> } | undefined)?.elements ?? {}) as Record<
    string,
    { kind: string; spec: Record<string, any> }
  >;
  for (const [key, element] of Object.entries(elements)) {
    if (element.kind !== 'Panel') continue;
    const type = String(element.spec.vizConfig?.group);
    const where = `element ${key}`;
    const options = v.options.get(type);
    if (options && !options(element.spec.vizConfig.spec.options ?? {})) describe(`${where} options`, options);
    const custom = v.fieldConfig.get(type);
    const defaults = element.spec.vizConfig.spec.fieldConfig?.defaults;
    if (custom && defaults?.custom !== undefined && !custom(defaults.custom)) describe(`${where} fieldConfig.defaults.custom`, custom);
    for (const query of element.spec.data?.spec?.queries ?? []) {
      const group = query.spec.query.group;
      const fn = group === 'loki' ? v.query.loki : group === 'prometheus' ? v.query.prometheus : undefined;
      if (fn && !fn({ ...query.spec.query.spec, refId: query.spec.refId })) describe(`${where} query ${query.spec.refId}`, fn);
    }
  }
  return problems;
}
