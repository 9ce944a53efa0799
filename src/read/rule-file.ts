import type { Diagnostic } from '../model/diagnostic.js';
import { parseDuration } from '../model/duration.js';
import { Locator } from '../model/locator.js';
import type { RuleGroupModel, RuleModel, ScopedSuppression } from '../model/project-model.js';
import type { Span } from '../model/source-location.js';
import { commentDirectives, type Directive } from './comments.js';
import { nodeAt, type PositionNode, type YamlDocument } from './yaml.js';
import { pointer, pointerUnder, pointerSegments } from '../model/pointer.js';

/** Reading problems that make a file unusable are `input/unreadable`; invalid structure is `input/invalid`. */
export const INPUT_INVALID = 'input/invalid';

const GROUP_KEYS = new Set(['name', 'interval', 'limit', 'query_offset', 'labels', 'rules', 'partial_response_strategy', 'source_tenants', 'evaluation_delay', 'align_evaluation_time_on_interval']);
const RULE_KEYS = new Set(['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations']);

interface RuleFileResult {
  groups: RuleGroupModel[];
  diagnostics: Diagnostic[];
}

/**
 * Rule groups from a Prometheus rule file: plain `groups:` files (with
 * Thanos, Mimir and Loki group fields), and PrometheusRule custom resources.
 */
export function readRuleFile(file: string, text: string, document: YamlDocument, groupsPointer: string, system: string): RuleFileResult {
  const diagnostics: Diagnostic[] = [];
  const groups: RuleGroupModel[] = [];
  const span = (pointer: string, key = false): Span => {
    const node = nodeAt(document.root, pointer);
    if (!node) return { file, start: 0, end: 0 };
    return key && node.keyStart !== undefined ? { file, start: node.keyStart, end: node.keyEnd! } : { file, start: node.start, end: node.end };
  };
  const invalid = (message: string, pointer: string, key = false): void => {
    diagnostics.push({ rule: INPUT_INVALID, severity: 'error', message, where: span(pointer, key) });
  };

  const list = valueAt(document.value, groupsPointer);
  if (!Array.isArray(list)) {
    invalid(`\`groups\` must be a list of rule groups, got ${kindOf(list)}`, groupsPointer);
    return { groups, diagnostics };
  }
  const directives = commentDirectives(file, text, document.root);
  const names = new Set<string>();
  list.forEach((group: unknown, gi) => {
    const at = pointerUnder(groupsPointer, gi);
    if (!isMap(group)) return invalid(`a rule group must be a mapping with \`name\` and \`rules\`, got ${kindOf(group)}`, at);
    for (const key of Object.keys(group)) if (!GROUP_KEYS.has(key)) invalid(`unknown rule group field \`${key}\``, pointerUnder(at, key), true);
    const name = group.name;
    if (typeof name !== 'string' || name === '') return invalid('a rule group needs a `name`', at);
    if (names.has(name)) invalid(`rule group "${name}" appears twice in this file; Prometheus rejects repeated group names`, pointerUnder(at, 'name'));
    names.add(name);
    // A group without rules (`rules:` absent or empty) is valid: promtool loads it as 0 rules.
    const rules: unknown[] = group.rules === undefined || group.rules === null ? [] : (group.rules as unknown[]);
    if (!Array.isArray(rules)) return invalid(`\`rules\` of group "${name}" must be a list, got ${kindOf(group.rules)}`, pointerUnder(at, 'rules'));
    for (const field of ['interval', 'query_offset', 'evaluation_delay'] as const) {
      if (group[field] !== undefined && (typeof group[field] !== 'string' || parseDuration(group[field]) === undefined)) {
        invalid(`\`${field}\` is ${JSON.stringify(group[field])}, not a duration such as 30s, 5m or 1h30m`, pointerUnder(at, field));
      }
    }
    const model: RuleGroupModel = {
      name,
      rules: [],
      system,
      outputName: system,
      file,
      from: 'yaml',
      locator: Locator.fromLookup((pointer) => span(`${at}${pointer}`)),
      suppressions: [],
    };
    if (typeof group.interval === 'string') model.interval = group.interval;
    if (typeof group.limit === 'number') model.limit = group.limit;
    if (typeof group.query_offset === 'string') model.query_offset = group.query_offset;
    const groupLabels = stringMap(group.labels, pointerUnder(at, 'labels'), invalid);
    if (groupLabels) model.labels = groupLabels;
    if (group.partial_response_strategy === 'warn' || group.partial_response_strategy === 'abort') model.partial_response_strategy = group.partial_response_strategy;

    rules.forEach((rule, ri) => {
      const ruleAt = pointerUnder(at, 'rules', ri);
      const read = readRule(rule, ruleAt, invalid);
      // Keep rule indexes aligned with the file even for rules that cannot be read.
      model.rules.push(read ?? { expr: '', record: '' });
    });
    model.suppressions = directives.length ? suppressionsFor(directives, document.root, at, model.rules.length) : [];
    groups.push(model);
  });
  return { groups, diagnostics };
}

function readRule(rule: unknown, at: string, invalid: (message: string, pointer: string, key?: boolean) => void): RuleModel | undefined {
  if (!isMap(rule)) {
    invalid(`a rule must be a mapping with \`alert\` or \`record\` and \`expr\`, got ${kindOf(rule)}`, at);
    return undefined;
  }
  for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) invalid(`unknown rule field \`${key}\``, pointerUnder(at, key), true);
  const hasAlert = rule.alert !== undefined;
  const hasRecord = rule.record !== undefined;
  if (hasAlert === hasRecord) {
    invalid(hasAlert ? 'a rule has either `alert` or `record`, not both' : 'a rule needs `alert` or `record`', at);
    return undefined;
  }
  const name = hasAlert ? rule.alert : rule.record;
  if (typeof name !== 'string' || name === '') {
    invalid(`\`${hasAlert ? 'alert' : 'record'}\` must be a name, got ${kindOf(name)}`, pointerUnder(at, hasAlert ? 'alert' : 'record'));
    return undefined;
  }
  if (typeof rule.expr !== 'string') {
    invalid(`\`expr\` must be a PromQL string, got ${kindOf(rule.expr)}`, rule.expr === undefined ? at : pointerUnder(at, 'expr'));
    return undefined;
  }
  const model: RuleModel = hasAlert ? { alert: name, expr: rule.expr } : { record: name, expr: rule.expr };
  for (const field of ['for', 'keep_firing_for'] as const) {
    const value = rule[field];
    if (value === undefined) continue;
    if (!hasAlert) invalid(`recording rules take no \`${field}\``, pointerUnder(at, field), true);
    else if (typeof value !== 'string' || parseDuration(value) === undefined) invalid(`\`${field}\` is ${JSON.stringify(value)}, not a duration such as 30s, 5m or 1h30m`, pointerUnder(at, field));
    else model[field] = value;
  }
  const labels = stringMap(rule.labels, pointerUnder(at, 'labels'), invalid);
  if (labels) model.labels = labels;
  if (rule.annotations !== undefined) {
    if (!hasAlert) invalid('recording rules take no `annotations`', pointerUnder(at, 'annotations'), true);
    const annotations = stringMap(rule.annotations, pointerUnder(at, 'annotations'), invalid);
    if (annotations) model.annotations = annotations;
  }
  return model;
}

/** A map of strings; numbers and booleans are read as Prometheus reads them, as text. */
function stringMap(value: unknown, at: string, invalid: (message: string, pointer: string) => void): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) {
    invalid(`expected a mapping of names to text, got ${kindOf(value)}`, at);
    return undefined;
  }
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' || item === null) {
      // Prometheus reads `key:` (null) as the empty string. (`result` has no prototype, so `__proto__` is a plain key.)
      result[key] = item === null ? '' : String(item);
    } else {
      invalid(`\`${key}\` must be text, got ${kindOf(item)}`, pointerUnder(at, key));
    }
  }
  return result;
}

/** `# mon-lint disable <id> -- reason` comments, attached to the rule (or group) they precede or sit in. */
function suppressionsFor(directives: Directive[], root: PositionNode | undefined, groupAt: string, ruleCount: number): ScopedSuppression[] {
  if (directives.length === 0) return [];
  const groupNode = nodeAt(root, groupAt);
  if (!groupNode) return [];
  const result: ScopedSuppression[] = [];
  const rules = Array.from({ length: ruleCount }, (_, i) => nodeAt(root, pointerUnder(groupAt, 'rules', i)));
  for (const directive of directives) {
    if (directive.fileWide) {
      result.push({ pointer: '', suppression: directive.suppression, where: directive.where });
      continue;
    }
    const index = rules.findIndex((node) => node && directive.target >= node.start && directive.target <= node.end);
    if (index >= 0) result.push({ pointer: pointer('rules', index), suppression: directive.suppression, where: directive.where });
    else if (directive.target >= groupNode.start && directive.target <= groupNode.end) result.push({ pointer: '', suppression: directive.suppression, where: directive.where });
  }
  return result;
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return `"${String(value)}"`;
}
