import { formatDuration } from '../../model/duration.js';
import { walk, type Expr } from '../../promql/ast.js';
import { defineRule } from '../types.js';
import { panelSubject, promqlOf, rulesOf, targetsOf } from '../walk.js';

/** Functions that need at least two samples in their range. */
const TWO_SAMPLES = new Set(['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'predict_linear', 'resets', 'changes']);

function shortRanges(expr: Expr, scrapeMs: number, original: string): Array<{ from: number; to: number; func: string; rangeMs: number }> {
  const found: Array<{ from: number; to: number; func: string; rangeMs: number }> = [];
  walk(expr, (node) => {
    if (node.kind !== 'call' || !TWO_SAMPLES.has(node.func)) return;
    const arg = node.args[0];
    const range = arg?.kind === 'matrix' ? arg.range : arg?.kind === 'subquery' ? arg.range : undefined;
    const rangeMs = arg?.kind === 'matrix' || arg?.kind === 'subquery' ? arg.rangeMs : undefined;
    if (!range || rangeMs === undefined || original.slice(range.from, range.to).includes('$')) return;
    if (rangeMs < 2 * scrapeMs) found.push({ from: range.from, to: range.to, func: node.func, rangeMs });
  });
  return found;
}

const message = (func: string, rangeMs: number, scrapeMs: number) =>
  `${func}() over [${formatDuration(rangeMs)}] sees fewer than two samples at a ${formatDuration(scrapeMs)} scrape interval, so it returns nothing or jumps; use at least [${formatDuration(2 * scrapeMs)}] (ideally 4× the interval)`;

export default defineRule({
  meta: { id: 'promql/range-too-short', defaultSeverity: 'warning', summary: 'A range shorter than twice the scrape interval.' },
  check({ model, analysis, settings, report }) {
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      const expr = promqlOf(analysis, rule);
      if (!expr) continue;
      const scrape = settings.scrapeInterval(group.system);
      for (const found of shortRanges(expr, scrape, rule.expr)) {
        report({ in: group, at: `${at}/expr`, within: { value: rule.expr, from: found.from, to: found.to }, subject: name, message: message(found.func, found.rangeMs, scrape) });
      }
    }
    for (const dashboard of model.dashboards) {
      const scrape = settings.scrapeInterval(dashboard.system);
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql') continue;
        const expr = analysis.parse(target.parseable).expr;
        if (!expr) continue;
        for (const found of shortRanges(expr, scrape, target.expr)) {
          report({ in: dashboard, at: target.at, within: { value: target.expr, from: found.from, to: found.to }, subject: panelSubject(dashboard, target.panel), message: `${message(found.func, found.rangeMs, scrape)}, or $__rate_interval` });
        }
      }
    }
  },
});
