import { parseDuration, readableDuration } from '../../model/duration.js';
import type { RuleVisit } from '../walk.js';
import { errorRatioOf, type Leaf } from '../slo-analysis.js';
import { defineRule } from '../types.js';
import { pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: {
    id: 'slo/budget-uncovered',
    defaultSeverity: 'error',
    scope: 'project',
    summary: 'The alerts of an SLO leave a band of sustained burn rates above 1× that never fires: the budget can run out silently.',
  },
  check({ model, analysis, report }) {
    for (const slo of model.slos) {
      const governing = analysis.governingAlerts.get(slo) ?? [];
      const periodMs = parseDuration(slo.period)!;
      const budget = 1 - slo.objective;
      let slowest: { burn: number; visit: RuleVisit; leaf: Leaf } | undefined;
      for (const alert of governing) {
        for (const conjunct of alert.conjuncts) {
          // A conjunct fires on a sustained burn b when b exceeds every leaf's implied burn.
          let need = 0;
          let decisive: Leaf | undefined;
          let usable = true;
          for (const leaf of conjunct) {
            const ratio = errorRatioOf(leaf, slo);
            if (ratio === undefined || leaf.windowMs > periodMs) {
              usable = false;
              break;
            }
            if (ratio / budget > need || (ratio / budget === need && decisive && leaf.windowMs > decisive.windowMs)) {
              need = ratio / budget;
              decisive = leaf;
            }
          }
          if (!usable || !decisive) continue;
          if (!slowest || need < slowest.burn) slowest = { burn: need, visit: alert.visit, leaf: decisive };
        }
      }
      if (!slowest || slowest.burn <= 1 + 1e-9) continue;
      const burn = +slowest.burn.toPrecision(4);
      const fullOutage = 1 / budget;
      const window = slowest.leaf.windowMs ? ` over ${readableDuration(slowest.leaf.windowMs, 'short').replace(' ', '')}` : '';
      const fix = `add a ticket alert at 1× over a long window (the SRE Workbook's 3d/6h pair)`;
      report({
        in: slo,
        // Without alert tiers, the SLO's name: a span over the whole document says nothing.
        at: slo.tiers.length > 0 ? '/alerting' : '/name',
        subject: `SLO ${slo.name}`,
        message:
          slowest.burn >= fullOutage - 1e-9
            ? `no alert can fire at any burn: the one needing the least, ${slowest.visit.name}, needs ${burn}× (an error ratio of ${+(slowest.burn * budget).toPrecision(4)}), ` +
              `but a full outage burns at most ${+fullOutage.toPrecision(4)}×; a full outage empties the ${slo.period} budget in ${readableDuration(periodMs / fullOutage, 'short')} and nobody is told. ${fix[0]!.toUpperCase()}${fix.slice(1)}, and page at a burn the objective can reach`
            : `no alert fires on a sustained burn between 1× and ${burn}×: at ${burn}× (an error ratio of ${+(slowest.burn * budget).toPrecision(4)}) ` +
              `the ${slo.period} budget is gone in ${readableDuration(periodMs / slowest.burn, 'short')} and nobody is told. The slowest burn any alert catches is ${slowest.visit.name}'s ${burn}×${window}; ${fix}`,
        related: [{ message: `${slowest.visit.name} needs a ${burn}× burn`, in: slowest.visit.group, at: pointerUnder(slowest.visit.at, 'expr') }],
      });
    }
  },
});
