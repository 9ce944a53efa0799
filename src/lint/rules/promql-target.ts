import { promqlTargetFaults } from '../../promql/target.js';
import { WINDOW_PLACEHOLDER } from '../../slo/normalize.js';
import { pointerUnder } from '../../model/pointer.js';
import type { SloModel } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { panelSubject, rulesOf, targetsOf } from '../walk.js';

export default defineRule({
  meta: {
    id: 'promql/target',
    defaultSeverity: 'error',
    scope: 'container',
    summary: "A query uses a PromQL function or syntax the target's Prometheus version or feature flags do not have.",
  },
  check({ model, analysis, settings, report }) {
    const faultsFor = (system: string, text: string) => {
      const { version, flavor, features } = settings.prometheus(system);
      // Mimir's query engine is versioned apart from Prometheus', and a Loki system runs LogQL.
      if (flavor !== 'prometheus') return [];
      const suffix = `; the target is Prometheus ${version}${features.length ? ` with ${features.join(', ')}` : ''} (set prometheus.version / prometheus.features in mon.config.ts)`;
      return promqlTargetFaults(text, { version, features }).map((fault) => ({ ...fault, message: `${fault.message}${suffix}` }));
    };
    // Rules of TS definitions are checked as they compile (definition/unsupported); SLO rules are checked at their SLO.
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      if (group.from === 'ts' || group.generatedFrom || rule.mechanical || analysis.isLogql(rule.expr)) continue;
      for (const fault of faultsFor(group.system, rule.expr)) {
        report({ in: group, at: pointerUnder(at, 'expr'), within: { value: rule.expr, from: fault.from, to: Math.max(fault.to, fault.from + 1) }, subject: name, message: fault.message });
      }
    }
    for (const dashboard of model.dashboards) {
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql' || (target.language === undefined && analysis.isLogql(target.parseable))) continue;
        for (const fault of faultsFor(dashboard.system, target.parseable)) {
          report({
            in: dashboard,
            at: target.at,
            within: { value: target.expr, from: fault.from, to: Math.max(fault.to, fault.from + 1) },
            subject: panelSubject(dashboard, target.panel),
            message: fault.message,
          });
        }
      }
    }
    for (const slo of model.slos) {
      for (const query of sloQueries(slo)) {
        for (const fault of faultsFor(slo.system, query.text)) {
          report({ in: slo, at: '/sli', subject: slo.name, message: `${query.role}: ${fault.message}` });
        }
      }
    }
  },
});

/** The PromQL an SLO's rules are made of, as its author wrote it (a window placeholder stands for a range). */
function sloQueries(slo: SloModel): Array<{ role: string; text: string }> {
  const withWindow = (text: string) => text.replace(new RegExp(WINDOW_PLACEHOLDER.source, 'g'), '5m');
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio':
      return [
        { role: 'the SLI total', text: sli.total },
        ...(sli.errors ? [{ role: 'the SLI errors', text: sli.errors }] : []),
        ...(sli.good ? [{ role: 'the SLI good events', text: sli.good }] : []),
      ];
    case 'latency':
      return [{ role: 'the SLI histogram', text: `${sli.metric}_bucket{${sli.matchers}}` }];
    case 'events':
      return [
        { role: 'the SLI error query', text: withWindow(sli.errorQuery) },
        { role: 'the SLI total query', text: withWindow(sli.totalQuery) },
      ];
    case 'raw':
      return [{ role: 'the SLI error ratio', text: withWindow(sli.errorRatio) }];
  }
}
