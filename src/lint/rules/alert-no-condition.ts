import { COMPARISON_OPS, memoisedOverTree, type Expr } from '../../promql/ast.js';
import type { Analysis } from '../analysis.js';
import { defineRule } from '../types.js';
import { alertsOf, promqlOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** Series that exist only while something is wrong: Prometheus' own alert state. */
const ALERT_STATE = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/**
 * Whether the query can return nothing while its series exist: a comparison
 * (not `bool`), a set filter (`and`, `unless`), `absent()`, or a recorded
 * series whose own query has one. `vector(…)` counts: an alert on a constant
 * is a deliberate heartbeat (a Watchdog).
 */
function hasCondition(expr: Expr, analysis: Analysis, depth = 0): boolean {
  // Memoised bottom-up for this call: the stack stays shallow however long the chain of operators.
  const decide: (node: Expr) => boolean = memoisedOverTree((node: Expr): boolean => {
    switch (node.kind) {
      case 'binary':
        if (COMPARISON_OPS.has(node.op) && !node.bool) return true;
        if (node.op === 'and' || node.op === 'unless') return true;
        if (node.op === 'or') return decide(node.lhs) && decide(node.rhs);
        return decide(node.lhs) || decide(node.rhs);
      case 'paren':
      case 'unary':
      case 'subquery':
      case 'aggregate':
        return decide(node.expr);
      case 'call':
        if (['absent', 'absent_over_time', 'vector'].includes(node.func)) return true;
        return node.args.some((arg) => decide(arg));
      case 'vector': {
        if (!node.name) return false;
        if (ALERT_STATE.has(node.name)) return true;
        if (depth >= 3) return false;
        return analysis.producersOf(node.name).some((producer) => {
          const inner = analysis.parse(producer.expr).expr;
          return inner !== undefined && hasCondition(inner, analysis, depth + 1);
        });
      }
      default:
        return false;
    }
  });
  return decide(expr);
}

export default defineRule({
  meta: { id: 'alert/no-condition', defaultSeverity: 'warning', scope: 'facts', summary: 'An alert whose query has no condition, so it fires whenever its series exist.' },
  check({ model, analysis, report }) {
    for (const { group, rule, at, name } of alertsOf(model.ruleGroups)) {
      if (group.generatedFrom) continue;
      const expr = promqlOf(analysis, rule);
      if (!expr || hasCondition(expr, analysis)) continue;
      report({
        in: group,
        at: pointerUnder(at, 'expr'),
        subject: name,
        message: 'the query has no condition (no comparison, `and`/`unless` or `absent()`), so the alert fires for every series it returns, all the time: compare it with a threshold, e.g. `… > 0`',
      });
    }
  },
});
