import { createHash } from 'node:crypto';
import { parser as logqlParser } from '@grafana/lezer-logql';
import type { ProjectModel, RuleGroupModel, SloModel } from '../model/project-model.js';
import type { Expr } from '../promql/ast.js';
import { closedSet, labelsOf, type LabelSet, type SeriesKnowledge } from '../promql/labels.js';
import { parsePromql, type ParseResult } from '../promql/parse.js';
import type { LintSettings } from './settings.js';
import { findGoverningAlerts, type GoverningAlert } from './slo-analysis.js';

/**
 * What lint rules share: parsed expressions, and what is known about series —
 * the labels recording rules give the series they record, and the catalog.
 */
export class Analysis {
  readonly knowledge: SeriesKnowledge;
  private readonly producers = new Map<string, Array<{ group: RuleGroupModel; expr: string; labels: Record<string, string> }>>();
  private readonly recordedCache = new Map<string, LabelSet | undefined>();
  private readonly inProgress = new Set<string>();
  private readonly logqlCache = new Map<string, boolean>();
  private governing?: Map<SloModel, GoverningAlert[]>;

  constructor(
    private readonly model: ProjectModel,
    settings: LintSettings,
  ) {
    for (const group of model.ruleGroups) {
      for (const rule of group.rules) {
        if (!rule.record) continue;
        const list = this.producers.get(rule.record) ?? [];
        list.push({ group, expr: rule.expr, labels: { ...group.labels, ...rule.labels } });
        this.producers.set(rule.record, list);
      }
    }
    const catalog = model.catalog;
    this.knowledge = {
      recorded: (name) => this.recorded(name),
      catalog: (name) => {
        const metric = catalog.metrics.get(name);
        return metric ? closedSet(['__name__', ...metric.labels, ...catalog.targetLabels]) : undefined;
      },
      targetLabels: settings.targetLabels,
    };
  }

  /**
   * A digest of what is known across systems: every recording rule (name, expression, labels), the
   * metric catalog and the declared datasources. Findings of `facts` rules about a container depend on
   * nothing else outside it, so they hold while it and this digest are unchanged.
   */
  factsDigest(): string {
    const catalog = [...this.model.catalog.metrics.values()]
      .map((m) => [m.name, m.type, [...m.labels].sort(), m.unit ?? null, m.buckets ?? null])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
    const producers = [...this.producers].map(([name, list]) => [name, list.map((p) => [p.expr, p.labels])]);
    const datasources = this.model.datasources.map((d) => [d.name, d.uid, d.type, d.system]);
    return createHash('sha1')
      .update(JSON.stringify([producers, catalog, this.model.catalog.targetLabels, this.knowledge.targetLabels, datasources]))
      .digest('hex');
  }

  parse(text: string): ParseResult {
    return parsePromql(text);
  }

  labels(expr: Expr): LabelSet {
    return labelsOf(expr, this.knowledge);
  }

  /** The rules recording a series name. */
  producersOf(name: string): ReadonlyArray<{ group: RuleGroupModel; expr: string; labels: Record<string, string> }> {
    return this.producers.get(name) ?? [];
  }

  /** Every alert governing each SLO (see `findGoverningAlerts`), worked out once per lint run. */
  get governingAlerts(): Map<SloModel, GoverningAlert[]> {
    this.governing ??= findGoverningAlerts(this.model, this);
    return this.governing;
  }

  /** Whether an expression is LogQL (a Loki rule or query) rather than PromQL. */
  isLogql(text: string): boolean {
    let known = this.logqlCache.get(text);
    if (known === undefined) {
      // A log pipeline (`|=`, `| json`, …) is what only LogQL has; `1 > 2` parses as LogQL too.
      known = !parsePromql(text).expr && /\}\s*(\||!=|!~)/.test(text) && logqlParses(text);
      this.logqlCache.set(text, known);
    }
    return known;
  }

  private recorded(name: string): LabelSet | undefined {
    if (this.recordedCache.has(name)) return this.recordedCache.get(name);
    const producers = this.producers.get(name);
    if (!producers || this.inProgress.has(name)) return undefined;
    this.inProgress.add(name);
    let result: LabelSet | undefined;
    for (const producer of producers) {
      const parsed = parsePromql(producer.expr);
      const fromExpr = parsed.expr ? labelsOf(parsed.expr, this.knowledge) : undefined;
      const staticLabels = Object.entries(producer.labels)
        .filter(([, value]) => value !== '')
        .map(([label]) => label);
      const set: LabelSet = fromExpr
        ? {
            certain: new Set([...fromExpr.certain, ...staticLabels, '__name__']),
            possible: new Set([...fromExpr.possible].filter((l) => !staticLabels.includes(l))),
            absent: new Set([...fromExpr.absent].filter((l) => !staticLabels.includes(l) && l !== '__name__')),
            open: fromExpr.open,
            // Where the recording rule's expression drops a label is a span of that expression, not of the one reading the series.
            removedBy: new Map(),
          }
        : { certain: new Set(['__name__', ...staticLabels]), possible: new Set(), absent: new Set(), open: true, removedBy: new Map() };
      result = result ? merge(result, set) : set;
    }
    this.inProgress.delete(name);
    this.recordedCache.set(name, result);
    return result;
  }
}

/** Several rules record the same name: a label is certain only if every one sets it. */
function merge(a: LabelSet, b: LabelSet): LabelSet {
  const certain = new Set([...a.certain].filter((l) => b.certain.has(l)));
  const possible = new Set([...a.certain, ...a.possible, ...b.certain, ...b.possible].filter((l) => !certain.has(l)));
  const absent = new Set([...a.absent].filter((l) => b.absent.has(l) || (!b.open && !b.certain.has(l) && !b.possible.has(l))));
  return { certain, possible, absent, open: a.open || b.open, removedBy: new Map([...a.removedBy, ...b.removedBy].filter(([l]) => absent.has(l))) };
}

function logqlParses(text: string): boolean {
  const tree = logqlParser.parse(text);
  let ok = true;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) ok = false;
      return ok;
    },
  });
  return ok;
}
