import { walk, type Binary } from '../../promql/ast.js';
import { groupingMismatch, impossibleMatch, selfDivision, type SeriesKnowledge } from '../../promql/labels.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';
import type { Expr, VectorSelector } from '../../promql/ast.js';
import type { Analysis } from '../analysis.js';

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

/**
 * The one value every series of a side has for `label`, when each selector of the side pins it
 * with `=` to the same value and the label reaches the side's result.
 */
function pinnedValue(side: Expr, label: string, analysis: Analysis): string | undefined {
  if (!analysis.labels(side).certain.has(label)) return undefined;
  const selectors: VectorSelector[] = [];
  let opaque = false;
  walk(side, (node) => {
    if (node.kind === 'binary' && (node.op === 'or' || node.op === 'and' || node.op === 'unless')) opaque = true;
    if (node.kind === 'call' && (node.func === 'label_replace' || node.func === 'label_join')) opaque = true;
    if (node.kind === 'vector') selectors.push(node);
    if (node.kind === 'matrix') selectors.push(node.selector);
  });
  if (opaque || selectors.length === 0) return undefined;
  const values = new Set(selectors.map((selector) => selector.matchers.find((m) => m.label.name === label && m.op === '=')?.value));
  const [value] = values;
  return values.size === 1 && value !== undefined ? value : undefined;
}

/** A binary operation matching on a label both sides pin to different values: `a{job="x"} and on (job) b{job="y"}`. */
function pinnedApart(node: Binary, analysis: Analysis): { label: string; left: string; right: string } | undefined {
  if (node.op === 'or') return undefined;
  const lhs = analysis.labels(node.lhs);
  const candidates = node.matching?.mode === 'on' ? node.matching.labels.map((l) => l.name) : [...lhs.certain].filter((l) => !node.matching?.labels.some((ignored) => ignored.name === l));
  for (const label of candidates) {
    if (label === '__name__') continue;
    const left = pinnedValue(node.lhs, label, analysis);
    const right = left === undefined ? undefined : pinnedValue(node.rhs, label, analysis);
    if (left !== undefined && right !== undefined && left !== right) return { label, left, right };
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'label/vector-mismatch',
    defaultSeverity: 'error',
    summary: 'A binary operation whose sides can never match, so it never returns anything, or a ratio that divides each series by itself.',
  },
  check({ model, analysis, report }) {
    for (const query of queriesOf(model, analysis)) {
      const found = mismatches(query.expr, query.parsed, analysis.knowledge);
      for (const { node, message } of found) report(problemIn(query, node.opRange, message));
      walk(query.expr, (node) => {
        if (node.kind !== 'binary' || found.some((f) => f.node === node)) return;
        const apart = pinnedApart(node, analysis);
        if (!apart) return;
        report(
          problemIn(
            query,
            node.opRange,
            `the two sides of \`${node.op}\` match on \`${apart.label}\`, which the left side pins to "${apart.left}" and the right side to "${apart.right}", so no pair of series matches and ${consequence(node)}`,
          ),
        );
      });
    }
  },
});
