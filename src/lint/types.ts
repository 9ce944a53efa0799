import type { LintConfig } from '../model/config.js';
import type { DiagnosticSeverity, RelatedInformation } from '../model/diagnostic.js';
import type { DashboardModel, RuleGroupModel } from '../model/project-model.js';
import type { LintRuleId } from '../model/suppression.js';
import type { Where } from '../model/source-location.js';

/** Everything lint rules look at, from TS definitions and YAML/JSON files alike. */
export interface LintModel {
  dashboards: DashboardModel[];
  ruleGroups: RuleGroupModel[];
}

export interface LintRuleMeta {
  id: LintRuleId;
  defaultSeverity: DiagnosticSeverity;
  /** One sentence: what the rule catches. */
  summary: string;
}

/** Anything a problem can sit in: its locator places the pointer, its suppressions may silence it. */
export type Container = DashboardModel | RuleGroupModel;

export interface Problem {
  message: string;
  /** The dashboard or rule group the problem is in, and where inside it. */
  in: Container;
  at: string;
  subject?: string;
  related?: Array<{ message: string; in: Container; at: string } | RelatedInformation>;
  /** Overrides the container's location (for problems about things outside containers). */
  where?: Where;
}

export interface RuleContext {
  model: LintModel;
  config: LintConfig;
  report(problem: Problem): void;
}

export interface LintRule {
  meta: LintRuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: LintRule): LintRule {
  return rule;
}
