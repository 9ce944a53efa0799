import type { MetricType } from '../model/project-model.js';

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
