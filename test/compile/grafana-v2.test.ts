import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/commands/build.js';
import { validateDashboardV2 } from '../helpers/grafana-schema.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// Schema v2: the seed systems' definitions (the repository's definitions/) built for Grafana 13
// with `dashboardSchema: 'v2'`, each dashboard checked against the schema generated from
// @grafana/schema's dashboard.grafana.app/v2 types and against the v1 build of the same dashboard.

type Json = Record<string, any>;

let v2Build: BuildResult;
beforeAll(async () => {
  const definitions = JSON.stringify(path.join(REPO_ROOT, 'definitions'));
  const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ definitions: ${definitions}, grafana: { version: '13.0', dashboardSchema: 'v2' } });\n`;
  v2Build = await build({ cwd: makeProject({ 'mon.config.ts': config }), check: true });
}, 300_000);

const dashboards = (): Array<{ path: string; resource: Json }> =>
  v2Build.outputs.filter((o) => o.path.startsWith('grafana/dashboards/')).map((o) => ({ path: o.path, resource: JSON.parse(o.content) as Json }));

/** Every element reference of a layout, in order, with the grid position it gives (rows' positions are relative to the row). */
function references(layout: Json): Array<{ name: string; x: number; y: number; width: number; height: number; row?: string }> {
  if (layout.kind === 'GridLayout') return layout.spec.items.map((i: Json) => ({ name: i.spec.element.name, x: i.spec.x, y: i.spec.y, width: i.spec.width, height: i.spec.height }));
  if (layout.kind === 'RowsLayout') return layout.spec.rows.flatMap((r: Json) => references(r.spec.layout).map((ref) => ({ ...ref, row: r.spec.title })));
  throw new Error(`unexpected layout ${layout.kind}`);
}

describe('schema v2 dashboards of the seed systems', () => {
  it('every dashboard validates against the schema generated from the v2 types', () => {
    expect(dashboards().length).toBeGreaterThanOrEqual(19);
    for (const { path: file, resource } of dashboards()) expect(validateDashboardV2(resource), file).toEqual([]);
  }, 180_000);

  it('holds every panel of the v1 build as an element, with its id, referenced once, at the same place', () => {
    for (const { path: file, resource } of dashboards()) {
      const v1 = JSON.parse(readFileSync(path.join(REPO_ROOT, 'out', file), 'utf8')) as Json;
      const spec = resource.spec;
      expect(resource.metadata.name, file).toBe(v1.uid);
      expect(spec.title, file).toBe(v1.title);
      const v1Panels: Json[] = [];
      const rows: Array<{ title: string; y: number }> = [];
      for (const p of v1.panels) {
        if (p.type !== 'row') v1Panels.push({ ...p, rowY: rows.at(-1)?.y ?? -1 });
        else {
          rows.push({ title: p.title, y: p.gridPos.y });
          for (const inner of p.panels) v1Panels.push({ ...inner, rowY: p.gridPos.y });
        }
      }
      const refs = references(spec.layout);
      expect(refs.map((r) => r.name).sort(), file).toEqual(Object.keys(spec.elements).sort());
      expect(new Set(refs.map((r) => r.name)).size, file).toBe(refs.length);
      expect(refs.length, file).toBe(v1Panels.length);
      for (const [i, panel] of v1Panels.entries()) {
        const ref = refs[i]!;
        expect(ref.name, file).toBe(`panel-${panel.id}`);
        const element = spec.elements[ref.name];
        expect(element.spec.id, file).toBe(panel.id);
        expect(element.spec.title, file).toBe(panel.title);
        expect(element.spec.vizConfig.group, file).toBe(panel.type);
        expect(
          element.spec.data.spec.queries.map((q: Json) => q.spec.query.spec.expr),
          file,
        ).toEqual((panel.targets ?? []).map((t: Json) => t.expr));
        expect({ x: ref.x, y: ref.y, width: ref.width, height: ref.height }, `${file} ${panel.title}`).toEqual({
          x: panel.gridPos.x,
          y: panel.gridPos.y - panel.rowY - 1,
          width: panel.gridPos.w,
          height: panel.gridPos.h,
        });
      }
      if (rows.length > 0) {
        const titles = spec.layout.spec.rows.filter((r: Json) => !r.spec.hideHeader).map((r: Json) => r.spec.title);
        expect(titles, file).toEqual(rows.map((r) => r.title));
      } else expect(spec.layout.kind, file).toBe('GridLayout');
      expect(
        spec.variables.map((v: Json) => v.spec.name),
        file,
      ).toEqual(v1.templating.list.map((v: Json) => v.name));
    }
  });

  it('the schema is an oracle: v1 fields and id-less panels are refused', () => {
    const { resource } = dashboards()[0]!;
    const withV1Field = { ...resource, spec: { ...resource.spec, schemaVersion: 42 } };
    expect(validateDashboardV2(withV1Field).join('\n')).toContain('schemaVersion');
    const [name, element] = Object.entries(resource.spec.elements as Record<string, Json>)[0]!;
    const { id: _, ...idless } = element.spec;
    const withoutId = { ...resource, spec: { ...resource.spec, elements: { ...resource.spec.elements, [name]: { ...element, spec: idless } } } };
    expect(validateDashboardV2(withoutId).join('\n')).toContain("'id'");
  });

  it('is deterministic: a second build writes the same bytes', async () => {
    const definitions = JSON.stringify(path.join(REPO_ROOT, 'definitions'));
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ definitions: ${definitions}, grafana: { version: '13.0', dashboardSchema: 'v2' } });\n`;
    const again = await build({ cwd: makeProject({ 'mon.config.ts': config }), check: true });
    expect(again.outputs.filter((o) => o.path.startsWith('grafana/'))).toEqual(v2Build.outputs.filter((o) => o.path.startsWith('grafana/')));
  }, 300_000);
});

const DASHBOARD = (fields: string, rowFields = '', panelFields = ''): string => `import { dashboard, prom, row, stat, timeseries } from 'moncode';

export default dashboard({
  title: 'Shop',
  ${fields}
  panels: [
    stat({ title: 'Up', targets: [prom('sum(up)')] }),
    timeseries({ title: 'Rate', ${panelFields} targets: [prom('sum(rate(http_requests_total[5m]))')] }),
  ],
  rows: [row('Detail', [timeseries({ title: 'Errors', targets: [prom('sum(rate(http_errors_total[5m]))')] })], { ${rowFields} })],
});
`;

const project = (schema: 'v1' | 'v2', dashboard: string): string =>
  makeProject({
    'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ grafana: ${schema === 'v2' ? "{ version: '13.0', dashboardSchema: 'v2' }" : "{ dashboardSchema: 'v1' }"} });\n`,
    'definitions/shop/dashboards.ts': dashboard,
  });

describe('fields of one schema only', () => {
  it('auto grids compile to AutoGridLayouts (outside rows and in a row) that validate', async () => {
    const result = await build({ cwd: project('v2', DASHBOARD(`autoGrid: { maxColumns: 2, rowHeight: 'short' },`, `autoGrid: { columnWidth: 'wide' }`)), check: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const resource = JSON.parse(result.outputs.find((o) => o.path === 'grafana/dashboards/shop/shop.json')!.content) as Json;
    expect(validateDashboardV2(resource)).toEqual([]);
    const [top, detail] = resource.spec.layout.spec.rows as Json[];
    expect(top!.spec).toMatchObject({ hideHeader: true, layout: { kind: 'AutoGridLayout', spec: { maxColumnCount: 2, rowHeightMode: 'short', columnWidthMode: 'standard' } } });
    expect(top!.spec.layout.spec.items.map((i: Json) => i.spec.element.name)).toEqual(['panel-1', 'panel-2']);
    expect(detail!.spec).toMatchObject({ title: 'Detail', layout: { kind: 'AutoGridLayout', spec: { columnWidthMode: 'wide', rowHeightMode: 'standard' } } });
    expect(detail!.spec.layout.spec.items.map((i: Json) => resource.spec.elements[i.spec.element.name].spec.title)).toEqual(['Errors']);
  }, 120_000);

  it.each([
    ['autoGrid on a v1 dashboard', 'v1', DASHBOARD(`autoGrid: { maxColumns: 2 },`), '`autoGrid` is a layout of schema v2 dashboards', 'autoGrid: { maxColumns: 2 }'],
    ['autoGrid on a v1 row', 'v1', DASHBOARD('', `autoGrid: { columnWidth: 'wide' }`), '`autoGrid` is a layout of schema v2 dashboards', "autoGrid: { columnWidth: 'wide' }"],
    ['extra on a v2 dashboard', 'v2', DASHBOARD(`extra: { graphTooltip: 1 },`), '`extra` is v1 dashboard JSON written over the compiled dashboard', 'extra: { graphTooltip: 1 }'],
    ['extra on a v2 panel', 'v2', DASHBOARD('', '', `extra: { pluginVersion: '12.0.0' },`), '`extra` is v1 dashboard JSON written over the compiled panel', "extra: { pluginVersion: '12.0.0' }"],
    ['extra on a v2 row', 'v2', DASHBOARD('', `extra: { height: 2 }`), '`extra` is v1 dashboard JSON written over the compiled row', 'extra: { height: 2 }'],
    ['gridPos in a v2 auto grid', 'v2', DASHBOARD(`autoGrid: {},`, '', `gridPos: { x: 0, y: 0, w: 12, h: 8 },`), '`gridPos` places a panel on a grid', 'gridPos: { x: 0, y: 0, w: 12, h: 8 }'],
  ] as const)(
    '%s is refused at its definition',
    async (_name, schema, source, message, field) => {
      const result = await build({ cwd: project(schema, source), check: true });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.rule)).toEqual(['definition/unsupported']);
      const lines = source.split('\n');
      const line = lines.findIndex((l) => l.includes(field)) + 1;
      const column = lines[line - 1]!.indexOf(field) + 1;
      expect(errors[0]).toMatchObject({ file: expect.stringContaining('dashboards.ts'), line, column, endLine: line, endColumn: column + field.length });
      expect(errors[0]!.message).toContain(message);
    },
    120_000,
  );
});
