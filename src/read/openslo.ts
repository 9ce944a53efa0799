import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Diagnostic } from '../model/diagnostic.js';
import { parseDuration } from '../model/duration.js';
import { Locator } from '../model/locator.js';
import type { MetricCatalogModel, SloModel } from '../model/project-model.js';
import type { SloSpec } from '../model/slo.js';
import type { Span } from '../model/source-location.js';
import { normalizeSlo } from '../slo/normalize.js';
import { walk, type VectorSelector } from '../promql/ast.js';
import { parsePromql } from '../promql/parse.js';
import { OPENSLO_KINDS, OPENSLO_SCHEMAS } from './openslo-schema.js';
import { INPUT_INVALID, isMap } from './rule-file.js';
import { compileSchema } from './schema.js';
import { pointer, pointerUnder, pointerSegments } from '../model/pointer.js';

/** One OpenSLO v1 object read from a file, checked against its kind's schema. */
export interface OpenSloObject {
  kind: string;
  name: string;
  value: Record<string, unknown>;
  file: string;
  system: string;
  locate: (pointer: string) => Span | undefined;
}

let validators: Map<string, ValidateFunction> | undefined;

function validatorFor(kind: string): ValidateFunction {
  validators ??= new Map();
  let validate = validators.get(kind);
  if (!validate) {
    validate = compileSchema(OPENSLO_SCHEMAS[kind]!);
    validators.set(kind, validate);
  }
  return validate;
}

export function isOpenSlo(value: Record<string, unknown>): boolean {
  return typeof value.apiVersion === 'string' && value.apiVersion.toLowerCase().startsWith('openslo/');
}

/** Checks one document's apiVersion, kind and shape; a valid one joins `objects`. */
export function readOpenSloDocument(
  value: Record<string, unknown>,
  context: { file: string; system: string; locate: (pointer: string) => Span | undefined },
  objects: OpenSloObject[],
  diagnostics: Diagnostic[],
): void {
  const { file, locate } = context;
  const problem = (message: string, pointer: string): void => {
    diagnostics.push({ rule: INPUT_INVALID, severity: 'error', message, where: locate(pointer) ?? locate('') ?? { file, start: 0, end: 0 } });
  };
  if (value.apiVersion !== 'openslo/v1') return problem(`apiVersion ${JSON.stringify(value.apiVersion)} is not supported: moncode reads openslo/v1`, '/apiVersion');
  if (typeof value.kind !== 'string' || !OPENSLO_KINDS.includes(value.kind)) {
    return problem(`unknown OpenSLO kind ${JSON.stringify(value.kind)}: expected one of ${OPENSLO_KINDS.join(', ')}`, '/kind');
  }
  const kind = value.kind;
  const validate = validatorFor(kind);
  if (!validate(value)) {
    for (const error of usefulErrors(validate.errors ?? [])) problem(`${kind}: ${describeError(error, value)}`, error.instancePath);
    return;
  }
  const name = (value.metadata as { name: string }).name;
  objects.push({ kind, name, value, ...context });
}

/** Errors of oneOf branches repeat what the oneOf says; keep the outer ones, one per place. */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => !/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath));
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueAt(root: unknown, pointer: string): unknown {
  let current = root;
  for (const segment of pointerSegments(pointer)) current = isMap(current) || Array.isArray(current) ? (current as Record<string, unknown>)[segment] : undefined;
  return current;
}

function describeError(error: ErrorObject, root: unknown): string {
  const path = error.instancePath || '/';
  const field = path.split('/').filter(Boolean).pop() ?? 'document';
  const value = valueAt(root, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `${path} needs \`${(error.params as { missingProperty: string }).missingProperty}\``;
    case 'additionalProperties':
      return `${path}: unknown field \`${(error.params as { additionalProperty: string }).additionalProperty}\``;
    case 'oneOf':
    case 'anyOf':
      if (/\/objectives\/\d+$/.test(path)) return `${path}: an objective needs either \`target\` (a ratio, 0–1) or \`targetPercent\` (0–100)`;
      if (path.endsWith('/ratioMetric')) return `${path}: a ratioMetric needs good and total, bad and total, or raw and rawType`;
      if (path === '/spec' && isMap(root) && root.kind === 'SLO') return '/spec: an SLO needs either `indicator` or `indicatorRef`';
      if (path === '/spec') return '/spec: an SLI needs either `ratioMetric` or `thresholdMetric`';
      return `${path} does not match any allowed form`;
    case 'pattern':
      return `\`${field}\` ${JSON.stringify(value)} is not ${/Window|duration|alertAfter/.test(field) ? 'a duration such as 5m, 1h, 28d or 1M' : 'valid'} (${path})`;
    case 'exclusiveMaximum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'minimum': {
      const hint = field === 'target' && typeof value === 'number' && value > 1 ? `; for a percentage use targetPercent: ${value}` : '';
      return `\`${field}\` ${JSON.stringify(value)} ${error.message}${hint} (${path})`;
    }
    default:
      return `\`${field}\` ${error.message} (${path})`;
  }
}

/** Calendar and week units of OpenSLO durations, as moncode durations. */
function openSloDuration(text: string): string {
  const match = /^(\d+)([smhdwMQY])$/.exec(text);
  if (!match) return text;
  const [, count, unit] = match;
  if (unit === 'w') return `${Number(count) * 7}d`;
  if (unit === 'M' && count === '1') return '1M';
  if (unit === 'M') return `${Number(count) * 30}d`;
  if (unit === 'Q') return `${Number(count) * 90}d`;
  if (unit === 'Y') return `${Number(count) * 365}d`;
  return text;
}

interface SliFields {
  sli: SloSpec['sli'] | Record<string, unknown>;
}

/** A Prometheus query of a metric source: `spec.query` (or `promql`). */
function queryOf(source: unknown): string | undefined {
  const spec = isMap(source) && isMap(source.metricSource) ? source.metricSource.spec : undefined;
  if (!isMap(spec)) return undefined;
  const query = spec.query ?? spec.promql;
  return typeof query === 'string' ? query.trim() : undefined;
}

const WINDOW = /\$window|\{\{\s*\.window\s*\}\}/;

function sliFromOpenSlo(sli: Record<string, unknown>, objective: Record<string, unknown>): SliFields | string {
  const ratio = sli.ratioMetric;
  if (isMap(ratio)) {
    if (isMap(ratio.raw)) {
      const raw = queryOf(ratio.raw);
      if (!raw) return 'ratioMetric.raw needs metricSource.spec.query';
      return { sli: { errorRatio: ratio.rawType === 'success' ? `1 - (${raw})` : raw } };
    }
    const total = queryOf(ratio.total);
    const part = queryOf(ratio.bad ?? ratio.good);
    if (!total || !part) return 'ratioMetric needs metricSource.spec.query on its good/bad and total sources';
    const templated = WINDOW.test(total) || WINDOW.test(part);
    if (templated) {
      const errorQuery = ratio.bad ? part : `(${total}) - (${part})`;
      return { sli: { errorQuery, totalQuery: total } };
    }
    return { sli: ratio.bad ? { errors: part, total } : { good: part, total } };
  }
  const threshold = sli.thresholdMetric;
  const query = queryOf(threshold);
  if (!query) return 'thresholdMetric needs metricSource.spec.query';
  const histogram = histogramOf(query);
  if (typeof histogram !== 'string') return histogram.problem;
  const op = objective.op;
  const value = objective.value;
  if ((op !== 'lte' && op !== 'lt') || typeof value !== 'number') return "a thresholdMetric objective needs op lte (or lt) and a numeric value, the latency threshold in the metric's unit";
  const unitMs = /_(milliseconds|ms)(\{|$)/.test(histogram) ? 1 : /_(microseconds|us)(\{|$)/.test(histogram) ? 1e-3 : 1000;
  return { sli: { latency: { histogram, threshold: `${Math.round(value * unitMs)}ms` as never } } };
}

/**
 * The histogram a thresholdMetric query measures, as `name{matchers}` without `_bucket`:
 * the query is the histogram itself (`x_bucket{…}`, `x{…}`) or a quantile over it
 * (`histogram_quantile(0.99, sum by (le) (rate(x_bucket{…}[5m])))`). Either way moncode
 * counts the requests slower than the objective's value, so the quantile itself is not used.
 */
function histogramOf(query: string): string | { problem: string } {
  // A window placeholder stands for a range; any range parses the same.
  const parsed = parsePromql(query.replace(new RegExp(WINDOW.source, 'g'), (placeholder) => '5m'.padEnd(placeholder.length)));
  const field = 'thresholdMetric.metricSource.spec.query';
  if (parsed.error) return { problem: `${field} does not parse as PromQL: ${parsed.error.message}` };
  const expr = parsed.expr;
  const selectorText = (v: VectorSelector) => {
    const matchers = v.matchers.filter((m) => m.label.name !== 'le' && m.label.name !== '__name__').map((m) => query.slice(m.from, m.to));
    return `${v.name!.replace(/_(bucket|count|sum)$/, '')}${matchers.length ? `{${matchers.join(', ')}}` : ''}`;
  };
  if (expr.kind === 'vector' && expr.name) return selectorText(expr);
  if (expr.kind === 'call' && expr.func === 'histogram_quantile' && expr.args[1]) {
    const buckets: VectorSelector[] = [];
    walk(expr.args[1], (node) => {
      if (node.kind === 'vector' && node.name?.endsWith('_bucket')) buckets.push(node);
    });
    const names = [...new Set(buckets.map(selectorText))];
    if (names.length === 1) return names[0]!;
    return { problem: `${field}: histogram_quantile() must read one histogram's _bucket series to be a latency SLI (found ${names.length ? names.join(', ') : 'none'})` };
  }
  return {
    problem: `${field} must select a latency histogram (x_bucket{…}) or be histogram_quantile(φ, … x_bucket …): moncode reads a thresholdMetric SLI as the share of requests slower than the objective's value`,
  };
}

export interface ResolveContext {
  scrapeMs: (system: string) => number;
  catalog?: MetricCatalogModel;
}

/**
 * OpenSLO SLOs with their SLIs and alert policies resolved across documents and files.
 * Each AlertPolicy of an SLO is one window pair: its condition's lookbackWindow is the
 * long window, `moncode.dev/short-window` (default long / 12) the short one, the threshold
 * the burn factor; severity `page`/`critical` makes it a page, anything else a ticket.
 */
export function resolveOpenSlo(objects: readonly OpenSloObject[], ctx: ResolveContext, diagnostics: Diagnostic[]): SloModel[] {
  const byKind = (kind: string) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.name, o]));
  const slis = byKind('SLI');
  const policies = byKind('AlertPolicy');
  const conditions = byKind('AlertCondition');
  const models: SloModel[] = [];
  for (const object of objects.filter((o) => o.kind === 'SLO')) {
    const problem = (message: string, pointer: string, severity: 'error' | 'warning' = 'error'): void => {
      diagnostics.push({ rule: INPUT_INVALID, severity, message: `SLO ${object.name}: ${message}`, where: object.locate(pointer) ?? object.locate('') ?? { file: object.file, start: 0, end: 0 } });
    };
    const spec = object.value.spec as Record<string, unknown>;
    const annotations = ((object.value.metadata as Record<string, unknown>).annotations ?? {}) as Record<string, string>;
    const objective = (spec.objectives as Array<Record<string, unknown>>)[0]!;
    if ((spec.objectives as unknown[]).length > 1) problem('only the first objective is used', '/spec/objectives/1', 'warning');

    let sliSpec: Record<string, unknown> | undefined;
    let sliPointer = '/spec/indicator';
    if (typeof spec.indicatorRef === 'string') {
      const found = slis.get(spec.indicatorRef);
      if (!found) {
        problem(`indicatorRef "${spec.indicatorRef}" names no SLI (defined: ${[...slis.keys()].join(', ') || 'none'})`, '/spec/indicatorRef');
        continue;
      }
      sliSpec = found.value.spec as Record<string, unknown>;
      sliPointer = '/spec/indicatorRef';
    } else {
      sliSpec = (spec.indicator as Record<string, unknown>).spec as Record<string, unknown>;
    }
    const sli = sliFromOpenSlo(sliSpec, objective);
    if (typeof sli === 'string') {
      const queryPointer = '/spec/indicator/spec/thresholdMetric/metricSource/spec/query';
      problem(sli, sliPointer === '/spec/indicator' && sli.startsWith('thresholdMetric.metricSource.spec.query') ? queryPointer : sliPointer);
      continue;
    }

    const window = (spec.timeWindow as Array<Record<string, unknown>>)[0]!;
    if (window.isRolling === false) problem('calendar-aligned time windows are evaluated as rolling windows of the same length', '/spec/timeWindow/0', 'warning');
    // Each policy keeps its own condition: burn, lookback, severity and alertAfter.
    type Pair = { long: string; short: string; burn: number; severity: string; for?: string };
    const tiers = { page: [] as Pair[], ticket: [] as Pair[] };
    let broken = false;
    ((spec.alertPolicies as Array<Record<string, unknown>> | undefined) ?? []).forEach((entry, i) => {
      const policyAt = pointer('spec', 'alertPolicies', i);
      let policy: Record<string, unknown> | undefined = entry;
      if (typeof entry.alertPolicyRef === 'string') {
        policy = policies.get(entry.alertPolicyRef)?.value;
        if (!policy) {
          problem(`alertPolicyRef "${entry.alertPolicyRef}" names no AlertPolicy`, pointerUnder(policyAt, 'alertPolicyRef'));
          broken = true;
          return;
        }
      }
      const conditionEntry = ((policy.spec as Record<string, unknown>).conditions as Array<Record<string, unknown>>)[0]!;
      let condition: Record<string, unknown> | undefined = conditionEntry;
      if (typeof conditionEntry.conditionRef === 'string') {
        condition = conditions.get(conditionEntry.conditionRef)?.value;
        if (!condition) {
          problem(`conditionRef "${conditionEntry.conditionRef}" names no AlertCondition`, policyAt);
          broken = true;
          return;
        }
      }
      const conditionSpec = condition.spec as { severity: string; condition: { op: string; threshold: number; lookbackWindow: string; alertAfter?: string } };
      if (conditionSpec.condition.op !== 'gt' && conditionSpec.condition.op !== 'gte') {
        problem(`a burn-rate condition fires when the burn rate is above the threshold: op "${conditionSpec.condition.op}" is read as gt`, policyAt, 'warning');
      }
      const long = openSloDuration(conditionSpec.condition.lookbackWindow);
      const meta = {
        ...((policy.metadata as Record<string, unknown>).annotations as Record<string, string> | undefined),
        ...((condition.metadata as Record<string, unknown>).annotations as Record<string, string> | undefined),
      };
      const longMs = parseDuration(long) ?? 3_600_000;
      const short = meta['moncode.dev/short-window'] ?? `${Math.max(1, Math.round(longMs / 12 / 60_000))}m`;
      const kind = /^(page|critical|high)$/i.test(conditionSpec.severity) ? 'page' : 'ticket';
      const severity = /^(critical|warning|info)$/.test(conditionSpec.severity) ? conditionSpec.severity : kind === 'page' ? 'critical' : 'warning';
      const alertAfter = conditionSpec.condition.alertAfter;
      tiers[kind].push({ long, short, burn: conditionSpec.condition.threshold, severity, ...(alertAfter && !/^0[a-zA-Z]$/.test(alertAfter) ? { for: alertAfter } : {}) });
    });
    if (broken) continue;

    const budgeting = spec.budgetingMethod === 'Occurrences' ? 'occurrences' : undefined;
    if (spec.budgetingMethod === 'RatioTimeslices') problem('RatioTimeslices is evaluated as Timeslices', '/spec/budgetingMethod', 'warning');
    if (!budgeting && (typeof objective.timeSliceTarget !== 'number' || typeof objective.timeSliceWindow !== 'string')) {
      problem('Timeslices budgeting needs timeSliceTarget and timeSliceWindow on the objective', '/spec/objectives/0');
      continue;
    }
    const hasPolicies = tiers.page.length + tiers.ticket.length > 0;
    const sloSpec: SloSpec = {
      name: object.name,
      service: spec.service as string,
      description: spec.description as string | undefined,
      objective: typeof objective.targetPercent === 'number' ? (`${objective.targetPercent}%` as const) : (objective.target as number),
      period: openSloDuration(window.duration as string) as SloSpec['period'],
      budgeting: budgeting ?? { timeslices: { window: openSloDuration(objective.timeSliceWindow as string) as never, target: objective.timeSliceTarget as number } },
      sli: sli.sli as SloSpec['sli'],
      alerting: hasPolicies
        ? {
            page: tiers.page.length ? { windows: tiers.page as never } : false,
            ticket: tiers.ticket.length ? { windows: tiers.ticket as never } : false,
          }
        : false,
      detectionTime: annotations['moncode.dev/detection-time'] as never,
      runbook: annotations['moncode.dev/runbook'],
    };
    const locator = Locator.fromLookup((pointer) => object.locate(OPENSLO_POINTERS[pointer] ?? pointer));
    const model = normalizeSlo(sloSpec, {
      scrapeMs: ctx.scrapeMs(object.system),
      catalog: ctx.catalog,
      problem: (message, at, severity) => problem(inFileTerms(message), OPENSLO_POINTERS[at] ?? '', severity),
      system: object.system,
      file: object.file,
      from: 'openslo',
      locator,
      suppressions: [],
    });
    if (model) models.push(model);
  }
  return models;
}

/** moncode's SLO fields as an OpenSLO file names them, so a message speaks of what the user wrote. */
const OPENSLO_FIELDS: Array<[RegExp, string]> = [
  [/\bsli\.errors\b/g, 'ratioMetric.bad.metricSource.spec.query'],
  [/\bsli\.good\b/g, 'ratioMetric.good.metricSource.spec.query'],
  [/\bsli\.total\b/g, 'ratioMetric.total.metricSource.spec.query'],
  [/\bsli\.latency\.threshold\b/g, "the objective's value"],
  [/\bsli\.latency\.histogram\b/g, 'thresholdMetric.metricSource.spec.query'],
  [/\bdetectionTime\b/g, 'the moncode.dev/detection-time annotation'],
];

function inFileTerms(message: string): string {
  return OPENSLO_FIELDS.reduce((text, [field, name]) => text.replace(field, name), message);
}

/** Where the fields of moncode's SLO shape sit in an OpenSLO SLO document. */
const OPENSLO_POINTERS: Record<string, string> = {
  '': '',
  '/name': '/metadata/name',
  '/service': '/spec/service',
  '/objective': '/spec/objectives/0',
  '/period': '/spec/timeWindow/0/duration',
  '/budgeting': '/spec/budgetingMethod',
  '/sli': '/spec/indicator',
  '/alerting': '/spec/alertPolicies',
  '/alerting/page': '/spec/alertPolicies',
  '/alerting/ticket': '/spec/alertPolicies',
  '/alerting/page/windows': '/spec/alertPolicies',
  '/alerting/ticket/windows': '/spec/alertPolicies',
  '/detectionTime': '/metadata/annotations/moncode.dev~1detection-time',
  '/runbook': '/metadata/annotations/moncode.dev~1runbook',
};
