import type { SloModel } from '../../model/project-model.js';
import { walk } from '../../promql/ast.js';
import { foldConstant, quantityOf } from '../../promql/units.js';
import type { VectorSelector } from '../../promql/ast.js';
import { percent, sameSeries, sliMetrics, type GoverningAlert } from '../slo-analysis.js';
import { defineRule } from '../types.js';
import { panelSubject, panelsOf, targetsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 0.01 * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

export default defineRule({
  meta: { id: 'slo/dashboard-threshold', defaultSeverity: 'warning', scope: 'project', summary: "A panel showing an SLO's SLI draws thresholds that match neither the SLO nor its alerts." },
  check({ model, analysis, report }) {
    if (model.slos.length === 0) return;
    const governing = analysis.governingAlerts;
    for (const dashboard of model.dashboards) {
      if (dashboard.generated) continue;
      const panels = new Map(panelsOf(dashboard).map((v) => [v.at, v.panel]));
      const done = new Set<string>();
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql' || done.has(target.panelAt)) continue;
        const panel = panels.get(target.panelAt)!;
        const steps = ((panel.fieldConfig?.defaults as { thresholds?: { steps?: Array<{ value: number | null }> } } | undefined)?.thresholds?.steps ?? [])
          .map((s) => s.value)
          .filter((v): v is number => typeof v === 'number');
        if (steps.length === 0) continue;
        const expr = analysis.parse(target.parseable).expr;
        if (!expr) continue;
        const selectors: VectorSelector[] = [];
        walk(expr, (n) => {
          const sel = n.kind === 'vector' ? n : n.kind === 'matrix' ? n.selector : undefined;
          if (sel?.name) selectors.push(sel);
        });
        for (const slo of model.slos) {
          if (slo.from === 'ts' && dashboard.from === 'ts' && slo.system !== dashboard.system) continue;
          const metrics = new Set(sliMetrics(slo));
          const reading = selectors.filter((sel) => metrics.has(sel.name!));
          if (reading.length === 0 || !sameSeries(slo, reading)) continue;
          const expected = expectedThresholds(slo, expr, governing.get(slo) ?? []);
          if (!expected) continue;
          const scale = expected.scale;
          if (steps.some((s) => expected.values.some((v) => near(s / scale, v)))) continue;
          done.add(target.panelAt);
          report({
            in: dashboard,
            at: pointerUnder(target.panelAt, 'fieldConfig', 'defaults', 'thresholds'),
            subject: panelSubject(dashboard, panel),
            message: `this panel shows the SLI of SLO ${slo.name} but draws thresholds at ${steps.join(', ')}, while ${expected.says}: readers will misjudge when the SLO is at risk`,
            related: [{ message: 'the query', in: dashboard, at: target.at }],
          });
          break;
        }
      }
    }
  },
});

/** The values a panel of this query should draw (in the query's own unit, via `scale`). */
function expectedThresholds(slo: SloModel, expr: import('../../promql/ast.js').Expr, alerts: GoverningAlert[]): { values: number[]; scale: number; says: string } | undefined {
  const quantity = quantityOf(expr);
  if (slo.sli.kind === 'latency') {
    let q: number | undefined;
    walk(expr, (n) => {
      if (n.kind === 'call' && n.func === 'histogram_quantile') q = foldConstant(n.args[0]!);
    });
    if (q === undefined || quantity.dimension !== 'time') return undefined;
    const leaves = alerts.flatMap((a) => a.conjuncts.flat()).filter((l) => l.kind === 'quantile');
    const shown = (seconds: number) => `${+(seconds * quantity.scale).toPrecision(4)}`;
    const alertValues = [...new Set(leaves.map((l) => shown(l.threshold)))];
    return {
      values: [slo.sli.thresholdSeconds, ...leaves.map((l) => l.threshold)],
      scale: quantity.scale,
      says: `SLO ${slo.name} sets ${shown(slo.sli.thresholdSeconds)}${alertValues.length ? ` and its alerts fire at ${alertValues.join(', ')}` : ''} (in this panel's unit)`,
    };
  }
  if (quantity.dimension !== 'ratio' || !quantity.fraction) return undefined;
  const budget = 1 - slo.objective;
  const thetas = alerts.flatMap((a) => a.conjuncts.flat()).flatMap((l) => (l.kind === 'ratio' ? [l.threshold] : []));
  // Shown as errors (budget, alert thresholds) or as successes (objective, 1 − thresholds): either is right.
  const alertValues = [...new Set(thetas.map((t) => percent(t)))];
  return {
    values: [budget, ...thetas, slo.objective, ...thetas.map((t) => 1 - t)],
    scale: quantity.scale,
    says: `SLO ${slo.name} allows ${percent(budget)} errors${alertValues.length ? ` and its alerts fire at ${alertValues.join(', ')}` : ''}`,
  };
}
