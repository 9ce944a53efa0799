import { pointerUnder } from '../../model/pointer.js';
import { walk, type Expr } from '../../promql/ast.js';
import type { Analysis } from '../analysis.js';
import { defineRule } from '../types.js';
import { alertsOf, promqlOf } from '../walk.js';

/** Functions whose value moves with every scrape's noise. */
const RATES = new Set(['rate', 'irate', 'increase']);

/**
 * `… > 0`, `… != 0` or `… >= 1`: the alert is on any event at all (a restart, a corrupted WAL),
 * where the first one is the signal and there is no noise to wait out.
 */
function isAnyEvent(expr: Expr): boolean {
  if (expr.kind === 'paren') return isAnyEvent(expr.expr);
  if (expr.kind !== 'binary' || expr.rhs.kind !== 'number') return false;
  return ((expr.op === '>' || expr.op === '!=') && expr.rhs.value === 0) || (expr.op === '>=' && expr.rhs.value === 1);
}

/** A number, or an expression of numbers only (`1024 * 1024`): a division by it converts a unit, it is no ratio. */
function isConstant(expr: Expr): boolean {
  if (expr.kind === 'number') return true;
  if (expr.kind === 'paren' || expr.kind === 'unary') return isConstant(expr.expr);
  if (expr.kind === 'binary') return isConstant(expr.lhs) && isConstant(expr.rhs);
  return false;
}

interface Noisy {
  /** A rate or a ratio of two series was found (here or in a recorded series used). */
  found: boolean;
  /** The range windows of the rates, to tell a multi-window alert. */
  ranges: Set<number>;
  /** Two conditions joined by `and` (the SRE Workbook's multi-window form). */
  joined: boolean;
}

function noiseOf(expr: Expr, analysis: Analysis, into: Noisy, depth = 0): Noisy {
  walk(expr, (node) => {
    if (node.kind === 'call' && RATES.has(node.func)) {
      into.found = true;
      const arg = node.args[0];
      if ((arg?.kind === 'matrix' || arg?.kind === 'subquery') && arg.rangeMs !== undefined) into.ranges.add(arg.rangeMs);
    } else if (node.kind === 'binary' && node.op === '/' && !isConstant(node.lhs) && !isConstant(node.rhs)) {
      into.found = true;
    } else if (node.kind === 'binary' && node.op === 'and') {
      into.joined = true;
    } else if (node.kind === 'vector' && node.name && depth < 3) {
      for (const producer of analysis.producersOf(node.name)) {
        const inner = analysis.parse(producer.expr).expr;
        if (inner) noiseOf(inner, analysis, into, depth + 1);
      }
    }
  });
  return into;
}

export default defineRule({
  meta: {
    id: 'alert/for-missing',
    defaultSeverity: 'info',
    scope: 'facts',
    summary: 'An alert over a rate or a ratio with no `for`, so one evaluation of noise notifies.',
  },
  check({ model, analysis, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      if (group.generatedFrom) continue;
      // An explicit `for: 0s` is a decision, not an omission.
      if (rule.for !== undefined) continue;
      const expr = promqlOf(analysis, rule);
      if (!expr || isAnyEvent(expr)) continue;
      const noise = noiseOf(expr, analysis, { found: false, ranges: new Set(), joined: false });
      // Two windows joined by `and`: the short one already confirms the long one (SRE Workbook ch. 5).
      if (!noise.found || (noise.joined && noise.ranges.size >= 2)) continue;
      report({
        in: group,
        at: pointerUnder(at, 'alert'),
        subject: name,
        message: `the alert is over a rate or a ratio and has no \`for\`: one evaluation's spike notifies, and a flapping value notifies again and again; add \`for:\` (e.g. \`for: 5m\`), or confirm it with a second, shorter window joined by \`and\``,
      });
    }
  },
});
