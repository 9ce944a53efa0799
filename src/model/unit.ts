import { GRAFANA_UNITS, type GrafanaUnit } from './units.gen.js';

export type { GrafanaUnit } from './units.gen.js';

/**
 * A Grafana unit: one of the ids Grafana ships (completed by the editor), or a
 * custom unit in one of the forms Grafana's value formatter understands.
 */
export type Unit = GrafanaUnit | `suffix:${string}` | `prefix:${string}` | `si:${string}` | `count:${string}` | `currency:${string}` | `time:${string}`;

const CUSTOM_UNIT = /^(suffix|prefix|si|count|currency|time):./;

export function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && (Object.hasOwn(GRAFANA_UNITS, value) || CUSTOM_UNIT.test(value));
}
