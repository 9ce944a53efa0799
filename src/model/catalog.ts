import type { MetricType } from './project-model.js';
import { brand, type Resource } from './resource.js';

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

export interface MetricCatalogSpec {
  metrics: readonly MetricSpec[];
  /** Labels every scraped series gets from its target; default `job` and `instance`. */
  targetLabels?: readonly string[];
}

export type MetricCatalog = MetricCatalogSpec & Resource<'metric-catalog'>;

/**
 * The metrics a system exposes and their labels. With a catalog, lint knows
 * which labels exist (`label/unknown`) and which metrics are counters
 * (`promql/counter-rate`); without one it reports only what expressions prove.
 */
export function metricCatalog(spec: MetricCatalogSpec): MetricCatalog {
  return brand(spec, 'metric-catalog');
}

export type { MetricType };
