import type { MetricSpec } from '../model/catalog.js';
import type { CatalogMetric, MetricCatalogModel, MetricType } from '../model/project-model.js';

export const DEFAULT_TARGET_LABELS = ['job', 'instance'] as const;

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

const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped', 'info', 'stateset', 'gaugehistogram']);

/**
 * Metric families from a saved Prometheus exposition (the text of a /metrics
 * page): `# TYPE` lines give types, samples give label names and buckets.
 */
export function parseExposition(text: string): Array<{ name: string; type: MetricType; labels: Set<string>; buckets: number[] }> {
  const families = new Map<string, { name: string; type: MetricType; labels: Set<string>; buckets: Set<number> }>();
  const familyOf = (sample: string): string => {
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
      if (sample.endsWith(suffix) && families.has(sample.slice(0, -suffix.length))) return sample.slice(0, -suffix.length);
    }
    return sample;
  };
  for (const line of text.split('\n')) {
    const type = /^#\s*TYPE\s+([a-zA-Z_:][a-zA-Z0-9_:]*)\s+(\w+)/.exec(line);
    if (type) {
      const kind = TYPES.has(type[2] as MetricType) ? (type[2] as MetricType) : 'untyped';
      families.set(type[1]!, { name: type[1]!, type: kind, labels: new Set(), buckets: new Set() });
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s/.exec(line);
    if (!sample) continue;
    const name = familyOf(sample[1]!);
    let family = families.get(name);
    if (!family) {
      family = { name, type: 'untyped', labels: new Set(), buckets: new Set() };
      families.set(name, family);
    }
    for (const pair of (sample[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
      if (pair[1] === 'le') {
        const bound = Number(pair[2] === '+Inf' ? Infinity : pair[2]);
        if (Number.isFinite(bound)) family.buckets.add(bound);
      } else if (pair[1] === 'quantile' && family.type === 'summary') {
        continue;
      } else {
        family.labels.add(pair[1]!);
      }
    }
  }
  return [...families.values()].map((f) => ({ ...f, buckets: [...f.buckets].sort((a, b) => a - b) }));
}

/** Whether a text looks like a Prometheus exposition. */
export function looksLikeExposition(text: string): boolean {
  return /^# (TYPE|HELP) [a-zA-Z_:]/m.test(text.slice(0, 65536));
}
