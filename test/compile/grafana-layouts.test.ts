import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { validateDashboardV2 } from '../helpers/grafana-schema.js';
import { makeProject } from '../helpers/project.js';

// Schema v2 layouts the v1 grid cannot express: tabs, rows in tabs and tabs in rows, auto grids
// in tabs, section variables on rows and tabs, repeated tabs. Every resource is validated with
// ajv against the schema generated from @grafana/schema's v2 types; on a v1 system each v2-only
// construct is refused at its definition.

type Json = Record<string, any>;

const IMPORTS = `import { customVariable, dashboard, prom, row, stat, tab, tabs, timeseries } from 'moncode';\n`;
const CONFIG = (schema: 'v1' | 'v2') =>
  `import { defineConfig } from 'moncode';\nexport default defineConfig({ grafana: ${schema === 'v2' ? "{ version: '13.0', dashboardSchema: 'v2' }" : "{ dashboardSchema: 'v1' }"} });\n`;
const source = (body: string) => `${IMPORTS}\nexport default dashboard({\n  title: 'Shop',\n  uid: 'shop',\n${body}\n});\n`;

async function compile(schema: 'v1' | 'v2', body: string) {
  const text = source(body);
  const result = await build({ cwd: makeProject({ 'mon.config.ts': CONFIG(schema), 'definitions/shop/dashboards.ts': text }), check: true });
  const file = result.outputs.find((o) => o.path === 'grafana/dashboards/shop/shop.json');
  return { text, result, resource: file ? (JSON.parse(file.content) as Json) : undefined };
}

/** The layout as a small outline: kinds, titles and the panel titles each grid holds. */
function outline(layout: Json, elements: Json): unknown {
  switch (layout.kind) {
    case 'GridLayout':
    case 'AutoGridLayout':
      return layout.spec.items.map((item: Json) => elements[item.spec.element.name].spec.title);
    case 'RowsLayout':
      return { rows: layout.spec.rows.map((row: Json) => [row.spec.hideHeader ? '(no header)' : row.spec.title, outline(row.spec.layout, elements)]) };
    case 'TabsLayout':
      return { tabs: layout.spec.tabs.map((tab: Json) => [tab.spec.title, outline(tab.spec.layout, elements)]) };
  }
  throw new Error(`unexpected layout ${layout.kind}`);
}

const panel = (title: string, expr = 'sum(up)') => `timeseries({ title: '${title}', targets: [prom('${expr}')] })`;
const region = `customVariable({ name: 'region', values: ['eu', 'us'] })`;

describe('schema v2 layouts', () => {
  it.each([
    [
      'tabs as the whole dashboard',
      `  panels: [tabs(tab('Overview', [${panel('A')}, ${panel('B')}]), tab('Details', [${panel('C')}]))],`,
      {
        tabs: [
          ['Overview', ['A', 'B']],
          ['Details', ['C']],
        ],
      },
    ],
    [
      'rows in a tab, with panels above the first row',
      `  panels: [tabs(tab('Overview', [${panel('A')}]), tab('Details', [${panel('B')}, row('Traffic', [${panel('C')}]), row('Errors', [${panel('D')}], { collapsed: true })]))],`,
      {
        tabs: [
          ['Overview', ['A']],
          [
            'Details',
            {
              rows: [
                ['(no header)', ['B']],
                ['Traffic', ['C']],
                ['Errors', ['D']],
              ],
            },
          ],
        ],
      },
    ],
    [
      'tabs in a row, after panels above it',
      `  panels: [${panel('A')}, row('Breakdown', [tabs(tab('By code', [${panel('B')}]), tab('By route', [${panel('C')}]))])],`,
      {
        rows: [
          ['(no header)', ['A']],
          [
            'Breakdown',
            {
              tabs: [
                ['By code', ['B']],
                ['By route', ['C']],
              ],
            },
          ],
        ],
      },
    ],
    [
      'tabs in a tab',
      `  panels: [tabs(tab('Outer', [tabs(tab('Inner 1', [${panel('A')}]), tab('Inner 2', [${panel('B')}]))]))],`,
      {
        tabs: [
          [
            'Outer',
            {
              tabs: [
                ['Inner 1', ['A']],
                ['Inner 2', ['B']],
              ],
            },
          ],
        ],
      },
    ],
  ])(
    '%s',
    async (_name, body, expected) => {
      const { result, resource } = await compile('v2', body);
      expect(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message)).toEqual([]);
      expect(validateDashboardV2(resource!)).toEqual([]);
      expect(outline(resource!.spec.layout, resource!.spec.elements)).toEqual(expected);
      const ids = Object.values(resource!.spec.elements as Record<string, Json>).map((e) => e.spec.id as number);
      expect(new Set(ids).size).toBe(ids.length);
      for (const [name, element] of Object.entries(resource!.spec.elements as Record<string, Json>)) expect(name).toBe(`panel-${element.spec.id}`);
    },
    120_000,
  );

  it('a repeated tab with a section variable and an auto grid of custom width', async () => {
    const body = `  variables: [customVariable({ name: 'env', values: ['prod', 'dev'] })],
  panels: [tabs(tab('Per region', [${panel('Rate', 'sum(rate(http_requests_total{env="$env",region="$region"}[5m]))')}], { repeat: 'region', variables: [${region}], autoGrid: { maxColumns: 2, columnWidth: 320, rowHeight: 'tall' } }))],`;
    const { result, resource } = await compile('v2', body);
    expect(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.message)).toEqual([]);
    expect(validateDashboardV2(resource!)).toEqual([]);
    expect(resource!.spec.variables.map((v: Json) => v.spec.name)).toEqual(['env']);
    const [only] = resource!.spec.layout.spec.tabs as Json[];
    expect(only!.spec.repeat).toEqual({ mode: 'variable', value: 'region' });
    expect(only!.spec.variables).toHaveLength(1);
    expect(only!.spec.variables[0]).toMatchObject({ kind: 'CustomVariable', spec: { name: 'region', query: 'eu,us' } });
    expect(only!.spec.layout).toMatchObject({ kind: 'AutoGridLayout', spec: { maxColumnCount: 2, columnWidthMode: 'custom', columnWidth: 320, rowHeightMode: 'tall' } });
    expect(only!.spec.layout.spec.rowHeight).toBeUndefined();
  }, 120_000);

  it('a section variable on a repeated row, used by its panel: defined for lint, not at the dashboard level', async () => {
    const body = `  panels: [row('Per region', [${panel('Rate', 'sum(rate(http_requests_total{region="$region"}[5m]))')}], { repeat: 'region', variables: [${region}] })],`;
    const { result, resource } = await compile('v2', body);
    expect(result.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.rule)).toEqual([]);
    expect(validateDashboardV2(resource!)).toEqual([]);
    expect(resource!.spec.variables).toEqual([]);
    const [only] = resource!.spec.layout.spec.rows as Json[];
    expect(only!.spec).toMatchObject({ title: 'Per region', repeat: { mode: 'variable', value: 'region' }, variables: [{ kind: 'CustomVariable', spec: { name: 'region' } }] });
  }, 120_000);

  it("lint finds a panel's problem inside a tab at the panel's line", async () => {
    const body = `  panels: [tabs(tab('Overview', [${panel('A')}]), tab('Details', [row('Traffic', [${panel('B', 'sum(rate(http_requests_total{job="$nope"}[5m]))')}])]))],`;
    const { text, result } = await compile('v2', body);
    const problem = result.diagnostics.find((d) => d.rule === 'dashboard/undefined-variable');
    expect(problem).toBeDefined();
    const line = text.split('\n').findIndex((l) => l.includes('$nope')) + 1;
    expect(problem).toMatchObject({ line, endLine: line });
  }, 120_000);

  it('a v2 build is deterministic', async () => {
    const body = `  panels: [tabs(tab('Overview', [${panel('A')}]), tab('Details', [row('Traffic', [${panel('B')}], { variables: [${region}] })]))],`;
    const [a, b] = [await compile('v2', body), await compile('v2', body)];
    expect(a.result.outputs.find((o) => o.path.endsWith('shop.json'))!.content).toBe(b.result.outputs.find((o) => o.path.endsWith('shop.json'))!.content);
  }, 120_000);
});

describe('refused at the definition', () => {
  it.each([
    ['tabs on a v1 dashboard', 'v1', `  panels: [tabs(tab('A', [${panel('A')}]))],`, `tabs(tab('A', [${panel('A')}]))`, 'definition/unsupported', '`tabs` is a layout of schema v2 dashboards'],
    [
      'a section variable on a v1 row',
      'v1',
      `  panels: [row('R', [${panel('A')}], { variables: [${region}] })],`,
      `variables: [${region}]`,
      'definition/unsupported',
      'section `variables` exist only in schema v2',
    ],
    [
      'tabs beside other panels',
      'v2',
      `  panels: [${panel('A')}, tabs(tab('B', [${panel('B')}]))],`,
      `tabs(tab('B', [${panel('B')}]))`,
      'definition/invalid',
      '`tabs(…)` fills the place it stands in',
    ],
    ['tabs without a tab', 'v2', `  panels: [tabs()],`, 'tabs()', 'definition/invalid', '`tabs()` needs at least one `tab(…)`'],
    [
      'a panel after a row of tabs',
      'v2',
      `  panels: [row('R', [tabs(tab('T', [${panel('A')}]))]), ${panel('Loose')}],`,
      panel('Loose'),
      'definition/invalid',
      'a panel after a row of tabs belongs to no row',
    ],
    [
      "a section variable with a dashboard variable's name",
      'v2',
      `  variables: [customVariable({ name: 'region', values: ['x'] })],\n  panels: [tabs(tab('T', [${panel('A', 'sum(up{region="$region"})')}], { variables: [customVariable({ name: 'region', values: ['eu'] })] }))],`,
      "name: 'region', values: ['eu']",
      'dashboard/duplicate-uid',
      'variable `$region` is defined twice',
      "name: 'region'",
    ],
  ] as Array<[string, 'v1' | 'v2', string, string, string, string, string?]>)(
    '%s',
    async (_name, schema, body, where, rule, message, reported = where) => {
      const { text, result } = await compile(schema, body);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => [d.rule, d.message.slice(0, message.length)])).toEqual([[rule, message]]);
      const lines = text.split('\n');
      // `where` finds the place; `reported` is the span the diagnostic covers, at its start.
      const line = lines.findIndex((l) => l.includes(where)) + 1;
      const column = lines[line - 1]!.indexOf(where) + 1;
      expect(errors[0]).toMatchObject({ file: expect.stringContaining('dashboards.ts'), line, column, endLine: line, endColumn: column + reported.length });
      expect(result.exitCode).toBe(1);
    },
    120_000,
  );
});
