import path from 'node:path';
import type { RuleGroupModel, RuleModel, ScopedSuppression } from '../model/project-model.js';
import { isSpan, type Where } from '../model/source-location.js';
import { BUILT_IN_SEVERITIES } from '../model/severity.js';
import { pointer, pointerUnder } from '../model/pointer.js';
import { commentsAbove, leadingComments } from './comments.js';
import { Call, Cast, Commented, identifierFor, type Statement } from './print.js';

/** The severities `Severity` has without augmentation. */
const BUILT_IN = new Set<string>(BUILT_IN_SEVERITIES);

/** What moncode's `Duration` type takes: one or two units, largest first. */
const TYPED_DURATION = /^\d+(?:ms|s|m|h|d|w|y)(?:\d+(?:ms|s|m|h|d|w|y))?$/;

export interface RuleModule {
  /** `alerts` (groups with an alert) or `recording` (groups of recording rules only). */
  kind: 'alerts' | 'recording';
  statements: Statement[];
  helpers: Set<string>;
  types: Set<string>;
}

/**
 * Rule groups read from files, as `ruleGroup({ … })` constants. Groups of a system that came
 * from several files keep their file (`file:`), so each builds into a rule file of its own
 * and group names stay unique per file as Prometheus needs.
 */
export function importRuleGroups(groups: RuleGroupModel[], textOf: (file: string) => string | undefined, used: Set<string>): RuleModule[] {
  const files = new Set(groups.map((g) => g.file));
  const fileNames = outputNames([...files]);
  const modules = new Map<'alerts' | 'recording', RuleModule>();
  const severities = new Set<string>();
  const headed = new Set<string>();
  for (const group of groups) {
    const kind = group.rules.some((r) => r.alert !== undefined) || group.rules.length === 0 ? 'alerts' : 'recording';
    let module = modules.get(kind);
    if (!module) modules.set(kind, (module = { kind, statements: [], helpers: new Set(['ruleGroup']), types: new Set() }));
    const text = textOf(group.file) ?? '';
    const inside = scalarTest(group);
    const comments = (at: string, key?: string): string[] => commentsAbove(text, group.locator.get(at), inside, key);
    const lintAt = (at: string) => lintOf(group.suppressions, at);

    const rules = group.rules.map((rule, i) => {
      const at = pointer('rules', i);
      const value = ruleValue(rule, at, comments, lintAt(at), module!);
      for (const s of [rule.labels?.severity]) if (s !== undefined && !BUILT_IN.has(s) && rule.alert !== undefined) severities.add(s);
      const above = comments(at);
      return above.length > 0 ? new Commented(value, above) : value;
    });
    const spec: Record<string, unknown> = { name: group.name };
    if (group.interval !== undefined) spec.interval = duration(group.interval, module);
    if (group.limit !== undefined && group.limit !== 0) spec.limit = group.limit;
    if (group.query_offset !== undefined) spec.query_offset = duration(group.query_offset, module);
    if (group.labels && Object.keys(group.labels).length > 0) spec.labels = { ...group.labels };
    if (group.partial_response_strategy !== undefined) spec.partial_response_strategy = group.partial_response_strategy;
    if (group.source_tenants !== undefined) spec.source_tenants = group.source_tenants;
    if (group.evaluation_delay !== undefined) spec.evaluation_delay = duration(group.evaluation_delay, module);
    if (group.align_evaluation_time_on_interval !== undefined) spec.align_evaluation_time_on_interval = group.align_evaluation_time_on_interval;
    if (files.size > 1) spec.file = fileNames.get(group.file);
    const lint = lintAt('');
    if (lint) spec.lint = lint;
    spec.rules = rules;
    const name = identifierFor(group.name, used, kind === 'alerts' ? 'Alerts' : 'Rules');
    // The file's header goes with its first group; a group's own comments follow.
    const header = headed.has(group.file) ? [] : leadingComments(text);
    headed.add(group.file);
    const above = comments('').filter((line) => !header.includes(line));
    module.statements.push({ kind: 'const', name, value: new Call('ruleGroup', [spec]), exported: true, comments: [...header, `Group "${group.name}" of ${path.basename(group.file)}.`, ...above] });
  }
  const alerts = modules.get('alerts');
  if (alerts && severities.size > 0) {
    alerts.statements.unshift({
      kind: 'augment',
      module: 'moncode',
      interfaceName: 'Severities',
      keys: [...severities].sort(),
      comments: ['The severities these alerts use besides critical, warning and info.'],
    });
  }
  return [...modules.values()].sort((a, b) => (a.kind < b.kind ? -1 : 1));
}

function ruleValue(rule: RuleModel, at: string, comments: (at: string, key?: string) => string[], lint: unknown, module: RuleModule): Call {
  const alert = rule.alert !== undefined;
  const spec: Record<string, unknown> = alert ? { alert: rule.alert } : { record: rule.record };
  const field = (name: string, value: unknown): void => {
    const above = comments(pointerUnder(at, name), `${name}:`);
    spec[name] = above.length > 0 ? new Commented(value, above) : value;
  };
  // A block scalar's final newline means nothing to PromQL; the expression reads better without it.
  field('expr', rule.expr.replace(/\n+$/, ''));
  if (alert && rule.for !== undefined && !isZero(rule.for)) field('for', duration(rule.for, module));
  if (alert && rule.keep_firing_for !== undefined && !isZero(rule.keep_firing_for)) field('keep_firing_for', duration(rule.keep_firing_for, module));
  if (rule.labels && Object.keys(rule.labels).length > 0) field('labels', { ...rule.labels });
  if (alert && rule.annotations && Object.keys(rule.annotations).length > 0) field('annotations', { ...rule.annotations });
  if (lint) spec.lint = lint;
  const helper = alert ? 'alertRule' : 'recordingRule';
  module.helpers.add(helper);
  return new Call(helper, [spec]);
}

function duration(text: string, module: RuleModule): unknown {
  if (TYPED_DURATION.test(text)) return text;
  module.types.add('Duration');
  return new Cast(text, 'Duration');
}

function isZero(text: string): boolean {
  return /^0+(?:ms|s|m|h|d|w|y)?$/.test(text);
}

function lintOf(suppressions: ScopedSuppression[], at: string): unknown {
  const disable = new Set<string>();
  const reasons: string[] = [];
  for (const s of suppressions) {
    if (s.pointer !== at) continue;
    for (const id of s.suppression.disable) disable.add(id);
    if (s.suppression.reason && !reasons.includes(s.suppression.reason)) reasons.push(s.suppression.reason);
  }
  return disable.size > 0 ? { disable: [...disable], reason: reasons.join('; ') } : undefined;
}

/** Whether an offset lies inside one of the group's string values (a `#` there is text). */
function scalarTest(group: RuleGroupModel): (offset: number) => boolean {
  const ranges: Array<[number, number]> = [];
  const add = (where: Where | undefined) => {
    if (where && isSpan(where) && where.end > where.start) ranges.push([where.start, where.end]);
  };
  group.rules.forEach((rule, i) => {
    const at = pointer('rules', i);
    add(group.locator.get(pointerUnder(at, 'expr')));
    for (const key of Object.keys(rule.annotations ?? {})) add(group.locator.get(pointerUnder(at, 'annotations', key)));
    for (const key of Object.keys(rule.labels ?? {})) add(group.locator.get(pointerUnder(at, 'labels', key)));
  });
  return (offset) => ranges.some(([start, end]) => offset >= start && offset < end);
}

/** Rule file names (without extension) for the input files: their own names, made unique. */
function outputNames(files: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const file of [...files].sort()) {
    const base =
      path
        .basename(file)
        .replace(/\.(ya?ml|json)$/i, '')
        .replace(/\.rules$/, '')
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[.-]+/, '') || 'rules';
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    names.set(file, name);
  }
  return names;
}
