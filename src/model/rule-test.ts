import type { Duration } from './duration.js';
import { brand, type Resource } from './resource.js';
import type { AlertRule, RecordingRule } from './rule.js';
import type { Where } from './source-location.js';

/**
 * A series the test feeds in: a selector and its samples in promtool's expanding notation.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface InputSeries {
  /** A series selector with `=` matchers only: `http_requests_total{job="api", status="500"}`. */
  series: string;
  /**
   * One sample per `interval`, space-separated: `1 2 3`, `0+10x30` (0, 10, …, 300), `5-1x4`,
   * `7x3` (7 four times), `_` (no sample), `_x5`, `stale` (a staleness marker).
   */
  values: string;
}

/**
 * An alert expected to be firing: its full label set (without `alertname`) and annotations, templates rendered.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface ExpectedAlert {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * The alerts of a rule a rule test expects firing at `evalTime` (promtool's `alert_rule_test`).
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface AlertExpectation {
  /** The alert rule (the object, as its rule group holds it). */
  alert: AlertRule;
  /** When, from the start of the input series. */
  evalTime: Duration;
  /** The alerts firing then, exactly; `[]` expects silence. Pending alerts do not count. */
  firing: ExpectedAlert[];
}

/**
 * A sample an expression test expects: the series with its labels, and its value.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface ExpectedSample {
  /** The series with all its labels: `job:http_requests:rate5m{job="api"}`. */
  labels: string;
  value: number;
}

/**
 * An expression a rule test evaluates at `evalTime`, with the samples it must return (promtool's `promql_expr_test`).
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface ExprExpectation {
  /** A PromQL expression, or a recording rule (its recorded series). */
  expr: string | RecordingRule;
  evalTime: Duration;
  /** The samples it returns then, exactly (in any order); `[]` expects an empty result. */
  samples: ExpectedSample[];
}

/**
 * What `ruleTest({…})` takes: input series and the alerts and expression results expected; run by `mon-test` with `promtool test rules`.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export interface RuleTestSpec {
  /** Unique within its system; mon-test names failures by it. */
  name: string;
  /** Step of the input series (default: the system's evaluation interval). */
  interval?: Duration;
  inputSeries: InputSeries[];
  alerts?: AlertExpectation[];
  exprs?: ExprExpectation[];
}

/**
 * A rule test as `ruleTest()` returns it.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/
 */
export type RuleTest = RuleTestSpec & Resource<'rule-test'>;

/** A unit test of the system's rules, compiled to `out/prometheus/tests/<system>.test.yml` and run by `mon-test` with `promtool test rules`. */
export function ruleTest(spec: RuleTestSpec): RuleTest {
  return brand(spec, 'rule-test');
}

/** A compiled rule test, with where each part of it was written (mon-test maps promtool's failures back with it). */
export interface RuleTestModel {
  name: string;
  system: string;
  /** The test file of out/ it is in (`prometheus/tests/<system>.test.yml`). */
  outputFile: string;
  where: Where | undefined;
  alerts: Array<{ alertname: string; evalMs: number; where: Where | undefined; ruleWhere: Where | undefined; rule: AlertRule; silent: boolean }>;
  exprs: Array<{ expr: string; evalMs: number; where: Where | undefined; record?: RecordingRule }>;
  /** The input series as written, with where each was (the check against the rules' metrics reports there). */
  inputSeries: Array<{ series: string; where: Where | undefined }>;
  /** The test group as promtool reads it. */
  json: Record<string, unknown>;
}

/** Most samples one input series may expand to: promtool holds them all in memory (`1x99999999` would exhaust it). */
export const MAX_SERIES_SAMPLES = 1_000_000;

const NUMBER = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])$/;
const UNSIGNED = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])$/;

/**
 * Why promtool would refuse a series' `values` (or why moncode does: more than
 * MAX_SERIES_SAMPLES samples, native histograms it cannot check), with the
 * offending characters; undefined when it is fine. Counts the samples on the way.
 */
export function seriesValuesProblem(text: string): { message: string; from: number; to: number } | undefined {
  const histogram = text.indexOf('{{');
  if (histogram >= 0) return { message: 'native histogram samples ({{…}}) are not supported in moncode rule tests; write float samples', from: histogram, to: text.length };
  let samples = 0;
  const re = /\S+/g;
  for (let match = re.exec(text); match; match = re.exec(text)) {
    const item = match[0];
    const from = match.index;
    const to = from + item.length;
    const bad = (why: string) => ({ message: `\`values\`: "${item}" ${why}`, from, to });
    if (item === '_' || item === 'stale') {
      samples += 1;
    } else if (item.startsWith('_x')) {
      if (!/^_x\d+$/.test(item)) return bad('is not `_xN` (N missing values, N a whole number)');
      samples += Number(item.slice(2));
    } else {
      const x = item.lastIndexOf('x');
      const head = x >= 0 ? item.slice(0, x) : item;
      const times = x >= 0 ? item.slice(x + 1) : undefined;
      if (times !== undefined && !/^\d+$/.test(times)) return bad('repeats a whole number of times: `a+bxN`, `a-bxN` or `axN`, N like 30');
      const step = /^([+-]?[^+-]+?)([+-])([^+-]+)$/.exec(head.replace(/[eE][+-]/g, (m) => m[0] + (m[1] === '+' ? '\u0001' : '\u0002')));
      const restore = (s: string) => s.replace(/\u0001/g, '+').replace(/\u0002/g, '-');
      if (step) {
        if (times === undefined) return bad('has a step but no repetition: write `a+bxN` (N steps of b from a)');
        if (!NUMBER.test(restore(step[1]!)) || !UNSIGNED.test(restore(step[3]!))) return bad('is not `a+bxN` or `a-bxN` with numbers a and b');
      } else if (!NUMBER.test(head)) {
        return bad('is not a sample: a number, `a+bxN`, `a-bxN`, `axN`, `_`, `_xN` or `stale`');
      }
      samples += times === undefined ? 1 : Number(times) + 1;
    }
    if (samples > MAX_SERIES_SAMPLES) return { message: `\`values\` expands to more than ${MAX_SERIES_SAMPLES} samples`, from, to };
  }
  return undefined;
}
