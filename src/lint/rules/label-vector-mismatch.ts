import { walk, type Binary } from '../../promql/ast.js';
import { groupingMismatch, impossibleMatch, selfDivision, type SeriesKnowledge } from '../../promql/labels.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';
import type { Expr } from '../../promql/ast.js';

interface Mismatch {
  node: Binary;
  message: string;
}

function mismatches(expr: Expr, text: string, knowledge: SeriesKnowledge): Mismatch[] {
  const found: Mismatch[] = [];
  walk(expr, (node) => {
    if (node.kind !== 'binary') return;
    const mismatch = impossibleMatch(node, knowledge);
    if (mismatch) {
      found.push({ node, message: describe(text, { node, ...mismatch }) });
      return;
    }
    const grouping = groupingMismatch(node, knowledge);
    if (grouping) {
      found.push({ node, message: describeGrouping(text, { node, ...grouping }) });
      return;
    }
    const narrowing = selfDivision(node, text, knowledge);
    if (narrowing) {
      const label = narrowing.label.name;
      found.push({
        node,
        message: `\`/\` divides each series by itself: \`${text.slice(narrowing.from, narrowing.to)}\` keeps \`${label}\` on the left, so every left series matches the identical series on the right and the ratio is always 1; aggregate both sides without \`${label}\` (e.g. \`sum by (job) (…) / sum by (job) (…)\`) or use ignoring(${label}) with group_left`,
      });
    }
  });
  return found;
}

type Found = { node: Binary; label: string; present: 'left' | 'right'; removedBy?: Expr };

function describe(text: string, found: Found): string {
  const { node, label, present } = found;
  const other = present === 'left' ? 'right' : 'left';
  return `the two sides of \`${node.op}\` can never match: the ${present} side always has \`${label}\`, the ${other} side never does${removal(text, found)}, so ${consequence(node)}; ${fix(found)}`;
}

function describeGrouping(text: string, found: Found): string {
  const { node, label, present } = found;
  const other = present === 'left' ? 'right' : 'left';
  return `the two sides of \`${node.op}\` are grouped differently: the ${present} side keeps \`${label}\` (it is grouped by it), the ${other} side drops it${removal(text, found)}, so no pair of series matches and ${consequence(node)}; ${fix(found)}`;
}

function removal(text: string, { removedBy }: Found): string {
  return removedBy ? ` (\`${text.slice(removedBy.from, removedBy.to).replace(/\s+/g, ' ').slice(0, 60)}\` removes it)` : '';
}

function consequence(node: Binary): string {
  if (node.op === 'and') return '`and` is always empty: the condition is never true';
  if (node.op === 'unless') return '`unless` never removes anything: the exclusion has no effect';
  return 'the result is always empty';
}

function fix({ node, label }: Found): string {
  return node.matching ? `match on labels both sides have` : `add on(…)/ignoring(${label}) or aggregate both sides by the same labels`;
}

export default defineRule({
  meta: {
    id: 'label/vector-mismatch',
    defaultSeverity: 'error',
    summary: 'A binary operation whose sides can never match, so it never returns anything, or a ratio that divides each series by itself.',
  },
  check({ model, analysis, report }) {
    for (const query of queriesOf(model, analysis)) {
      for (const found of mismatches(query.expr, query.parsed, analysis.knowledge)) report(problemIn(query, found.node.opRange, found.message));
    }
  },
});
