import type { Datasource, DatasourceName } from './datasource.js';
import type { Duration } from './duration.js';
import { derive } from './resource.js';
import { markArguments } from './source-location.js';

/** `$__rate_interval`, `$interval` and the like are allowed where Grafana takes an interval. */
type IntervalExpr = Duration | `$${string}`;

interface TargetBase {
  /** Query text. */
  expr: string;
  /** Series name template, e.g. `{{job}}` (Grafana's `legendFormat`). */
  legend?: string;
  /** Hide this query's result from the panel. */
  hide?: boolean;
  /** Fixed refId; assigned A, B, C… in order when omitted. */
  refId?: string;
  /** Query JSON fields moncode does not model, written over what it compiles. */
  extra?: Record<string, unknown>;
}

/**
 * A Prometheus query of a panel, as `prom()` makes it: PromQL, legend, format, instant or range.
 * @see https://grafana.com/docs/grafana/latest/datasources/prometheus/query-editor/
 */
export interface PromTarget extends TargetBase {
  lang?: 'promql';
  /** Minimum step (Grafana's min interval). */
  interval?: IntervalExpr;
  maxDataPoints?: number;
  /** Defaults to the panel's, then the dashboard's, then the project's Prometheus datasource. */
  datasource?: Datasource<'prometheus'> | DatasourceName;
  /** Run as an instant query (single value) instead of a range query. */
  instant?: boolean;
  /** Run as a range query; the default unless `instant` is set. */
  range?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  exemplar?: boolean;
  intervalFactor?: number;
}

/**
 * A Loki query of a panel, as `loki()` makes it: LogQL, legend, instant or range.
 * @see https://grafana.com/docs/grafana/latest/datasources/loki/query-editor/
 */
export interface LokiTarget extends TargetBase {
  lang: 'logql';
  datasource?: Datasource<'loki'> | DatasourceName;
  instant?: boolean;
  range?: boolean;
  /** Maximum log lines returned. */
  maxLines?: number;
  /** Order of returned log lines. */
  direction?: 'forward' | 'backward';
  /** Query resolution step for metric queries (Loki's `step`). */
  step?: IntervalExpr;
}

/** A Jaeger query: a trace search, the service dependency graph, or one trace by id. */
export interface JaegerTarget {
  lang: 'jaeger';
  /** `search` (default) finds traces; `dependencyGraph` draws the service map for a node graph panel. */
  queryType?: 'search' | 'dependencyGraph';
  service?: string;
  operation?: string;
  /** Span tags in logfmt: `error=true http.status_code=500`. */
  tags?: string;
  /** Only traces at least this long, e.g. `100ms`. */
  minDuration?: string;
  maxDuration?: string;
  /** Maximum traces returned. */
  limit?: number;
  /** Show one trace by id instead of searching. */
  traceId?: string;
  datasource?: Datasource<'jaeger'> | DatasourceName;
  hide?: boolean;
  refId?: string;
  /** Query JSON fields moncode does not model, written over what it compiles. */
  extra?: Record<string, unknown>;
}

/**
 * A panel's query: Prometheus, Loki or Jaeger.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/query-transform-data/
 */
export type Target = PromTarget | LokiTarget | JaegerTarget;

/** A Prometheus query: `prom('sum by (job) (rate(x[$__rate_interval]))', { legend: '{{job}}' })`. */
export function prom(expr: string, options: Omit<PromTarget, 'expr' | 'lang'> = {}): PromTarget {
  return markArguments(derive(options, { expr, lang: 'promql' as const }), ['expr']);
}

/** A Loki (LogQL) query: `loki('{job="api"} |= "error"')`. */
export function loki(expr: string, options: Omit<LokiTarget, 'expr' | 'lang'> = {}): LokiTarget {
  return markArguments(derive(options, { expr, lang: 'logql' as const }), ['expr']);
}

/** A Jaeger query: `jaeger({ service: 'api', tags: 'error=true' })`, or `jaeger({ queryType: 'dependencyGraph' })`. */
export function jaeger(options: Omit<JaegerTarget, 'lang'> = {}): JaegerTarget {
  return derive(options, { lang: 'jaeger' as const });
}

export function targetLanguage(target: Target): 'promql' | 'logql' | 'jaeger' {
  return target.lang ?? 'promql';
}
