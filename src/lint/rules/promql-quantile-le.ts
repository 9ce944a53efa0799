import { walk } from '../../promql/ast.js';
import { labelsOf, presence, removerOf } from '../../promql/labels.js';
import { defineRule } from '../types.js';
import { panelSubject, promqlOf, rulesOf, targetsOf } from '../walk.js';
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
  meta: { id: 'promql/quantile-le', defaultSeverity: 'error', summary: '`histogram_quantile` over an aggregation that drops `le`.' },
  check({ model, analysis, report }) {
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      const expr = promqlOf(analysis, rule);
      if (!expr) continue;
      for (const { call, removedBy } of quantilesWithoutLe(expr, analysis.knowledge)) {
        report({ in: group, at: `${at}/expr`, within: { value: rule.expr, from: call.from, to: call.to }, subject: name, message: message(removedBy, rule.expr) });
      }
    }
    for (const dashboard of model.dashboards) {
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql') continue;
        const expr = analysis.parse(target.parseable).expr;
        if (!expr) continue;
        for (const { call, removedBy } of quantilesWithoutLe(expr, analysis.knowledge)) {
          report({ in: dashboard, at: target.at, within: { value: target.expr, from: call.from, to: call.to }, subject: panelSubject(dashboard, target.panel), message: message(removedBy, target.expr) });
        }
      }
    }
  },
});
