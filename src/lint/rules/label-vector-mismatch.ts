import { childrenOf, memoisedOverTree, walk, type Binary } from '../../promql/ast.js';
import { groupingMismatch, impossibleMatch, selfDivision, type SeriesKnowledge } from '../../promql/labels.js';
import { defineRule } from '../types.js';
import { problemIn, queriesOf } from '../walk.js';
import type { Expr } from '../../promql/ast.js';
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
  const pins = pinsOf(side);
  if (pins.opaque || pins.selectors === 0) return undefined;
  return pins.values.get(label) ?? undefined;
}

/** What the selectors of a subtree pin with `=`: per label, the one value all of them pin it to (null: different values). */
interface Pins {
  /** `or`/`and`/`unless` or a label-rewriting function below: the side's series need not come from its selectors as written. */
  opaque: boolean;
  selectors: number;
  /** Only labels every selector of the subtree pins. */
  values: ReadonlyMap<string, string | null>;
}

/** Memoised bottom-up, so a chain of 20,000 operators is read once, not once per operator. */
const pinsOf: (expr: Expr) => Pins = memoisedOverTree((node: Expr): Pins => {
  const selector = node.kind === 'vector' ? node : node.kind === 'matrix' ? node.selector : undefined;
  if (selector) {
    const values = new Map<string, string | null>();
    for (const m of selector.matchers) if (m.op === '=' && !values.has(m.label.name)) values.set(m.label.name, m.value);
    return { opaque: false, selectors: 1, values };
  }
  const opaqueHere =
    (node.kind === 'binary' && (node.op === 'or' || node.op === 'and' || node.op === 'unless')) || (node.kind === 'call' && (node.func === 'label_replace' || node.func === 'label_join'));
  const children = childrenOf(node).map(pinsOf);
  const opaque = opaqueHere || children.some((c) => c.opaque);
  const withSelectors = children.filter((c) => c.selectors > 0);
  const selectors = withSelectors.reduce((sum, c) => sum + c.selectors, 0);
  const values = new Map<string, string | null>();
  const [first, ...rest] = withSelectors;
  for (const [label, value] of first?.values ?? []) {
    if (!rest.every((c) => c.values.has(label))) continue;
    values.set(label, value !== null && rest.every((c) => c.values.get(label) === value) ? value : null);
  }
  return { opaque, selectors, values };
});

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
    scope: 'facts',
    summary: 'A binary operation whose sides can never match, so it never returns anything, or a ratio that divides each series by itself.',
  },
  check({ model, analysis, report }) {
    for (const query of queriesOf(model, analysis)) {
      const found = mismatches(query.expr, query.parsed, analysis.knowledge);
      for (const { node, message } of found) report(problemIn(query, node.opRange, message));
      const reported = new Set<Expr>(found.map((f) => f.node));
      walk(query.expr, (node) => {
        if (node.kind !== 'binary' || reported.has(node)) return;
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
