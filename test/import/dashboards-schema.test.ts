import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { validateDashboard } from '../helpers/grafana-schema.js';
import { makeProject } from '../helpers/project.js';

/**
 * mon-build checks a dashboard with `extra` fields (which no type proves) against the schemas
 * generated from @grafana/schema: each kind of field they refuse is a grafana/schema-unproven
 * warning at the field in the TS; a dashboard without `extra` is not checked (its types prove it).
 * The oracle is test/helpers/grafana-schema.ts, generated from the package at test time.
 */

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { rules: { 'dashboard/unit-missing': 'off' } } });\n`;

const DASHBOARD = (panelExtra: string, dashboardExtra = '') => `import { dashboard, prom, timeseries } from 'moncode';

export const d = dashboard({
  title: 'Extra',
  uid: 'extra',${dashboardExtra}
  panels: [
    timeseries({
      title: 'A',
      targets: [prom('up')],
      extra: ${panelExtra},
    }),
    timeseries({
      title: 'B',
      targets: [prom('up')],
      extra: ${panelExtra},
    }),
  ],
});
`;

type Case = [name: string, panelExtra: string, dashboardExtra: string, expected: Array<[line: number, column: number, endLine: number, endColumn: number, text: RegExp]>];

const CASES: Case[] = [
  ['fields the schema has', `{ pluginVersion: '10.4.0', options: { legend: { showLegend: false } } }`, '', []],
  // Written on both panels: one warning, at the first, counting the second.
  ['a panel field the schema lacks', `{ legend: { show: true } }`, '', [[10, 16, 10, 38, /`\/panels\/0\/legend` is no field there in Grafana's panel schema \(and 1 more like it/]]],
  ['a panel option the schema lacks', `{ options: { footer: { show: false } } }`, '', [[10, 27, 10, 50, /`\/panels\/0\/options\/footer` is no field there in the timeseries panel's options schema/]]],
  ['a value outside an enum', `{ options: { tooltip: { mode: 'all' } } }`, '', [[10, 38, 10, 49, /`\/panels\/0\/options\/tooltip\/mode` is none of \["multi","none","single"\]/]]],
  ['a dashboard field the schema lacks', '{}', `\n  extra: { style: 'dark' },`, [[6, 12, 6, 25, /`\/style` is no field there in Grafana's dashboard schema/]]],
  ['a wrong type', '{}', `\n  extra: { gnetId: '1860' },`, [[6, 12, 6, 26, /`\/gnetId` must be number in Grafana's dashboard schema/]]],
];

describe('mon-build checks fields written through extra against Grafana schemas', () => {
  it.each(CASES)('%s', { timeout: 240_000 }, async (_name, panelExtra, dashboardExtra, expected) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG, 'definitions/shop/dashboards.ts': DASHBOARD(panelExtra, dashboardExtra) });
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const warnings = built.diagnostics.filter((d) => d.rule === 'grafana/schema-unproven');
    expect(warnings.map((d) => [d.line, d.column, d.endLine, d.endColumn])).toEqual(expected.map(([line, column, endLine, endColumn]) => [line, column, endLine, endColumn]));
    warnings.forEach((d, i) => expect(d.message).toMatch(expected[i]![4]));
    expect(warnings.every((d) => d.severity === 'warning' && d.file?.endsWith('definitions/shop/dashboards.ts') === true)).toBe(true);
    // The oracle agrees: the dashboard is valid exactly when mon-build said nothing.
    const out = built.outputs.find((f) => f.path.startsWith('grafana/dashboards/') && f.path.endsWith('/extra.json'));
    expect(out, built.outputs.map((f) => f.path).join(', ')).toBeDefined();
    expect(validateDashboard(JSON.parse(out!.content) as Record<string, unknown>).length === 0).toBe(expected.length === 0);
  });
});
