import path from 'node:path';
import { walk, type Matcher } from '../../promql/ast.js';
import type { RuleGroupModel } from '../../model/project-model.js';
import { presence } from '../../promql/labels.js';
import type { Analysis } from '../analysis.js';
import { metricNames } from '../../promql/units.js';
import { parseDuration } from '../../model/duration.js';
import { matchesValue } from '../../model/matcher.js';
import { defineRule } from '../types.js';
import type { LintSettings } from '../settings.js';
import { rulesOf, type RuleVisit } from '../walk.js';

/** For each label the result keeps (or, with `inputs`, each label selected on), the matchers that pin its values. */
function keptConstraints(visit: RuleVisit, analysis: Analysis, inputs = false): Map<string, Matcher[]> {
  const constraints = new Map<string, Matcher[]>();
  const expr = analysis.parse(visit.rule.expr).expr;
  if (!expr) return constraints;
  const labels = analysis.labels(expr);
  walk(expr, (node) => {
    // label_replace(v, "bucket", "0.5", "__name__", ".*") pins `bucket` to "0.5" on every series.
    if (node.kind === 'call' && node.func === 'label_replace') {
      const [, dst, replacement, , regex] = node.args;
      if (dst?.kind === 'string' && replacement?.kind === 'string' && !replacement.value.includes('$') && regex?.kind === 'string' && /^\(?\.\*\)?$/.test(regex.value)) {
        const pinned: Matcher = { label: { name: dst.value, from: dst.from, to: dst.to }, op: '=', value: replacement.value, from: node.from, to: node.to };
        constraints.set(dst.value, [...(constraints.get(dst.value) ?? []), pinned]);
      }
      return;
    }
    const selector = node.kind === 'vector' ? node : node.kind === 'matrix' ? node.selector : undefined;
    if (!selector) return;
    for (const matcher of selector.matchers) {
      if (!inputs && presence(labels, matcher.label.name) === 'no') continue;
      constraints.set(matcher.label.name, [...(constraints.get(matcher.label.name) ?? []), matcher]);
    }
  });
  return constraints;
}

/** First characters a pattern can start with, when it begins with literals or a literal alternation. */
function leadingCharacters(matcher: Matcher): Set<string> | undefined {
  if (matcher.op === '=') return matcher.value ? new Set([matcher.value[0]!]) : undefined;
  const alternatives = matcher.value.replace(/^\((.*)\)$/, '$1').split('|');
  const firsts = new Set<string>();
  for (const alternative of alternatives) {
    const first = alternative[0];
    if (!first || /[.\\[(?*+^$]/.test(first)) return undefined;
    firsts.add(first);
  }
  return firsts;
}

/** `abc-.*` → `abc-`: patterns that are a literal prefix and anything after it. */
function literalPrefix(pattern: string): string | undefined {
  const match = /^([\w\-/:]*)\.[*+]$/.exec(pattern);
  return match ? match[1] : undefined;
}

/** Whether no value can satisfy both matchers. */
function exclusive(l: Matcher, r: Matcher): boolean {
  // The value of an `=` fails the other matcher.
  if (l.op === '=') return matchesValue(r, l.value) === false;
  // instance=~"dse-k8s-.*" never meets instance!~"dse-k8s.*": every value of the first is excluded by the second.
  if (l.op === '=~' && r.op === '!~') {
    const inner = literalPrefix(l.value);
    const outer = literalPrefix(r.value);
    if (inner !== undefined && outer !== undefined && inner.startsWith(outer)) return true;
  }
  if (l.op === '=~' && r.op === '=~') {
    const x = leadingCharacters(l);
    const y = leadingCharacters(r);
    return x !== undefined && y !== undefined && [...x].every((c) => !y.has(c));
  }
  return false;
}

/** Whether two rules' results can never share a label set (e.g. code=~"2.." and code=~"5.."). */
function disjoint(a: Map<string, Matcher[]>, b: Map<string, Matcher[]>): boolean {
  for (const [label, left] of a) {
    const right = b.get(label);
    if (!right) continue;
    if (left.some((l) => right.some((r) => exclusive(l, r) || exclusive(r, l)))) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'rule/duplicate',
    defaultSeverity: 'error',
    scope: 'project',
    summary: 'Two rules with the same name and the same labels loaded by one Prometheus (a TS system, or the rule files linted together).',
  },
  check({ model, analysis, settings, report }) {
    // Facts about a rule are worked out only when another rule shares its name and labels.
    type Seen = RuleVisit & { constraints: Map<string, Matcher[]>; reads: string };
    const seen = new Map<string, Array<RuleVisit | Seen>>();
    const facts = (visit: RuleVisit | Seen): Seen => {
      if ('reads' in visit) return visit;
      return Object.assign(visit, { constraints: keptConstraints(visit, analysis), reads: metricsRead(visit, analysis) });
    };
    for (const visit of rulesOf(model.ruleGroups)) {
      const labels = { ...visit.group.labels, ...visit.rule.labels };
      const key = JSON.stringify([scope(visit.group, settings.duplicateScope), visit.rule.alert !== undefined ? 'alert' : 'record', visit.name, Object.entries(labels).sort()]);
      const earlier = seen.get(key) ?? [];
      if (earlier.length === 0) {
        seen.set(key, [visit]);
        continue;
      }
      const { constraints, reads } = facts(visit);
      const clash = earlier.map(facts).find((other) => {
        // Rules over different metrics write different series (a statefulset and a deployment variant).
        if (other.reads !== reads) return false;
        // Alerts may share a name on purpose, one rule per condition; the same query twice is a copy.
        if (visit.rule.alert !== undefined && shape(other.rule.expr) !== shape(visit.rule.expr)) return false;
        // A faster `for` on a higher threshold is an escalation of one alert, not a copy of it.
        if (visit.rule.alert !== undefined && forMs(other) !== forMs(visit) && withoutMatchers(other.rule.expr) !== withoutMatchers(visit.rule.expr)) return false;
        // Alerts over disjoint inputs (`handler="query"` and `handler="query-frontend"`) watch different things,
        // even when the label is aggregated away.
        if (visit.rule.alert !== undefined && disjoint(keptConstraints(other, analysis, true), keptConstraints(visit, analysis, true))) return false;
        return !disjoint(other.constraints, constraints) && !distinctLabels(other, visit, analysis);
      });
      if (clash) {
        const where =
          clash.group === visit.group
            ? `earlier in group "${clash.group.name}"`
            : `in group "${clash.group.name}"${clash.group.file === visit.group.file ? '' : ` of ${path.basename(clash.group.file)}`}`;
        report({
          in: visit.group,
          at: visit.at,
          subject: visit.name,
          message: `${visit.rule.alert !== undefined ? 'alert' : 'recording rule'} "${visit.name}" with the same labels is also defined ${where}: ${visit.rule.alert !== undefined ? 'both fire as one alert' : 'both write the same series'}`,
          related: [{ message: 'the other definition', in: clash.group, at: clash.at }],
        });
      }
      earlier.push(visit);
    }
  },
});

function forMs(visit: RuleVisit): number {
  const text = (visit.rule as { for?: unknown }).for;
  return typeof text === 'string' ? (parseDuration(text) ?? 0) : 0;
}

function metricsRead(visit: RuleVisit, analysis: Analysis): string {
  const expr = analysis.parse(visit.rule.expr).expr;
  return expr ? [...new Set(metricNames(expr))].sort().join(',') : visit.rule.expr;
}

function withoutMatchers(expr: string): string {
  return expr.replace(/\{[^}]*\}/g, '').replace(/\s+/g, '');
}

/** A query without its label matchers and thresholds: `x{job="a"} > 60` and `x{job="a",i=~"b"} > 90` have one shape. */
function shape(expr: string): string {
  return withoutMatchers(expr).replace(/\d+(\.\d+)?/g, 'N');
}

/** One result certainly has a label the other certainly lacks, so their series never coincide. */
function distinctLabels(a: RuleVisit, b: RuleVisit, analysis: Analysis): boolean {
  const x = analysis.parse(a.rule.expr).expr;
  const y = analysis.parse(b.rule.expr).expr;
  if (!x || !y) return false;
  const left = analysis.labels(x);
  const right = analysis.labels(y);
  const decisive = (one: typeof left, other: typeof right) => [...one.certain].some((l) => l !== '__name__' && presence(other, l) === 'no');
  return decisive(left, right) || decisive(right, left);
}

/** The rules one Prometheus loads together: a TS system; every rule file linted together, a folder of them, or one file. */
function scope(group: RuleGroupModel, duplicateScope: LintSettings['duplicateScope']): string {
  if (group.from === 'ts') return `ts:${group.system}`;
  if (duplicateScope === 'deployment') return group.deployment ?? 'files';
  return duplicateScope === 'directory' ? `dir:${path.dirname(group.file)}` : `file:${group.file}`;
}
