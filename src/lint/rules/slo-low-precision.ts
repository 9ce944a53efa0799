import { parseDuration, readableDuration } from '../../model/duration.js';
import { errorRatioOf, percent } from '../slo-analysis.js';
import { defineRule } from '../types.js';
import { pointerUnder } from '../../model/pointer.js';

/** Severities that page someone; other alerts are tickets. */
const PAGING = new Set(['critical', 'page']);
/** The least budget one firing should stand for (research/slo.md §6.3 R2). */
const FLOOR = { page: 0.001, ticket: 0.0001 } as const;

export default defineRule({
  meta: { id: 'slo/low-precision', defaultSeverity: 'warning', scope: 'project', summary: 'An alert on an SLO that fires on error bursts spending a negligible part of the budget: noise, not risk.' },
  check({ model, analysis, report }) {
    const governing = analysis.governingAlerts;
    for (const slo of model.slos) {
      const periodMs = parseDuration(slo.period)!;
      const budget = 1 - slo.objective;
      for (const alert of governing.get(slo) ?? []) {
        if (alert.generated) continue;
        const severity = alert.visit.rule.labels?.severity;
        if (severity === 'info' || severity === 'none') continue;
        const kind = severity !== undefined && PAGING.has(severity) ? 'page' : 'ticket';
        // The smallest firing: every leaf of a conjunct needs θ·N_w errors in its window w, so
        // the conjunct spends at least max(burn × window) / period of the budget.
        let cheapest: { share: number; burn: number; windowMs: number } | undefined;
        for (const conjunct of alert.conjuncts) {
          let decisive: { share: number; burn: number; windowMs: number } | undefined;
          for (const leaf of conjunct) {
            const ratio = errorRatioOf(leaf, slo);
            if (ratio === undefined || leaf.windowMs === 0) {
              decisive = undefined;
              break;
            }
            const share = ((ratio / budget) * leaf.windowMs) / periodMs;
            if (!decisive || share > decisive.share) decisive = { share, burn: ratio / budget, windowMs: leaf.windowMs };
          }
          if (decisive && (!cheapest || decisive.share < cheapest.share)) cheapest = decisive;
        }
        if (!cheapest || cheapest.share >= FLOOR[kind]) continue;
        const firings = Math.floor(periodMs / cheapest.windowMs);
        report({
          in: alert.visit.group,
          at: pointerUnder(alert.visit.at, 'expr'),
          subject: alert.visit.name,
          message:
            `fires on an error burst that spends only ${percent(cheapest.share)} of SLO ${slo.name}'s ${slo.period} budget (${+cheapest.burn.toPrecision(4)}× over ${readableDuration(cheapest.windowMs, 'short')}), ` +
            `so it can ${kind === 'page' ? 'page' : 'open a ticket'} up to ${firings.toLocaleString('en-US')} times in ${slo.period} while the SLO is never at risk; ` +
            `${kind === 'page' ? 'page on a fast burn over a longer window, as the SRE Workbook does: 14.4× over 1h and 5m (2% of the budget)' : 'raise the window or the burn factor: the Workbook tickets at 3× over 1d, 1× over 3d'}`,
        });
      }
    }
  },
});
