import { walk } from '../../promql/ast.js';
import { labelsOf, presence, removerOf } from '../../promql/labels.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';
import type { Expr } from '../../promql/ast.js';
import type { SeriesKnowledge } from '../../promql/labels.js';

/** `histogram_quantile` calls whose buckets lost `le`: the result is always empty. */
function quantilesWithoutLe(expr: Expr, knowledge: SeriesKnowledge): Array<{ call: Expr; removedBy?: Expr }> {
  const found: Array<{ call: Expr; removedBy?: Expr }> = [];
  walk(expr, (node) => {
    if (node.kind !== 'call' || (node.func !== 'histogram_quantile' && node.func !== 'histogram_fraction')) return;
    const buckets = node.args[node.args.length - 1];
    if (!buckets) return;
    const labels = labelsOf(buckets, knowledge);
    if (presence(labels, 'le') === 'no') found.push({ call: node, removedBy: removerOf(labels, 'le') });
  });
  return found;
}

const message = (removedBy: Expr | undefined, text: string) =>
  `histogram_quantile needs the \`le\` label of the buckets, but ${removedBy ? `\`${text.slice(removedBy.from, removedBy.to).replace(/\s+/g, ' ').slice(0, 80)}\` drops it` : 'its input has none'}: the result is always empty (keep \`le\`: sum by (le, …))`;

export default defineRule({
  meta: { id: 'promql/quantile-le', defaultSeverity: 'error', scope: 'facts', summary: '`histogram_quantile` over an aggregation that drops `le`.' },
  check({ model, analysis, report }) {
    for (const query of queriesOf(model, analysis)) {
      for (const { call, removedBy } of quantilesWithoutLe(query.expr, analysis.knowledge)) report(problemIn(query, call, message(removedBy, query.text)));
    }
  },
});
