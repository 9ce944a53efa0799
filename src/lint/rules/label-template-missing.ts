import { presence, removerOf } from '../../promql/labels.js';
import { templateLabelRefs } from '../../promql/templates.js';
import { defineRule } from '../types.js';
import { alertsOf, promqlOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

function describeLabels(labels: string[]): string {
  return labels.length ? `the result carries only ${labels.map((l) => `\`${l}\``).join(', ')}` : 'the result carries no labels';
}

export default defineRule({
  meta: { id: 'label/template-missing', defaultSeverity: 'error', scope: 'facts', summary: "`{{ $labels.x }}` in an alert where the expression's result cannot carry `x`." },
  check({ model, analysis, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      const expr = promqlOf(analysis, rule);
      if (!expr) continue;
      const labels = analysis.labels(expr);
      for (const kind of ['annotations', 'labels'] as const) {
        for (const [key, template] of Object.entries(rule[kind] ?? {})) {
          for (const ref of templateLabelRefs(template)) {
            // Prometheus does not put `alertname` into $labels; templates reading it are a habit, not a bug to flag here.
            if (ref.label === 'alertname' || presence(labels, ref.label) !== 'no') continue;
            const removedBy = removerOf(labels, ref.label);
            const why = removedBy
              ? `\`${shortened(rule.expr.slice(removedBy.from, removedBy.to).replace(/\s+/g, ' '))}\` removes it`
              : describeLabels([...labels.certain, ...labels.possible].filter((l) => l !== '__name__'));
            report({
              in: group,
              at: pointerUnder(at, kind, key),
              within: { value: template, from: ref.from, to: ref.to },
              subject: name,
              message: `\`$labels.${ref.label}\` is always empty here: ${why}`,
              related: removedBy
                ? [{ message: 'the label is removed here', in: group, at: pointerUnder(at, 'expr'), within: { value: rule.expr, from: removedBy.from, to: removedBy.to } }]
                : undefined,
            });
          }
        }
      }
    }
  },
});

/** An aggregation as a message quotes it: whole when short, else up to its grouping clause (`sum by (le) (…)`), never cut mid-token. */
function shortened(text: string, max = 70): string {
  if (text.length <= max) return text;
  const grouping = /^\s*\w+\s*(?:(?:by|without)\s*\([^)]*\)\s*)?/.exec(text)?.[0].trimEnd();
  if (grouping && /\)$/.test(grouping)) return `${grouping} (…)`;
  const trailing = /^\s*(\w+)\s*\(.*\)\s*((?:by|without)\s*\([^)]*\))\s*$/s.exec(text);
  if (trailing) return `${trailing[1]} (…) ${trailing[2]}`;
  const head = text.slice(0, max).replace(/[\w:.]*$/, '');
  return `${head.trimEnd()}…`;
}
