import { parseDuration } from '../model/duration.js';
import type { AlertmanagerModel, ProjectModel, SloModel } from '../model/project-model.js';
import { COMPARISON_OPS, memoisedOverTree, selectorsIn, unwrap, walk, type Binary, type Expr, type Matcher, type VectorSelector } from '../promql/ast.js';
import { parsePromql, type ParseResult } from '../promql/parse.js';
import { foldConstant, metricQuantity, quantityOf } from '../promql/units.js';
import { routesOf, satisfies } from './alertmanager.js';
import { alertsOf, type RuleVisit } from './walk.js';

/**
 * How alerts relate to SLOs (SRE Workbook ch. 5 and research/slo.md §6): each alert is
 * read as an OR of conjuncts, each conjunct an AND of comparisons ("leaves"); a leaf on
 * the SLO's error ratio has an implied burn rate θ / (1 − objective) over its window, a
 * leaf on a latency quantile of the SLO's histogram a quantile and a threshold.
 */

interface LeafBase {
  /** Reads a recorded series (one more rule evaluation before the alert sees a change). */
  recorded?: boolean;
}

interface RatioLeaf extends LeafBase {
  kind: 'ratio';
  /** Error ratio above which the leaf holds. */
  threshold: number;
  windowMs: number;
  /** The comparison, for pointing at it. */
  node: Binary;
}

interface QuantileLeaf extends LeafBase {
  kind: 'quantile';
  quantile: number;
  /** Seconds. */
  threshold: number;
  /** The threshold as written, in the metric's unit. */
  written: number;
  metric: string;
  windowMs: number;
  node: Binary;
}

export type Leaf = RatioLeaf | QuantileLeaf;

export interface GoverningAlert {
  visit: RuleVisit;
  /** Conjuncts with at least one leaf about the SLO. */
  conjuncts: Leaf[][];
  forMs: number;
  /** Tied by `slo` label or TS reference (or generated for the SLO), not only by metric. */
  explicit: boolean;
  generated: boolean;
}

/** What reading alerts against SLOs needs of the lint analysis (`Analysis` has it). */
interface ExpressionIndex {
  parse(text: string): ParseResult;
  /** The rules recording a series name. */
  producersOf(name: string): ReadonlyArray<{ expr: string }>;
}

/**
 * Every alert governing each SLO: generated for it, labelled with its name, or reading its
 * SLI. Lint rules read it once per run as `analysis.governingAlerts`.
 */
export function findGoverningAlerts(model: ProjectModel, analysis: ExpressionIndex): Map<SloModel, GoverningAlert[]> {
  const result = new Map<SloModel, GoverningAlert[]>(model.slos.map((slo) => [slo, []]));
  for (const visit of alertsOf([...model.ruleGroups, ...model.sloRuleGroups])) {
    const generated = visit.group.generatedFrom;
    const named = visit.rule.labels?.slo ?? visit.group.labels?.slo;
    let candidates: SloModel[];
    if (generated) candidates = [generated];
    else if (named !== undefined) {
      const same = model.slos.filter((s) => s.name === named);
      const local = same.filter((s) => s.system === visit.group.system);
      candidates = local.length > 0 ? local : same;
    } else candidates = model.slos.filter((s) => !(s.from === 'ts' && visit.group.from === 'ts' && s.system !== visit.group.system));
    const parsed = generated ? undefined : analysis.parse(visit.rule.expr).expr;
    for (const slo of candidates) {
      const conjuncts = generated
        ? generatedConjuncts(slo, visit.rule.labels?.burn_tier)
        : parsed
          ? conjunctsOf(parsed)
              .map((leaves) => leaves.flatMap((leaf) => classify(leaf, slo, analysis) ?? []))
              .filter((c) => c.length > 0)
          : [];
      const explicit = generated !== undefined || named !== undefined;
      // Unparsed or unreadable conditions count when the alert names the SLO; the generated
      // missing-data alert watches no budget.
      if (conjuncts.length === 0 && (!explicit || generated)) continue;
      result.get(slo)!.push({ visit, conjuncts, forMs: parseDuration(visit.rule.for ?? '0s') ?? 0, explicit, generated: generated !== undefined });
    }
  }
  return result;
}

const NO_NODE = { kind: 'binary', op: '>', opRange: { from: 0, to: 0 }, bool: false, from: 0, to: 0 } as unknown as Binary;

/** A generated burn-rate alert, read from the tier it was made from rather than re-parsed. */
function generatedConjuncts(slo: SloModel, tierName: string | undefined): Leaf[][] {
  const tier = slo.tiers.find((t) => t.tier === tierName);
  if (!tier) return [];
  const threshold = tier.burn * (1 - slo.objective);
  return [[tier.short, tier.long].map((w) => ({ kind: 'ratio' as const, threshold, windowMs: parseDuration(w)!, node: NO_NODE, recorded: true }))];
}

/** The alert as an OR of ANDs of comparisons. Memoised bottom-up: chains of any length. */
const conjunctsOf: (expr: Expr) => Binary[][] = memoisedOverTree((expr: Expr): Binary[][] => {
  const node = unwrap(expr);
  if (node.kind === 'aggregate') return conjunctsOf(node.expr);
  if (node.kind === 'binary') {
    if (node.op === 'or') return [...conjunctsOf(node.lhs), ...conjunctsOf(node.rhs)];
    if (node.op === 'unless') return conjunctsOf(node.lhs);
    if (node.op === 'and') {
      const left = conjunctsOf(node.lhs);
      const right = conjunctsOf(node.rhs);
      if (left.length === 0) return right;
      if (right.length === 0) return left;
      return left.flatMap((l) => right.map((r) => [...l, ...r]));
    }
    if (COMPARISON_OPS.has(node.op) && !node.bool) return [[node]];
  }
  return [];
});

function maxRangeMs(expr: Expr): number {
  let max = 0;
  walk(expr, (node) => {
    if (node.kind === 'matrix' && node.rangeMs) max = Math.max(max, node.rangeMs);
    if (node.kind === 'subquery' && node.rangeMs) max = Math.max(max, node.rangeMs);
  });
  return max;
}

/** Whether selectors of the SLI's metrics can select the SLI's series (`job="web"` cannot, for an SLO on `job="api"`). */
export function sameSeries(slo: SloModel, selectors: readonly VectorSelector[]): boolean {
  const pinned = sliPins(slo);
  return !selectors.some((s) => s.matchers.some((m) => pinned.has(m.label.name) && !satisfies({ label: m.label.name, op: m.op, value: m.value, at: '' }, pinned.get(m.label.name)!)));
}

/** The metric names an SLO's SLI reads. */
export function sliMetrics(slo: SloModel): string[] {
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio':
      return [...new Set([...queryMetricNames(sli.total), ...queryMetricNames(sli.errors ?? sli.good!)])];
    case 'latency':
      return [`${sli.metric}_bucket`, `${sli.metric}_count`];
    case 'events':
      return [...new Set([...queryMetricNames(sli.errorQuery), ...queryMetricNames(sli.totalQuery)])];
    case 'raw':
      return queryMetricNames(sli.errorRatio);
  }
}

/** The metric names an SLI query reads, each once (a `{{.window}}`/`$window` placeholder allowed). */
function queryMetricNames(text: string): string[] {
  const parsed = parsePromql(text.replace(/\$window|\{\{\s*\.window\s*\}\}/g, '5m')).expr;
  return parsed ? [...new Set(selectorsIn(parsed).flatMap((s) => (s.name ? [s.name] : [])))] : [];
}

const SLI_RECORD = /^slo:sli_error:ratio_rate(\w+)$/;

/** Labels the SLI's selectors fix to one value (`job="api"`). */
function sliPins(slo: SloModel): Map<string, string> {
  const pins = new Map<string, string>();
  const sli = slo.sli;
  const texts = sli.kind === 'ratio' ? [sli.total] : sli.kind === 'latency' ? [`${sli.metric}{${sli.matchers}}`] : [];
  for (const text of texts) {
    const parsed = parsePromql(text).expr;
    if (parsed?.kind !== 'vector') continue;
    for (const m of parsed.matchers) if (m.op === '=' && m.label.name !== '__name__') pins.set(m.label.name, m.value);
  }
  return pins;
}

function matcherOf(selector: VectorSelector, label: string): Matcher | undefined {
  return selector.matchers.find((m) => m.label.name === label);
}

/** A comparison read as a statement about the SLO, or undefined when it is about something else. */
function classify(node: Binary, slo: SloModel, analysis: ExpressionIndex, depth = 0): Leaf | undefined {
  const right = foldConstant(node.rhs);
  const left = foldConstant(node.lhs);
  if ((right === undefined) === (left === undefined)) return undefined;
  const quantity = right !== undefined ? node.lhs : node.rhs;
  const threshold = right ?? left!;
  const op = right !== undefined ? node.op : flip(node.op);
  const upward = op === '>' || op === '>=';
  const core = unwrap(quantity);

  // The recorded SLI of this SLO (the generated rules, or Sloth's).
  const selectors = selectorsIn(core);
  if (selectors.length === 1 && selectors[0]!.name) {
    const selector = selectors[0]!;
    const recorded = SLI_RECORD.exec(selector.name!);
    if (recorded) {
      const id = matcherOf(selector, 'sloth_id');
      const name = matcherOf(selector, 'sloth_slo');
      const mine = (id ? satisfies({ ...id, label: 'sloth_id', at: '' }, slo.id) : true) && (name ? satisfies({ ...name, label: 'sloth_slo', at: '' }, slo.name) : true) && (id || name);
      if (!mine || !upward) return undefined;
      const windowMs = parseDuration(recorded[1]!) ?? 0;
      return { kind: 'ratio', threshold, windowMs, node, recorded: true };
    }
    // A recording rule of the user's: read what it records.
    const producers = depth < 3 ? analysis.producersOf(selector.name!) : [];
    if (producers.length === 1 && core.kind === 'vector') {
      const inner = analysis.parse(producers[0]!.expr).expr;
      if (inner) {
        const synthetic: Binary = { ...node, lhs: inner, rhs: { kind: 'number', value: threshold, from: 0, to: 0 }, op: op as Binary['op'] };
        const leaf = classify(synthetic, slo, analysis, depth + 1);
        return leaf ? { ...leaf, node, recorded: true } : undefined;
      }
    }
  }

  const metrics = new Set(sliMetrics(slo));
  const reads = selectors.filter((s) => s.name !== undefined && metrics.has(s.name));
  if (reads.length === 0) return undefined;
  // Another service's series of the same metric (job="api" against an SLO of job="web") is not this SLI.
  if (!sameSeries(slo, reads)) return undefined;
  const windowMs = maxRangeMs(core);

  if (slo.sli.kind === 'latency') {
    let q: number | undefined;
    walk(core, (n) => {
      if (n.kind === 'call' && n.func === 'histogram_quantile') q = foldConstant(n.args[0]!);
    });
    if (q === undefined || !upward) return undefined;
    const scale = metricQuantity(slo.sli.metric).scale;
    const factor = quantityOf(core).scale / (scale || 1);
    return { kind: 'quantile', quantile: q, threshold: threshold / scale / (factor || 1), written: threshold, metric: slo.sli.metric, windowMs, node };
  }

  const measure = quantityOf(core);
  // Separate counters (`failed_total / all_total`) are the SLI when they are the SLO's own pair.
  const own = ownRatio(core, slo);
  if (own !== undefined) {
    if (!own.good && upward) return { kind: 'ratio', threshold: threshold / own.scale, windowMs, node };
    if (own.good && !upward) return { kind: 'ratio', threshold: 1 - threshold / own.scale, windowMs, node };
    return undefined;
  }
  if (measure.dimension !== 'ratio' || !measure.fraction) return undefined;
  const ratio = threshold / measure.scale;
  const good = readsGood(core, slo);
  if (good === undefined) return undefined;
  // `1 - good/total < x` and `good/total < x` both mean errors above 1 − x.
  if (good && !upward) return { kind: 'ratio', threshold: 1 - ratio, windowMs, node };
  if (!good && upward) return { kind: 'ratio', threshold: ratio, windowMs, node };
  return undefined;
}

/** `errors / total` (or `good / total`) over the SLO's own two counters, possibly scaled by 100. */
function ownRatio(expr: Expr, slo: SloModel): { good: boolean; scale: number } | undefined {
  const pair = counterPair(slo);
  if (!pair) return undefined;
  let node = unwrap(expr);
  let scale = 1;
  if (node.kind === 'binary' && node.op === '*' && foldConstant(node.rhs) !== undefined) {
    scale = foldConstant(node.rhs)!;
    node = unwrap(node.lhs);
  }
  if (node.kind !== 'binary' || node.op !== '/') return undefined;
  const top = selectorsIn(node.lhs).map((s) => s.name);
  const bottom = selectorsIn(node.rhs).map((s) => s.name);
  if (top.length !== 1 || top[0] !== pair.part || !bottom.includes(pair.total)) return undefined;
  return { good: pair.good, scale };
}

/**
 * The two counters of an SLI that counts its part and its whole in separate
 * metrics (`checkout_failed_total` of `checkout_total`); undefined when the
 * part is a slice of the whole's own metric (`code=~"5.."`).
 */
function counterPair(slo: SloModel): { part: string; total: string; good: boolean } | undefined {
  const sli = slo.sli;
  let totals: string[];
  let part: string[];
  let good: boolean;
  if (sli.kind === 'ratio') {
    totals = queryMetricNames(sli.total);
    part = queryMetricNames(sli.errors ?? sli.good!);
    good = sli.good !== undefined;
  } else if (sli.kind === 'events') {
    // Errors counted directly, or as the total minus the good (OpenSLO's `good`).
    totals = queryMetricNames(sli.totalQuery);
    const errors = queryMetricNames(sli.errorQuery);
    part = errors.filter((n) => !totals.includes(n));
    good = totals.length > 0 && totals.every((n) => errors.includes(n));
  } else {
    return undefined;
  }
  if (totals.length !== 1 || part.length !== 1 || part[0] === totals[0]) return undefined;
  return { part: part[0]!, total: totals[0]!, good };
}

function flip(op: string): string {
  return op === '>' ? '<' : op === '<' ? '>' : op === '>=' ? '<=' : op === '<=' ? '>=' : op;
}

/** Whether a ratio counts good events (true), bad events (false), or cannot be told (undefined). */
function readsGood(expr: Expr, slo: SloModel): boolean | undefined {
  // Down through `1 - …`, scaling and label functions to the ratio, in a loop (the chain may be long).
  let node = unwrap(expr);
  let negated = false;
  for (;;) {
    if (node.kind === 'binary' && node.op === '-' && foldConstant(node.lhs) === 1) {
      negated = !negated;
      node = unwrap(node.rhs);
    } else if (node.kind === 'call' && ['label_replace', 'label_join', 'clamp', 'clamp_max', 'clamp_min', 'abs', 'sort', 'sort_desc'].includes(node.func)) node = unwrap(node.args[0]!);
    else if (node.kind === 'aggregate' && ['max', 'min', 'avg', 'sum'].includes(node.op)) node = unwrap(node.expr);
    else if (node.kind === 'binary' && (node.op === '*' || node.op === '/') && foldConstant(node.rhs) !== undefined) node = unwrap(node.lhs);
    else if (node.kind === 'binary' && node.op === '*' && foldConstant(node.lhs) !== undefined) node = unwrap(node.rhs);
    else break;
  }
  const verdict = ratioReadsGood(node, slo);
  return verdict === undefined ? undefined : verdict !== negated;
}

function ratioReadsGood(node: Expr, slo: SloModel): boolean | undefined {
  if (node.kind !== 'binary' || node.op !== '/') return undefined;
  const top = selectorsIn(node.lhs);
  const bottom = selectorsIn(node.rhs);
  if (top.length === 0 || bottom.length === 0) return undefined;
  const extra = top[0]!.matchers.filter((m) => m.label.name !== '__name__' && !bottom[0]!.matchers.some((b) => b.label.name === m.label.name && b.op === m.op && b.value === m.value));
  if (top[0]!.name !== bottom[0]!.name) {
    // Separate counters: the name says which (errors_total / requests_total).
    return /(error|fail|bad|5xx)/i.test(top[0]!.name ?? '') ? false : /(success|good|ok|hit)/i.test(top[0]!.name ?? '') ? true : undefined;
  }
  if (extra.length === 0) return undefined;
  const sli = slo.sli;
  if (sli.kind === 'ratio') {
    const slice = parsePromql(sli.errors ?? sli.good!).expr;
    const sliMatchers = slice?.kind === 'vector' ? slice.matchers : [];
    const same = extra.every((m) => sliMatchers.some((s) => s.label.name === m.label.name && s.op === m.op && s.value === m.value));
    if (same) return sli.good !== undefined;
  }
  // `code=~"5.."` selects errors, `code!~"5.."` or `code=~"2.."` the rest.
  const negative = extra.every((m) => m.op === '!=' || m.op === '!~');
  if (negative) return true;
  return extra.some((m) => /(^|\W)5|error|fail|false/i.test(m.value)) ? false : /^(2|ok|success|true)/i.test(extra[0]!.value) ? true : undefined;
}

/** The error ratio above which a leaf holds: a ratio leaf's threshold, or 1 − q for a quantile at the SLO's own latency threshold. */
export function errorRatioOf(leaf: Leaf, slo: SloModel): number | undefined {
  if (leaf.kind === 'ratio') return leaf.threshold;
  return slo.sli.kind === 'latency' && Math.abs(leaf.threshold - slo.sli.thresholdSeconds) < 1e-9 ? 1 - leaf.quantile : undefined;
}

/** The burn rate a ratio leaf implies: θ / (1 − objective). */
export function impliedBurn(slo: SloModel, leaf: RatioLeaf): number {
  return leaf.threshold / (1 - slo.objective);
}

/** Alertmanager's group_wait for an alert of `system` with `labels` (30s when unknown). */
export function groupWaitMs(alertmanagers: readonly AlertmanagerModel[], system: string, labels: Record<string, string>): number {
  const am = alertmanagers.find((a) => a.system === system) ?? (alertmanagers.length === 1 ? alertmanagers[0] : undefined);
  const fallback = 30_000;
  if (!am) return fallback;
  const routes = routesOf(am.config);
  let wait = fallback;
  let depth = -1;
  const matchingPath = new Set<string>();
  for (const visit of routes) {
    const parent = visit.at.replace(/\/routes\/\d+$/, '');
    if (visit.depth > 0 && !matchingPath.has(parent)) continue;
    if (!visit.matchers.every((m) => satisfies(m, labels[m.label] ?? '') !== false)) continue;
    matchingPath.add(visit.at);
    if (visit.depth > depth) {
      depth = visit.depth;
      const own = typeof visit.route.group_wait === 'string' ? parseDuration(visit.route.group_wait) : undefined;
      if (own !== undefined) wait = own;
    }
  }
  return wait;
}

/** Human durations for findings: `52 s`, `7.8 min`, `14.4 h`, `2.1 days`. */
export function percent(ratio: number): string {
  return `${+(ratio * 100).toPrecision(4)}%`;
}
