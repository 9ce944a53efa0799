import { memoisedOverTree, unwrap, type Expr } from '../../promql/ast.js';
import { defineRule } from '../types.js';
import { promqlOf, rulesOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

// An empty level (`:node_memory_MemAvailable_bytes:sum`) is how kube-prometheus writes "no labels left".
const NAME = /^([a-zA-Z_][a-zA-Z0-9_]*)?:([a-zA-Z_][a-zA-Z0-9_:]*):([a-zA-Z0-9_]+)$/;

/** The labels an expression keeps through its outermost `by` aggregation (both sides of a ratio must agree). Memoised bottom-up: chains of any length. */
const byLabels: (expr: Expr) => string[] | undefined = memoisedOverTree((expr: Expr): string[] | undefined => {
  const node = unwrap(expr);
  if (node.kind === 'aggregate') return node.grouping?.mode === 'by' ? node.grouping.labels.map((l) => l.name) : node.grouping ? undefined : [];
  if (node.kind === 'binary' && ['/', '*', '+', '-'].includes(node.op)) {
    const left = byLabels(node.lhs);
    const right = byLabels(node.rhs);
    if (left && right && sameSet(left, right)) return left;
    if (left && node.rhs.kind === 'number') return left;
    if (right && node.lhs.kind === 'number') return right;
  }
  if (node.kind === 'call' && node.func === 'histogram_quantile') {
    const inner = byLabels(node.args[1]!);
    return inner?.filter((l) => l !== 'le');
  }
  return undefined;
});

/**
 * Whether a level names exactly these labels, in any order. Underscores are not trusted as
 * separators (`statuscode` for `status_code`, `pod_namespace` for `namespace, pod`), so the
 * level's letters must be the labels' letters, each label appearing in it.
 */
function levelSpells(level: string, labels: readonly string[], implicit: ReadonlySet<string>): boolean {
  const tokens = level.split('_').filter((token) => !implicit.has(token));
  const letters = tokens.join('');
  const wanted = labels.map((l) => l.replace(/_/g, ''));
  if (letters.length !== wanted.reduce((n, l) => n + l.length, 0)) return false;
  let rest = letters;
  for (const label of [...wanted].sort((a, b) => b.length - a.length)) {
    const at = rest.indexOf(label);
    if (at < 0) return false;
    rest = rest.slice(0, at) + rest.slice(at + label.length);
  }
  return rest === '';
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export default defineRule({
  meta: {
    id: 'record/naming',
    defaultSeverity: 'warning',
    scope: 'container',
    summary: 'A recording rule name that is not `level:metric:operations`, or whose level disagrees with its aggregation labels.',
  },
  check({ model, analysis, settings, report }) {
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      // SLO rules keep Sloth's names (`slo:sli_error:ratio_rate5m`, `sloth_slo_info`), which Sloth's dashboards read.
      if (rule.record === undefined || group.generatedFrom || rule.record.startsWith('slo:') || rule.record === 'sloth_slo_info') continue;
      const parts = NAME.exec(rule.record);
      if (!parts) {
        report({
          in: group,
          at: pointerUnder(at, 'record'),
          subject: name,
          message: `\`${rule.record}\` does not follow level:metric:operations (e.g. job:http_requests:rate5m), so readers cannot tell what it aggregates`,
        });
        continue;
      }
      const expr = promqlOf(analysis, rule);
      const kept = expr ? byLabels(expr) : undefined;
      if (!kept) continue;
      // Bucket series keep `le` by nature; conventions leave it out of the level.
      const implicit = new Set([...settings.implicitLevelLabels, ...(parts[2]!.endsWith('_bucket') ? ['le'] : [])]);
      const expected = kept.filter((l) => !implicit.has(l));
      const level = parts[1] ?? '';
      if (!levelSpells(level, expected, implicit)) {
        report({
          in: group,
          at: pointerUnder(at, 'record'),
          subject: name,
          message: `level \`${level}\` does not match the labels the expression keeps (${expected.length ? expected.join(', ') : 'none'}); name it ${expected.length ? expected.join('_') : '(the aggregation level)'}:${parts[2]}:${parts[3]}`,
        });
      }
    }
  },
});
