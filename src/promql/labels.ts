import { COMPARISON_OPS, memoisedOverTree, selectorsIn, type Binary, type Expr, type Matcher, type VectorSelector } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { matchesEmpty } from './parse.js';

/**
 * What is known about the labels of the series an expression returns:
 * labels certainly present, labels certainly absent, and whether any other
 * label may appear (`open`) or only those listed as `possible`.
 */
export interface LabelSet {
  readonly certain: ReadonlySet<string>;
  readonly possible: ReadonlySet<string>;
  readonly absent: ReadonlySet<string>;
  /** Other labels may be present too (nothing is known about the full set). */
  readonly open: boolean;
  /** Why a label is certainly absent: the expression that removed it. */
  readonly removedBy: ReadonlyMap<string, Expr>;
  /** The expression that fixed the label set (an aggregation with `by`, `absent()`…), for labels not listed. */
  readonly closedBy?: Expr;
}

type Presence = 'yes' | 'no' | 'maybe';

export function presence(set: LabelSet, label: string): Presence {
  if (set.certain.has(label)) return 'yes';
  if (set.absent.has(label)) return 'no';
  if (set.possible.has(label) || set.open) return 'maybe';
  return 'no';
}

/** What a series name is known to carry: from a recording rule, or from a metric catalog. */
export interface SeriesKnowledge {
  /** Labels of a series produced by a recording rule in the lint set. */
  recorded(name: string): LabelSet | undefined;
  /** Labels of a metric in the catalog (closed), including target labels. */
  catalog(name: string): LabelSet | undefined;
  /** Labels every scraped series carries (default `job`, `instance`). */
  targetLabels: readonly string[];
}

export const NO_KNOWLEDGE: SeriesKnowledge = { recorded: () => undefined, catalog: () => undefined, targetLabels: ['job', 'instance'] };

const EMPTY: ReadonlySet<string> = new Set();

export function closedSet(labels: Iterable<string>, possible: Iterable<string> = []): LabelSet {
  return { certain: new Set(labels), possible: new Set(possible), absent: EMPTY, open: false, removedBy: new Map() };
}

function make(certain: Set<string>, possible: Set<string>, absent: Set<string>, open: boolean, removedBy: Map<string, Expr>, closedBy?: Expr): LabelSet {
  for (const label of certain) {
    possible.delete(label);
    absent.delete(label);
  }
  for (const label of absent) possible.delete(label);
  return { certain, possible, absent, open, removedBy, closedBy };
}

function without(set: LabelSet, labels: Iterable<string>, by: Expr): LabelSet {
  const certain = new Set(set.certain);
  const possible = new Set(set.possible);
  const absent = new Set(set.absent);
  const removedBy = new Map(set.removedBy);
  for (const label of labels) {
    if (certain.delete(label) || possible.delete(label) || set.open) {
      if (!absent.has(label)) removedBy.set(label, by);
    }
    absent.add(label);
  }
  return make(certain, possible, absent, set.open, removedBy, set.closedBy);
}

/** Only `labels` can survive (aggregation `by`, `on(...)` one-to-one matching). */
function keepOnly(set: LabelSet, labels: readonly string[], by: Expr): LabelSet {
  const keep = new Set(labels);
  const certain = new Set([...set.certain].filter((l) => keep.has(l)));
  const possible = new Set(labels.filter((l) => !certain.has(l) && presence(set, l) === 'maybe'));
  const removedBy = new Map<string, Expr>();
  for (const label of [...set.certain, ...set.possible]) if (!keep.has(label)) removedBy.set(label, by);
  for (const [label, expr] of set.removedBy) if (!keep.has(label) || presence(set, label) === 'no') removedBy.set(label, expr);
  return { certain, possible, absent: new Set([...set.absent, ...removedBy.keys()].filter((l) => !certain.has(l) && !possible.has(l))), open: false, removedBy, closedBy: by };
}

/** What removed a label that is certainly absent. */
export function removerOf(set: LabelSet, label: string): Expr | undefined {
  return set.removedBy.get(label) ?? (set.open ? undefined : set.closedBy);
}

function union(a: LabelSet, b: LabelSet): LabelSet {
  const certain = new Set([...a.certain].filter((l) => b.certain.has(l)));
  const possible = new Set([...a.certain, ...a.possible, ...b.certain, ...b.possible].filter((l) => !certain.has(l)));
  const absent = new Set([...a.absent].filter((l) => presence(b, l) === 'no'));
  if (!a.open) for (const l of b.absent) if (presence(a, l) === 'no') absent.add(l);
  const removedBy = new Map([...b.removedBy, ...a.removedBy].filter(([l]) => absent.has(l)));
  return make(certain, possible, absent, a.open || b.open, removedBy);
}

/** Labels of the series a selector returns. */
export function selectorLabels(selector: VectorSelector, knowledge: SeriesKnowledge): LabelSet {
  const base = selector.name ? (knowledge.recorded(selector.name) ?? knowledge.catalog(selector.name)) : undefined;
  const certain = new Set(base?.certain ?? []);
  const possible = new Set(base?.possible ?? []);
  const absent = new Set(base?.absent ?? []);
  if (selector.name) certain.add('__name__');
  // A scraped series always carries its target labels; recorded series (`a:b:c`) need not.
  if (!base && selector.name && !selector.name.includes(':')) for (const label of knowledge.targetLabels) certain.add(label);
  for (const matcher of selector.matchers) {
    if (matcher.label.name === '__name__') continue;
    const empty = matchesEmpty(matcher);
    if (empty === false) certain.add(matcher.label.name);
    else if (matcher.op === '=' && matcher.value === '') absent.add(matcher.label.name);
  }
  return make(certain, possible, absent, base ? base.open : true, new Map(base?.removedBy ?? []));
}

const labelsByKnowledge = new WeakMap<SeriesKnowledge, (expr: Expr) => LabelSet>();

/**
 * The labels of the series an expression returns. Scalars and strings
 * return an empty closed set. Memoised per knowledge, and computed bottom-up (no deep recursion).
 */
export function labelsOf(expr: Expr, knowledge: SeriesKnowledge = NO_KNOWLEDGE): LabelSet {
  let labels = labelsByKnowledge.get(knowledge);
  if (!labels) {
    labels = memoisedOverTree((node) => labelsOfNode(node, knowledge));
    labelsByKnowledge.set(knowledge, labels);
  }
  return labels(expr);
}

function labelsOfNode(expr: Expr, knowledge: SeriesKnowledge): LabelSet {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return closedSet([]);
    case 'vector':
      return selectorLabels(expr, knowledge);
    case 'matrix':
      return selectorLabels(expr.selector, knowledge);
    case 'subquery':
    case 'paren':
      return labelsOf(expr.expr, knowledge);
    case 'unary':
      return without(labelsOf(expr.expr, knowledge), ['__name__'], expr);
    case 'aggregate': {
      const inner = labelsOf(expr.expr, knowledge);
      if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(expr.op)) return inner;
      let result: LabelSet;
      if (!expr.grouping) result = keepOnly(inner, [], expr);
      else if (expr.grouping.mode === 'by')
        result = keepOnly(
          inner,
          expr.grouping.labels.map((l) => l.name),
          expr,
        );
      else result = without(inner, ['__name__', ...expr.grouping.labels.map((l) => l.name)], expr);
      if (expr.op === 'count_values' && expr.param?.kind === 'string') {
        result = make(new Set([...result.certain, expr.param.value]), new Set(result.possible), new Set(result.absent), result.open, new Map(result.removedBy));
      }
      return result;
    }
    case 'call':
      return callLabels(expr, knowledge);
    case 'binary':
      return binaryLabels(expr, knowledge);
  }
}

function callLabels(expr: Extract<Expr, { kind: 'call' }>, knowledge: SeriesKnowledge): LabelSet {
  const signature = FUNCTIONS[expr.func];
  const vectorArg = expr.args.find((arg, i) => signature?.args[Math.min(i, signature.args.length - 1)] === 'vector' || signature?.args[Math.min(i, signature.args.length - 1)] === 'matrix');
  const inner = vectorArg ? labelsOf(vectorArg, knowledge) : closedSet([]);
  switch (signature?.labels) {
    case undefined:
    case 'keep':
      return vectorArg ? without(inner, ['__name__'], expr) : closedSet([]);
    case 'keep-name':
      return inner;
    case 'none':
      return closedSet([]);
    case 'drop-le':
      return without(inner, ['__name__', 'le'], expr);
    case 'absent': {
      let selector: VectorSelector | undefined;
      const arg = expr.args[0];
      if (arg?.kind === 'vector') selector = arg;
      else if (arg?.kind === 'matrix') selector = arg.selector;
      const labels = selector ? selector.matchers.filter((m) => m.op === '=' && m.label.name !== '__name__' && m.value !== '').map((m) => m.label.name) : [];
      const removedBy = new Map<string, Expr>();
      const result = closedSet(labels);
      for (const label of inner.certain) if (!result.certain.has(label)) removedBy.set(label, expr);
      return { ...result, absent: new Set(removedBy.keys()), removedBy, closedBy: expr };
    }
    case 'replace':
    case 'join': {
      const destination = expr.args[1]?.kind === 'string' ? expr.args[1].value : undefined;
      if (!destination) return { ...inner, open: true };
      const certain = new Set(inner.certain);
      const possible = new Set(inner.possible);
      const absent = new Set(inner.absent);
      const removedBy = new Map(inner.removedBy);
      // The destination may end up empty (no regex match, empty sources), so it is only "possible".
      possible.add(destination);
      absent.delete(destination);
      removedBy.delete(destination);
      certain.delete(destination);
      return make(certain, possible, absent, inner.open, removedBy);
    }
    case 'info':
      return { ...inner, open: true };
  }
}

function binaryLabels(expr: Binary, knowledge: SeriesKnowledge): LabelSet {
  const lhs = labelsOf(expr.lhs, knowledge);
  const rhs = labelsOf(expr.rhs, knowledge);
  const lhsScalar = isScalar(expr.lhs);
  const rhsScalar = isScalar(expr.rhs);
  const dropName = !COMPARISON_OPS.has(expr.op) || expr.bool;
  if (lhsScalar && rhsScalar) return closedSet([]);
  if (lhsScalar || rhsScalar) {
    const vector = lhsScalar ? rhs : lhs;
    return dropName ? without(vector, ['__name__'], expr) : vector;
  }
  if (expr.op === 'or') return union(lhs, rhs);
  if (expr.op === 'and' || expr.op === 'unless') return lhs;
  const matching = expr.matching;
  let result = dropName ? without(lhs, ['__name__'], expr) : lhs;
  if (matching?.group) {
    // Many-to-one: the "many" side keeps its labels; group_x(labels) copies labels from the "one" side.
    const many = matching.group.side === 'left' ? lhs : rhs;
    const one = matching.group.side === 'left' ? rhs : lhs;
    result = dropName ? without(many, ['__name__'], expr) : many;
    const certain = new Set(result.certain);
    const possible = new Set(result.possible);
    const absent = new Set(result.absent);
    const removedBy = new Map(result.removedBy);
    for (const label of matching.group.labels) {
      const there = presence(one, label.name);
      absent.delete(label.name);
      removedBy.delete(label.name);
      if (there === 'yes') certain.add(label.name);
      else if (there === 'maybe') possible.add(label.name);
      else {
        certain.delete(label.name);
        absent.add(label.name);
        const why = one.removedBy.get(label.name);
        if (why) removedBy.set(label.name, why);
      }
    }
    return make(certain, possible, absent, result.open, removedBy);
  }
  if (matching?.mode === 'on')
    return keepOnly(
      result,
      matching.labels.map((l) => l.name),
      expr,
    );
  if (matching?.mode === 'ignoring')
    return without(
      result,
      matching.labels.map((l) => l.name),
      expr,
    );
  return result;
}

/** Whether an expression evaluates to a scalar (numbers, `scalar()`, `time()`, arithmetic of scalars). */
const isScalar = memoisedOverTree((expr: Expr): boolean => {
  switch (expr.kind) {
    case 'number':
      return true;
    case 'paren':
    case 'unary':
      return isScalar(expr.expr);
    case 'call':
      return FUNCTIONS[expr.func]?.returns === 'scalar';
    case 'binary':
      return isScalar(expr.lhs) && isScalar(expr.rhs);
    default:
      return false;
  }
});

/**
 * For a binary operation between two vectors with one-to-one or many-to-one
 * matching: a label that decides the match which one side certainly has and
 * the other certainly lacks, so no pair of series can ever match.
 */
export function impossibleMatch(expr: Binary, knowledge: SeriesKnowledge): { label: string; present: 'left' | 'right'; removedBy?: Expr } | undefined {
  // `or` joins series that need not match (`x or vector(0)`); `and`/`unless` match like `/` (without `__name__`).
  if (expr.op === 'or') return undefined;
  if (isScalar(expr.lhs) || isScalar(expr.rhs)) return undefined;
  const lhs = labelsOf(expr.lhs, knowledge);
  const rhs = labelsOf(expr.rhs, knowledge);
  const candidates =
    expr.matching?.mode === 'on'
      ? expr.matching.labels.map((l) => l.name)
      : [...new Set([...lhs.certain, ...rhs.certain, ...lhs.absent, ...rhs.absent])].filter(
          (l) => l !== '__name__' && !(expr.matching?.mode === 'ignoring' && expr.matching.labels.some((x) => x.name === l)),
        );
  for (const label of candidates) {
    const left = presence(lhs, label);
    const right = presence(rhs, label);
    if (left === 'yes' && right === 'no') return { label, present: 'left', removedBy: removerOf(rhs, label) };
    if (left === 'no' && right === 'yes') return { label, present: 'right', removedBy: removerOf(lhs, label) };
  }
  return undefined;
}

function keepsLabels(func: string): boolean {
  const labels = FUNCTIONS[func]?.labels;
  return labels === 'keep' || labels === 'keep-name';
}

/** The `by (…)` labels an expression is grouped to at its top (an aggregation without `by` groups to none), else undefined. */
const groupedBy = memoisedOverTree((expr: Expr): string[] | undefined => {
  switch (expr.kind) {
    case 'paren':
    case 'unary':
      return groupedBy(expr.expr);
    case 'aggregate':
      if (['topk', 'bottomk', 'limitk', 'limit_ratio', 'count_values'].includes(expr.op)) return undefined;
      if (!expr.grouping) return [];
      return expr.grouping.mode === 'by' ? expr.grouping.labels.map((l) => l.name) : undefined;
    case 'call':
      // A function that keeps its input's labels keeps the grouping under it.
      return keepsLabels(expr.func) && expr.args.length > 0 ? groupedBy(expr.args.find((a) => !isScalar(a)) ?? expr.args[0]!) : undefined;
    case 'binary':
      if (expr.matching || expr.op === 'and' || expr.op === 'or' || expr.op === 'unless') return undefined;
      if (isScalar(expr.rhs)) return groupedBy(expr.lhs);
      if (isScalar(expr.lhs)) return groupedBy(expr.rhs);
      return undefined;
    default:
      return undefined;
  }
});

/**
 * Two sides aggregated to different labels, matched on all of them: `sum by (pipeline) (…) /
 * sum by (source) (…)`. A label named in `by (…)` is taken to be on the series (nobody groups by
 * a label that is not there), so the side grouped by it never meets the side that dropped it.
 */
export function groupingMismatch(expr: Binary, knowledge: SeriesKnowledge): { label: string; present: 'left' | 'right'; removedBy?: Expr } | undefined {
  if (expr.op === 'or' || expr.matching?.mode === 'on') return undefined;
  if (isScalar(expr.lhs) || isScalar(expr.rhs)) return undefined;
  const left = groupedBy(expr.lhs);
  const right = groupedBy(expr.rhs);
  if (!left || !right) return undefined;
  const ignored = new Set(expr.matching?.mode === 'ignoring' ? expr.matching.labels.map((l) => l.name) : []);
  const lhs = labelsOf(expr.lhs, knowledge);
  const rhs = labelsOf(expr.rhs, knowledge);
  for (const [own, other, ownSet, present] of [
    [left, right, lhs, 'left'],
    [right, left, rhs, 'right'],
  ] as const) {
    const otherSet = present === 'left' ? rhs : lhs;
    const label = own.find((l) => !ignored.has(l) && !other.includes(l) && presence(ownSet, l) !== 'no' && presence(otherSet, l) === 'no');
    if (label) return { label, present, removedBy: removerOf(otherSet, label) };
  }
  return undefined;
}

/**
 * A division whose two sides read the same series through the same functions, the left
 * side narrowed by matchers on labels that survive on both sides and decide the match:
 * every left series meets its identical twin on the right, so the ratio is always 1.
 * `rate(x{code=~"5.."}[5m]) / rate(x[5m])` is the usual case. Returns the narrowing matcher.
 */
export function selfDivision(expr: Binary, text: string, knowledge: SeriesKnowledge): Matcher | undefined {
  if (expr.op !== '/' || expr.matching?.mode === 'on') return undefined;
  const left = selectorsIn(expr.lhs);
  const right = selectorsIn(expr.rhs);
  if (left.length !== 1 || right.length !== 1) return undefined;
  const [l] = left as [VectorSelector];
  const [r] = right as [VectorSelector];
  if (!l.name || l.name !== r.name || l.offsetMs !== r.offsetMs) return undefined;
  if (shapeWithoutMatchers(text, expr.lhs) !== shapeWithoutMatchers(text, expr.rhs)) return undefined;
  const key = (m: Matcher) => `${m.label.name}${m.op}${m.value}`;
  const leftKeys = new Set(l.matchers.map(key));
  if (!r.matchers.every((m) => leftKeys.has(key(m)))) return undefined;
  const rightKeys = new Set(r.matchers.map(key));
  const lhsLabels = labelsOf(expr.lhs, knowledge);
  const rhsLabels = labelsOf(expr.rhs, knowledge);
  const ignored = new Set(expr.matching?.mode === 'ignoring' ? expr.matching.labels.map((x) => x.name) : []);
  return l.matchers.find(
    (m) => !rightKeys.has(key(m)) && m.label.name !== '__name__' && !ignored.has(m.label.name) && presence(lhsLabels, m.label.name) !== 'no' && presence(rhsLabels, m.label.name) !== 'no',
  );
}

/** The text of an expression with its selectors' matchers and surrounding parentheses removed. */
function shapeWithoutMatchers(text: string, expr: Expr): string {
  return text
    .slice(expr.from, expr.to)
    .replace(/\{[^}]*\}/g, '')
    .replace(/\s+/g, '')
    .replace(/^\((.*)\)$/, '$1');
}
