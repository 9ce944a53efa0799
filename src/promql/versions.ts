/**
 * What each Prometheus version can load, learnt from Prometheus' sources
 * (`template/template.go`, `promql/parser/functions.go`, `promql/parser/parse.go`,
 * `.promu.yml` for the Go release each was built with).
 */

/** `2.42` or `3.1.0` → whether it is at least `major.minor`. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [actualMajor = 0, actualMinor = 0] = version.split('.').map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

type Since = `${number}.${number}`;

function atLeast(version: string, since: Since): boolean {
  const [major, minor] = since.split('.').map(Number) as [number, number];
  return versionAtLeast(version, major, minor);
}

/** Prometheus' own alert template functions and the release that added each. */
const PROMETHEUS_TEMPLATE_FUNCTIONS: Record<string, Since> = {
  query: '2.0',
  first: '2.0',
  label: '2.0',
  value: '2.0',
  strvalue: '2.0',
  args: '2.0',
  reReplaceAll: '2.0',
  safeHtml: '2.0',
  match: '2.0',
  title: '2.0',
  toUpper: '2.0',
  toLower: '2.0',
  graphLink: '2.0',
  tableLink: '2.0',
  sortByLabel: '2.0',
  humanize: '2.0',
  humanize1024: '2.0',
  humanizeDuration: '2.0',
  humanizePercentage: '2.0',
  humanizeTimestamp: '2.0',
  pathPrefix: '2.0',
  externalURL: '2.0',
  parseDuration: '2.32',
  stripPort: '2.33',
  stripDomain: '2.36',
  toTime: '2.38',
  toDuration: '3.6',
  now: '3.6',
  urlQueryEscape: '3.8',
};

/** Go's text/template builtins (all there since before Prometheus 2.0). */
const GO_TEMPLATE_FUNCTIONS = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'];

/** The functions an alert label or annotation may call in a Prometheus version. */
export function templateFunctions(version: string): Set<string> {
  const names = new Set(GO_TEMPLATE_FUNCTIONS);
  for (const [name, since] of Object.entries(PROMETHEUS_TEMPLATE_FUNCTIONS)) if (atLeast(version, since)) names.add(name);
  return names;
}

/** The release that added a template function, when some release has it. */
export function templateFunctionSince(name: string): string | undefined {
  return PROMETHEUS_TEMPLATE_FUNCTIONS[name];
}

/** Go template syntax of the Go release a Prometheus version is built with. */
export function templateSyntaxOf(version: string): { elseWith: boolean; breakContinue: boolean } {
  // `{{else with}}` came with Go 1.23 (Prometheus 2.55), `{{break}}`/`{{continue}}` with Go 1.18 (2.35).
  return { elseWith: atLeast(version, '2.55'), breakContinue: atLeast(version, '2.35') };
}

/** The feature flag that enables Prometheus' experimental PromQL functions and aggregations. */
const EXPERIMENTAL_FUNCTIONS_FLAG = 'promql-experimental-functions';

interface FunctionHistory {
  /** First release with the function. */
  since: Since;
  /** Behind `promql-experimental-functions` from `since`, until this release made it stable (never, when absent). */
  experimentalUntil?: Since | 'never';
  /** The release that removed it. */
  removedIn?: Since;
  /** What replaced it. */
  replacedBy?: string;
  /** The feature flag that enables it while experimental, when not `promql-experimental-functions`. */
  flag?: string;
}

/** PromQL functions and aggregations newer than Prometheus 2.30, or experimental, or removed. */
const FUNCTION_HISTORY: Record<string, FunctionHistory> = {
  acos: { since: '2.31' },
  acosh: { since: '2.31' },
  asin: { since: '2.31' },
  asinh: { since: '2.31' },
  atan: { since: '2.31' },
  atanh: { since: '2.31' },
  cos: { since: '2.31' },
  cosh: { since: '2.31' },
  sin: { since: '2.31' },
  sinh: { since: '2.31' },
  tan: { since: '2.31' },
  tanh: { since: '2.31' },
  deg: { since: '2.31' },
  rad: { since: '2.31' },
  pi: { since: '2.31' },
  day_of_year: { since: '2.36' },
  histogram_count: { since: '2.40' },
  histogram_sum: { since: '2.40' },
  histogram_fraction: { since: '2.40' },
  histogram_stddev: { since: '2.47' },
  histogram_stdvar: { since: '2.47' },
  mad_over_time: { since: '2.49', experimentalUntil: 'never' },
  sort_by_label: { since: '2.49', experimentalUntil: 'never' },
  sort_by_label_desc: { since: '2.49', experimentalUntil: 'never' },
  histogram_avg: { since: '2.51' },
  limitk: { since: '2.54', experimentalUntil: 'never' },
  limit_ratio: { since: '2.54', experimentalUntil: 'never' },
  info: { since: '2.55', experimentalUntil: 'never' },
  holt_winters: { since: '2.0', removedIn: '3.0', replacedBy: 'double_exponential_smoothing (experimental)' },
  double_exponential_smoothing: { since: '3.0', experimentalUntil: 'never' },
  ts_of_max_over_time: { since: '3.5', experimentalUntil: 'never' },
  ts_of_min_over_time: { since: '3.5', experimentalUntil: 'never' },
  ts_of_last_over_time: { since: '3.5', experimentalUntil: 'never' },
  first_over_time: { since: '3.7', experimentalUntil: '3.14' },
  ts_of_first_over_time: { since: '3.7', experimentalUntil: 'never' },
  histogram_quantiles: { since: '3.11', experimentalUntil: 'never' },
  start: { since: '3.12', experimentalUntil: 'never' },
  end: { since: '3.12', experimentalUntil: 'never' },
  range: { since: '3.12', experimentalUntil: 'never' },
  step: { since: '3.12', experimentalUntil: 'never' },
  min_of: { since: '3.13', experimentalUntil: 'never' },
  max_of: { since: '3.13', experimentalUntil: 'never' },
  start_timestamp: { since: '3.14', experimentalUntil: 'never', flag: 'use-start-timestamps' },
};

/** Why a PromQL function or aggregation cannot be used with a target, or undefined when it can. */
export function functionUnavailable(name: string, version: string, features: readonly string[]): string | undefined {
  const history = FUNCTION_HISTORY[name];
  if (!history) return undefined;
  if (history.removedIn && atLeast(version, history.removedIn)) {
    return `\`${name}\` was removed in Prometheus ${history.removedIn}${history.replacedBy ? `: use ${history.replacedBy}` : ''}`;
  }
  if (!atLeast(version, history.since)) return `\`${name}\` needs Prometheus ${history.since} or later`;
  const experimental = history.experimentalUntil !== undefined && (history.experimentalUntil === 'never' || !atLeast(version, history.experimentalUntil));
  const flag = history.flag ?? EXPERIMENTAL_FUNCTIONS_FLAG;
  if (experimental && !features.includes(flag)) {
    return `\`${name}\` is experimental: it needs \`${flag}\` in prometheus.features (the server's --enable-feature)`;
  }
  return undefined;
}

/** Metric and label names beyond `[a-zA-Z_:][a-zA-Z0-9_:]*` (UTF-8, quoted in PromQL) load from Prometheus 3.0. */
export function utf8NamesAllowed(version: string): boolean {
  return atLeast(version, '3.0');
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether a string encodes as UTF-8 (no lone surrogates), as Prometheus requires of names and label values. */
export function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** A rule label name the version loads. */
export function validLabelName(name: string, version: string): boolean {
  if (utf8NamesAllowed(version)) return name !== '' && wellFormed(name);
  return LABEL_NAME.test(name);
}

/** A recorded series name (`record:`) the version loads: rulefmt's metric-name check. */
export function validRecordName(name: string, version: string): boolean {
  if (utf8NamesAllowed(version)) return name !== '' && wellFormed(name) && !/[{}]/.test(name);
  return METRIC_NAME.test(name);
}
