import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { compareDashboards } from '../../src/import/compare.js';
import { migrateDashboard } from '../../src/import/migrate.js';
import { makeProject } from '../helpers/project.js';

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { rules: { 'dashboard/unit-missing': 'off' } } });\n`;

/** An exported dashboard (schemaVersion 39): `__inputs`, a datasource variable, a stat, a time series, a row, a field moncode has no type for. */
const EXPORTED = {
  __inputs: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
  __requires: [{ type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.4.0' }],
  id: null,
  uid: 'api-overview',
  title: 'API overview',
  schemaVersion: 39,
  version: 3,
  tags: ['api'],
  time: { from: 'now-1h', to: 'now' },
  templating: {
    list: [
      {
        name: 'job',
        type: 'query',
        datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
        query: 'label_values(up, job)',
        definition: 'label_values(up, job)',
        refresh: 2,
        sort: 1,
        current: {},
        options: [],
        hide: 0,
      },
    ],
  },
  panels: [
    {
      id: 1,
      type: 'stat',
      title: 'Up',
      datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      gridPos: { x: 0, y: 0, w: 6, h: 4 },
      targets: [{ refId: 'A', expr: 'sum(up{job="$job"})', datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' } }],
      fieldConfig: {
        defaults: {
          unit: 'none',
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'red', value: null },
              { color: 'green', value: 1 },
            ],
          },
          links: [{ title: 'x', url: '/d/x' }],
        },
        overrides: [],
      },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', madeUpOption: 3 },
      pluginVersion: '10.4.0',
    },
    { id: 2, type: 'row', title: 'Traffic', collapsed: false, gridPos: { x: 0, y: 4, w: 24, h: 1 }, panels: [] },
    {
      id: 3,
      type: 'timeseries',
      title: 'Requests',
      datasource: { type: 'prometheus', uid: '${DS_PROMETHEUS}' },
      gridPos: { x: 0, y: 5, w: 12, h: 8 },
      targets: [{ refId: 'A', expr: 'sum by (code) (rate(http_requests_total{job="$job"}[$__rate_interval]))', legendFormat: '{{code}}', editorMode: 'code', range: true }],
      fieldConfig: { defaults: { unit: 'reqps', color: { mode: 'palette-classic' }, custom: { fillOpacity: 10, drawStyle: 'line' } }, overrides: [] },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom', calcs: [] }, tooltip: { mode: 'multi', sort: 'none' } },
    },
  ],
};

/** A schemaVersion 14 dashboard: rows[], graph and singlestat panels, a datasource by name. */
const LEGACY = {
  title: 'Legacy node',
  schemaVersion: 14,
  rows: [
    {
      title: 'CPU',
      showTitle: true,
      height: '250px',
      panels: [
        {
          id: 1,
          type: 'graph',
          title: 'CPU busy',
          span: 6,
          datasource: 'Prometheus',
          lines: true,
          fill: 1,
          linewidth: 2,
          stack: true,
          yaxes: [{ format: 'percentunit', min: 0, max: 1 }, { format: 'short' }],
          legend: { show: true, alignAsTable: true, current: true, max: true },
          tooltip: { shared: true, sort: 2 },
          seriesOverrides: [{ alias: 'idle', color: '#7EB26D', yaxis: 2 }],
          targets: [{ refId: 'A', expr: 'sum by (mode) (rate(node_cpu_seconds_total[5m]))', legendFormat: '{{mode}}' }],
        },
        {
          id: 2,
          type: 'singlestat',
          title: 'Load',
          span: 6,
          datasource: 'Prometheus',
          format: 'short',
          valueName: 'current',
          thresholds: '1,4',
          colors: ['green', 'orange', 'red'],
          colorBackground: true,
          sparkline: { show: true },
          valueMaps: [{ op: '=', value: 'null', text: 'N/A' }],
          mappingType: 1,
          targets: [{ refId: 'A', expr: 'node_load1' }],
        },
      ],
    },
  ],
};

describe('mon-import of dashboards', () => {
  it('writes an exported dashboard as dashboard() with its datasource declared once, and builds it back equal', async () => {
    const dir = makeProject({ 'input/api.json': JSON.stringify(EXPORTED, null, 2), 'mon.config.ts': CONFIG });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'api' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['api/dashboards.ts', 'api/datasources.ts']);
    const module = readFileSync(path.join(dir, 'definitions/api/dashboards.ts'), 'utf8');
    expect(readFileSync(path.join(dir, 'definitions/api/datasources.ts'), 'utf8')).toMatch(/export const prometheus = datasource\(\{\s+name: 'Prometheus',\s+type: 'prometheus',\s+\}\);/);
    expect(module).toContain(`import { prometheus } from './datasources.js';`);
    expect(module).toContain('datasource: prometheus,');
    expect(module).toContain(`row('Traffic', [`);
    expect(module).toContain(`thresholds: { '0': 'red', '1': 'green' },`);
    // Defaults and instance bookkeeping are left out; what has no typed field is kept in extra, with an info.
    expect(module).not.toMatch(/schemaVersion|__inputs|editorMode|refId|sort: 1|version: 3/);
    expect(module).toMatch(/extra: \{ fieldConfig: \{ defaults: \{ links: \[\{ title: 'x', url: '\/d\/x' \}\] \} \}, pluginVersion: '10.4.0', options: \{ madeUpOption: 3 \} \}/);
    const kept = result.diagnostics.filter((d) => d.rule === 'import/kept-as-written');
    expect(kept).toHaveLength(1);
    expect(kept[0]!.severity).toBe('info');
    expect(kept[0]!.message).toContain('/panels/0 fieldConfig.defaults.links, pluginVersion, options.madeUpOption');

    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const output = JSON.parse(built.outputs.find((f) => f.path === 'grafana/dashboards/api/api-overview.json')!.content) as Record<string, unknown>;
    expect(compareDashboards(migrateDashboard(EXPORTED).json, output)).toEqual([]);
    // Deterministic: a second import writes the same modules.
    const again = await runImport({ cwd: makeProject({ 'input/api.json': JSON.stringify(EXPORTED) }), paths: ['input'], system: 'api', dryRun: true });
    expect(again.files.map((f) => f.content)).toEqual(result.files.map((f) => f.content));
  });

  it('migrates rows[], graph and singlestat as Grafana does, and builds them back equal to the migration', async () => {
    const dir = makeProject({ 'input/legacy.json': JSON.stringify(LEGACY, null, 2), 'mon.config.ts': CONFIG });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'node' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const module = readFileSync(path.join(dir, 'definitions/node/dashboards.ts'), 'utf8');
    expect(module).toContain(`row('CPU', [`);
    expect(module).toContain('timeseries({');
    expect(module).toContain('stat({');
    expect(module).not.toMatch(/'graph'|singlestat/);
    expect(
      result.diagnostics
        .filter((d) => d.rule === 'import/changed')
        .map((d) => d.message)
        .sort(),
    ).toEqual([
      'graph panel migrated to timeseries, as Grafana migrates it: CPU busy',
      'rows[] laid out as row panels on the 24-column grid, as Grafana does when it loads the dashboard',
      'singlestat panel migrated to stat, as Grafana migrates it: Load',
    ]);
    const { json } = migrateDashboard(LEGACY);
    const [rowPanel, graph, single] = json.panels as Array<Record<string, unknown>>;
    expect(rowPanel).toMatchObject({ type: 'row', title: 'CPU', gridPos: { x: 0, y: 0, w: 24, h: 1 } });
    expect(graph).toMatchObject({
      type: 'timeseries',
      gridPos: { x: 0, y: 1, w: 12, h: 7 },
      fieldConfig: { defaults: { unit: 'percentunit', min: 0, max: 1, custom: { drawStyle: 'line', lineWidth: 2, fillOpacity: 10, stacking: { mode: 'normal', group: 'A' } } } },
      options: { legend: { displayMode: 'table', calcs: ['max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    });
    expect((graph!.fieldConfig as { overrides: unknown[] }).overrides).toEqual([
      {
        matcher: { id: 'byName', options: 'idle' },
        properties: [
          { id: 'color', value: { mode: 'fixed', fixedColor: '#7EB26D' } },
          { id: 'custom.axisPlacement', value: 'right' },
          { id: 'unit', value: 'short' },
        ],
      },
    ]);
    expect(single).toMatchObject({
      type: 'stat',
      gridPos: { x: 12, y: 1, w: 12, h: 7 },
      options: { colorMode: 'background', graphMode: 'area', reduceOptions: { calcs: ['lastNotNull'] } },
      fieldConfig: {
        defaults: {
          unit: 'short',
          thresholds: {
            steps: [
              { color: 'green', value: null },
              { color: 'orange', value: 1 },
              { color: 'red', value: 4 },
            ],
          },
        },
      },
    });
    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const output = JSON.parse(built.outputs.find((f) => f.path.startsWith('grafana/dashboards/'))!.content) as Record<string, unknown>;
    expect(compareDashboards(json, output)).toEqual([]);
  });

  it('finds a difference at its path', () => {
    const { json } = migrateDashboard(EXPORTED);
    const output = structuredClone(json);
    const panels = output.panels as Array<{ fieldConfig: { defaults: Record<string, unknown> }; targets: Array<Record<string, unknown>> }>;
    panels[2]!.fieldConfig.defaults.unit = 'bytes';
    panels[0]!.targets[0]!.expr = 'up';
    expect(compareDashboards(json, output)).toEqual([
      { at: '/panels/0/targets/0/expr', message: '"sum(up{job=\\"$job\\"})" is built as "up"' },
      { at: '/panels/2/fieldConfig/defaults/unit', message: '"reqps" is built as "bytes"' },
    ]);
  });
});

const PROVISIONING = `apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    access: proxy
    url: http://prometheus:9090
    isDefault: true
    editable: false
  - name: Loki
    type: loki
    uid: logs
    url: http://loki:3100
    basicAuth: true
    basicAuthUser: grafana
    withCredentials: true
    secureJsonData:
      basicAuthPassword: hunter2
  - name: Tempo
    type: tempo
    url: http://tempo:3200
    secureJsonData:
      httpHeaderValue1: $__file{/run/secrets/tempo-token}
`;

describe('mon-import of datasource provisioning', () => {
  it('declares each datasource once, dashboards refer to it by object, literal secrets are moved, and it builds back', async () => {
    const legacy = { ...LEGACY, uid: 'legacy-node' };
    const dir = makeProject({ 'input/datasources.yaml': PROVISIONING, 'input/legacy.json': JSON.stringify(legacy), 'mon.config.ts': CONFIG });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'obs' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const datasources = readFileSync(path.join(dir, 'definitions/obs/datasources.ts'), 'utf8');
    expect(datasources).toContain(`import { datasource, fromFile } from 'moncode';`);
    expect(datasources).toMatch(/export const prometheus = datasource\(\{\s+name: 'Prometheus',\s+type: 'prometheus',\s+url: 'http:\/\/prometheus:9090',\s+isDefault: true,\s+\}\);/);
    expect(datasources).toContain(`secureJsonData: { basicAuthPassword: fromFile('/etc/grafana/secrets/loki-basicAuthPassword') },`);
    expect(datasources).toContain(`secureJsonData: { httpHeaderValue1: fromFile('/run/secrets/tempo-token') },`);
    expect(datasources).toContain(`extra: { withCredentials: true },`);
    expect(datasources).not.toContain('hunter2');
    const moved = result.diagnostics.filter((d) => d.rule === 'import/secret-moved');
    expect(moved.map((d) => [d.severity, d.line])).toEqual([['warning', 17]]);
    // The legacy dashboard names "Prometheus" by name: the provisioned declaration, not a second one.
    const dashboards = readFileSync(path.join(dir, 'definitions/obs/dashboards.ts'), 'utf8');
    expect(dashboards).toContain(`import { prometheus } from './datasources.js';`);
    expect(datasources.match(/datasource\(\{/g)).toHaveLength(3);

    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const provisioned = built.outputs.find((f) => f.path.includes('provisioning/datasources'))!.content;
    expect(provisioned).toContain('basicAuthPassword: $__file{/etc/grafana/secrets/loki-basicAuthPassword}');
    expect(provisioned).toContain('httpHeaderValue1: $__file{/run/secrets/tempo-token}');
    expect(provisioned).toContain('withCredentials: true');
    expect(provisioned).toContain('uid: logs');
  });
});

describe('mon-import of dashboards inside Kubernetes resources', () => {
  const json = JSON.stringify(
    {
      uid: 'k8s-dash',
      title: 'In a resource',
      schemaVersion: 39,
      panels: [{ id: 1, type: 'text', title: 'Notes', gridPos: { x: 0, y: 0, w: 24, h: 6 }, options: { content: '# hi', mode: 'markdown' } }],
    },
    null,
    2,
  );
  const indent = (text: string) => text.replace(/^/gm, '      ');
  it.each([
    [
      'a grafana-operator GrafanaDashboard',
      `apiVersion: grafana.integreatly.org/v1beta1\nkind: GrafanaDashboard\nmetadata:\n  name: in-a-resource\nspec:\n  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n  json: |\n${indent(json)}\n`,
    ],
    [
      'a ConfigMap for the Grafana sidecar',
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: in-a-resource\n  labels:\n    grafana_dashboard: "1"\ndata:\n  in-a-resource.json: |\n${indent(json)}\n`,
    ],
  ])('%s', async (_name, yaml) => {
    const dir = makeProject({ 'input/dashboard.yaml': yaml, 'mon.config.ts': CONFIG });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'k8s' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['k8s/dashboards.ts']);
    expect(result.files[0]!.content).toContain(`text({`);
    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const output = JSON.parse(built.outputs.find((f) => f.path === 'grafana/dashboards/k8s/k8s-dash.json')!.content) as Record<string, unknown>;
    expect(compareDashboards(migrateDashboard(JSON.parse(json) as Record<string, unknown>).json, output)).toEqual([]);
  });
});

describe('mon-import --report', () => {
  it('builds the imported dashboards and lists each difference at the input field', async () => {
    const input = structuredClone(EXPORTED);
    // Wider than Grafana's grid: no GridWidth takes it, so the built panel differs.
    input.panels[0]!.gridPos = { x: 0, y: 0, w: 30, h: 4 };
    const text = JSON.stringify(input, null, 2);
    const dir = makeProject({ 'input/api.json': text });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'api', dryRun: true, roundTrip: true });
    const differences = result.diagnostics.filter((d) => d.rule === 'import/round-trip');
    expect(differences.map((d) => [d.severity, d.message])).toEqual([
      [
        'info',
        "/panels/0/gridPos/w: 30 is built as 6: 30 is no width of Grafana's 24-column grid (moncode's gridPos takes whole numbers, widths 1–24), so the panel is where moncode's layout puts it",
      ],
      // The fixture's made-up option is kept as written, and the stat panel's options schema refuses it.
      [
        'info',
        "/panels/0/options/madeUpOption: kept as the input has it (no typed field), but is no field there in the stat panel's options schema, so moncode cannot prove Grafana reads it (mon-build warns: grafana/schema-unproven)",
      ],
    ]);
    const line = text.split('\n').findIndex((l) => l.includes('"w": 30')) + 1;
    expect([differences[0]!.line, differences[0]!.endLine]).toEqual([line, line]);
    // Without --report nothing is built.
    const plain = await runImport({ cwd: makeProject({ 'input/api.json': text }), paths: ['input'], system: 'api', dryRun: true });
    expect(plain.diagnostics.filter((d) => d.rule === 'import/round-trip')).toEqual([]);
  });
});
