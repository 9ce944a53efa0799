import { formatNumber } from '../../promql/units.js';
import { impliedBurn, percent } from '../slo-analysis.js';
import { defineRule } from '../types.js';
import { pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: {
    id: 'slo/threshold-unreachable',
    defaultSeverity: 'error',
    scope: 'project',
    summary: 'An alert on an SLO that can never fire: an error-ratio threshold of 1 or more, or a burn factor the objective cannot reach.',
  },
  check({ model, analysis, report }) {
    for (const slo of model.slos) {
      const budget = 1 - slo.objective;
      slo.tiers.forEach((tier) => {
        if (tier.burn * budget < 1) return;
        report({
          in: slo,
          at: '/alerting',
          subject: `SLO ${slo.name}`,
          message: `the ${tier.tier} alert's ${tier.burn}× burn needs an error ratio of ${+(tier.burn * budget).toPrecision(4)}, more than every request failing (a ${percent(slo.objective)} objective leaves a ${percent(budget)} budget, so a full outage burns at most ${+(1 / budget).toPrecision(4)}×): it can never fire; a ${tier.burn}× burn needs an objective of at least ${percent(1 - 1 / tier.burn)}`,
        });
      });
      for (const governing of analysis.governingAlerts.get(slo) ?? []) {
        if (governing.generated) continue;
        for (const leaf of governing.conjuncts.flat()) {
          if (leaf.kind !== 'ratio' || leaf.threshold < 1) continue;
          const { visit } = governing;
          report({
            in: visit.group,
            at: pointerUnder(visit.at, 'expr'),
            within: { value: visit.rule.expr, from: leaf.node.from, to: leaf.node.to },
            subject: visit.name,
            message: `compares the error ratio of SLO ${slo.name} with ${formatNumber(leaf.threshold)}: a ratio never exceeds 1, so the alert can never fire (an implied burn of ${+impliedBurn(slo, leaf).toPrecision(4)}× against at most ${+(1 / budget).toPrecision(4)}× for a full outage)`,
          });
        }
      }
    }
  },
});
