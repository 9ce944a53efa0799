import type { AlertmanagerModel } from '../../model/project-model.js';
import { presence, type LabelSet } from '../../promql/labels.js';
import { isMap, matchersOf, routesOf, satisfies, type RouteMatcher } from '../alertmanager.js';
import { defineRule } from '../types.js';
import type { Problem } from '../problem.js';
import { alertsOf, promqlOf, type RuleVisit } from '../walk.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

interface AlertLabels {
  visit: RuleVisit;
  /** Labels with a known value (static labels and the alert name). */
  fixed: Record<string, string>;
  /** Labels from the expression, values unknown. */
  dynamic: LabelSet | undefined;
}

/** Whether an alert surely matches (true), surely does not (false) or may match (undefined). */
function matches(alert: AlertLabels, matchers: readonly RouteMatcher[]): boolean | undefined {
  let result: boolean | undefined = true;
  for (const matcher of matchers) {
    const fixed = alert.fixed[matcher.label];
    let outcome: boolean | undefined;
    if (fixed !== undefined && !fixed.includes('{{')) outcome = satisfies(matcher, fixed);
    else if (fixed !== undefined) outcome = undefined;
    else if (!alert.dynamic || presence(alert.dynamic, matcher.label) !== 'no') outcome = undefined;
    else outcome = satisfies(matcher, '');
    if (outcome === false) return false;
    if (outcome === undefined) result = undefined;
  }
  return result;
}

function mayCarry(alerts: readonly AlertLabels[], label: string): boolean {
  return label === 'alertname' || alerts.some((a) => a.fixed[label] !== undefined || !a.dynamic || presence(a.dynamic, label) !== 'no');
}

export default defineRule({
  meta: {
    id: 'label/route-unmatched',
    defaultSeverity: 'warning',
    scope: 'project',
    summary: 'An alert only the root route catches, or a route matcher, `group_by` or inhibit label that no alert carries.',
  },
  check({ model, analysis, report }) {
    if (model.alertmanagers.length === 0) return;
    const everyAlert: AlertLabels[] = alertsOf(model.ruleGroups).map((visit) => {
      const expr = promqlOf(analysis, visit.rule);
      return { visit, fixed: { ...visit.group.labels, ...visit.rule.labels, alertname: visit.name }, dynamic: expr ? analysis.labels(expr) : undefined };
    });
    for (const am of model.alertmanagers) {
      // A config in TS routes the alerts of its own system; a file routes every alert linted with it.
      const alerts = am.from === 'ts' ? everyAlert.filter((a) => a.visit.group.system === am.system) : everyAlert;
      if (alerts.length === 0) continue;
      const routes = routesOf(am.config);
      const root = routes[0];
      if (!root) continue;
      const children = routes.filter((r) => r.depth === 1);
      const receiver = typeof root.route.receiver === 'string' ? root.route.receiver : '(none)';
      if (children.length > 0) {
        for (const alert of alerts) {
          if (children.some((child) => matches(alert, child.matchers) !== false)) continue;
          report({
            in: alert.visit.group,
            at: alert.visit.rule.labels ? pointerUnder(alert.visit.at, 'labels') : alert.visit.at,
            subject: alert.visit.name,
            message: `no route of ${displayName(am)} matches this alert (labels ${
              Object.entries(alert.fixed)
                .filter(([k]) => k !== 'alertname')
                .map(([k, v]) => `${k}=${v}`)
                .join(', ') || 'none'
            }), so only the root route's receiver "${receiver}" gets it`,
          });
        }
      }
      for (const { matchers } of routes.slice(1)) unknownLabels(matchers, alerts, am, 'route matcher', report);
      for (const { route, at } of routes) {
        if (!Array.isArray(route.group_by)) continue;
        route.group_by.forEach((label, i) => {
          if (typeof label !== 'string' || label === '...' || mayCarry(alerts, label)) return;
          report({ in: am, at: pointerUnder(at, 'group_by', i), subject: `route ${at}`, message: `group_by \`${label}\`: no alert carries this label, so it groups nothing` });
        });
      }
      const inhibits = am.config.inhibit_rules;
      if (Array.isArray(inhibits)) {
        inhibits.forEach((rule, i) => {
          if (!isMap(rule)) return;
          const at = pointer('inhibit_rules', i);
          unknownLabels([...matchersOf(rule, at, 'source_'), ...matchersOf(rule, at, 'target_')], alerts, am, 'inhibit matcher', report);
          if (Array.isArray(rule.equal)) {
            rule.equal.forEach((label, j) => {
              if (typeof label === 'string' && !mayCarry(alerts, label)) {
                report({ in: am, at: pointerUnder(at, 'equal', j), subject: `inhibit rule ${i + 1}`, message: `equal \`${label}\`: no alert carries this label, so the rule compares empty values` });
              }
            });
          }
        });
      }
    }
  },
});

function unknownLabels(matchers: readonly RouteMatcher[], alerts: readonly AlertLabels[], am: AlertmanagerModel, what: string, report: (problem: Problem) => void): void {
  for (const matcher of matchers) {
    if (mayCarry(alerts, matcher.label)) continue;
    report({ in: am, at: matcher.at, subject: `${what} ${matcher.label}${matcher.op}"${matcher.value}"`, message: `${what} on \`${matcher.label}\`: no alert carries this label` });
  }
}

function displayName(am: AlertmanagerModel): string {
  return am.from === 'ts' ? `the ${am.system} Alertmanager` : 'the Alertmanager config';
}
