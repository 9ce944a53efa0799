import { defineRule } from '../types.js';
import { panelSubject, panelsOf } from '../walk.js';

const NUMERIC = new Set(['timeseries', 'stat', 'gauge', 'bargauge']);

// A stat panel with value mappings shows the mapped text (`1` → "Up"), not a number a unit would format; a time series
// still draws its numbers on an axis, so mappings do not excuse it.
function showsMappedText(type: string, defaults: unknown): boolean {
  const mappings = (defaults as { mappings?: unknown } | undefined)?.mappings;
  return type === 'stat' && Array.isArray(mappings) && mappings.length > 0;
}

export default defineRule({
  meta: { id: 'dashboard/unit-missing', defaultSeverity: 'info', scope: 'container', summary: 'A numeric panel without a unit.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      for (const { panel, at } of panelsOf(dashboard)) {
        if (!NUMERIC.has(panel.type) || !Array.isArray(panel.targets) || panel.targets.length === 0) continue;
        const unit = (panel.fieldConfig?.defaults as { unit?: unknown } | undefined)?.unit;
        if (typeof unit === 'string' && unit !== '') continue;
        if (showsMappedText(panel.type, panel.fieldConfig?.defaults)) continue;
        const overrides = JSON.stringify(panel.fieldConfig?.overrides ?? []);
        if (overrides.includes('"id":"unit"')) continue;
        report({
          in: dashboard,
          at,
          subject: panelSubject(dashboard, panel),
          message: `${panel.type} panel without a unit: readers cannot tell seconds from milliseconds or a ratio from a percentage (use \`short\` for plain counts)`,
        });
      }
    }
  },
});
