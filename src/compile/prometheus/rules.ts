import type { LoadedResource, RuleGroupModel, RuleModel, ScopedSuppression } from '../../model/project-model.js';
import type { ResolvedTarget } from '../../load/config.js';
import { durationMessage } from '../../model/duration.js';
import { Locator } from '../../model/locator.js';
import { isAlertRule, type Rule, type RuleGroup } from '../../model/rule.js';
import { whereOf } from '../../model/source-location.js';
import { parsePromql } from '../../promql/parse.js';
import { logqlFault, promqlTargetFaults } from '../../promql/target.js';
import { utf8NamesAllowed, validLabelName, validRecordName, versionAtLeast, wellFormed } from '../../promql/versions.js';
import { INVALID, UNSUPPORTED, type Problems } from '../../model/diagnostic.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

/** The fields of a rule group besides its name and rules, in the order the rule file writes them. */
export const GROUP_FIELDS = ['interval', 'limit', 'query_offset', 'labels', 'partial_response_strategy', 'source_tenants', 'evaluation_delay', 'align_evaluation_time_on_interval'] as const;

/**
 * Compiles a rule group definition to the rule-file shape, checking what the
 * declared target (Prometheus version and flavor) can load, so a field the
 * target would reject fails the build at the definition's line.
 */
export function compileRuleGroup(resource: LoadedResource<RuleGroup>, target: ResolvedTarget, problems: Problems): RuleGroupModel {
  const spec = resource.value;
  const { version, flavor } = target.prometheus;
  const subject = spec.name;
  const locator = new Locator();
  locator.set('', whereOf(spec));
  locator.set('/name', whereOf(spec, 'name'));
  for (const field of GROUP_FIELDS) if (spec[field] !== undefined) locator.set(`/${field}`, whereOf(spec, field));
  const suppressions: ScopedSuppression[] = [];
  if (spec.lint) suppressions.push({ pointer: '', suppression: spec.lint, where: whereOf(spec, 'lint') });

  const unsupported = (field: string, needs: string): void =>
    problems.error(UNSUPPORTED, `\`${field}\` needs ${needs}; the target is ${flavor} ${version} (set prometheus.version in mon.config.ts)`, whereOf(spec, field), subject);
  const duration = (owner: object, field: string, value: string | undefined, name: string): void => {
    const message = value === undefined ? undefined : durationMessage(field, value);
    if (message) problems.error(INVALID, message, whereOf(owner, field), name);
  };

  if (!spec.name) problems.error(INVALID, 'a rule group needs a name', whereOf(spec), subject);
  duration(spec, 'interval', spec.interval, subject);
  duration(spec, 'query_offset', spec.query_offset, subject);
  duration(spec, 'evaluation_delay', spec.evaluation_delay, subject);
  if (flavor === 'loki') {
    // What Loki's ruler documents for a rule group: name, interval, limit and rules.
    for (const field of ['query_offset', 'labels'] as const) {
      if (spec[field] !== undefined)
        problems.error(UNSUPPORTED, `\`${field}\` is not a field of the Loki ruler's rule groups (name, interval, limit, rules); the target is loki`, whereOf(spec, field), subject);
    }
  } else {
    if (spec.query_offset !== undefined && flavor !== 'mimir' && !versionAtLeast(version, 2, 53)) unsupported('query_offset', 'Prometheus 2.53 or later');
    if (spec.labels !== undefined && flavor !== 'mimir' && !versionAtLeast(version, 3, 0)) unsupported('labels', 'Prometheus 3.0 or later');
  }
  if (spec.partial_response_strategy !== undefined && flavor !== 'thanos') unsupported('partial_response_strategy', 'the thanos flavor');
  if (spec.source_tenants !== undefined && flavor !== 'mimir') unsupported('source_tenants', 'the mimir flavor (Mimir ruler federated groups)');
  for (const field of ['evaluation_delay', 'align_evaluation_time_on_interval'] as const)
    if (spec[field] !== undefined && flavor !== 'mimir') unsupported(field, 'the mimir flavor (a Mimir ruler field)');
  if (spec.limit !== undefined && (!Number.isInteger(spec.limit) || spec.limit < 0)) {
    problems.error(INVALID, '`limit` must be a whole number ≥ 0', whereOf(spec, 'limit'), subject);
  }
  for (const name of Object.keys(spec.labels ?? {})) checkLabelName(name, spec.labels, version, problems, subject);

  const rules = spec.rules.map((rule, index) => {
    const at = pointer('rules', index);
    locator.set(at, whereOf(rule));
    for (const field of ['alert', 'record', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'] as const) locator.set(pointerUnder(at, field), whereOf(rule, field));
    for (const kind of ['labels', 'annotations'] as const) {
      const map = (rule as { labels?: object; annotations?: object })[kind];
      for (const key of Object.keys(map ?? {})) locator.set(pointerUnder(at, kind, key), whereOf(map, key));
    }
    if (rule.lint) suppressions.push({ pointer: at, suppression: rule.lint, where: whereOf(rule, 'lint') });
    return compileRule(rule, target, problems);
  });

  const group: RuleGroupModel = {
    name: spec.name,
    rules,
    system: resource.system,
    outputName: spec.file ?? resource.system,
    file: resource.module,
    from: 'ts',
    locator,
    suppressions,
  };
  if (spec.interval !== undefined) group.interval = spec.interval;
  if (spec.limit !== undefined) group.limit = spec.limit;
  if (spec.query_offset !== undefined) group.query_offset = spec.query_offset;
  if (spec.labels !== undefined) group.labels = definedOnly(spec.labels);
  if (spec.partial_response_strategy !== undefined) group.partial_response_strategy = spec.partial_response_strategy;
  if (spec.source_tenants !== undefined) group.source_tenants = spec.source_tenants;
  if (spec.evaluation_delay !== undefined) group.evaluation_delay = spec.evaluation_delay;
  if (spec.align_evaluation_time_on_interval !== undefined) group.align_evaluation_time_on_interval = spec.align_evaluation_time_on_interval;
  return group;
}

function compileRule(rule: Rule, target: ResolvedTarget, problems: Problems): RuleModel {
  const alert = isAlertRule(rule);
  const name = alert ? rule.alert : rule.record;
  const subject = name;
  if (typeof rule.expr !== 'string' || rule.expr.trim() === '') problems.error(INVALID, 'a rule needs an `expr`', whereOf(rule, 'expr') ?? whereOf(rule), subject);
  if (alert) {
    if (!rule.alert) problems.error(INVALID, 'an alert needs a name', whereOf(rule, 'alert'), subject);
    for (const field of ['for', 'keep_firing_for'] as const) {
      const value = rule[field];
      const message = value === undefined ? undefined : durationMessage(field, value);
      if (message) problems.error(INVALID, message, whereOf(rule, field), subject);
    }
    if (rule.keep_firing_for !== undefined && target.prometheus.flavor === 'loki') {
      problems.error(
        UNSUPPORTED,
        '`keep_firing_for` is not among the alerting rule fields the Loki ruler documents (alert, expr, for, labels, annotations); the target is loki',
        whereOf(rule, 'keep_firing_for'),
        subject,
      );
    } else if (rule.keep_firing_for !== undefined && target.prometheus.flavor !== 'mimir' && !versionAtLeast(target.prometheus.version, 2, 42)) {
      problems.error(UNSUPPORTED, `\`keep_firing_for\` needs Prometheus 2.42 or later; the target is ${target.prometheus.version}`, whereOf(rule, 'keep_firing_for'), subject);
    }
  } else if (!validRecordName(rule.record, target.prometheus.version)) {
    const utf8 = utf8NamesAllowed(target.prometheus.version);
    problems.error(
      INVALID,
      `recorded series name "${rule.record}" is not a valid metric name${utf8 ? ' (a UTF-8 name without `{` or `}`)' : ` ([a-zA-Z_:][a-zA-Z0-9_:]*; UTF-8 names need Prometheus 3.0, the target is ${target.prometheus.version})`}`,
      whereOf(rule, 'record'),
      subject,
    );
  }
  for (const name of Object.keys(rule.labels ?? {})) checkLabelName(name, rule.labels, target.prometheus.version, problems, subject);
  for (const [name, value] of Object.entries(rule.labels ?? {})) {
    if (typeof value === 'string' && !wellFormed(value)) problems.error(INVALID, `label ${name}'s value is not valid UTF-8 (a lone surrogate)`, whereOf(rule.labels, name), subject);
  }
  if (alert) {
    for (const name of Object.keys(rule.annotations ?? {})) {
      if (!validLabelName(name, target.prometheus.version)) {
        problems.error(
          INVALID,
          `"${name}" is not a valid annotation name${utf8NamesAllowed(target.prometheus.version) ? '' : ' ([a-zA-Z_][a-zA-Z0-9_]*; UTF-8 names need Prometheus 3.0)'}`,
          whereOf(rule.annotations, name),
          subject,
        );
      }
    }
  }
  if (typeof rule.expr === 'string' && rule.expr.trim() !== '') checkExpression(rule, target, problems, subject);

  const json: RuleModel = alert ? { alert: rule.alert, expr: rule.expr } : { record: rule.record, expr: rule.expr };
  if (alert && rule.for !== undefined) json.for = rule.for;
  if (alert && rule.keep_firing_for !== undefined) json.keep_firing_for = rule.keep_firing_for;
  if (rule.labels && Object.keys(rule.labels).length > 0) json.labels = definedOnly(rule.labels);
  // An alert tied to an SLO carries its name, so the link survives in the rule file (`slo: <name>`).
  if (alert && rule.slo !== undefined) {
    const name = typeof rule.slo === 'string' ? rule.slo : rule.slo.name;
    if (json.labels?.slo !== undefined && json.labels.slo !== name) {
      problems.error(INVALID, `label slo "${json.labels.slo}" contradicts \`slo\` (${name})`, whereOf(rule, 'slo'), subject);
    }
    json.labels = { ...json.labels, slo: name };
  }
  if (alert && rule.annotations && Object.keys(rule.annotations).length > 0) json.annotations = definedOnly(rule.annotations);
  return json;
}

/**
 * The expression against the target: LogQL in a Loki system (and nothing else there),
 * otherwise PromQL with only the functions and syntax the declared version and feature
 * flags parse. A PromQL syntax error is left to `promql/syntax`, which reports its column.
 */
function checkExpression(rule: Rule, target: ResolvedTarget, problems: Problems, subject: string): void {
  const { flavor, version, features } = target.prometheus;
  const expr = rule.expr;
  const where = whereOf(rule, 'expr') ?? whereOf(rule);
  const report = (rule: string, message: string, from: number, to: number): void => {
    problems.list.push({ rule, severity: 'error', message, where, within: { value: expr, from, to: Math.max(to, from + 1) }, subject });
  };
  if (flavor === 'loki') {
    const fault = logqlFault(expr);
    if (!fault) return;
    const promql = parsePromql(expr).expr !== undefined;
    report(
      INVALID,
      promql
        ? '`expr` is PromQL, but this system\'s rules load in Loki, which runs LogQL only (a Loki rule needs a stream selector such as {job="api"})'
        : "`expr` is not valid LogQL (this system's rules load in Loki)",
      fault.from,
      fault.to,
    );
    return;
  }
  const parsed = parsePromql(expr);
  if (!parsed.expr) {
    if (!logqlFault(expr) && /\}\s*(\||!=|!~)/.test(expr)) {
      report(
        INVALID,
        `\`expr\` is LogQL, but this system's rules load in ${flavor === 'prometheus' ? 'Prometheus' : flavor}, which runs PromQL only (declare the system's prometheus.flavor 'loki' in mon.config.ts)`,
        0,
        expr.length,
      );
    }
    return;
  }
  // Mimir's query engine is versioned apart from Prometheus'.
  if (flavor === 'mimir') return;
  for (const fault of promqlTargetFaults(expr, { version, features })) {
    report(
      UNSUPPORTED,
      `${fault.message}; the target is ${flavor} ${version}${features.length ? ` with ${features.join(', ')}` : ''} (set prometheus.version / prometheus.features in mon.config.ts)`,
      fault.from,
      fault.to,
    );
  }
}

function checkLabelName(name: string, owner: object | undefined, version: string, problems: Problems, subject: string): void {
  if (!validLabelName(name, version) || name.startsWith('__')) {
    const hint = utf8NamesAllowed(version) || name.startsWith('__') ? '' : ` ([a-zA-Z_][a-zA-Z0-9_]*; UTF-8 names need Prometheus 3.0, the target is ${version})`;
    problems.error(INVALID, `"${name}" is not a valid label name${hint}`, whereOf(owner, name), subject);
  }
}

function definedOnly(map: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) if (value !== undefined) result[key] = value;
  return result;
}
