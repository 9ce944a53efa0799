import { unwrap, type Expr } from '../../promql/ast.js';
import type { DashboardModel, ProjectModel, RuleGroupModel, RuleModel } from '../../model/project-model.js';
import { comparisonOf, describeQuantity, formatNumber, grafanaUnitQuantity, metricNames, quantityOf, type Quantity } from '../../promql/units.js';
import type { Analysis } from '../analysis.js';
import { defineRule } from '../types.js';
import type { Problem } from '../problem.js';
import { panelSubject, panelsOf, problemIn, queriesOf, targetsOf, type QueryVisit } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** Durations written in an alert's name and annotations (`500ms`, `2 seconds`), in seconds. */
function statedDurations(texts: string[]): number[] {
  const found: number[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|milliseconds?|µs|us|microseconds?|s|secs?|seconds?)\b/gi)) {
      const value = Number(match[1]);
      const unit = match[2]!.toLowerCase();
      const scale = unit.startsWith('ms') || unit.startsWith('milli') ? 1e-3 : unit.startsWith('µ') || unit.startsWith('us') || unit.startsWith('micro') ? 1e-6 : 1;
      found.push(value * scale);
    }
  }
  return found;
}

/** Percentages written in an alert's annotations (`10%`, `5 percent`). */
function statedPercents(texts: string[]): number[] {
  return texts.flatMap((text) => [...text.matchAll(/(\d+(?:\.\d+)?)\s*(?:%|percent\b)/gi)].map((m) => Number(m[1])));
}

/** `rate(x_total[5m])`, `sum by (…) (increase(x_total[5m]))`: events per second (or per window), not a share. */
function perSecondRate(expr: Expr): string | undefined {
  const node = unwrap(expr);
  if (node.kind === 'aggregate' && ['sum', 'avg', 'max', 'min'].includes(node.op)) return perSecondRate(node.expr);
  if (node.kind === 'call' && ['rate', 'irate', 'increase'].includes(node.func)) {
    const arg = node.args[0];
    const name = arg?.kind === 'matrix' ? arg.selector.name : undefined;
    return name && /_total$/.test(name) ? name : undefined;
  }
  return undefined;
}

/**
 * An annotation that prints the query value in the wrong scale: `{{ $value }}%`
 * for a 0–1 ratio, or `humanizePercentage` (which multiplies by 100) for a percentage.
 */
function misprintedValue(annotations: Record<string, string | undefined>, scale: number): { key: string; text: string; from: number; to: number } | undefined {
  for (const [key, text] of Object.entries(annotations)) {
    if (typeof text !== 'string') continue;
    for (const match of text.matchAll(/\{\{[^}]*\$value\b[^}]*\}\}(\s*%)?/g)) {
      const percentage = /humanizePercentage/.test(match[0]);
      const wrong = scale === 1 ? !percentage && match[1] !== undefined : percentage;
      if (wrong) return { key, text, from: match.index, to: match.index + match[0].length };
    }
  }
  return undefined;
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b));
}

/** A latency-like metric (request/response durations), whose quantiles in seconds stay far below 1000. */
const LATENCY = /(duration|latency|response_time|request_time)[a-z_]*_(seconds|milliseconds|ms)/;

/** An alert's condition read as `quantity OP threshold`, with what its sub-checks share. */
interface ComparedAlert {
  query: QueryVisit;
  rule: RuleModel;
  comparison: NonNullable<ReturnType<typeof comparisonOf>>;
  quantity: Quantity;
  /** The threshold as written. */
  written: string;
  /** The condition holds above the threshold (`>`, or `<` with the constant first). */
  upward: boolean;
}

function comparedAlert(query: QueryVisit): ComparedAlert | undefined {
  const comparison = comparisonOf(query.expr);
  if (!comparison || !query.rule) return undefined;
  const upward = comparison.flipped ? comparison.op.startsWith('<') : comparison.op.startsWith('>');
  return { query, rule: query.rule.rule, comparison, quantity: quantityOf(comparison.quantity), written: formatNumber(comparison.threshold), upward };
}

function atThreshold(alert: ComparedAlert, message: string): Problem {
  return problemIn(alert.query, alert.comparison.thresholdExpr, message);
}

/** A part of a whole, as a 0–1 ratio or a percentage. */
function isShare(quantity: Quantity): boolean {
  return quantity.dimension === 'ratio' && quantity.fraction === true && (quantity.scale === 1 || quantity.scale === 100);
}

/** A share compared with a number it can never reach (`ratio > 5`). */
function shareOutOfRange(alert: ComparedAlert): Problem | undefined {
  const { quantity, written } = alert;
  const t = alert.comparison.threshold;
  if (!isShare(quantity) || Math.abs(t) <= quantity.scale) return undefined;
  const consequence = alert.upward ? `the ${quantity.scale === 1 ? 'ratio' : 'percentage'} never exceeds ${quantity.scale}, so the alert never fires` : 'the condition always holds';
  return atThreshold(
    alert,
    quantity.scale === 1 ? `compares a 0–1 ratio with ${written}: ${consequence}; ${written}% is ${formatNumber(t / 100)}` : `compares a percentage (0–100) with ${written}: ${consequence}`,
  );
}

/** An annotation printing a share in the wrong scale. */
function shareMisprinted(alert: ComparedAlert): Problem | undefined {
  if (!isShare(alert.quantity)) return undefined;
  const shown = misprintedValue(alert.rule.annotations ?? {}, alert.quantity.scale);
  if (!shown) return undefined;
  const printed = shown.text.slice(shown.from, shown.to);
  return {
    in: alert.query.in,
    at: pointerUnder(alert.query.rule!.at, 'annotations', shown.key),
    within: { value: shown.text, from: shown.from, to: shown.to },
    subject: alert.query.subject,
    message:
      alert.quantity.scale === 1
        ? `\`${printed}\` prints the value as a percentage, but the query returns a 0–1 ratio: 5% reads as 0.05%; use \`{{ $value | humanizePercentage }}\``
        : `\`${printed}\` multiplies by 100 a value that is already a percentage: 5% reads as 500%; print \`{{ $value | humanize }}%\``,
  };
}

/** An annotation printing bytes or seconds as a percentage: `{{ $value }}%` or `humanizePercentage` on free bytes. */
function quantityPrintedAsShare(alert: ComparedAlert): Problem | undefined {
  const { quantity } = alert;
  if (quantity.dimension !== 'bytes' && quantity.dimension !== 'time') return undefined;
  for (const [key, text] of Object.entries(alert.rule.annotations ?? {})) {
    if (typeof text !== 'string') continue;
    const match = [...text.matchAll(/\{\{[^}]*\$value\b[^}]*\}\}(\s*%)?/g)].find((m) => m[1] !== undefined || /humanizePercentage/.test(m[0]));
    if (!match) continue;
    const printed = match[0];
    const better = quantity.dimension === 'bytes' ? '`{{ $value | humanize1024 }}B`' : '`{{ $value | humanizeDuration }}`';
    return {
      in: alert.query.in,
      at: pointerUnder(alert.query.rule!.at, 'annotations', key),
      within: { value: text, from: match.index, to: match.index + printed.length },
      subject: alert.query.subject,
      message: `\`${printed}\` prints the value as a percentage, but the query returns ${describeQuantity(quantity)}: the notification shows ${describeQuantity(quantity)} with a % sign; print ${better}, or alert on a share`,
    };
  }
  return undefined;
}

/** A per-second rate compared with a threshold the alert calls a percentage. */
function rateCalledShare(alert: ComparedAlert): Problem | undefined {
  const counter = alert.quantity.dimension === 'unknown' ? perSecondRate(alert.comparison.quantity) : undefined;
  const percent = counter ? statedPercents(Object.values(alert.rule.annotations ?? {})).find((p) => near(p / 100, alert.comparison.threshold)) : undefined;
  if (!counter || percent === undefined) return undefined;
  return atThreshold(
    alert,
    `compares the per-second rate of \`${counter}\` with ${alert.written}, but the alert speaks of ${percent}%: a rate counts events per second, not a share of them; divide by the rate of all events (e.g. \`sum(rate(errors[5m])) / sum(rate(total[5m])) > ${alert.written}\`)`,
  );
}

/** A time threshold 10³ or 10⁶ away from the duration the alert's name or annotations state. */
function durationContradicted(alert: ComparedAlert): Problem | undefined {
  const { quantity } = alert;
  if (quantity.dimension !== 'time') return undefined;
  const seconds = alert.comparison.threshold / quantity.scale;
  const stated = statedDurations([alert.query.subject, ...Object.values(alert.rule.annotations ?? {})]);
  const contradicted = stated.find((s) => !stated.some((x) => near(x, seconds)) && [1e3, 1e-3, 1e6, 1e-6].some((f) => near(seconds, s * f)));
  if (contradicted === undefined) return undefined;
  const magnitude = Math.round(Math.log10(seconds / contradicted));
  return atThreshold(
    alert,
    `threshold ${alert.written} on ${describeQuantity(quantity)} is ${formatSeconds(seconds)}, but the alert says ${formatSeconds(contradicted)}: a unit mix-up of ${magnitude > 0 ? '×' : '÷'}${10 ** Math.abs(magnitude)}`,
  );
}

/** A latency quantile or mean alerting above 1000 seconds, the alert stating no duration: milliseconds written for seconds. */
function latencyInMilliseconds(alert: ComparedAlert): Problem | undefined {
  const { quantity } = alert;
  if (quantity.dimension !== 'time') return undefined;
  const seconds = alert.comparison.threshold / quantity.scale;
  const stated = statedDurations([alert.query.subject, ...Object.values(alert.rule.annotations ?? {})]);
  const metric = metricNames(alert.comparison.quantity).find((n) => LATENCY.test(n));
  if (stated.length > 0 || !metric || !alert.upward || seconds < 1000 || !isQuantileOrMean(alert.comparison.quantity)) return undefined;
  return atThreshold(
    alert,
    `threshold ${alert.written} on ${metric.replace(/_bucket$/, '')} (${describeQuantity(quantity)}) is ${formatSeconds(seconds)}: written in ${quantity.scale === 1 ? 'milliseconds' : 'the wrong unit'}?`,
  );
}

/** A latency alert against the SLO it protects: 500 on a seconds histogram for an SLO of 500ms. */
function sloLatencyMismatches(model: ProjectModel, analysis: Analysis, skip: (group: RuleGroupModel, at: string) => boolean): Problem[] {
  const problems: Problem[] = [];
  for (const slo of model.slos) {
    if (slo.sli.kind !== 'latency') continue;
    const target = slo.sli.thresholdSeconds;
    for (const alert of analysis.governingAlerts.get(slo) ?? []) {
      const { visit } = alert;
      if (alert.generated || skip(visit.group, pointerUnder(visit.at, 'expr'))) continue;
      for (const leaf of alert.conjuncts.flat()) {
        if (leaf.kind !== 'quantile') continue;
        const factor = [1e3, 1e-3, 1e6, 1e-6].find((f) => near(leaf.threshold, target * f));
        if (factor === undefined) continue;
        problems.push({
          in: visit.group,
          at: pointerUnder(visit.at, 'expr'),
          within: { value: visit.rule.expr, from: leaf.node.from, to: leaf.node.to },
          subject: visit.name,
          message: `threshold ${leaf.written} on ${leaf.metric} is ${formatSeconds(leaf.threshold)}, but SLO ${slo.name} it protects says ${formatSeconds(target)}: a unit mix-up of ${factor > 1 ? '×' : '÷'}${factor > 1 ? factor : 1 / factor}`,
        });
        break;
      }
    }
  }
  return problems;
}

/** A panel whose unit shows another scale than its first query returns (`ms` on seconds). */
function panelUnitMismatches(dashboard: DashboardModel, analysis: Analysis): Problem[] {
  const problems: Problem[] = [];
  const panels = new Map(panelsOf(dashboard).map((v) => [v.at, v.panel]));
  const reported = new Set<string>();
  for (const target of targetsOf(dashboard)) {
    if (target.language === 'logql' || reported.has(target.panelAt)) continue;
    const panel = panels.get(target.panelAt)!;
    const unit = (panel.fieldConfig?.defaults as { unit?: unknown } | undefined)?.unit;
    if (typeof unit !== 'string') continue;
    const shown = grafanaUnitQuantity(unit);
    if (!shown) continue;
    const expr = analysis.parse(target.parseable).expr;
    if (!expr) continue;
    const quantity = quantityOf(expr);
    if (quantity.dimension !== shown.dimension || near(quantity.scale, shown.scale)) continue;
    const factor = shown.scale / quantity.scale;
    problems.push({
      in: dashboard,
      at: pointerUnder(target.panelAt, 'fieldConfig', 'defaults', 'unit'),
      subject: panelSubject(dashboard, panel),
      message: `unit \`${unit}\` shows ${describeQuantity(shown)}, but the query returns ${describeQuantity(quantity)}: values read ${formatFactor(factor)} ${factor > 1 ? 'too small' : 'too large'}`,
      related: [{ message: 'the query', in: dashboard, at: target.at }],
    });
    reported.add(target.panelAt);
  }
  return problems;
}

export default defineRule({
  meta: {
    id: 'promql/unit-mismatch',
    defaultSeverity: 'error',
    scope: 'project',
    summary: 'A threshold or unit off by 10³/10⁶ from the quantity (`> 500` on seconds), or a ratio and a percentage confused.',
  },
  check({ model, analysis, report }) {
    const reported = new Set<string>();
    for (const query of queriesOf(model, analysis, 'alerts')) {
      const alert = comparedAlert(query);
      if (!alert) continue;
      // An unreachable share says all there is to say; otherwise a misprinted share and one threshold problem.
      const found = [shareOutOfRange(alert)];
      if (!found[0]) found.push(shareMisprinted(alert) ?? quantityPrintedAsShare(alert), rateCalledShare(alert) ?? durationContradicted(alert) ?? latencyInMilliseconds(alert));
      for (const problem of found) {
        if (!problem) continue;
        reported.add(`${problem.in.file}\0${problem.at}`);
        report(problem);
      }
    }
    for (const problem of sloLatencyMismatches(model, analysis, (group, at) => reported.has(`${group.file}\0${at}`))) report(problem);
    for (const dashboard of model.dashboards) for (const problem of panelUnitMismatches(dashboard, analysis)) report(problem);
  },
});

function isQuantileOrMean(expr: Expr): boolean {
  let found = false;
  const visit = (node: Expr): void => {
    if (node.kind === 'call' && node.func === 'histogram_quantile') found = true;
    if (node.kind === 'binary' && node.op === '/') found = true;
    if ('expr' in node && node.kind !== 'subquery') visit(node.expr as Expr);
  };
  visit(expr);
  return found;
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600) return `${+(seconds / 3600).toFixed(1)} h`;
  if (seconds >= 60) return `${+(seconds / 60).toFixed(1)} min`;
  if (seconds >= 1) return `${+seconds.toFixed(3)} s`;
  if (seconds >= 1e-3) return `${+(seconds * 1e3).toFixed(3)} ms`;
  return `${+(seconds * 1e6).toFixed(3)} µs`;
}

function formatFactor(factor: number): string {
  const f = factor >= 1 ? factor : 1 / factor;
  return Number.isInteger(f) ? `${f}×` : `${+f.toFixed(2)}×`;
}
