import { COMPARISON_OPS, memoisedOverTree, selectorsIn, unwrap, walk, type Expr } from './ast.js';

/**
 * The physical quantity an expression returns, and its scale relative to the
 * base unit: seconds (`ms` is scale 1000), bytes, or a ratio (`percent` is
 * scale 100). `unknown` when nothing can be said.
 */
export interface Quantity {
  dimension: 'time' | 'bytes' | 'ratio' | 'unknown';
  scale: number;
  /** A part of a whole (errors / requests): at most 1 × scale. */
  fraction?: boolean;
}

const UNKNOWN: Quantity = { dimension: 'unknown', scale: 1 };

/** The quantity of a metric from its name's unit suffix (Prometheus naming conventions). */
export function metricQuantity(name: string): Quantity {
  const base = name.replace(/_(total|sum|bucket|count|created)$/, '');
  if (/_(count|bucket)$/.test(name) && !/_total$/.test(name)) return UNKNOWN;
  if (/_seconds$/.test(base)) return { dimension: 'time', scale: 1 };
  if (/_(milliseconds|ms)$/.test(base)) return { dimension: 'time', scale: 1000 };
  if (/_(microseconds|us)$/.test(base)) return { dimension: 'time', scale: 1e6 };
  if (/_(nanoseconds|ns)$/.test(base)) return { dimension: 'time', scale: 1e9 };
  if (/_bytes$/.test(base)) return { dimension: 'bytes', scale: 1 };
  // `_ratio`/`_percent` names are not trusted: exporters name 0–100 percentages `_ratio` (SQL Server's buffer cache hit ratio).
  return UNKNOWN;
}

/** The value of an expression made only of numbers (`14.4 * 0.001`), else undefined. */
export const foldConstant = memoisedOverTree((expr: Expr): number | undefined => {
  switch (expr.kind) {
    case 'number':
      return expr.value;
    case 'paren':
      return foldConstant(expr.expr);
    case 'unary': {
      const value = foldConstant(expr.expr);
      return value === undefined ? undefined : expr.op === '-' ? -value : value;
    }
    case 'binary': {
      const a = foldConstant(expr.lhs);
      const b = foldConstant(expr.rhs);
      if (a === undefined || b === undefined) return undefined;
      switch (expr.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
        case '^':
          return a ** b;
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
});

/** A folded number as people write it: `14.4 * 0.1` gives 1.44, not 1.4400000000000002. */
export function formatNumber(value: number): string {
  return String(+value.toPrecision(12));
}

/** Metric names an expression reads (selectors), in order. */
export function metricNames(expr: Expr): string[] {
  return selectorsIn(expr).flatMap((selector) => (selector.name ? [selector.name] : []));
}

/** The metric family a series name belongs to: `x_total`, `x_bucket` → `x`. */
function family(name: string): string {
  return name.replace(/_(total|sum|count|bucket)$/, '');
}

/** Memoised and computed bottom-up, so deep expressions neither overflow the stack nor take O(n²). */
export const quantityOf = memoisedOverTree((expr: Expr): Quantity => {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return UNKNOWN;
    case 'vector':
      return expr.name ? metricQuantity(expr.name) : UNKNOWN;
    case 'matrix':
      return expr.selector.name ? metricQuantity(expr.selector.name) : UNKNOWN;
    case 'paren':
    case 'unary':
    case 'subquery':
      return quantityOf(expr.expr);
    case 'aggregate': {
      if (['count', 'count_values', 'group'].includes(expr.op)) return UNKNOWN;
      const q = quantityOf(expr.expr);
      // A sum of shares (the busy fractions of 8 CPUs) can exceed 1: same unit, no longer a part of one whole.
      return expr.op === 'sum' && q.fraction ? { dimension: q.dimension, scale: q.scale } : q;
    }
    case 'call': {
      const arg = expr.args[expr.args.length - 1];
      switch (expr.func) {
        case 'histogram_quantile': {
          const bucket = arg && metricNames(arg).find((n) => n.endsWith('_bucket'));
          return bucket ? metricQuantity(bucket.replace(/_bucket$/, '')) : UNKNOWN;
        }
        case 'rate':
        case 'irate':
          return busyTime(metricNames(expr.args[0]!));
        case 'abs':
        case 'ceil':
        case 'floor':
        case 'round':
        case 'clamp':
        case 'clamp_min':
        case 'clamp_max':
        case 'avg_over_time':
        case 'max_over_time':
        case 'min_over_time':
        case 'last_over_time':
        case 'quantile_over_time':
        case 'label_replace':
        case 'label_join':
        case 'sort':
        case 'sort_desc':
          return quantityOf(expr.func === 'quantile_over_time' ? expr.args[1]! : expr.args[0]!);
        default:
          return UNKNOWN;
      }
    }
    case 'binary': {
      if (COMPARISON_OPS.has(expr.op) && !expr.bool) return quantityOf(expr.lhs);
      if (expr.op === 'and' || expr.op === 'unless') return quantityOf(expr.lhs);
      const a = foldConstant(expr.lhs);
      const b = foldConstant(expr.rhs);
      if (b !== undefined && a === undefined) {
        const q = quantityOf(expr.lhs);
        if (q.dimension === 'unknown') return q;
        if (expr.op === '*') return { ...q, scale: q.scale * unitFactor(b) };
        if (expr.op === '/') return { ...q, scale: q.scale / unitFactor(b) };
        if (expr.op === '+' || expr.op === '-') return q;
        return UNKNOWN;
      }
      if (a !== undefined && b === undefined) {
        const q = quantityOf(expr.rhs);
        if (q.dimension === 'unknown') return q;
        if (expr.op === '*') return { ...q, scale: q.scale * unitFactor(a) };
        // `1 - fraction`, `100 - percent`
        if (expr.op === '-' && q.dimension === 'ratio' && Math.abs(a - q.scale) < 1e-9) return q;
        if (expr.op === '+') return q;
        return UNKNOWN;
      }
      const lhs = quantityOf(expr.lhs);
      const rhs = quantityOf(expr.rhs);
      if (expr.op === '/') {
        const top = splitFactor(expr.lhs);
        const bottom = splitFactor(expr.rhs);
        if (isFraction(top.core, bottom.core) || isShareOfCapacity(top.core, bottom.core)) return { dimension: 'ratio', scale: unitFactor(top.factor) / unitFactor(bottom.factor), fraction: true };
        if (lhs.dimension !== 'unknown' && lhs.dimension === rhs.dimension) return { dimension: 'ratio', scale: lhs.scale / rhs.scale };
        if (lhs.dimension === 'time' && isCountOf(expr.rhs, expr.lhs)) return lhs;
        return UNKNOWN;
      }
      if ((expr.op === '+' || expr.op === '-') && lhs.dimension === rhs.dimension && lhs.scale === rhs.scale) return lhs;
      return UNKNOWN;
    }
  }
});

/**
 * Seconds spent per second, from `rate()` of one `*_seconds_total` counter: a ratio in 0–1 per
 * busy thing. Only a single CPU, disk or pressure-stall series is bounded by 1 (a share of one
 * whole); a process or container can spend several CPU seconds per second on several cores.
 */
const BOUNDED_BUSY_TIME = /^(?:node_cpu_seconds_total|node_disk_io_time_seconds_total|node_pressure_(?:cpu|memory|io)_(?:waiting|stalled)_seconds_total)$/;

function busyTime(names: string[]): Quantity {
  if (names.length !== 1 || !names[0]!.endsWith('_seconds_total')) return UNKNOWN;
  return BOUNDED_BUSY_TIME.test(names[0]!) ? { dimension: 'ratio', scale: 1, fraction: true } : { dimension: 'ratio', scale: 1 };
}

/** Constants that convert units (10³, 10⁶, 10⁹, 100, 60, 3600, 1024ⁿ, 8); others scale values, not units. */
const UNIT_FACTORS = [1e3, 1e6, 1e9, 100, 60, 3600, 86400, 1024, 1024 ** 2, 1024 ** 3, 8];

function unitFactor(constant: number): number {
  const size = Math.abs(constant);
  if (UNIT_FACTORS.some((f) => Math.abs(size - f) < 1e-9 * f || Math.abs(size - 1 / f) < 1e-12 / f)) return size;
  return 1;
}

/** `100 * x` → { factor: 100, core: x }. */
const splitFactor = memoisedOverTree((expr: Expr): { factor: number; core: Expr } => {
  const node = unwrap(expr);
  // `sum(rate(x[5m]) * 100)` is `100 * sum(rate(x[5m]))`: the factor passes through sums, means and extremes.
  if (node.kind === 'aggregate' && ['sum', 'avg', 'min', 'max'].includes(node.op)) {
    const inner = splitFactor(node.expr);
    if (inner.factor !== 1) return { factor: inner.factor, core: node };
  }
  if (node.kind === 'binary' && (node.op === '*' || node.op === '/')) {
    const right = foldConstant(node.rhs);
    if (right !== undefined) {
      const inner = splitFactor(node.lhs);
      return { factor: node.op === '*' ? inner.factor * right : inner.factor / right, core: inner.core };
    }
    const left = foldConstant(node.lhs);
    if (left !== undefined && node.op === '*') {
      const inner = splitFactor(node.rhs);
      return { factor: inner.factor * left, core: inner.core };
    }
  }
  return { factor: 1, core: node };
});

interface Selection {
  name: string;
  matchers: Set<string>;
  shift: string;
}

function selections(expr: Expr): Selection[] {
  const list: Selection[] = [];
  walk(expr, (node) => {
    const selector = node.kind === 'vector' ? node : node.kind === 'matrix' ? node.selector : undefined;
    if (!selector?.name) return;
    list.push({
      name: selector.name,
      matchers: new Set(selector.matchers.filter((m) => m.label.name !== '__name__').map((m) => `${m.label.name}${m.op}${m.value}`)),
      shift: `${node.kind === 'matrix' ? node.rangeMs : ''}/${selector.offsetMs ?? ''}`,
    });
  });
  return list;
}

/**
 * A part over its whole, so at most 1: the numerator selects a subset of what
 * the denominator counts (`x{code=~"5.."} / x`, `hits / (hits + misses)`), over
 * the same window. Two sites, two types or two moments are not parts of a whole.
 */
function isFraction(numerator: Expr, denominator: Expr): boolean {
  const top = selections(numerator);
  const bottom = selections(denominator);
  if (top.length === 0 || bottom.length === 0) return false;
  // `x_sum / x_count` is a mean, not a fraction.
  if (top.some((s) => s.name.endsWith('_sum')) && bottom.some((s) => s.name.endsWith('_count'))) return false;
  let narrower = false;
  for (const part of top) {
    const whole = bottom.find((w) => partOf(part.name, w.name) && w.shift === part.shift && [...w.matchers].every((m) => part.matchers.has(m)));
    if (!whole) return false;
    if (part.matchers.size > whole.matchers.size || part.name !== whole.name) narrower = true;
  }
  const extraInWhole = bottom.some((w) => !top.some((p) => partOf(p.name, w.name)));
  return narrower || extraInWhole;
}

/** An outcome counted beside its total: `iterations_missed_total` of `iterations_total`. */
const OUTCOME = /^(?:missed|failed|failures?|errors?|errored|dropped|rejected|timeouts?|skipped|retried|discarded|succeeded|successful|success|hits?|misses)$/;

/** Whether series `part` counts a share of what `whole` counts: the same family, or an outcome of it. */
function partOf(part: string, whole: string): boolean {
  const stem = family(whole);
  const own = family(part);
  return own === stem || (own.startsWith(`${stem}_`) && OUTCOME.test(own.slice(stem.length + 1)));
}

/** The part of a capacity a byte gauge names (`avail`, `MemFree`), and the whole (`size`, `MemTotal`). */
const CAPACITY_PART = /^(?:mem)?(?:avail|available|free|used|usage)$/i;
const CAPACITY_WHOLE = /^(?:mem)?(?:total|size|capacity)$/i;

/**
 * Free or used bytes over the capacity of the same thing, so at most 1:
 * `node_filesystem_avail_bytes / node_filesystem_size_bytes`,
 * `node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes`,
 * `kubelet_volume_stats_available_bytes / kubelet_volume_stats_capacity_bytes`.
 */
function isShareOfCapacity(numerator: Expr, denominator: Expr): boolean {
  const top = selectorsIn(numerator);
  const bottom = selectorsIn(denominator);
  if (top.length !== 1 || bottom.length !== 1) return false;
  const split = (name: string | undefined) => {
    const match = name ? /^(.+)_([A-Za-z]+)_bytes$/.exec(name) : null;
    return match ? { prefix: match[1]!, word: match[2]! } : undefined;
  };
  const part = split(top[0]!.name);
  const whole = split(bottom[0]!.name);
  return !!part && !!whole && part.prefix === whole.prefix && CAPACITY_PART.test(part.word) && CAPACITY_WHOLE.test(whole.word);
}

/** `rate(x_seconds_sum) / rate(x_seconds_count)`: an average of x. */
function isCountOf(denominator: Expr, numerator: Expr): boolean {
  const sums = metricNames(numerator)
    .filter((n) => n.endsWith('_sum'))
    .map((n) => n.slice(0, -4));
  return metricNames(denominator).some((n) => n.endsWith('_count') && sums.includes(n.slice(0, -6)));
}

/** For an alert condition `quantity OP threshold`: the vector side, the operator and the constant. */
export function comparisonOf(expr: Expr): { quantity: Expr; op: string; threshold: number; thresholdExpr: Expr; flipped: boolean } | undefined {
  let node = unwrap(expr);
  while (node.kind === 'binary' && (node.op === 'and' || node.op === 'unless' || node.op === 'or')) node = unwrap(node.lhs);
  if (node.kind !== 'binary') return undefined;
  if (!COMPARISON_OPS.has(node.op)) return undefined;
  const right = foldConstant(node.rhs);
  if (right !== undefined) return { quantity: node.lhs, op: node.op, threshold: right, thresholdExpr: node.rhs, flipped: false };
  const left = foldConstant(node.lhs);
  if (left !== undefined) return { quantity: node.rhs, op: node.op, threshold: left, thresholdExpr: node.lhs, flipped: true };
  return undefined;
}

/** Grafana units and the quantity they display. */
export function grafanaUnitQuantity(unit: string): Quantity | undefined {
  const table: Record<string, Quantity> = {
    s: { dimension: 'time', scale: 1 },
    ms: { dimension: 'time', scale: 1000 },
    µs: { dimension: 'time', scale: 1e6 },
    us: { dimension: 'time', scale: 1e6 },
    ns: { dimension: 'time', scale: 1e9 },
    m: { dimension: 'time', scale: 1 / 60 },
    h: { dimension: 'time', scale: 1 / 3600 },
    d: { dimension: 'time', scale: 1 / 86400 },
    dtdurations: { dimension: 'time', scale: 1 },
    dtdhms: { dimension: 'time', scale: 1 },
    percent: { dimension: 'ratio', scale: 100 },
    percentunit: { dimension: 'ratio', scale: 1 },
    bytes: { dimension: 'bytes', scale: 1 },
    decbytes: { dimension: 'bytes', scale: 1 },
    kbytes: { dimension: 'bytes', scale: 1 / 1024 },
    mbytes: { dimension: 'bytes', scale: 1 / 1024 ** 2 },
    gbytes: { dimension: 'bytes', scale: 1 / 1024 ** 3 },
    deckbytes: { dimension: 'bytes', scale: 1e-3 },
    decmbytes: { dimension: 'bytes', scale: 1e-6 },
    decgbytes: { dimension: 'bytes', scale: 1e-9 },
  };
  return table[unit];
}

/** Describes a quantity for messages: `seconds`, `milliseconds`, `a 0–1 ratio`, `percent (0–100)`. */
export function describeQuantity(q: Quantity): string {
  if (q.dimension === 'time') {
    const names: Record<number, string> = { 1: 'seconds', 1000: 'milliseconds', 1e6: 'microseconds', 1e9: 'nanoseconds' };
    return names[q.scale] ?? `seconds × ${q.scale}`;
  }
  if (q.dimension === 'ratio') return q.scale === 1 ? 'a 0–1 ratio' : q.scale === 100 ? 'a percentage (0–100)' : `a ratio × ${q.scale}`;
  if (q.dimension === 'bytes') return q.scale === 1 ? 'bytes' : q.scale === 1 / 1024 ** 2 ? 'MiB' : q.scale === 1 / 1024 ? 'KiB' : `bytes × ${q.scale}`;
  return 'an unknown quantity';
}
