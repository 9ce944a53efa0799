import { defineRule } from '../types.js';
import { panelSubject, rulesOf, targetsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: { id: 'promql/syntax', defaultSeverity: 'error', scope: 'container', summary: 'An expression does not parse, or uses a function or operand Prometheus would reject.' },
  check({ model, analysis, report, settings }) {
    for (const { group, rule, at, name } of rulesOf(model.ruleGroups)) {
      // A Loki system's rules are LogQL: the build reports an expression Loki cannot parse (definition/invalid).
      if (rule.mechanical || settings.prometheus(group.system).flavor === 'loki') continue;
      const { error } = analysis.parse(rule.expr);
      if (!error || analysis.isLogql(rule.expr)) continue;
      report({ in: group, at: pointerUnder(at, 'expr'), within: { value: rule.expr, from: error.from, to: Math.max(error.to, error.from + 1) }, subject: name, message: `PromQL: ${error.message}` });
    }
    for (const dashboard of model.dashboards) {
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql') continue;
        const { error } = analysis.parse(target.parseable);
        if (!error || (target.language === undefined && analysis.isLogql(target.parseable))) continue;
        report({
          in: dashboard,
          at: target.at,
          within: { value: target.expr, from: error.from, to: Math.max(error.to, error.from + 1) },
          subject: panelSubject(dashboard, target.panel),
          message: `PromQL: ${error.message}`,
        });
      }
    }
  },
});
