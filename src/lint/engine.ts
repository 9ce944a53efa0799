import type { LintConfig } from '../model/config.js';
import type { Diagnostic, RelatedInformation } from '../model/diagnostic.js';
import type { ProjectModel, ScopedSuppression } from '../model/project-model.js';
import type { Suppression } from '../model/suppression.js';
import { Analysis } from './analysis.js';
import { ALL_RULES } from './rules/index.js';
import type { LintSettings } from './settings.js';
import type { LintRule } from './types.js';
import type { Container, Problem } from './problem.js';

export const UNUSED_SUPPRESSION = 'lint/unused-suppression';

/** Runs every enabled rule over the model; applies severities from config and suppressions. */
export function lint(model: ProjectModel, config: LintConfig, settings: LintSettings, rules: readonly LintRule[] = ALL_RULES): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // Keyed by the suppression itself: a file-wide comment is shared by every group of its file.
  const used = new Map<Suppression, Set<string>>();
  const analysis = new Analysis(model, settings);
  const timings = process.env.MONCODE_TIMINGS ? new Map<string, number>() : undefined;
  for (const rule of rules) {
    const configured = config.rules?.[rule.meta.id];
    if (configured === 'off') continue;
    const severity = configured ?? rule.meta.defaultSeverity;
    const started = timings ? performance.now() : 0;
    rule.check({
      model,
      settings,
      analysis,
      report(problem: Problem) {
        const scoped = suppressionFor(problem.in, problem.at, rule.meta.id);
        if (scoped) {
          const ids = used.get(scoped.suppression) ?? new Set<string>();
          ids.add(rule.meta.id);
          used.set(scoped.suppression, ids);
          return;
        }
        diagnostics.push({
          rule: rule.meta.id,
          severity,
          message: problem.message,
          where: problem.in.locator.get(problem.at),
          within: problem.within,
          subject: problem.subject,
          related: problem.related
            ?.map((r): RelatedInformation | undefined => {
              const where = r.in.locator.get(r.at);
              return where ? { message: r.message, where, within: r.within } : undefined;
            })
            .filter((r): r is RelatedInformation => r !== undefined),
          scope: problem.in.locator.get(scopeOf(problem.at)),
        });
      },
    });
    timings?.set(rule.meta.id, Math.round(performance.now() - started));
  }
  if (timings) process.stderr.write(`${JSON.stringify({ lintRuleTimings: Object.fromEntries([...timings].sort((a, b) => b[1] - a[1])) })}\n`);

  const enabled = new Set(rules.filter((r) => config.rules?.[r.meta.id] !== 'off').map((r) => r.meta.id));
  const judged = new Set<Suppression>();
  for (const container of [...model.dashboards, ...model.ruleGroups, ...model.alertmanagers, ...model.slos]) {
    for (const scoped of container.suppressions) {
      if (judged.has(scoped.suppression)) continue;
      judged.add(scoped.suppression);
      const where = scoped.where ?? container.locator.get(scoped.pointer);
      const silenced = used.get(scoped.suppression);
      for (const id of scoped.suppression.disable) {
        if (enabled.has(id) && !silenced?.has(id)) {
          diagnostics.push({ rule: UNUSED_SUPPRESSION, severity: 'warning', message: `suppression of ${id} silences nothing here: remove it`, where });
        }
      }
      if (!scoped.suppression.reason?.trim()) {
        diagnostics.push({ rule: UNUSED_SUPPRESSION, severity: 'warning', message: 'a suppression needs a reason: `-- why` in YAML, `reason` in TS', where });
      }
    }
  }
  return diagnostics;
}

function suppressionFor(container: Container, at: string, id: string): ScopedSuppression | undefined {
  if (!('suppressions' in container)) return undefined;
  let found: ScopedSuppression | undefined;
  for (const scoped of container.suppressions) {
    if (!scoped.suppression.disable.includes(id as never)) continue;
    if (scoped.pointer === '' || at === scoped.pointer || at.startsWith(`${scoped.pointer}/`)) {
      if (!found || scoped.pointer.length > found.pointer.length) found = scoped;
    }
  }
  return found;
}

/** The rule or panel a pointer is inside: `/rules/3/expr` → `/rules/3`. */
function scopeOf(at: string): string {
  const rule = /^\/rules\/\d+/.exec(at);
  if (rule) return rule[0];
  const panel = /^\/panels\/\d+(?:\/panels\/\d+)?/.exec(at);
  return panel ? panel[0] : at;
}
