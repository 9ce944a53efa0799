import YAML from 'yaml';

/** JSON with every object's keys sorted, as Grafana saves dashboards: byte-identical for equal input. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}

/** YAML in the style of hand-written Prometheus/Grafana files; long lines are never folded. */
export function yamlDocument(value: unknown, header?: string): string {
  const doc = new YAML.Document(value);
  if (header) doc.commentBefore = ` ${header.split('\n').join('\n ')}`;
  return doc.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, blockQuote: 'literal' });
}
