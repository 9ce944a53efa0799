import { unwrap, type Expr } from '../../promql/ast.js';
import { comparisonOf, describeQuantity, formatNumber, grafanaUnitQuantity, metricNames, quantityOf } from '../../promql/units.js';
import { defineRule } from '../types.js';
import { alertsOf, panelSubject, panelsOf, promqlOf, targetsOf } from '../walk.js';

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

export default defineRule({
  meta: { id: 'promql/unit-mismatch', defaultSeverity: 'error', summary: 'A threshold or unit off by 10³/10⁶ from the quantity (`> 500` on seconds), or a ratio and a percentage confused.' },
  check({ model, analysis, report: emit }) {
    const reported = new Set<string>();
    const report: typeof emit = (problem) => {
      reported.add(`${problem.in.file}\0${problem.at}`);
      emit(problem);
    };
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      const expr = promqlOf(analysis, rule);
      if (!expr) continue;
      const comparison = comparisonOf(expr);
      if (!comparison) continue;
      const quantity = quantityOf(comparison.quantity);
      const t = comparison.threshold;
      const written = formatNumber(t);
      const within = { value: rule.expr, from: comparison.thresholdExpr.from, to: comparison.thresholdExpr.to };
      // A part of a whole, as a 0–1 ratio or a percentage.
      const share = quantity.dimension === 'ratio' && quantity.fraction === true && (quantity.scale === 1 || quantity.scale === 100);
      if (share && Math.abs(t) > quantity.scale) {
        const upward = comparison.flipped ? comparison.op.startsWith('<') : comparison.op.startsWith('>');
        const consequence = upward ? `the ${quantity.scale === 1 ? 'ratio' : 'percentage'} never exceeds ${quantity.scale}, so the alert never fires` : 'the condition always holds';
        report({
          in: group,
          at: `${at}/expr`,
          within,
          subject: name,
          message:
            quantity.scale === 1
              ? `compares a 0–1 ratio with ${written}: ${consequence}; ${written}% is ${formatNumber(t / 100)}`
              : `compares a percentage (0–100) with ${written}: ${consequence}`,
        });
        continue;
      }
      if (share) {
        const shown = misprintedValue(rule.annotations ?? {}, quantity.scale);
        if (shown) {
          report({
            in: group,
            at: `${at}/annotations/${shown.key}`,
            within: { value: shown.text, from: shown.from, to: shown.to },
            subject: name,
            message:
              quantity.scale === 1
                ? `\`${shown.text.slice(shown.from, shown.to)}\` prints the value as a percentage, but the query returns a 0–1 ratio: 5% reads as 0.05%; use \`{{ $value | humanizePercentage }}\``
                : `\`${shown.text.slice(shown.from, shown.to)}\` multiplies by 100 a value that is already a percentage: 5% reads as 500%; print \`{{ $value | humanize }}%\``,
          });
        }
      }
      const counter = quantity.dimension === 'unknown' ? perSecondRate(comparison.quantity) : undefined;
      const percent = counter ? statedPercents(Object.values(rule.annotations ?? {})).find((p) => near(p / 100, t)) : undefined;
      if (counter && percent !== undefined) {
        report({
          in: group,
          at: `${at}/expr`,
          within,
          subject: name,
          message: `compares the per-second rate of \`${counter}\` with ${written}, but the alert speaks of ${percent}%: a rate counts events per second, not a share of them; divide by the rate of all events (e.g. \`sum(rate(errors[5m])) / sum(rate(total[5m])) > ${written}\`)`,
        });
        continue;
      }
      if (quantity.dimension !== 'time') continue;
      const seconds = t / quantity.scale;
      const stated = statedDurations([name, ...Object.values(rule.annotations ?? {})]);
      const contradicted = stated.find((s) => !stated.some((x) => near(x, seconds)) && [1e3, 1e-3, 1e6, 1e-6].some((f) => near(seconds, s * f)));
      if (contradicted !== undefined) {
        report({
          in: group,
          at: `${at}/expr`,
          within,
          subject: name,
          message: `threshold ${written} on ${describeQuantity(quantity)} is ${formatSeconds(seconds)}, but the alert says ${formatSeconds(contradicted)}: a unit mix-up of ${Math.round(Math.log10(seconds / contradicted)) > 0 ? '×' : '÷'}${10 ** Math.abs(Math.round(Math.log10(seconds / contradicted)))}`,
        });
        continue;
      }
      const metric = metricNames(comparison.quantity).find((n) => LATENCY.test(n));
      const upward = comparison.flipped ? comparison.op.startsWith('<') : comparison.op.startsWith('>');
      if (stated.length === 0 && metric && upward && seconds >= 1000 && isQuantileOrMean(comparison.quantity)) {
        report({
          in: group,
          at: `${at}/expr`,
          within,
          subject: name,
          message: `threshold ${written} on ${metric.replace(/_bucket$/, '')} (${describeQuantity(quantity)}) is ${formatSeconds(seconds)}: written in ${quantity.scale === 1 ? 'milliseconds' : 'the wrong unit'}?`,
        });
      }
    }

    // A latency alert against the SLO it protects: 500 on a seconds histogram for an SLO of 500ms.
    const governing = analysis.governingAlerts;
    for (const slo of model.slos) {
      if (slo.sli.kind !== 'latency') continue;
      const target = slo.sli.thresholdSeconds;
      for (const alert of governing.get(slo) ?? []) {
        const { visit } = alert;
        if (alert.generated || reported.has(`${visit.group.file}\0${visit.at}/expr`)) continue;
        for (const leaf of alert.conjuncts.flat()) {
          if (leaf.kind !== 'quantile') continue;
          const factor = [1e3, 1e-3, 1e6, 1e-6].find((f) => near(leaf.threshold, target * f));
          if (factor === undefined) continue;
          report({
            in: visit.group,
            at: `${visit.at}/expr`,
            within: { value: visit.rule.expr, from: leaf.node.from, to: leaf.node.to },
            subject: visit.name,
            message: `threshold ${leaf.written} on ${leaf.metric} is ${formatSeconds(leaf.threshold)}, but SLO ${slo.name} it protects says ${formatSeconds(target)}: a unit mix-up of ${factor > 1 ? '×' : '÷'}${factor > 1 ? factor : 1 / factor}`,
          });
          break;
        }
      }
    }

    for (const dashboard of model.dashboards) {
      const visits = new Map(panelsOf(dashboard).map((v) => [v.at, v.panel]));
      const reported = new Set<string>();
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql' || reported.has(target.panelAt)) continue;
        const panel = visits.get(target.panelAt)!;
        const unit = (panel.fieldConfig?.defaults as { unit?: unknown } | undefined)?.unit;
        if (typeof unit !== 'string') continue;
        const shown = grafanaUnitQuantity(unit);
        if (!shown) continue;
        const expr = analysis.parse(target.parseable).expr;
        if (!expr) continue;
        const quantity = quantityOf(expr);
        if (quantity.dimension !== shown.dimension || near(quantity.scale, shown.scale)) continue;
        const factor = shown.scale / quantity.scale;
        report({
          in: dashboard,
          at: `${target.panelAt}/fieldConfig/defaults/unit`,
          subject: panelSubject(dashboard, panel),
          message: `unit \`${unit}\` shows ${describeQuantity(shown)}, but the query returns ${describeQuantity(quantity)}: values read ${formatFactor(factor)} ${factor > 1 ? 'too small' : 'too large'}`,
          related: [{ message: 'the query', in: dashboard, at: target.at }],
        });
        reported.add(target.panelAt);
      }
    }
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

