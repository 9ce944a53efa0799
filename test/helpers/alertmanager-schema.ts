import { ALERTMANAGER_FIELDS, type FieldShape } from '../../src/model/alertmanager-fields.gen.js';

/**
 * Our own validator for releases amtool here (0.25) cannot read: a JSON Schema built from the
 * fields of Alertmanager's config structs at that release (src/model/alertmanager-fields.gen.ts,
 * generated from prometheus/alertmanager's Go sources), every object closed to other fields.
 */
export function alertmanagerSchema(release: string): object {
  const facts = ALERTMANAGER_FIELDS[release]!;
  const LISTS = new Set(['receivers', 'inhibit_rules', 'time_intervals', 'routes', 'fields', 'actions', 'responders', 'attachments', 'images', 'links']);
  const of = (shape: FieldShape, key = ''): object => {
    if (shape === true) return {};
    const object = { type: 'object', additionalProperties: false, properties: Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, of(v, k)])) };
    if (key.endsWith('_configs') || LISTS.has(key)) return { type: 'array', items: object };
    // Structs with their own YAML reading (HostPort, URL) are written as strings.
    return { anyOf: [{ type: ['string', 'number', 'boolean'] }, object] };
  };
  const route = {
    $id: 'route',
    type: 'object',
    additionalProperties: false,
    properties: { ...Object.fromEntries(Object.keys(facts.route).map((k) => [k, {}])), routes: { type: 'array', items: { $ref: 'route' } } },
  };
  return {
    type: 'object',
    additionalProperties: false,
    required: ['route', 'receivers'],
    properties: {
      global: of(facts.global),
      route,
      receivers: { type: 'array', items: of(facts.receiver) },
      inhibit_rules: { type: 'array', items: of(facts.inhibit_rule) },
      time_intervals: { type: 'array' },
      templates: { type: 'array', items: { type: 'string' } },
    },
  };
}
