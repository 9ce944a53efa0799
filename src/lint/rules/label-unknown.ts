import { walk, type Expr, type LabelRef } from '../../promql/ast.js';
import { labelsOf, presence, selectorLabels, type SeriesKnowledge } from '../../promql/labels.js';
import { matchesEmpty } from '../../promql/parse.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';
import { pointer } from '../../model/pointer.js';

interface Unknown {
  label: LabelRef;
  message: string;
}

/**
 * Labels an expression names that its series cannot carry. Only what is
 * proven counts: a catalog entry or a recording rule fixes a series' labels;
 * an aggregation fixes what passes through it.
 */
function unknownLabels(expr: Expr, knowledge: SeriesKnowledge): Unknown[] {
  const found: Unknown[] = [];
  walk(expr, (node) => {
    if (node.kind === 'vector' || node.kind === 'matrix') {
      const selector = node.kind === 'vector' ? node : node.selector;
      if (!selector.name) return;
      const known = knowledge.recorded(selector.name) ?? knowledge.catalog(selector.name);
      if (!known) return;
      const base = selectorLabels({ ...selector, matchers: [] }, knowledge);
      const source = knowledge.recorded(selector.name) ? 'its recording rule' : 'the metric catalog';
      for (const matcher of selector.matchers) {
        if (matcher.label.name === '__name__' || matchesEmpty(matcher) !== false) continue;
        if (presence(base, matcher.label.name) === 'no') {
          found.push({ label: matcher.label, message: `\`${selector.name}\` has no \`${matcher.label.name}\` label (per ${source}), so this selector matches nothing` });
        }
      }
      return;
    }
    // `without (x)` and `ignoring (x)` of a label nobody has change nothing; `by`, `on` and `group_x` do.
    if (node.kind === 'aggregate' && node.grouping?.mode === 'by') {
      const inner = labelsOf(node.expr, knowledge);
      for (const label of node.grouping.labels) {
        if (presence(inner, label.name) === 'no') {
          found.push({ label, message: `\`${node.grouping.mode} (${label.name})\`: the input of ${node.op} never has \`${label.name}\`` });
        }
      }
    }
    if (node.kind === 'binary' && node.matching) {
      const lhs = labelsOf(node.lhs, knowledge);
      const rhs = labelsOf(node.rhs, knowledge);
      for (const label of node.matching.mode === 'on' ? node.matching.labels : []) {
        if (presence(lhs, label.name) === 'no' && presence(rhs, label.name) === 'no') {
          found.push({ label, message: `\`${node.matching.mode}(${label.name})\`: neither side of \`${node.op}\` ever has \`${label.name}\`` });
        }
      }
      const one = node.matching.group?.side === 'left' ? rhs : lhs;
      for (const label of node.matching.group?.labels ?? []) {
        if (presence(one, label.name) === 'no') {
          found.push({ label, message: `\`group_${node.matching.group!.side}(${label.name})\` copies \`${label.name}\` from the other side, which never has it` });
        }
      }
    }
  });
  return found;
}

const LABEL_VALUES = /label_values\(\s*([a-zA-Z_:][\w:]*)\s*(\{[^}]*\})?\s*,\s*([a-zA-Z_]\w*)\s*\)/g;

export default defineRule({
  meta: { id: 'label/unknown', defaultSeverity: 'error', scope: 'facts', summary: 'A matcher, grouping or matching label, or `label_values()` label, that the series never carries.' },
  check({ model, analysis, report }) {
    for (const query of queriesOf(model, analysis)) {
      for (const unknown of unknownLabels(query.expr, analysis.knowledge)) report(problemIn(query, unknown.label, unknown.message));
    }
    for (const dashboard of model.dashboards) {
      (dashboard.json.templating?.list ?? []).forEach((variable, i) => {
        const query =
          typeof variable.query === 'string' ? variable.query : typeof (variable.query as { query?: unknown })?.query === 'string' ? String((variable.query as { query: string }).query) : undefined;
        if (!query) return;
        for (const match of query.matchAll(LABEL_VALUES)) {
          const metric = match[1]!;
          const label = match[3]!;
          const known = analysis.knowledge.recorded(metric) ?? analysis.knowledge.catalog(metric);
          if (!known || presence(known, label) !== 'no') continue;
          const from = match.index + match[0].lastIndexOf(label);
          report({
            in: dashboard,
            at: typeof variable.query === 'string' ? pointer('templating', 'list', i, 'query') : pointer('templating', 'list', i, 'query', 'query'),
            within: { value: query, from, to: from + label.length },
            subject: `${dashboard.title} / $${String(variable.name)}`,
            message: `label_values(${metric}, ${label}): \`${metric}\` has no \`${label}\` label, so the variable has no values`,
          });
        }
      });
    }
  },
});
