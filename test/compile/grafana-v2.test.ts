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
