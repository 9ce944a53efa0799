import type { LintConfig } from '../model/config.js';
import type { Diagnostic, RelatedInformation } from '../model/diagnostic.js';
import type { ScopedSuppression } from '../model/project-model.js';
import { ALL_RULES } from './rules/index.js';
import type { Container, LintModel, LintRule, Problem } from './types.js';

export const UNUSED_SUPPRESSION = 'lint/unused-suppression';

/** Runs every enabled rule over the model; applies severities from config and suppressions. */
export function lint(model: LintModel, config: LintConfig, rules: readonly LintRule[] = ALL_RULES): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const used = new Map<ScopedSuppression, Set<string>>();
  for (const rule of rules) {
    const configured = config.rules?.[rule.meta.id];
    if (configured === 'off') continue;
    const severity = configured ?? rule.meta.defaultSeverity;
    rule.check({
      model,
      config,
      report(problem: Problem) {
        const suppression = suppressionFor(problem.in, problem.at, rule.meta.id);
        if (suppression) {
          const ids = used.get(suppression) ?? new Set<string>();
          ids.add(rule.meta.id);
          used.set(suppression, ids);
          return;
        }
        diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: problem.message,
          where: problem.where ?? problem.in.locator.get(problem.at),
          subject: problem.subject,
          related: problem.related?.map((r): RelatedInformation => ('in' in r ? { message: r.message, where: r.in.locator.get(r.at)! } : r)).filter((r) => r.where),
        });
      },
    });
  }
  const enabled = new Set(rules.filter((r) => config.rules?.[r.meta.id] !== 'off').map((r) => r.meta.id));
  for (const container of [...model.dashboards, ...model.ruleGroups]) {
    for (const scoped of container.suppressions) {
      const silenced = used.get(scoped) ?? new Set();
      for (const id of scoped.suppression.disable) {
        if (silenced.has(id) || !enabled.has(id)) continue;
        diagnostics.push({ rule: UNUSED_SUPPRESSION, severity: 'warning', message: `suppression of ${id} silences nothing here: remove it`, where: scoped.where ?? container.locator.get(scoped.pointer) });
      }
      if (!scoped.suppression.reason?.trim()) {
        diagnostics.push({ rule: UNUSED_SUPPRESSION, severity: 'warning', message: 'a suppression needs a reason', where: scoped.where ?? container.locator.get(scoped.pointer) });
      }
    }
  }
  return diagnostics;
}

function suppressionFor(container: Container, at: string, id: string): ScopedSuppression | undefined {
  let found: ScopedSuppression | undefined;
  for (const scoped of container.suppressions) {
    if (!scoped.suppression.disable.includes(id as never)) continue;
    if (at === scoped.pointer || at.startsWith(`${scoped.pointer}/`) || scoped.pointer === '') {
      if (!found || scoped.pointer.length > found.pointer.length) found = scoped;
    }
  }
  return found;
}
