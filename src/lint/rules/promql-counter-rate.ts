import { COMPARISON_OPS, walk, type Expr, type VectorSelector } from '../../promql/ast.js';
import { COUNTER_FUNCTIONS } from '../../promql/functions.js';
import type { MetricCatalogModel } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';

/**
 * Names that are gauges by Prometheus naming conventions (used when there is no catalog).
 * Not `_current`: it also names positions that only grow (`pg_txid_current`, a WAL LSN), whose rate is right.
 */
const GAUGE_NAME =
  /(_(active|in_use|inuse|queue_length|queued|size|depth|temperature_celsius|ratio|info|capacity|free|available|up)$|^up$|(Queued|Blocked|Active|Current|Pending)[A-Za-z]*(Count|Nodes|Tasks|Size)$)/;

type Kind = 'counter' | 'gauge' | undefined;

/** `_total` names of events (errors, requests, bytes…): counters. Exporters also name gauges `_total` (`processes_total`). */
const EVENT_COUNTER =
  /(errors?|failures?|failed|requests?|responses?|retries|restarts?|drops?|dropped|timeouts?|rejected|rejections|processed|received|sent|transmitted|packets|messages|events|operations|ops|calls|hits|misses|reads|writes)_total$/;

/** Whether a raw value in a comparison is a counter's: by the catalog, or by an event-counter name. */
function isEventCounter(name: string, catalog: MetricCatalogModel): boolean {
  const metric = catalog.metrics.get(name);
  if (metric) return metric.type === 'counter';
  return EVENT_COUNTER.test(name) && !name.includes('timestamp');
}

function kindOf(name: string, catalog: MetricCatalogModel): Kind {
  const metric = catalog.metrics.get(name);
  if (metric) return metric.type === 'counter' ? 'counter' : metric.type === 'gauge' ? 'gauge' : undefined;
  if (/_total$/.test(name)) return 'counter';
  if (name.includes(':')) return undefined;
  return GAUGE_NAME.test(name) ? 'gauge' : undefined;
}

/** Counter functions applied to a gauge. */
function ratesOfGauges(expr: Expr, catalog: MetricCatalogModel): Array<{ func: string; selector: VectorSelector }> {
  const found: Array<{ func: string; selector: VectorSelector }> = [];
  walk(expr, (node) => {
    if (node.kind !== 'call' || !COUNTER_FUNCTIONS.has(node.func)) return;
    const arg = node.args[0];
    if (arg?.kind !== 'matrix' || !arg.selector.name) return;
    if (kindOf(arg.selector.name, catalog) === 'gauge') found.push({ func: node.func, selector: arg.selector });
  });
  return found;
}

/** Whether a series is a counter by evidence: the catalog's type, an event-counter name, or a histogram bucket. */
function isCounter(name: string, catalog: MetricCatalogModel): boolean {
  const metric = catalog.metrics.get(name);
  if (metric) return metric.type === 'counter' || ((metric.type === 'histogram' || metric.type === 'summary') && /_(bucket|count|sum)$/.test(name));
  return /_bucket$/.test(name) || isEventCounter(name, catalog);
}

/** Gauge functions applied to a counter: delta() and deriv() read every reset as a fall. */
function gaugeFunctionsOfCounters(expr: Expr, catalog: MetricCatalogModel): Array<{ func: string; selector: VectorSelector }> {
  const found: Array<{ func: string; selector: VectorSelector }> = [];
  walk(expr, (node) => {
    if (node.kind !== 'call' || (node.func !== 'delta' && node.func !== 'deriv')) return;
    const arg = node.args[0];
    if (arg?.kind !== 'matrix' || !arg.selector.name) return;
    if (isCounter(arg.selector.name, catalog)) found.push({ func: node.func, selector: arg.selector });
  });
  return found;
}

/**
 * Why a series cannot feed histogram_quantile, when there is evidence: it is neither a classic
 * histogram's `_bucket` series nor a native histogram (which has its family's bare name).
 */
function notHistogram(name: string, catalog: MetricCatalogModel): string | undefined {
  if (name.endsWith('_bucket')) return undefined;
  const metric = catalog.metrics.get(name);
  if (metric) {
    if ((metric.type === 'histogram' || metric.type === 'gaugehistogram') && !/_(sum|count)$/.test(name)) return undefined;
    if (metric.type === 'untyped') return undefined;
    return `a ${metric.type === 'histogram' || metric.type === 'gaugehistogram' ? `histogram's ${/_(sum|count)$/.exec(name)![1]} series` : metric.type}`;
  }
  const suffix = /_(sum|count|total|created)$/.exec(name)?.[1];
  if (suffix === 'sum' || suffix === 'count') return `a histogram's or summary's ${suffix} series by its name`;
  if (suffix) return `a ${suffix === 'total' ? 'counter' : 'creation timestamp'} by its name`;
  return undefined;
}

/** histogram_quantile() over series none of which can hold buckets: always empty. */
function quantilesOfNonHistograms(expr: Expr, catalog: MetricCatalogModel): Array<{ selector: VectorSelector; why: string }> {
  const found: Array<{ selector: VectorSelector; why: string }> = [];
  walk(expr, (node) => {
    if (node.kind !== 'call' || node.func !== 'histogram_quantile') return;
    const arg = node.args[1];
    if (!arg) return;
    const inputs: Array<{ selector: VectorSelector; why: string | undefined }> = [];
    walk(arg, (inner) => {
      const selector = inner.kind === 'vector' ? inner : inner.kind === 'matrix' ? inner.selector : undefined;
      if (selector) inputs.push({ selector, why: selector.name ? notHistogram(selector.name, catalog) : undefined });
    });
    if (inputs.length > 0 && inputs.every((input) => input.why !== undefined)) found.push({ selector: inputs[0]!.selector, why: inputs[0]!.why! });
  });
  return found;
}

/** Counters whose raw value reaches a comparison: a counter only grows, so its value means nothing. */
function rawCounters(expr: Expr, catalog: MetricCatalogModel): VectorSelector[] {
  const found: VectorSelector[] = [];
  // An explicit stack: a chain of 20,000 operators is as deep as it is long.
  const pending: Expr[] = [];
  const step = (node: Expr): void => {
    switch (node.kind) {
      case 'vector':
        if (node.name && isEventCounter(node.name, catalog) && !node.offsetMs) found.push(node);
        return;
      case 'paren':
      case 'unary':
        pending.push(node.expr);
        return;
      case 'aggregate':
        if (!['count', 'count_values', 'group'].includes(node.op)) pending.push(node.expr);
        return;
      case 'call':
        if (['abs', 'clamp', 'clamp_min', 'clamp_max', 'round', 'ceil', 'floor', 'label_replace', 'label_join', 'sort', 'sort_desc'].includes(node.func)) pending.push(node.args[0]!);
        return;
      case 'binary':
        // `a - a offset 1h` is a difference of the same counter: an increase written by hand.
        if (node.op === '-' && node.rhs.kind === 'vector' && node.lhs.kind === 'vector' && node.lhs.name === node.rhs.name) return;
        if (node.op !== 'and' && node.op !== 'unless') pending.push(node.rhs);
        pending.push(node.lhs);
        return;
      default:
        return;
    }
  };
  const flow = (root: Expr): void => {
    pending.push(root);
    while (pending.length > 0) step(pending.pop()!);
  };
  walk(expr, (node) => {
    if (node.kind === 'binary' && COMPARISON_OPS.has(node.op)) {
      flow(node.lhs);
      flow(node.rhs);
      return false;
    }
    return undefined;
  });
  return found;
}

export default defineRule({
  meta: {
    id: 'promql/counter-rate',
    defaultSeverity: 'warning',
    scope: 'facts',
    summary: '`rate`/`increase`/`irate` over a gauge, `delta`/`deriv` over a counter, `histogram_quantile` over no histogram, or a raw counter compared without `rate`/`increase`.',
  },
  check({ model, analysis, report }) {
    const catalog = model.catalog;
    for (const query of queriesOf(model, analysis, 'rules')) {
      for (const { func, selector } of ratesOfGauges(query.expr, catalog)) {
        report(
          problemIn(
            query,
            selector,
            `${func}() over \`${selector.name}\`, a gauge${catalog.metrics.has(selector.name!) ? '' : ' by its name'}: ${func} treats every drop as a counter reset; use delta(), deriv() or max_over_time()`,
          ),
        );
      }
    }
    for (const query of queriesOf(model, analysis)) {
      for (const { func, selector } of gaugeFunctionsOfCounters(query.expr, catalog)) {
        report(
          problemIn(
            query,
            selector,
            `${func}() over \`${selector.name}\`, a counter${catalog.metrics.has(selector.name!) ? '' : ' by its name'}: ${func} reads every counter reset as a fall; use ${func === 'delta' ? 'increase()' : 'rate()'}`,
          ),
        );
      }
      for (const { selector, why } of quantilesOfNonHistograms(query.expr, catalog)) {
        report(
          problemIn(
            query,
            selector,
            `histogram_quantile() over \`${selector.name}\`, ${why}: it holds no buckets (neither a \`_bucket\` series nor a native histogram), so the result is always empty`,
          ),
        );
      }
    }
    for (const query of queriesOf(model, analysis, 'alerts')) {
      for (const selector of rawCounters(query.expr, catalog)) {
        report(problemIn(query, selector, `compares the raw value of counter \`${selector.name}\`, which only grows until a restart: compare rate() or increase() over a window instead`));
      }
    }
    for (const query of queriesOf(model, analysis, 'dashboards')) {
      for (const { func, selector } of ratesOfGauges(query.expr, catalog)) {
        report(problemIn(query, selector, `${func}() over \`${selector.name}\`, a gauge: use delta(), deriv() or the raw value`));
      }
    }
  },
});
