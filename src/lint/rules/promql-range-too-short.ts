import { formatDuration } from '../../model/duration.js';
import { walk, type Expr } from '../../promql/ast.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';

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
  meta: { id: 'promql/range-too-short', defaultSeverity: 'warning', scope: 'container', summary: 'A range shorter than twice the scrape interval.' },
  check({ model, analysis, settings, report }) {
    for (const query of queriesOf(model, analysis)) {
      const scrape = settings.scrapeInterval(query.system);
      for (const found of shortRanges(query.expr, scrape, query.text)) {
        // A dashboard can also use Grafana's $__rate_interval.
        report(problemIn(query, found, `${message(found.func, found.rangeMs, scrape)}${query.target ? ', or $__rate_interval' : ''}`));
      }
    }
  },
});
