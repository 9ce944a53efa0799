import type { DiagnosticSeverity } from '../model/diagnostic.js';
import type { ProjectModel } from '../model/project-model.js';
import type { LintRuleId } from '../model/suppression.js';
import type { Analysis } from './analysis.js';
import type { Problem } from './problem.js';
import type { LintSettings } from './settings.js';

/**
 * What a rule's findings about a container depend on, which decides what an incremental lint may reuse:
 * `container` — that container and the settings of its system; `facts` — also what `Analysis` knows across
 * systems (recording rules, the metric catalog, declared datasources); `project` — other containers
 * themselves (it compares them, or reads what is not in the model, like runbook pages), so it runs over
 * everything at every lint.
 */
export type LintScope = 'container' | 'facts' | 'project';

export interface LintRuleMeta {
  id: LintRuleId;
  defaultSeverity: DiagnosticSeverity;
  scope: LintScope;
  /** One sentence: what the rule catches. */
  summary: string;
  /** The rule's page, relative to the repository root. */
  docs: string;
}

interface RuleContext {
  model: ProjectModel;
  settings: LintSettings;
  analysis: Analysis;
  report(problem: Problem): void;
}

export interface LintRule {
  meta: LintRuleMeta;
  check(context: RuleContext): void;
}

export const DOCS_BASE_URL = 'https://github.com/moncode/moncode/blob/main/';

function ruleDocsPath(id: string): string {
  return `docs/rules/${id.replace('/', '-')}.md`;
}

export function defineRule(rule: { meta: Omit<LintRuleMeta, 'docs'>; check: LintRule['check'] }): LintRule {
  return { ...rule, meta: { ...rule.meta, docs: ruleDocsPath(rule.meta.id) } };
}
