import type { ValueType } from './ast.js';

/**
 * PromQL function signatures (Prometheus' `parser/functions.go`) and how each
 * function treats the labels of its input.
 */
interface FunctionSignature {
  args: ValueType[];
  /** How many trailing arguments may be left out (`round(v)` / `round(v, to)`). */
  optional?: number;
  /** The last argument type may repeat (`label_join`, `sort_by_label`). */
  variadic?: boolean;
  returns: ValueType;
  /**
   * `keep`: input labels minus the metric name; `keep-name`: all input labels;
   * `none`: no labels; `absent`: labels of the equality matchers of the argument;
   * `replace`/`join`: adds the destination label; `drop-le`: drops `le` too.
   */
  labels: 'keep' | 'keep-name' | 'none' | 'absent' | 'replace' | 'join' | 'drop-le' | 'info';
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

const math = (labels: FunctionSignature['labels'] = 'keep'): FunctionSignature => ({ args: [v], returns: v, labels });
const overTime = (labels: FunctionSignature['labels'] = 'keep'): FunctionSignature => ({ args: [m], returns: v, labels });
const clock: FunctionSignature = { args: [v], optional: 1, returns: v, labels: 'keep' };

export const FUNCTIONS: Record<string, FunctionSignature> = {
  abs: math(),
  absent: { args: [v], returns: v, labels: 'absent' },
  absent_over_time: { args: [m], returns: v, labels: 'absent' },
  acos: math(),
  acosh: math(),
  asin: math(),
  asinh: math(),
  atan: math(),
  atanh: math(),
  cos: math(),
  cosh: math(),
  sin: math(),
  sinh: math(),
  tan: math(),
  tanh: math(),
  deg: math(),
  rad: math(),
  exp: math(),
  ln: math(),
  log2: math(),
  log10: math(),
  sqrt: math(),
  sgn: math(),
  ceil: math(),
  floor: math(),
  avg_over_time: overTime(),
  count_over_time: overTime(),
  max_over_time: overTime(),
  min_over_time: overTime(),
  stddev_over_time: overTime(),
  stdvar_over_time: overTime(),
  sum_over_time: overTime(),
  mad_over_time: overTime(),
  present_over_time: overTime(),
  last_over_time: overTime('keep-name'),
  first_over_time: overTime('keep-name'),
  ts_of_max_over_time: overTime(),
  ts_of_min_over_time: overTime(),
  ts_of_last_over_time: overTime(),
  ts_of_first_over_time: overTime(),
  quantile_over_time: { args: [s, m], returns: v, labels: 'keep' },
  changes: overTime(),
  resets: overTime(),
  delta: overTime(),
  deriv: overTime(),
  idelta: overTime(),
  increase: overTime(),
  irate: overTime(),
  rate: overTime(),
  predict_linear: { args: [m, s], returns: v, labels: 'keep' },
  double_exponential_smoothing: { args: [m, s, s], returns: v, labels: 'keep' },
  // Prometheus 2.x name of double_exponential_smoothing.
  holt_winters: { args: [m, s, s], returns: v, labels: 'keep' },
  clamp: { args: [v, s, s], returns: v, labels: 'keep' },
  clamp_max: { args: [v, s], returns: v, labels: 'keep' },
  clamp_min: { args: [v, s], returns: v, labels: 'keep' },
  round: { args: [v, s], optional: 1, returns: v, labels: 'keep' },
  days_in_month: clock,
  day_of_month: clock,
  day_of_week: clock,
  day_of_year: clock,
  hour: clock,
  minute: clock,
  month: clock,
  year: clock,
  histogram_avg: math(),
  histogram_count: math(),
  histogram_sum: math(),
  histogram_stddev: math(),
  histogram_stdvar: math(),
  histogram_fraction: { args: [s, s, v], returns: v, labels: 'drop-le' },
  histogram_quantile: { args: [s, v], returns: v, labels: 'drop-le' },
  histogram_quantiles: { args: [v, str, s], variadic: true, returns: v, labels: 'drop-le' },
  info: { args: [v, v], optional: 1, returns: v, labels: 'info' },
  label_join: { args: [v, str, str, str], variadic: true, optional: 1, returns: v, labels: 'join' },
  label_replace: { args: [v, str, str, str, str], returns: v, labels: 'replace' },
  pi: { args: [], returns: s, labels: 'none' },
  scalar: { args: [v], returns: s, labels: 'none' },
  sort: math('keep-name'),
  sort_desc: math('keep-name'),
  sort_by_label: { args: [v, str], variadic: true, optional: 1, returns: v, labels: 'keep-name' },
  sort_by_label_desc: { args: [v, str], variadic: true, optional: 1, returns: v, labels: 'keep-name' },
  time: { args: [], returns: s, labels: 'none' },
  timestamp: math(),
  start_timestamp: math(),
  vector: { args: [s], returns: v, labels: 'none' },
  start: { args: [], returns: s, labels: 'none' },
  end: { args: [], returns: s, labels: 'none' },
  range: { args: [], returns: s, labels: 'none' },
  step: { args: [], returns: s, labels: 'none' },
};

/** Aggregations and the type of their parameter, when they take one. */
export const AGGREGATIONS: Record<string, { param?: ValueType }> = {
  sum: {},
  avg: {},
  min: {},
  max: {},
  count: {},
  group: {},
  stddev: {},
  stdvar: {},
  topk: { param: s },
  bottomk: { param: s },
  limitk: { param: s },
  limit_ratio: { param: s },
  quantile: { param: s },
  count_values: { param: str },
};

/** Functions that need a counter underneath (a range of a counter). */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'irate', 'increase', 'resets']);
