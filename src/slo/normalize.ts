import { formatDuration, parseDuration, WINDOW_UNITS } from '../model/duration.js';
import { Locator } from '../model/locator.js';
import type { BurnTierModel, LoadedResource, MetricCatalogModel, ScopedSuppression, SliModel, SloModel } from '../model/project-model.js';
import { objectiveRatio, type AlertTier, type Slo, type SloSpec } from '../model/slo.js';
import { whereOf, type Where } from '../model/source-location.js';
import { parsePromql } from '../promql/parse.js';
import { INVALID, type Problems } from '../model/diagnostic.js';
import { decimal, format, times } from '../model/decimal.js';
import { DEFAULT_PERIOD, defaultWindows } from './policy.js';
import { pointer } from '../model/pointer.js';
import { describeValue, quoteValue } from '../model/describe-value.js';

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const SERVICE = /^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/;
export const WINDOW_PLACEHOLDER = /\$window|\{\{\s*\.window\s*\}\}/;

/** Reports a problem with an SLO field. */
type SloProblem = (message: string, at: string, severity?: 'error' | 'warning') => void;

/** What the checks of one SLO need from the project. */
interface SloContext {
  /** The system's scrape interval in ms (windows must span two scrapes). */
  scrapeMs: number;
  catalog?: MetricCatalogModel;
}

/** A TS `slo({...})` as the model generation and lint work on. */
export function sloFromDefinition(resource: LoadedResource<Slo>, ctx: SloContext, problems: Problems): SloModel | undefined {
  const spec = resource.value;
  const locator = new Locator();
  locator.set('', whereOf(spec));
  for (const key of ['name', 'service', 'objective', 'period', 'budgeting', 'sli', 'alerting', 'detectionTime', 'runbook', 'labels'] as const) locator.set(pointer(key), whereOf(spec, key));
  const alerting = spec.alerting === false ? undefined : spec.alerting;
  if (alerting) {
    for (const tier of ['page', 'ticket'] as const) {
      const value = alerting[tier];
      locator.set(pointer('alerting', tier), whereOf(alerting, tier));
      if (value) locator.set(pointer('alerting', tier, 'windows'), whereOf(value, 'windows') ?? whereOf(alerting, tier));
    }
  }
  const problem: SloProblem = (message, at, severity = 'error') => {
    const where: Where | undefined = locator.get(at);
    if (severity === 'error') problems.error(INVALID, message, where, `SLO ${spec.name}`);
    else problems.warning(INVALID, message, where, `SLO ${spec.name}`);
  };
  const suppressions: ScopedSuppression[] = spec.lint ? [{ pointer: '', suppression: spec.lint, where: whereOf(spec, 'lint') }] : [];
  return normalizeSlo(spec, { ...ctx, problem, system: resource.system, file: resource.module, from: 'ts', locator, suppressions });
}

interface NormalizeInput extends SloContext {
  problem: SloProblem;
  system: string;
  file: string;
  from: SloModel['from'];
  locator: Locator;
  suppressions: ScopedSuppression[];
  /** SLI windows to record even without alerts on them. */
  alsoRecord?: string[];
}

/** Checks and normalises an SLO written in moncode's vocabulary (TS, or mapped from OpenSLO / Sloth). */
export function normalizeSlo(spec: SloSpec, input: NormalizeInput): SloModel | undefined {
  const { problem } = input;
  let ok = true;
  const fail = (message: string, at: string): void => {
    problem(message, at);
    ok = false;
  };
  if (typeof spec.name !== 'string' || !NAME.test(spec.name))
    fail(
      typeof spec.name === 'string'
        ? `SLO name ${JSON.stringify(spec.name)} must be lower-case letters, digits and dashes`
        : `SLO name must be lower-case letters, digits and dashes, got ${describeValue(spec.name)}`,
      '/name',
    );
  if (typeof spec.service !== 'string' || !SERVICE.test(spec.service))
    fail(
      typeof spec.service === 'string'
        ? `service ${JSON.stringify(spec.service)} must be letters, digits, '.', '_' or '-'`
        : `service must be letters, digits, '.', '_' or '-', got ${describeValue(spec.service)}`,
      '/service',
    );

  const objective = objectiveRatio(spec.objective);
  if (typeof objective === 'string') fail(objective, '/objective');

  let period = spec.period ?? DEFAULT_PERIOD;
  if (period === '1M') {
    problem('period 1M is a calendar month (28–31 days); taken as 30d, so February has 7% less budget than the rules assume', '/period', 'warning');
    period = '30d';
  }
  const periodMs = parseDuration(period);
  if (periodMs === undefined) fail(`period "${period}" is not a duration such as 28d or 30d`, '/period');

  let budgeting: SloModel['budgeting'] = { kind: 'occurrences' };
  if (typeof spec.budgeting === 'object' && spec.budgeting !== null) {
    const slices = spec.budgeting.timeslices;
    const target = objectiveRatio(slices?.target);
    const windowMs = parseDuration(slices?.window ?? '');
    if (windowMs === undefined) fail(`timeslice window "${String(slices?.window)}" is not a duration`, '/budgeting');
    else if (windowMs < 2 * input.scrapeMs) fail(`timeslice window ${slices.window} is shorter than two scrape intervals (${formatDuration(2 * input.scrapeMs, WINDOW_UNITS)})`, '/budgeting');
    if (typeof target === 'string') fail(`timeslice target: ${target}`, '/budgeting');
    if (windowMs !== undefined && typeof target === 'number') budgeting = { kind: 'timeslices', window: formatDuration(windowMs, WINDOW_UNITS), target };
  }

  const sli = normalizeSli(spec, input, fail);

  const alerting = spec.alerting === false ? undefined : (spec.alerting ?? {});
  const tiers: BurnTierModel[] = [];
  if (alerting && periodMs !== undefined) {
    for (const kind of ['page', 'ticket'] as const) {
      const tier = alerting[kind];
      if (tier === false) continue;
      tiers.push(...tierModels(kind, tier ?? {}, periodMs, input, fail));
    }
  }
  if (spec.detectionTime !== undefined && parseDuration(spec.detectionTime) === undefined) fail(`detectionTime "${spec.detectionTime}" is not a duration`, '/detectionTime');
  if (!ok || typeof objective !== 'number' || !sli) return undefined;

  return {
    name: spec.name,
    service: spec.service,
    id: `${spec.service}-${spec.name}`,
    description: spec.description,
    objective,
    objectiveText: objectiveText(spec.objective),
    period: formatDuration(periodMs!, WINDOW_UNITS),
    budgeting,
    sli,
    tiers,
    ...(input.alsoRecord ? { alsoRecord: input.alsoRecord } : {}),
    alertName: alerting?.name ?? `${pascal(spec.service)}${pascal(spec.name.startsWith(`${spec.service}-`) ? spec.name.slice(spec.service.length + 1) : spec.name)}BudgetBurn`,
    // Without burn-rate alerts, a missing SLI silences nothing.
    absentAlert: alerting !== undefined && alerting.absent !== false && tiers.length > 0,
    alertLabels: { ...alerting?.labels },
    alertAnnotations: { ...alerting?.annotations },
    detectionTime: spec.detectionTime,
    runbook: spec.runbook,
    labels: { ...spec.labels },
    system: input.system,
    file: input.file,
    from: input.from,
    locator: input.locator,
    suppressions: input.suppressions,
  };
}

/** The objective as a percentage, exact: `99.9`. */
function objectiveText(input: unknown): string {
  if (typeof input === 'string') return input.replace('%', '').trim();
  return format(times(decimal(input as number), decimal(100)));
}

function pascal(text: string): string {
  return text
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function normalizeSli(spec: SloSpec, input: NormalizeInput, fail: (message: string, at: string) => void): SliModel | undefined {
  const sli = spec.sli as unknown as Record<string, unknown> | undefined;
  if (!sli || typeof sli !== 'object') {
    fail('an SLO needs an sli: { errors, total }, { good, total }, { latency } or { errorRatio }', '/sli');
    return undefined;
  }
  const selector = (field: string): string | undefined => {
    const text = sli[field];
    if (typeof text !== 'string') {
      fail(`sli.${field} must be a counter selector such as http_requests_total{job="api"}`, '/sli');
      return undefined;
    }
    const parsed = parsePromql(text);
    if (parsed.error || parsed.expr.kind !== 'vector' || !parsed.expr.name) {
      fail(`sli.${field} \`${text}\` must be a plain counter selector (the rules add rate() and sum())`, '/sli');
      return undefined;
    }
    return text.trim();
  };
  if ('total' in sli) {
    const total = selector('total');
    if ('errors' in sli) {
      const errors = selector('errors');
      if (errors && errors === total) fail('sli.errors and sli.total are the same selector: the error ratio would always be 1', '/sli');
      return errors && total ? { kind: 'ratio', errors, total } : undefined;
    }
    if ('good' in sli) {
      const good = selector('good');
      return good && total ? { kind: 'ratio', good, total } : undefined;
    }
    fail('sli with `total` needs `errors` or `good`', '/sli');
    return undefined;
  }
  if ('latency' in sli) {
    const latency = sli.latency as { histogram?: unknown; threshold?: unknown };
    const parsed = typeof latency?.histogram === 'string' ? parsePromql(latency.histogram) : undefined;
    if (!parsed || parsed.error || parsed.expr.kind !== 'vector' || !parsed.expr.name) {
      fail('sli.latency.histogram must be a histogram selector without _bucket: http_request_duration_seconds{job="api"}', '/sli');
      return undefined;
    }
    const metric = parsed.expr.name.replace(/_(bucket|count|sum)$/, '');
    const thresholdMs = typeof latency.threshold === 'string' ? parseDuration(latency.threshold) : undefined;
    if (thresholdMs === undefined || thresholdMs <= 0) {
      fail(`sli.latency.threshold must be a duration such as 500ms, got ${quoteValue(latency.threshold)}`, '/sli');
      return undefined;
    }
    const seconds = thresholdMs / 1000;
    const scale = /_(milliseconds|ms)$/.test(metric) ? 1000 : /_(microseconds|us)$/.test(metric) ? 1e6 : 1;
    const le = format(times(decimal(seconds), decimal(scale)));
    const buckets = input.catalog?.metrics.get(metric)?.buckets;
    if (buckets && !buckets.some((b) => Math.abs(b - Number(le)) < 1e-12)) {
      fail(`threshold ${latency.threshold} (le="${le}") is not a bucket boundary of ${metric} (buckets ${buckets.join(', ')}): the share of slower requests cannot be counted exactly`, '/sli');
      return undefined;
    }
    const text = latency.histogram as string;
    const brace = text.indexOf('{');
    const matchers = brace >= 0 ? text.slice(brace + 1, text.lastIndexOf('}')).trim() : '';
    return { kind: 'latency', metric, matchers, thresholdSeconds: seconds, le };
  }
  if ('errorRatio' in sli) {
    const query = sli.errorRatio;
    if (typeof query !== 'string' || !WINDOW_PLACEHOLDER.test(query)) {
      fail('sli.errorRatio needs $window where the range goes: sum(rate(errors[$window])) / sum(rate(total[$window]))', '/sli');
      return undefined;
    }
    return { kind: 'raw', errorRatio: query };
  }
  if ('errorQuery' in sli && 'totalQuery' in sli) {
    const { errorQuery, totalQuery } = sli as { errorQuery: unknown; totalQuery: unknown };
    if (typeof errorQuery !== 'string' || typeof totalQuery !== 'string' || !WINDOW_PLACEHOLDER.test(errorQuery) || !WINDOW_PLACEHOLDER.test(totalQuery)) {
      fail('error and total queries need {{.window}} where the range goes', '/sli');
      return undefined;
    }
    if (errorQuery.trim() === totalQuery.trim()) fail('the error and total queries are the same: the error ratio would always be 1', '/sli');
    return { kind: 'events', errorQuery, totalQuery };
  }
  fail('an SLO needs an sli: { errors, total }, { good, total }, { latency } or { errorRatio }', '/sli');
  return undefined;
}

function tierModels(kind: 'page' | 'ticket', tier: AlertTier, periodMs: number, input: NormalizeInput, fail: (message: string, at: string) => void): BurnTierModel[] {
  const at = pointer('alerting', kind);
  const pairs = tier.windows
    ? tier.windows.map((w, i) => ({ tier: `${kind}-${i + 1}`, kind, long: w.long, short: w.short, burn: w.burn, severity: w.severity, for: w.for }))
    : defaultWindows(periodMs, kind, input.scrapeMs);
  if (tier.for !== undefined && parseDuration(tier.for) === undefined) fail(`for "${tier.for}" is not a duration`, at);
  for (const w of tier.windows ?? []) if (w.for !== undefined && parseDuration(w.for) === undefined) fail(`for "${w.for}" is not a duration`, at);
  const models: BurnTierModel[] = [];
  for (const pair of pairs) {
    const longMs = parseDuration(pair.long);
    const shortMs = parseDuration(pair.short);
    if (longMs === undefined || shortMs === undefined) {
      fail(`window pair ${pair.long}/${pair.short} is not two durations`, at);
      continue;
    }
    if (!(typeof pair.burn === 'number' && pair.burn > 0)) fail(`burn factor ${String(pair.burn)} must be a positive number`, at);
    if (shortMs >= longMs) fail(`the short window ${pair.short} must be shorter than the long window ${pair.long}`, at);
    if (longMs > periodMs) fail(`the long window ${pair.long} is longer than the SLO period`, at);
    for (const [name, ms] of [
      ['short', shortMs],
      ['long', longMs],
    ] as const) {
      if (ms < 2 * input.scrapeMs)
        fail(
          `the ${name} window ${formatDuration(ms, WINDOW_UNITS)} is shorter than two scrape intervals (${formatDuration(2 * input.scrapeMs, WINDOW_UNITS)}): rate() over it sees fewer than two samples`,
          at,
        );
    }
    models.push({
      tier: pair.tier,
      kind,
      severity: (pair as { severity?: string }).severity ?? tier.severity ?? (kind === 'page' ? 'critical' : 'warning'),
      long: formatDuration(longMs, WINDOW_UNITS),
      short: formatDuration(shortMs, WINDOW_UNITS),
      burn: pair.burn,
      for: (pair as { for?: string }).for ?? tier.for,
      labels: { ...tier.labels },
      annotations: { ...tier.annotations },
    });
  }
  return models;
}
