import { createHash } from 'node:crypto';
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

/** A container named within its system: which list of the model (see `KINDS`) and its place among the system's. */
type ContainerRef = [kind: number, index: number];

interface StoredProblem {
  rule: string;
  in: ContainerRef;
  at: string;
  /** Order among the rule's problems in the same container. */
  seq: number;
  message: string;
  within?: Problem['within'];
  subject?: string;
  related?: Array<{ message: string; in: ContainerRef; at: string; within?: Problem['within'] }>;
}

/** One system's findings from `container` rules (valid while its content is), and from `facts` rules (while the facts are too). */
export interface SystemLintRecord {
  content: string;
  container: StoredProblem[];
  facts?: { digest: string; problems: StoredProblem[] };
}

/**
 * What an incremental lint keeps from one lint to the next: each system's findings, by the digest of what
 * they were found in. Problems are kept as pointers into containers, not as locations, so a system that
 * moved in its file but says the same gets its locations from the model of the lint that reuses them.
 */
export class LintMemo {
  readonly systems = new Map<string, SystemLintRecord>();
  /** Systems whose record the last lint wrote (for persisting only what changed). */
  readonly written = new Set<string>();
  /** Systems the last lint ran `container` and `facts` rules over (the others' findings were reused). */
  readonly linted = { container: new Set<string>(), facts: new Set<string>() };
}

/** The model's container lists, in the order a lint reports them. */
const KINDS = ['dashboards', 'ruleGroups', 'alertmanagers', 'slos', 'sloRuleGroups'] as const;

type SystemContainers = Container[][];

/**
 * Runs every enabled rule over the model; applies severities from config and suppressions. With a
 * memo, `container` and `facts` rules run only over the systems whose findings it cannot reuse (see
 * `LintRule.meta.scope`), `project` rules over everything; the result is the same as without.
 */
export function lint(model: ProjectModel, config: LintConfig, settings: LintSettings, rules: readonly LintRule[] = ALL_RULES, memo?: LintMemo): Diagnostic[] {
  const analysis = new Analysis(model, settings);
  const timings = process.env.MONCODE_TIMINGS ? new Map<string, number>() : undefined;
  const enabled = rules.filter((rule) => config.rules?.[rule.meta.id] !== 'off');
  const order = new Map(enabled.map((rule, i) => [rule.meta.id, i]));
  const severities = enabled.map((rule) => {
    const configured = config.rules?.[rule.meta.id];
    return configured === undefined || configured === 'off' ? rule.meta.defaultSeverity : configured;
  });

  const systems = new Map<string, SystemContainers>();
  const position = new Map<Container, number>();
  const refs = new Map<Container, { system: string; ref: ContainerRef }>();
  KINDS.forEach((kind, k) => {
    for (const container of model[kind] as Container[]) {
      const system = (container as { system: string }).system;
      let lists = systems.get(system);
      if (!lists) systems.set(system, (lists = KINDS.map(() => [])));
      refs.set(container, { system, ref: [k, lists[k]!.length] });
      lists[k]!.push(container);
      position.set(container, position.size);
    }
  });
  // Provisioning files belong to no system: linted every time, reported after the systems' containers.
  for (const file of model.provisioning) position.set(file, position.size);

  const needsFacts = enabled.some((rule) => rule.meta.scope === 'facts');
  const facts = memo && needsFacts ? analysis.factsDigest() : '';
  const stale = { container: new Set<string>(), facts: new Set<string>() };
  const contents = new Map<string, string>();
  for (const [system, lists] of systems) {
    const content = memo ? systemDigest(lists, system, settings, enabled) : '';
    const kept = memo?.systems.get(system);
    // A record read back from disk is trusted only as far as it names this system's containers.
    const record = kept && fits(kept, lists) ? kept : undefined;
    contents.set(system, content);
    if (!record || record.content !== content) stale.container.add(system);
    if (!record || record.content !== content || (needsFacts && record.facts?.digest !== facts)) stale.facts.add(system);
  }

  const found: Array<{ rule: number; problem: Problem; seq: number }> = [];
  const fresh = new Map<string, SystemLintRecord>();
  const unstorable = new Set<string>();
  let unowned = false;
  for (const system of stale.facts) fresh.set(system, { content: contents.get(system)!, container: [], facts: needsFacts ? { digest: facts, problems: [] } : undefined });
  const models = {
    container: memo ? subset(model, stale.container) : model,
    facts: memo ? subset(model, stale.facts) : model,
  };
  for (const rule of enabled) {
    const index = order.get(rule.meta.id)!;
    const scope = rule.meta.scope;
    const counts = new Map<Container, number>();
    const started = timings ? performance.now() : 0;
    rule.check({
      model: scope === 'project' ? model : models[scope],
      settings,
      analysis,
      report(problem: Problem) {
        const seq = counts.get(problem.in) ?? 0;
        counts.set(problem.in, seq + 1);
        found.push({ rule: index, problem, seq });
        if (!memo || scope === 'project') return;
        const owner = refs.get(problem.in);
        if (!owner) {
          // A container outside the model's lists (a provisioning file is linted every time).
          if (!model.provisioning.includes(problem.in as never)) unowned = true;
          return;
        }
        const related = problem.related?.map((r) => ({ ...r, in: refs.get(r.in) }));
        const record = fresh.get(owner.system);
        // Findings that point into another system depend on more than this one's content: not reused.
        if (!record || related?.some((r) => r.in?.system !== owner.system)) {
          unstorable.add(owner.system);
          return;
        }
        const stored: StoredProblem = { rule: rule.meta.id, in: owner.ref, at: problem.at, seq, message: problem.message };
        if (problem.within) stored.within = problem.within;
        if (problem.subject !== undefined) stored.subject = problem.subject;
        if (related) stored.related = related.map((r) => ({ message: r.message, in: r.in!.ref, at: r.at, ...(r.within ? { within: r.within } : {}) }));
        (scope === 'container' ? record.container : record.facts!.problems).push(stored);
      },
    });
    timings?.set(rule.meta.id, Math.round(performance.now() - started));
  }
  if (timings) process.stderr.write(`${JSON.stringify({ lintRuleTimings: Object.fromEntries([...timings].sort((a, b) => b[1] - a[1])) })}\n`);

  if (memo) {
    for (const [system, lists] of systems) {
      const record = memo.systems.get(system);
      if (!record) continue;
      const reuse = (stored: StoredProblem[]) => {
        for (const problem of stored) {
          const index = order.get(problem.rule as never);
          if (index !== undefined) found.push({ rule: index, seq: problem.seq, problem: restored(problem, lists) });
        }
      };
      if (!stale.container.has(system)) reuse(record.container);
      if (!stale.facts.has(system) && record.facts) reuse(record.facts.problems);
    }
    const fromFacts = (record: SystemLintRecord, system: string): SystemLintRecord => (stale.container.has(system) ? record : { ...record, container: memo.systems.get(system)!.container });
    memo.written.clear();
    memo.linted.container = stale.container;
    memo.linted.facts = stale.facts;
    for (const system of [...memo.systems.keys()]) if (!systems.has(system) || unowned) memo.systems.delete(system);
    for (const [system, record] of fresh) {
      if (unstorable.has(system) || unowned) memo.systems.delete(system);
      else memo.systems.set(system, fromFacts(record, system));
      memo.written.add(system);
    }
  }

  // The order of a lint without memo as well: by rule, then container, then as the rule reported them.
  const rank = (container: Container) => position.get(container) ?? Number.MAX_SAFE_INTEGER;
  found.sort((a, b) => a.rule - b.rule || rank(a.problem.in) - rank(b.problem.in) || a.seq - b.seq);

  const diagnostics: Diagnostic[] = [];
  // Keyed by the suppression itself: a file-wide comment is shared by every group of its file.
  const used = new Map<Suppression, Set<string>>();
  for (const { rule: index, problem } of found) {
    const rule = enabled[index]!;
    const scoped = suppressionFor(problem.in, problem.at, rule.meta.id);
    if (scoped) {
      const ids = used.get(scoped.suppression) ?? new Set<string>();
      ids.add(rule.meta.id);
      used.set(scoped.suppression, ids);
      continue;
    }
    diagnostics.push({
      rule: rule.meta.id,
      severity: severities[index]!,
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
  }

  const enabledIds = new Set(enabled.map((r) => r.meta.id));
  const judged = new Set<Suppression>();
  for (const container of [...model.dashboards, ...model.ruleGroups, ...model.alertmanagers, ...model.slos]) {
    for (const scoped of container.suppressions) {
      if (judged.has(scoped.suppression)) continue;
      judged.add(scoped.suppression);
      const where = scoped.where ?? container.locator.get(scoped.pointer);
      const silenced = used.get(scoped.suppression);
      for (const id of scoped.suppression.disable) {
        if (enabledIds.has(id) && !silenced?.has(id)) {
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

/** The model with only the named systems' containers; what is known across systems (catalog, datasources) whole. */
function subset(model: ProjectModel, systems: ReadonlySet<string>): ProjectModel {
  const keep = <T extends { system: string }>(list: T[]) => list.filter((c) => systems.has(c.system));
  return {
    ...model,
    dashboards: keep(model.dashboards),
    ruleGroups: keep(model.ruleGroups),
    alertmanagers: keep(model.alertmanagers),
    slos: keep(model.slos),
    sloRuleGroups: keep(model.sloRuleGroups),
  };
}

function fits(record: SystemLintRecord, lists: SystemContainers): boolean {
  const names = (ref: ContainerRef) => Array.isArray(ref) && lists[ref[0]]?.[ref[1]] !== undefined;
  const all = (problems: StoredProblem[]) => problems.every((p) => names(p.in) && (p.related ?? []).every((r) => names(r.in)));
  return all(record.container) && (record.facts === undefined || all(record.facts.problems));
}

function restored(stored: StoredProblem, lists: SystemContainers): Problem {
  const container = (ref: ContainerRef) => lists[ref[0]]![ref[1]]!;
  return {
    in: container(stored.in),
    at: stored.at,
    message: stored.message,
    within: stored.within,
    subject: stored.subject,
    related: stored.related?.map((r) => ({ message: r.message, in: container(r.in), at: r.at, within: r.within })),
  };
}

/**
 * A digest of everything `container` and `facts` rules read of a system: its containers as lint sees
 * them (not where they were written), their suppressions, its system's settings, the settings all
 * share and which rules run. Equal digests: equal containers, in the same order.
 */
function systemDigest(lists: SystemContainers, system: string, settings: LintSettings, rules: readonly LintRule[]): string {
  const hash = createHash('sha1');
  const shared = JSON.stringify([
    rules.map((r) => r.meta.id),
    settings.alertLabels,
    settings.recordLabels,
    settings.runbookAnnotations,
    settings.runbookExemptSeverities,
    settings.runbookBaseUrls,
    settings.alertAnnotations,
    settings.targetLabels,
    settings.implicitLevelLabels,
    settings.duplicateScope,
    settings.scrapeInterval(system),
    settings.evaluationInterval(system),
    settings.prometheus(system),
  ]);
  hash.update(shared);
  lists.forEach((list, kind) => {
    hash.update(`\0${kind}:${list.length}`);
    for (const container of list) hash.update('\0').update(JSON.stringify(containerContent(container)));
  });
  return hash.digest('hex');
}

function containerContent(container: Container): unknown {
  const { locator: _locator, suppressions, ...rest } = container as Container & { suppressions?: ScopedSuppression[] };
  const generatedFrom = (rest as { generatedFrom?: Container }).generatedFrom;
  return [
    { ...rest, generatedFrom: generatedFrom ? containerContent(generatedFrom) : undefined },
    suppressions?.map((s) => [s.pointer, s.suppression]),
    suppressions && new Set(suppressions.map((s) => s.suppression)).size,
  ];
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
