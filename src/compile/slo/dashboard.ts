import { dashboard, type Dashboard } from '../../model/dashboard.js';
import type { SloModel } from '../../model/project-model.js';
import { prom } from '../../model/query.js';
import { row, stat, table, timeseries, type Color, type Panel } from '../../model/panel.js';
import { slugify } from '../../model/datasource.js';
import { idLabels, sliRecord, sliWindows } from './rules.js';

/**
 * One dashboard per service with a row per SLO: budget remaining, the period SLI, the
 * burn rate of every alert window with the alert's burn factor drawn, the SLI over time
 * against the objective, and the SLO's firing alerts.
 */
export function sloDashboard(service: string, slos: readonly SloModel[]): Dashboard {
  return dashboard({
    title: `SLOs / ${service}`,
    uid: `slo-${slugify(service, 36)}`,
    tags: ['slo', service],
    refresh: '1m',
    time: { from: 'now-7d', to: 'now' },
    rows: slos.map((slo) => row(`${slo.name} — ${slo.objectiveText}% over ${slo.period}`, sloPanels(slo))),
  });
}

function ids(slo: SloModel): string {
  return Object.entries(idLabels(slo))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

const STEP_COLORS: readonly Color[] = ['yellow', 'orange', 'red', 'dark-red'];

function sloPanels(slo: SloModel): Panel[] {
  const selector = ids(slo);
  const burnSteps: Record<number, Color> = { 0: 'green' };
  [...new Set(slo.tiers.map((t) => t.burn))]
    .sort((a, b) => a - b)
    .forEach((burn, i) => {
      burnSteps[burn] = STEP_COLORS[Math.min(i, STEP_COLORS.length - 1)]!;
    });
  const windows = sliWindows(slo).filter((w) => slo.tiers.some((t) => t.long === w || t.short === w) || w === '5m');
  return [
    stat({
      title: 'Error budget remaining',
      description: `Share of the ${slo.period} error budget (${slo.objectiveText}% objective) not yet spent.`,
      unit: 'percentunit',
      decimals: 1,
      width: 6,
      thresholds: { 0: 'red', 0.25: 'orange', 0.5: 'green' },
      targets: [prom(`slo:period_error_budget_remaining:ratio{${selector}}`)],
    }),
    stat({
      title: `SLI over ${slo.period}`,
      description: slo.description ?? `${slo.service} ${slo.name}`,
      unit: 'percentunit',
      decimals: 3,
      width: 6,
      thresholds: { 0: 'red', [slo.objective]: 'green' },
      targets: [prom(`1 - ${sliRecord(slo.period)}{${selector}}`)],
    }),
    table({
      title: 'Firing alerts',
      width: 12,
      height: 4,
      targets: [prom(`ALERTS{${selector}, alertstate="firing"}`, { instant: true, format: 'table' })],
      transformations: [{ id: 'organize', options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true, sloth_id: true, sloth_service: true, sloth_slo: true } } }],
    }),
    timeseries({
      title: 'Burn rate',
      description: "Error ratio over each alert window divided by the budget rate; the lines are the alerts' burn factors.",
      unit: 'short',
      thresholds: burnSteps,
      thresholdsStyle: 'dashed',
      targets: windows.map((w) => prom(`${sliRecord(w)}{${selector}}\n/ on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${selector}}`, { legend: w })),
    }),
    timeseries({
      title: 'SLI',
      description: `Good events over all events, against the ${slo.objectiveText}% objective.`,
      unit: 'percentunit',
      thresholds: { 0: 'red', [slo.objective]: 'green' },
      thresholdsStyle: 'line',
      targets: [prom(`1 - ${sliRecord('5m')}{${selector}}`, { legend: '5m' }), prom(`1 - ${sliRecord('1h')}{${selector}}`, { legend: '1h' })].slice(0, windows.includes('1h') ? 2 : 1),
    }),
  ];
}
