import type { CatalogMetric, MetricCatalogModel, MetricType } from './project-model.js';
import { brand, type Resource } from './resource.js';

/**
 * One metric a system exposes: its name, type, labels and buckets, as lint knows it.
 * @see https://prometheus.io/docs/concepts/metric_types/
 */
export interface MetricSpec {
  /** The metric family name as exposed (`http_requests_total`, `http_request_duration_seconds`). */
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'info';
  /** Label names the application sets (target labels such as `job` come on top). */
  labels?: readonly string[];
  unit?: string;
  /** Histogram bucket boundaries (`le`). */
  buckets?: readonly number[];
  help?: string;
}

/**
 * What `metricCatalog({…})` takes: the metrics a system exposes and the labels its targets add.
 * @see https://prometheus.io/docs/concepts/data_model/
 */
export interface MetricCatalogSpec {
  metrics: readonly MetricSpec[];
  /** Labels every scraped series gets from its target; default `job` and `instance`. */
  targetLabels?: readonly string[];
}

/**
 * A system's metric catalog as `metricCatalog()` returns it.
 */
export type MetricCatalog = MetricCatalogSpec & Resource<'metric-catalog'>;

/**
 * The metrics a system exposes and their labels. With a catalog, lint knows
 * which labels exist (`label/unknown`) and which metrics are counters
 * (`promql/counter-rate`); without one it reports only what expressions prove.
 */
export function metricCatalog(spec: MetricCatalogSpec): MetricCatalog {
  return brand(spec, 'metric-catalog');
}

const DEFAULT_TARGET_LABELS = ['job', 'instance'] as const;

/**
 * The series names a metric family exposes, each with its labels: a histogram
 * `x` gives `x_bucket` (with `le`), `x_sum` and `x_count`; a summary gives `x`
 * (with `quantile`), `x_sum`, `x_count`; a counter `x` is also `x_total`.
 */
export function addToCatalog(catalog: MetricCatalogModel, spec: MetricSpec | { name: string; type: MetricType; labels: Iterable<string>; buckets?: readonly number[]; unit?: string }): void {
  const labels = new Set(spec.labels ?? []);
  const add = (name: string, type: MetricType, extra: string[] = [], buckets?: readonly number[]): void => {
    const existing = catalog.metrics.get(name);
    const all = new Set([...labels, ...extra, ...(existing?.labels ?? [])]);
    const metric: CatalogMetric = { name, type, labels: all };
    if (spec.unit) metric.unit = spec.unit;
    if (buckets ?? existing?.buckets) metric.buckets = buckets ?? existing?.buckets;
    catalog.metrics.set(name, metric);
  };
  const base = spec.name;
  switch (spec.type) {
    case 'histogram':
    case 'gaugehistogram': {
      const family = base.replace(/_bucket$/, '');
      add(`${family}_bucket`, spec.type, ['le'], spec.buckets);
      add(`${family}_sum`, spec.type);
      add(`${family}_count`, spec.type);
      add(family, spec.type, [], spec.buckets);
      break;
    }
    case 'summary':
      add(base, 'summary', ['quantile']);
      add(`${base}_sum`, 'summary');
      add(`${base}_count`, 'summary');
      break;
    case 'counter':
      add(base, 'counter');
      if (!base.endsWith('_total')) add(`${base}_total`, 'counter');
      add(`${base.replace(/_total$/, '')}_created`, 'gauge');
      break;
    default:
      add(base, spec.type);
  }
}

export function emptyCatalog(targetLabels: readonly string[] = DEFAULT_TARGET_LABELS): MetricCatalogModel {
  return { metrics: new Map(), targetLabels };
}

export type { MetricType };
