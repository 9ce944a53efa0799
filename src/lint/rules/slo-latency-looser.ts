import { defineRule } from '../types.js';
import { pointerUnder } from '../../model/pointer.js';

function ms(seconds: number): string {
  return seconds < 1 ? `${+(seconds * 1000).toPrecision(4)}ms` : `${+seconds.toPrecision(4)}s`;
}

function p(quantile: number): string {
  return `p${+(quantile * 100).toPrecision(4)}`;
}

/** Off by a power of a thousand: promql/unit-mismatch reports those. */
function unitSlip(a: number, b: number): boolean {
  return [1e3, 1e-3, 1e6, 1e-6].some((f) => Math.abs(a - b * f) <= 0.01 * Math.abs(a));
}

export default defineRule({
  meta: { id: 'slo/latency-looser', defaultSeverity: 'error', scope: 'project', summary: 'A latency alert whose quantile or threshold lets violations of its latency SLO go unalerted.' },
  check({ model, analysis, report }) {
    for (const slo of model.slos) {
      if (slo.sli.kind !== 'latency') continue;
      const target = slo.sli.thresholdSeconds;
      const quantile = slo.objective;
      for (const alert of analysis.governingAlerts.get(slo) ?? []) {
        if (alert.generated) continue;
        for (const leaf of alert.conjuncts.flat()) {
          if (leaf.kind !== 'quantile' || unitSlip(leaf.threshold, target)) continue;
          const looserThreshold = leaf.threshold > target * (1 + 1e-9) && leaf.quantile <= quantile + 1e-9;
          const lowerQuantile = leaf.quantile < quantile - 1e-9 && leaf.threshold >= target * (1 - 1e-9);
          if (!looserThreshold && !lowerQuantile) continue;
          const { visit } = alert;
          report({
            in: visit.group,
            at: pointerUnder(visit.at, 'expr'),
            within: { value: visit.rule.expr, from: leaf.node.from, to: leaf.node.to },
            subject: visit.name,
            message: looserThreshold
              ? `${p(leaf.quantile)} > ${ms(leaf.threshold)} lets ${p(quantile)} sit anywhere between ${ms(target)} and ${ms(leaf.threshold)} — breaking SLO ${slo.name} (${p(quantile)} ≤ ${ms(target)}) — without firing; alert at ${ms(target)}`
              : `alerts on ${p(leaf.quantile)}, a lower quantile than SLO ${slo.name}'s ${p(quantile)}: the slowest ${+((1 - leaf.quantile) * 100).toPrecision(3)}% can exceed ${ms(target)} — breaking the SLO — while ${p(leaf.quantile)} stays under ${ms(leaf.threshold)}; alert on ${p(quantile)}`,
          });
        }
      }
    }
  },
});
