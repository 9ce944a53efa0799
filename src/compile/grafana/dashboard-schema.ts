import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import { GRAFANA_DASHBOARD_SCHEMAS } from '../../model/grafana-dashboard.schema.gen.js';
import type { Locator } from '../../model/locator.js';
import { pointerUnder } from '../../model/pointer.js';
import { writtenByExtra } from './extra.js';

/** A field of a compiled dashboard that Grafana's dashboard schema refuses, written there through `extra`. */
export const SCHEMA_UNPROVEN = 'grafana/schema-unproven';

type Json = Record<string, unknown>;

interface Validators {
  dashboard: ValidateFunction;
  panel: ValidateFunction;
  row: ValidateFunction;
  /** By panel type (options, `fieldConfig.defaults.custom`) or datasource type (queries), compiled when first needed. */
  options(type: string): ValidateFunction | undefined;
  custom(type: string): ValidateFunction | undefined;
  query(type: string): ValidateFunction | undefined;
}

let validators: Validators | undefined;

/**
 * Compiled once per process, and only for a dashboard that has fields no type proves; each plugin
 * schema when a panel of its type first needs it (compiling them all costs about a second of CPU).
 */
function compiled(): Validators {
  if (validators) return validators;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const { dashboard, options, fieldConfig, query } = GRAFANA_DASHBOARD_SCHEMAS;
  ajv.addSchema(dashboard, 'dashboard');
  const lazy = (schemas: Record<string, Record<string, unknown>>): ((type: string) => ValidateFunction | undefined) => {
    const done = new Map<string, ValidateFunction>();
    return (type) => {
      if (!Object.hasOwn(schemas, type)) return undefined;
      let validate = done.get(type);
      if (!validate) done.set(type, (validate = ajv.compile(schemas[type]!)));
      return validate;
    };
  };
  validators = {
    dashboard: ajv.getSchema('dashboard')!,
    // Panels one at a time, each against its own kind: the dashboard's anyOf of panel and row would say both fail.
    panel: ajv.compile({ $ref: 'dashboard#/definitions/Panel' }),
    row: ajv.compile({ $ref: 'dashboard#/definitions/RowPanel' }),
    options: lazy(options),
    custom: lazy(fieldConfig),
    query: lazy(query),
  };
  return validators;
}

interface Failure {
  /** The field the schema refuses (for a missing field, the object lacking it). */
  at: string;
  error: ErrorObject;
  what: string;
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every schema failure of a v1 dashboard: the dashboard, each panel, its options, field config and Prometheus/Loki queries. */
function failures(json: Json): Failure[] {
  const v = compiled();
  const out: Failure[] = [];
  const check = (validate: ValidateFunction, value: unknown, base: string, what: string): void => {
    if (validate(value)) return;
    for (const error of validate.errors ?? []) {
      const at = base + error.instancePath;
      const field = error.keyword === 'additionalProperties' ? pointerUnder(at, String((error.params as { additionalProperty: string }).additionalProperty)) : at;
      out.push({ at: field, error, what });
    }
  };
  const panels = Array.isArray(json.panels) ? json.panels : [];
  check(v.dashboard, { ...json, panels: [] }, '', "Grafana's dashboard schema");
  const checkPanel = (panel: unknown, at: string): void => {
    if (!isMap(panel)) return check(v.panel, panel, at, "Grafana's panel schema");
    if (panel.type === 'row') {
      check(v.row, { ...panel, panels: [] }, at, "Grafana's row schema");
      (Array.isArray(panel.panels) ? panel.panels : []).forEach((nested, i) => checkPanel(nested, pointerUnder(at, 'panels', i)));
      return;
    }
    check(v.panel, panel, at, "Grafana's panel schema");
    const type = String(panel.type);
    const options = v.options(type);
    if (options) check(options, panel.options ?? {}, pointerUnder(at, 'options'), `the ${type} panel's options schema`);
    const defaults = isMap(panel.fieldConfig) && isMap(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : undefined;
    const custom = v.custom(type);
    if (custom && defaults?.custom !== undefined) check(custom, defaults.custom, pointerUnder(at, 'fieldConfig', 'defaults', 'custom'), `the ${type} panel's field config schema`);
    const panelPlugin = isMap(panel.datasource) ? panel.datasource.type : undefined;
    (Array.isArray(panel.targets) ? panel.targets : []).forEach((target, i) => {
      const plugin = isMap(target) && isMap(target.datasource) ? target.datasource.type : panelPlugin;
      const query = typeof plugin === 'string' ? v.query(plugin) : undefined;
      if (query) check(query, target, pointerUnder(at, 'targets', i), `Grafana's ${String(plugin)} query schema`);
    });
  };
  panels.forEach((panel, i) => checkPanel(panel, pointerUnder('', 'panels', i)));
  return out;
}

function describe(failure: Failure): string {
  const { error } = failure;
  if (error.keyword === 'additionalProperties') return 'is no field there';
  if (error.keyword === 'required') return `lacks \`${String((error.params as { missingProperty: string }).missingProperty)}\`, which it requires`;
  if (error.keyword === 'enum') return `is none of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  return error.message ?? error.keyword;
}

/**
 * A v1 dashboard with fields written through `extra` (which no type proves) checked against the
 * schemas generated from @grafana/schema (src/model/grafana-dashboard.schema.gen.ts), the same
 * ones the tests validate out/ with. A refused field written through `extra` is a warning at the
 * field: Grafana keeps many fields its schema lacks (legacy options it migrates on load, settings
 * older versions wrote), so moncode cannot say whether Grafana uses it, only that the schema
 * refuses it. A refused field moncode compiled itself is moncode's own bug, said as such.
 * One diagnostic per kind of problem (the same field of every panel is one), at its first place.
 */
export function checkDashboardSchema(json: Json, locator: Locator, subject: string, problems: Problems): void {
  const seen = new Map<string, { failure: Failure; count: number }>();
  for (const failure of failures(json)) {
    const key = `${failure.at.replace(/\/\d+(?=\/|$)/g, '/*')} ${describe(failure)}`;
    const entry = seen.get(key);
    if (entry) entry.count++;
    else seen.set(key, { failure, count: 1 });
  }
  for (const { failure, count } of seen.values()) {
    const more = count > 1 ? ` (and ${count - 1} more like it in this dashboard)` : '';
    const field = `\`${failure.at}\` ${describe(failure)} in ${failure.what}`;
    const written =
      writtenByExtra(locator, failure.at) ||
      (failure.error.keyword === 'required' && writtenByExtra(locator, pointerUnder(failure.at, String((failure.error.params as { missingProperty: string }).missingProperty))));
    if (written) {
      problems.warning(
        SCHEMA_UNPROVEN,
        `${field}${more}; it is written through \`extra\` as the definition has it, and moncode cannot prove that Grafana reads it: model the field, or leave it out`,
        locator.get(failure.at),
        subject,
      );
    } else {
      problems.error(INVALID, `${field}${more}: moncode wrote a dashboard Grafana's schema refuses`, locator.get(failure.at), subject);
    }
  }
}
