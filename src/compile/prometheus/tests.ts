import type { LoadedResource, OutputFile, RuleGroupModel } from '../../model/project-model.js';
import { durationMessage, parseDuration } from '../../model/duration.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import { isAlertRule, type AlertRule, type RecordingRule, type RuleGroup } from '../../model/rule.js';
import { seriesValuesProblem, type RuleTest, type RuleTestModel } from '../../model/rule-test.js';
import { whereOf } from '../../model/source-location.js';
import { parsePromql } from '../../promql/parse.js';
import { selectorsIn, type VectorSelector } from '../../promql/ast.js';
import { matchesValue } from '../../model/matcher.js';
import { contained } from '../contain.js';
import { yamlDocument } from '../serialize.js';

export function ruleTestFile(system: string): string {
  return `prometheus/tests/${system}.test.yml`;
}

/**
 * Compiles the `ruleTest()`s of the definitions to promtool test groups, checking
 * at the definition what promtool would refuse (notation, selectors, durations)
 * and that each expected alert is a rule of the test's own system.
 */
export function compileRuleTests(resources: readonly LoadedResource[], intervalOf: (system: string) => string, problems: Problems): RuleTestModel[] {
  const rulesBySystem = new Map<string, Set<object>>();
  for (const resource of resources) {
    if (resource.kind !== 'rule-group') continue;
    const set = rulesBySystem.get(resource.system) ?? new Set<object>();
    for (const rule of (resource.value as RuleGroup).rules ?? []) set.add(rule);
    rulesBySystem.set(resource.system, set);
  }
  const models: RuleTestModel[] = [];
  const names = new Map<string, Set<string>>();
  for (const resource of resources) {
    if (resource.kind !== 'rule-test') continue;
    const model = contained(resource, problems, () => compileRuleTest(resource as LoadedResource<RuleTest>, rulesBySystem.get(resource.system) ?? new Set(), intervalOf(resource.system), problems));
    if (!model) continue;
    const seen = names.get(resource.system) ?? new Set<string>();
    if (seen.has(model.name)) {
      problems.error(INVALID, `rule test "${model.name}" is defined twice in system ${resource.system}; mon-test names failures by the test's name`, whereOf(resource.value, 'name'), model.name);
      continue;
    }
    seen.add(model.name);
    names.set(resource.system, seen);
    models.push(model);
  }
  return models;
}

function compileRuleTest(resource: LoadedResource<RuleTest>, rulesOfSystem: Set<object>, defaultInterval: string, problems: Problems): RuleTestModel | undefined {
  const spec = resource.value;
  const subject = typeof spec.name === 'string' && spec.name ? spec.name : resource.exportPath;
  const errors = problems.list.length;
  const error = (message: string, owner: object, field: string | undefined, within?: { value: string; from: number; to: number }) =>
    problems.list.push({ rule: INVALID, severity: 'error', message, where: whereOf(owner, field) ?? whereOf(owner) ?? whereOf(spec), subject, ...(within ? { within } : {}) });
  const duration = (owner: object, field: string, value: unknown): number | undefined => {
    if (typeof value !== 'string') {
      error(`\`${field}\` must be a duration such as 5m`, owner, field);
      return undefined;
    }
    const message = durationMessage(field, value);
    if (message) error(message, owner, field);
    return parseDuration(value);
  };

  if (typeof spec.name !== 'string' || spec.name.trim() === '') error('a rule test needs a `name`', spec, 'name');
  else if (/[\n\r]/.test(spec.name)) error('a rule test `name` must be one line (mon-test finds failures by it)', spec, 'name');
  const interval = spec.interval ?? defaultInterval;
  if (spec.interval !== undefined) duration(spec, 'interval', spec.interval);

  const inputSeries = (Array.isArray(spec.inputSeries) ? spec.inputSeries : []).map((input) => {
    const series = seriesSelectorProblem(input.series, 'series');
    if (series) error(series.message, input, 'series', typeof input.series === 'string' ? { value: input.series, from: series.from, to: series.to } : undefined);
    if (typeof input.values !== 'string') error('`values` must be a string in promtool notation, e.g. "0+10x30"', input, 'values');
    else {
      const values = seriesValuesProblem(input.values);
      if (values) error(values.message, input, 'values', { value: input.values, from: values.from, to: Math.max(values.to, values.from + 1) });
    }
    return { series: input.series, values: input.values, where: whereOf(input, 'series') ?? whereOf(input) };
  });
  if (!Array.isArray(spec.inputSeries)) error('`inputSeries` must be a list of { series, values }', spec, 'inputSeries');

  const alerts: RuleTestModel['alerts'] = [];
  const alertJson = (spec.alerts ?? []).map((expectation) => {
    const rule = expectation.alert as AlertRule | undefined;
    const evalMs = duration(expectation, 'evalTime', expectation.evalTime);
    if (typeof rule !== 'object' || rule === null || !isAlertRule(rule)) {
      error('`alert` must be an alert rule object (the one its ruleGroup holds), not a name', expectation, 'alert');
    } else if (!rulesOfSystem.has(rule)) {
      error(
        `alert rule ${rule.alert} is in no rule group of system ${resource.system}: pass the rule object a ruleGroup of this system holds (a copy, or a rule of another system, is not tested by promtool here)`,
        expectation,
        'alert',
      );
    }
    if (!Array.isArray(expectation.firing)) error('`firing` must be a list of expected alerts ({ labels, annotations }); [] expects silence', expectation, 'firing');
    const firing = Array.isArray(expectation.firing) ? expectation.firing : [];
    for (const alert of firing) {
      for (const kind of ['labels', 'annotations'] as const) {
        for (const [key, value] of Object.entries(alert[kind] ?? {})) if (typeof value !== 'string') error(`${kind} ${key} must be a string`, alert[kind]!, key);
      }
      if (alert.labels && Object.hasOwn(alert.labels, 'alertname')) error('leave out `alertname`: promtool adds it from the alert rule', alert.labels, 'alertname');
    }
    const alertname = rule && typeof rule === 'object' && typeof rule.alert === 'string' ? rule.alert : '';
    alerts.push({ alertname, evalMs: evalMs ?? 0, where: whereOf(expectation), ruleWhere: rule ? whereOf(rule) : undefined, rule: rule as AlertRule, silent: firing.length === 0 });
    return {
      eval_time: expectation.evalTime,
      alertname,
      exp_alerts: firing.map((alert) => ({
        ...(alert.labels && Object.keys(alert.labels).length > 0 ? { exp_labels: { ...alert.labels } } : {}),
        ...(alert.annotations && Object.keys(alert.annotations).length > 0 ? { exp_annotations: { ...alert.annotations } } : {}),
      })),
    };
  });

  const exprs: RuleTestModel['exprs'] = [];
  const exprJson = (spec.exprs ?? []).map((expectation) => {
    const evalMs = duration(expectation, 'evalTime', expectation.evalTime);
    let expr = '';
    let record: RecordingRule | undefined;
    if (typeof expectation.expr === 'object' && expectation.expr !== null) {
      record = expectation.expr;
      if (typeof record.record !== 'string') error('`expr` must be PromQL or a recording rule', expectation, 'expr');
      else {
        expr = record.record;
        if (!rulesOfSystem.has(record)) error(`recording rule ${record.record} is in no rule group of system ${resource.system}`, expectation, 'expr');
      }
    } else if (typeof expectation.expr === 'string') {
      expr = expectation.expr;
      const parsed = parsePromql(expr);
      if (parsed.error) error(`\`expr\` does not parse: ${parsed.error.message}`, expectation, 'expr', { value: expr, from: parsed.error.from, to: Math.max(parsed.error.to, parsed.error.from + 1) });
    } else error('`expr` must be PromQL or a recording rule', expectation, 'expr');
    if (!Array.isArray(expectation.samples)) error('`samples` must be a list of { labels, value }; [] expects no result', expectation, 'samples');
    const samples = Array.isArray(expectation.samples) ? expectation.samples : [];
    for (const sample of samples) {
      const problem = seriesSelectorProblem(sample.labels, 'labels', true);
      if (problem) error(problem.message, sample, 'labels', typeof sample.labels === 'string' ? { value: sample.labels, from: problem.from, to: problem.to } : undefined);
      if (typeof sample.value !== 'number') error('`value` must be a number', sample, 'value');
    }
    exprs.push({ expr, evalMs: evalMs ?? 0, where: whereOf(expectation), ...(record ? { record } : {}) });
    return { expr, eval_time: expectation.evalTime, exp_samples: samples.map((sample) => ({ labels: sample.labels, value: sample.value })) };
  });
  if (alertJson.length === 0 && exprJson.length === 0) error('a rule test checks nothing: give `alerts` or `exprs`', spec, undefined);
  if (problems.list.length > errors) return undefined;

  const json: Record<string, unknown> = { name: spec.name, interval, input_series: inputSeries.map(({ series, values }) => ({ series, values })) };
  if (alertJson.length > 0) json.alert_rule_test = alertJson;
  if (exprJson.length > 0) json.promql_expr_test = exprJson;
  return {
    name: spec.name,
    system: resource.system,
    outputFile: ruleTestFile(resource.system),
    where: whereOf(spec),
    alerts,
    exprs,
    inputSeries: inputSeries.map(({ series, where }) => ({ series, where })),
    json,
  };
}

/** Why a series as promtool reads it (`name{a="b"}`, `=` matchers only; a sample of an aggregation may have no name, `{}` or `{job="a"}`) is refused. */
export function seriesSelectorProblem(text: unknown, field: string, nameless = false): { message: string; from: number; to: number } | undefined {
  if (nameless && typeof text === 'string' && /^\s*\{\s*\}\s*$/.test(text)) return undefined;
  if (typeof text !== 'string' || text.trim() === '') return { message: `\`${field}\` must be a series such as up{job="api"}`, from: 0, to: 1 };
  const parsed = parsePromql(text);
  if (parsed.error) {
    // An error at the end of the text (`m{a="b"`) marks its last character.
    const from = Math.min(parsed.error.from, text.length - 1);
    return { message: `\`${field}\` is not a series selector: ${parsed.error.message}`, from, to: Math.min(text.length, Math.max(parsed.error.to, from + 1)) };
  }
  const expr = parsed.expr;
  if (expr.kind !== 'vector' || expr.offsetMs !== undefined) return { message: `\`${field}\` must be one series (\`name{label="value"}\`), not an expression`, from: expr.from, to: expr.to };
  const loose = expr.matchers.find((m) => m.op !== '=');
  if (loose) return { message: `\`${field}\` names one series: its labels take \`=\`, not \`${loose.op}\``, from: loose.from, to: loose.to };
  if (!expr.name && !nameless) return { message: `\`${field}\` needs a metric name`, from: expr.from, to: expr.to };
  const seen = new Set<string>();
  for (const matcher of expr.matchers) {
    // promtool refuses a label written twice ("label name is not unique"); `m{__name__="m"}` it reads.
    if (seen.has(matcher.label.name)) return { message: `\`${field}\` gives label ${matcher.label.name} twice`, from: matcher.from, to: matcher.to };
    seen.add(matcher.label.name);
  }
  return undefined;
}

/** The id of the warning for an input series that no rule of the system reads. */
export const UNREAD_SERIES = 'test/unread-series';

/**
 * Warns at each input series whose metric no rule of the test's system reads (nor the
 * test's own `exprs`): promtool loads it and nothing looks at it, which is a misspelt or
 * renamed metric far more often than intent. Only the metric name counts, so a series
 * fed to show that a rule's label matchers ignore it (`up{job="agent"}` against
 * `up{job!="agent"}`) is read. A system with a rule moncode cannot parse is not judged.
 */
export function checkInputSeries(tests: readonly RuleTestModel[], ruleGroups: readonly RuleGroupModel[], problems: Problems): void {
  const readers = new Map<string, VectorSelector[] | undefined>();
  const selectorsOf = (system: string): VectorSelector[] | undefined => {
    if (readers.has(system)) return readers.get(system);
    let found: VectorSelector[] | undefined = [];
    for (const group of ruleGroups) {
      if (group.system !== system) continue;
      for (const rule of group.rules) {
        const parsed = parsePromql(rule.expr);
        if (!parsed.expr) found = undefined;
        else found?.push(...selectorsIn(parsed.expr));
      }
    }
    readers.set(system, found);
    return found;
  };
  for (const test of tests) {
    const system = selectorsOf(test.system);
    if (!system) continue;
    const own = test.exprs.flatMap((e) => {
      const parsed = parsePromql(e.expr);
      return parsed.expr ? selectorsIn(parsed.expr) : [];
    });
    const selectors = [...system, ...own];
    for (const input of test.inputSeries) {
      const parsed = parsePromql(input.series);
      if (parsed.expr?.kind !== 'vector' || !parsed.expr.name) continue;
      const labels: Record<string, string> = { __name__: parsed.expr.name };
      for (const m of parsed.expr.matchers) labels[m.label.name] = m.value;
      if (selectors.some((selector) => reads(selector, labels))) continue;
      const name = parsed.expr.name;
      const names = [...new Set(selectors.map((s) => s.name).filter((n): n is string => n !== undefined))];
      const near = nearest(name, names);
      const at = input.series.indexOf(name);
      problems.list.push({
        rule: UNREAD_SERIES,
        severity: 'warning',
        message: `no rule of system ${test.system} reads ${name}${near ? ` (did you mean ${near}?)` : ''}: promtool loads this series and nothing looks at it`,
        where: input.where,
        subject: test.name,
        within: at >= 0 ? { value: input.series, from: at, to: at + name.length } : { value: input.series, from: parsed.expr.from, to: parsed.expr.to },
      });
    }
  }
}

/** Whether a selector can read a series with these labels: its metric name, or for a selector without one, its matchers. */
function reads(selector: VectorSelector, labels: Record<string, string>): boolean {
  if (selector.name !== undefined) return selector.name === labels.__name__;
  // A bad regex proves nothing: count the series as read.
  return selector.matchers.every((m) => matchesValue({ op: m.op, value: m.value }, labels[m.label.name] ?? '') !== false);
}

/** The metric name within two edits of `name` (the closest), if there is one. */
function nearest(name: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = editDistance(name, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    row = next;
  }
  return row[b.length]!;
}

/** One test file per system with rule tests, loading every rule file of the system. */
export function ruleTestFiles(tests: readonly RuleTestModel[], ruleGroups: readonly RuleGroupModel[], intervalOf: (system: string) => string): OutputFile[] {
  const systems = [...new Set(tests.map((t) => t.system))].sort();
  return systems.map((system) => {
    const ruleFiles = [...new Set(ruleGroups.filter((g) => g.system === system).map((g) => `../rules/${g.outputName}.rules.yml`))].sort();
    return {
      path: ruleTestFile(system),
      content: yamlDocument(
        { rule_files: ruleFiles, evaluation_interval: intervalOf(system), tests: tests.filter((t) => t.system === system).map((t) => t.json) },
        `Generated by moncode from the ruleTest()s of ${system}. Run: mon-test (or promtool test rules <this file>). Do not edit.`,
      ),
    };
  });
}
