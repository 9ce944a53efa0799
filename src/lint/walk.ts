import type { DashboardModel, GrafanaPanelJson, ProjectModel, RuleGroupModel, RuleModel } from '../model/project-model.js';
import type { Expr } from '../promql/ast.js';
import { substituteVariables } from '../promql/grafana-vars.js';
import type { ParseResult } from '../promql/parse.js';
import type { Problem } from './problem.js';
import { pointer, pointerUnder } from '../model/pointer.js';

/** Parses PromQL: the lint `Analysis` is one. */
interface PromqlParser {
  parse(text: string): ParseResult;
}

export interface PanelVisit {
  panel: GrafanaPanelJson;
  /** JSON pointer of the panel in its dashboard. */
  at: string;
  /** The row holding it when it is folded inside a collapsed row (or a legacy `rows[]` entry). */
  row?: GrafanaPanelJson;
}

/** Every panel of a dashboard, rows included, also those folded inside collapsed rows and legacy `rows[]`. */
export function panelsOf(dashboard: DashboardModel): PanelVisit[] {
  const visits: PanelVisit[] = [];
  const panels = dashboard.json.panels;
  if (Array.isArray(panels)) {
    panels.forEach((panel, i) => {
      if (!isObject(panel)) return;
      visits.push({ panel, at: pointer('panels', i) });
      if (Array.isArray(panel.panels)) {
        panel.panels.forEach((nested, j) => {
          if (isObject(nested)) visits.push({ panel: nested, at: pointer('panels', i, 'panels', j), row: panel });
        });
      }
    });
  }
  const rows = (dashboard.json as { rows?: unknown }).rows;
  if (Array.isArray(rows)) {
    rows.forEach((row, i) => {
      if (!isObject(row) || !Array.isArray(row.panels)) return;
      row.panels.forEach((nested, j) => {
        if (isObject(nested)) visits.push({ panel: nested, at: pointer('rows', i, 'panels', j), row });
      });
    });
  }
  return visits;
}

export function panelSubject(dashboard: DashboardModel, panel: GrafanaPanelJson): string {
  return `${dashboard.title} / ${typeof panel.title === 'string' && panel.title ? panel.title : `panel ${String(panel.id ?? '?')}`}`;
}

function isObject(value: unknown): value is GrafanaPanelJson {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface RuleVisit {
  group: RuleGroupModel;
  rule: RuleModel;
  index: number;
  /** Pointer of the rule in its group. */
  at: string;
  name: string;
}

/** Every readable rule of the model (placeholders of unreadable rules are skipped). */
export function rulesOf(groups: readonly RuleGroupModel[]): RuleVisit[] {
  const visits: RuleVisit[] = [];
  for (const group of groups) {
    group.rules.forEach((rule, index) => {
      const name = rule.alert ?? rule.record;
      if (!name) return;
      visits.push({ group, rule, index, at: pointer('rules', index), name });
    });
  }
  return visits;
}

export function alertsOf(groups: readonly RuleGroupModel[]): RuleVisit[] {
  return rulesOf(groups).filter((visit) => visit.rule.alert !== undefined);
}

/**
 * The parsed PromQL of a rule, unless it is LogQL, does not parse (promql/syntax reports that),
 * or is an expression moncode generated for an SLO (only its 5m SLI is analysed).
 */
export function promqlOf(analysis: PromqlParser, rule: RuleModel): Expr | undefined {
  if (rule.mechanical) return undefined;
  return analysis.parse(rule.expr).expr;
}

type QueryLanguage = 'promql' | 'logql';

interface TargetVisit {
  panel: GrafanaPanelJson;
  target: Record<string, unknown>;
  expr: string;
  /** Pointer of the query text. */
  at: string;
  panelAt: string;
  language: QueryLanguage | undefined;
  /** The query with Grafana variables replaced by same-length stand-ins, ready to parse. */
  parseable: string;
}

/** Every Prometheus or Loki query of a dashboard, with its language when the datasource tells it. */
export function targetsOf(dashboard: DashboardModel): TargetVisit[] {
  const visits: TargetVisit[] = [];
  const values = fixedVariableValues(dashboard);
  for (const { panel, at } of panelsOf(dashboard)) {
    const targets = panel.targets;
    if (!Array.isArray(targets)) continue;
    targets.forEach((target, i) => {
      if (!isObject(target) || typeof target.expr !== 'string' || target.expr.trim() === '') return;
      const language = datasourceLanguage(dashboard, target.datasource) ?? datasourceLanguage(dashboard, panel.datasource);
      visits.push({ panel, target, expr: target.expr, at: pointerUnder(at, 'targets', i, 'expr'), panelAt: at, language, parseable: substituteVariables(target.expr, values) });
    });
  }
  return visits;
}

/** Values a dashboard fixes for its custom, constant, textbox and interval variables (the current or first one). */
function fixedVariableValues(dashboard: DashboardModel): Map<string, string> {
  const values = new Map<string, string>();
  for (const variable of dashboard.json.templating?.list ?? []) {
    if (typeof variable.name !== 'string' || !['custom', 'constant', 'textbox', 'interval'].includes(String(variable.type))) continue;
    const current = (variable.current as { value?: unknown } | undefined)?.value;
    const first = typeof variable.query === 'string' ? variable.query.split(',')[0]?.trim() : undefined;
    const value = typeof current === 'string' && current !== '$__all' ? current : first;
    if (value !== undefined) values.set(variable.name, value);
  }
  return values;
}

/** What a datasource reference says about its query language: a type, a variable's plugin, an import input, a name. */
function datasourceLanguage(dashboard: DashboardModel, datasource: unknown): QueryLanguage | undefined {
  const fromType = (type: unknown): QueryLanguage | undefined => (type === 'prometheus' ? 'promql' : type === 'loki' ? 'logql' : undefined);
  if (isObject(datasource)) {
    const byType = fromType(datasource.type);
    if (byType || typeof datasource.uid !== 'string') return byType;
    return datasourceLanguage(dashboard, datasource.uid);
  }
  if (typeof datasource !== 'string') return undefined;
  const variable = /^\$\{?(\w+)\}?$/.exec(datasource)?.[1];
  if (variable) {
    const list = dashboard.json.templating?.list ?? [];
    const defined = list.find((v) => v.name === variable && v.type === 'datasource');
    if (defined) return fromType(defined.query);
    const inputs = (dashboard.json as { __inputs?: Array<{ name?: string; pluginId?: string }> }).__inputs;
    const input = Array.isArray(inputs) ? inputs.find((i) => i.name === variable) : undefined;
    return fromType(input?.pluginId);
  }
  if (/prom/i.test(datasource)) return 'promql';
  if (/loki/i.test(datasource)) return 'logql';
  return undefined;
}

/** A PromQL expression of the model that parses: a rule's or a dashboard query's. */
export interface QueryVisit {
  /** The rule group or dashboard the expression is written in. */
  in: RuleGroupModel | DashboardModel;
  /** Pointer of the expression text in its container. */
  at: string;
  /** The expression as written: the text `within` spans count in. */
  text: string;
  /** The text that was parsed: `text`, with a dashboard's Grafana variables replaced by same-length stand-ins. */
  parsed: string;
  expr: Expr;
  /** The alert, recording or `dashboard / panel` the expression belongs to. */
  subject: string;
  system: string;
  /** Set for a rule's expression. */
  rule?: RuleVisit;
  /** Set for a dashboard query. */
  target?: TargetVisit;
}

/**
 * Every PromQL expression of the model that parses, rules first, then dashboard queries: not
 * the expressions moncode generated for SLOs (see `promqlOf`), not LogQL, not what does not
 * parse (promql/syntax reports that). `alerts` keeps only alert rules and no dashboards.
 */
export function queriesOf(model: ProjectModel, analysis: PromqlParser, only?: 'rules' | 'alerts' | 'dashboards'): QueryVisit[] {
  const visits: QueryVisit[] = [];
  if (only !== 'dashboards') {
    for (const visit of only === 'alerts' ? alertsOf(model.ruleGroups) : rulesOf(model.ruleGroups)) {
      const expr = promqlOf(analysis, visit.rule);
      if (!expr) continue;
      const text = visit.rule.expr;
      visits.push({ in: visit.group, at: pointerUnder(visit.at, 'expr'), text, parsed: text, expr, subject: visit.name, system: visit.group.system, rule: visit });
    }
  }
  if (only === undefined || only === 'dashboards') {
    for (const dashboard of model.dashboards) {
      for (const target of targetsOf(dashboard)) {
        if (target.language === 'logql') continue;
        const expr = analysis.parse(target.parseable).expr;
        if (!expr) continue;
        visits.push({ in: dashboard, at: target.at, text: target.expr, parsed: target.parseable, expr, subject: panelSubject(dashboard, target.panel), system: dashboard.system, target });
      }
    }
  }
  return visits;
}

/** A problem with characters `[from, to)` of a query's text. */
export function problemIn(query: QueryVisit, span: { from: number; to: number }, message: string): Problem {
  return { in: query.in, at: query.at, within: { value: query.text, from: span.from, to: span.to }, subject: query.subject, message };
}
