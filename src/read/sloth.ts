import type { ValidateFunction } from 'ajv';
import { normalizeSlo } from '../slo/normalize.js';
import { defaultWindows } from '../slo/policy.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { Locator } from '../model/locator.js';
import type { SloModel } from '../model/project-model.js';
import type { SloAlerting, SloSpec } from '../model/slo.js';
import type { Span } from '../model/source-location.js';
import type { ResolveContext } from './openslo.js';
import { INPUT_INVALID, isMap } from './rule-file.js';
import { compileSchema } from './schema.js';
import { pointer, pointerUnder } from '../model/pointer.js';

/**
 * Sloth `prometheus/v1` specs: a service and its SLOs, each with `events` (error and
 * total queries with `{{.window}}`) or `raw` (an error-ratio query), page and ticket alerts.
 * Sloth has no period field (a CLI flag, default 30d): these are 30-day SLOs.
 */
// Sloth reads labels and annotations into string maps: unquoted `true` or `0.2` are their text.
const STRING_MAP = { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } } as const;
const ALERT_META = { type: 'object', properties: { disable: { type: 'boolean' }, labels: STRING_MAP, annotations: STRING_MAP }, additionalProperties: false } as const;
const SLOTH_SCHEMA = {
  type: 'object',
  required: ['version', 'service', 'slos'],
  properties: {
    version: { const: 'prometheus/v1' },
    service: { type: 'string', minLength: 1 },
    labels: STRING_MAP,
    slo_plugins: { type: 'object' },
    slos: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'objective', 'sli'],
        properties: {
          name: { type: 'string', minLength: 1 },
          objective: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          description: { type: 'string' },
          labels: STRING_MAP,
          plugins: { type: 'object' },
          sli: {
            type: 'object',
            properties: {
              events: { type: 'object', required: ['error_query', 'total_query'], properties: { error_query: { type: 'string' }, total_query: { type: 'string' } }, additionalProperties: false },
              raw: { type: 'object', required: ['error_ratio_query'], properties: { error_ratio_query: { type: 'string' } }, additionalProperties: false },
              plugin: { type: 'object' },
            },
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
          },
          alerting: {
            type: 'object',
            properties: { name: { type: 'string' }, labels: STRING_MAP, annotations: STRING_MAP, page_alert: ALERT_META, ticket_alert: ALERT_META },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
} as const;

let validate: ValidateFunction | undefined;

export function isSlothSpec(value: Record<string, unknown>): boolean {
  return typeof value.version === 'string' && value.version.startsWith('prometheus/') && Array.isArray(value.slos);
}

export function readSlothSpec(
  value: Record<string, unknown>,
  context: { file: string; system: string; locate: (pointer: string) => Span | undefined; text?: string },
  ctx: ResolveContext,
  diagnostics: Diagnostic[],
): SloModel[] {
  const { file, system, locate } = context;
  const problem = (message: string, pointer: string, severity: 'error' | 'warning' = 'error'): void => {
    diagnostics.push({ rule: INPUT_INVALID, severity, message, where: locate(pointer) ?? locate('') ?? { file, start: 0, end: 0 } });
  };
  validate ??= compileSchema(SLOTH_SCHEMA);
  if (!validate(value)) {
    for (const error of validate.errors ?? []) {
      const params = error.params as { missingProperty?: string; additionalProperty?: string };
      const detail = params.missingProperty ? `needs \`${params.missingProperty}\`` : params.additionalProperty ? `unknown field \`${params.additionalProperty}\`` : error.message;
      problem(`Sloth spec: ${error.instancePath || '/'} ${detail}`, error.instancePath);
    }
    return [];
  }
  /** A label or annotation map as Sloth reads it: scalars as they are written. */
  const strings = (map: unknown, at: string): Record<string, string> | undefined => {
    if (!isMap(map)) return undefined;
    const result: Record<string, string> = {};
    for (const [key, item] of Object.entries(map)) {
      if (typeof item === 'string') result[key] = item;
      else if (item === null || item === undefined) result[key] = '';
      else {
        const span = locate(pointerUnder(at, key));
        const source = span && context.text !== undefined ? context.text.slice(span.start, span.end).trim() : '';
        result[key] = source !== '' && !/[\s#:]/.test(source) ? source : String(item);
      }
    }
    return result;
  };
  const plugins = (config: unknown, at: string, owner: string): void => {
    if (!isMap(config)) return;
    const ids = (Array.isArray(config.chain) ? config.chain : []).map((p) => (isMap(p) && typeof p.id === 'string' ? `"${p.id}"` : '(no id)'));
    problem(
      `${owner}: SLO plugins ${ids.length ? ids.join(', ') : '(none listed)'} are not supported: moncode generates Sloth's default rules without them${config.overrideDefault === true ? ' (and ignores overrideDefault)' : ''}`,
      at,
      'warning',
    );
  };
  plugins(value.slo_plugins, '/slo_plugins', `service ${String(value.service)}`);
  // Sloth records the SLI over the windows of its 30-day policy whether or not it alerts on them.
  const slothWindows = [...new Set((['page', 'ticket'] as const).flatMap((kind) => defaultWindows(30 * 86_400_000, kind).flatMap((w) => [w.short, w.long])))];
  const models: SloModel[] = [];
  (value.slos as Array<Record<string, unknown>>).forEach((slo, i) => {
    const at = pointer('slos', i);
    const sli = slo.sli as Record<string, Record<string, string>>;
    if (sli.plugin) {
      const id = isMap(sli.plugin) && typeof sli.plugin.id === 'string' ? ` "${sli.plugin.id}"` : '';
      problem(
        `SLO ${String(slo.name)}: the SLI plugin${id} is not supported (Sloth runs plugins as Go code): this SLO is left out; write its SLI as events or raw`,
        pointerUnder(at, 'sli', 'plugin'),
        'warning',
      );
      return;
    }
    plugins(slo.plugins, pointerUnder(at, 'plugins'), `SLO ${String(slo.name)}`);
    const alerting = slo.alerting as Record<string, unknown> | undefined;
    const tier = (meta: unknown, where: string) => {
      if (!isMap(meta)) return {};
      if (meta.disable === true) return false as const;
      return { labels: strings(meta.labels, pointerUnder(where, 'labels')), annotations: strings(meta.annotations, pointerUnder(where, 'annotations')) };
    };
    const spec: SloSpec = {
      name: String(slo.name),
      service: String(value.service),
      description: slo.description as string | undefined,
      objective: `${slo.objective as number}%`,
      period: '30d',
      sli: sli.events ? ({ errorQuery: sli.events.error_query, totalQuery: sli.events.total_query } as never) : { errorRatio: sli.raw!.error_ratio_query! },
      alerting: alerting
        ? ({
            name: alerting.name as string | undefined,
            labels: strings(alerting.labels, pointerUnder(at, 'alerting', 'labels')),
            annotations: strings(alerting.annotations, pointerUnder(at, 'alerting', 'annotations')),
            page: tier(alerting.page_alert, pointerUnder(at, 'alerting', 'page_alert')),
            ticket: tier(alerting.ticket_alert, pointerUnder(at, 'alerting', 'ticket_alert')),
          } satisfies SloAlerting)
        : false,
      labels: { ...strings(value.labels, '/labels'), ...strings(slo.labels, pointerUnder(at, 'labels')) },
    };
    const pointers: Record<string, string> = {
      '/name': pointerUnder(at, 'name'),
      '/objective': pointerUnder(at, 'objective'),
      '/sli': pointerUnder(at, 'sli'),
      '/alerting': pointerUnder(at, 'alerting'),
      '/service': '/service',
    };
    const model = normalizeSlo(spec, {
      scrapeMs: ctx.scrapeMs(system),
      catalog: ctx.catalog,
      problem: (message, pointer, severity) => problem(`SLO ${spec.name}: ${message}`, pointers[pointer] ?? at, severity),
      system,
      file,
      from: 'sloth',
      alsoRecord: slothWindows,
      locator: Locator.fromLookup((pointer) => locate(pointers[pointer] ?? (pointer === '' ? at : `${at}${pointer}`))),
      suppressions: [],
    });
    if (model) models.push(model);
  });
  return models;
}
