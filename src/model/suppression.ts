/** Every lint rule id moncode knows (DESIGN §5, and the additions docs/rules lists). Kept equal to the rule registry by a test. */
export const LINT_RULE_IDS = [
  'promql/syntax',
  'label/template-missing',
  'label/template-value',
  'label/unknown',
  'label/vector-mismatch',
  'label/required',
  'label/route-unmatched',
  'runbook/missing',
  'runbook/unresolved',
  'alert/annotation-missing',
  'alert/no-condition',
  'alert/for-missing',
  'promql/unit-mismatch',
  'promql/counter-rate',
  'promql/range-too-short',
  'promql/quantile-le',
  'record/naming',
  'rule/duplicate',
  'slo/latency-looser',
  'slo/budget-uncovered',
  'slo/detection-time',
  'slo/threshold-unreachable',
  'slo/low-precision',
  'slo/unlinked',
  'slo/dashboard-threshold',
  'dashboard/undefined-variable',
  'dashboard/unused-variable',
  'dashboard/grid',
  'dashboard/duplicate-uid',
  'dashboard/datasource',
  'dashboard/deprecated-panel',
  'dashboard/unit-missing',
  'secret/literal',
  'template/syntax',
  'promql/target',
  'label/invalid-name',
] as const;

/**
 * The id of one of moncode's lint rules (`promql/range-too-short`), as suppressions, `--rule` and `lint.rules` name it.
 */
export type LintRuleId = (typeof LINT_RULE_IDS)[number];

/**
 * Turns rules off for one object, with the reason written down.
 * A suppression that silences nothing is itself reported.
 */
export interface Suppression {
  disable: readonly LintRuleId[];
  reason: string;
}

export interface Suppressible {
  /** Disable lint rules for this object (and what it contains). */
  lint?: Suppression;
}
