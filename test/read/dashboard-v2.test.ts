import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/commands/build.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// mon-lint reads Grafana's dashboard.grafana.app resources: v2 (as files, ConfigMaps and Git Sync
// resources) through their v1 form, v1beta1 as the JSON they hold. The oracle is the TS lint of
// the same definitions: the file lint finds the same dashboard problems, at the place the v2 file
// has each one.

type Diagnostic = { rule: string; message: string; file: string; line: number; column: number; endLine: number; endColumn: number };

const CONFIG = (schema: 'v1' | 'v2', dashboards: 'configmap' | 'grafana') =>
  `import { defineConfig } from 'moncode';\nexport default defineConfig({ grafana: ${schema === 'v2' ? "{ version: '13.0', dashboardSchema: 'v2' }" : "{ dashboardSchema: 'v1' }"}, deployment: { kubernetes: { namespace: 'm', dashboards: '${dashboards}' } } });\n`;
const DASHBOARD = `import { customVariable, dashboard, prom, row, stat, tab, tabs, timeseries } from 'moncode';

export default dashboard({
  title: 'Shop',
  uid: 'shop',
  variables: [customVariable({ name: 'env', values: ['prod'] }), customVariable({ name: 'unused', values: ['x'] })],
  panels: [
    tabs(
      tab('Overview', [stat({ title: 'Up', unit: 'short', targets: [prom('sum(up{env="$env"})')] })]),
      tab('Per region', [row('Traffic', [timeseries({ title: 'Rate', targets: [prom('sum(rate(http_requests_total{region="$region",job="$nope"}[5m]))')] })])], {
        variables: [customVariable({ name: 'region', values: ['eu', 'us'] })],
      }),
    ),
  ],
});
`;
const V1_DASHBOARD = `import { customVariable, dashboard, prom, row, stat, timeseries } from 'moncode';

export default dashboard({
  title: 'Shop',
  uid: 'shop',
  variables: [customVariable({ name: 'env', values: ['prod'] }), customVariable({ name: 'region', values: ['eu'] }), customVariable({ name: 'unused', values: ['x'] })],
  panels: [
    stat({ title: 'Up', unit: 'short', targets: [prom('sum(up{env="$env"})')] }),
    row('Traffic', [timeseries({ title: 'Rate', targets: [prom('sum(rate(http_requests_total{region="$region",job="$nope"}[5m]))')] })]),
  ],
});
`;

const builds = new Map<string, Promise<BuildResult>>();
const built = (schema: 'v1' | 'v2', dashboards: 'configmap' | 'grafana') => {
  const key = `${schema}-${dashboards}`;
  if (!builds.has(key))
    builds.set(key, build({ cwd: makeProject({ 'mon.config.ts': CONFIG(schema, dashboards), 'definitions/shop/dashboards.ts': schema === 'v2' ? DASHBOARD : V1_DASHBOARD }), check: true }));
  return builds.get(key)!;
};

const DASHBOARD_RULES = /^dashboard\//;
const lintFile = (name: string, content: string): { code: number | null; diagnostics: Diagnostic[]; text: string } => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-v2-lint-'));
  writeFileSync(path.join(dir, name), content);
  const run = runBin('mon-lint', ['--format', 'json', name], dir);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  return { code: run.code, diagnostics: (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics, text: content };
};

describe('mon-lint on dashboard.grafana.app resources', () => {
  it.each([
    ['a v2 dashboard file', 'v2', 'configmap', 'grafana/dashboards/shop/shop.json', 'shop.json'],
    ['a v2 dashboard in a sidecar ConfigMap', 'v2', 'configmap', 'kubernetes/shop/configmap-dashboard-shop.yaml', 'cm.yaml'],
    ['a v2 Git Sync resource', 'v2', 'grafana', 'kubernetes/shop/grafana-dashboard-shop.yaml', 'gs.yaml'],
    ['a v1beta1 Git Sync resource', 'v1', 'grafana', 'kubernetes/shop/grafana-dashboard-shop.yaml', 'gs.yaml'],
  ] as const)(
    '%s: the problems the TS lint finds, where the file has them',
    async (_name, schema, dashboards, output, name) => {
      const result = await built(schema, dashboards);
      const content = result.outputs.find((o) => o.path === output)!.content;
      const fromTs = result.diagnostics
        .filter((d) => DASHBOARD_RULES.test(d.rule))
        .map((d) => [d.rule, d.message])
        .sort();
      expect(fromTs.map(([rule]) => rule)).toEqual(['dashboard/undefined-variable', 'dashboard/unit-missing', 'dashboard/unused-variable']);
      const { diagnostics, text } = lintFile(name, content);
      expect(
        diagnostics
          .filter((d) => DASHBOARD_RULES.test(d.rule))
          .map((d) => [d.rule, d.message])
          .sort(),
      ).toEqual(fromTs);
      expect(diagnostics.filter((d) => !DASHBOARD_RULES.test(d.rule))).toEqual([]);
      // `$nope` is found inside the query string as the file writes it (JSON escapes included).
      const undefinedVariable = diagnostics.find((d) => d.rule === 'dashboard/undefined-variable')!;
      const lines = text.split('\n');
      const line = lines.findIndex((l) => l.includes('$nope')) + 1;
      expect(undefinedVariable).toMatchObject({ line, column: lines[line - 1]!.indexOf('$nope') + 1, endLine: line, endColumn: lines[line - 1]!.indexOf('$nope') + 1 + '$nope'.length });
      // The unused variable is reported at its entry in the file.
      const unused = diagnostics.find((d) => d.rule === 'dashboard/unused-variable')!;
      const firstName = lines.slice(unused.line - 1).find((l) => /name/.test(l));
      expect(firstName).toContain('unused');
    },
    120_000,
  );

  it('a v2 file whose layout is unusable still lints its elements', () => {
    const resource = {
      apiVersion: 'dashboard.grafana.app/v2beta1',
      kind: 'Dashboard',
      metadata: { name: 'x' },
      spec: {
        title: 'X',
        elements: { 'panel-1': { kind: 'Panel', spec: { id: 1, title: 'Old', vizConfig: { kind: 'VizConfig', group: 'graph', spec: {} }, data: { kind: 'QueryGroup', spec: { queries: [] } } } } },
        layout: 'nonsense',
      },
    };
    const { diagnostics, text } = lintFile('x.json', JSON.stringify(resource, null, 2));
    expect(diagnostics.map((d) => d.rule)).toEqual(['dashboard/deprecated-panel']);
    // At the panel's plugin id, where v2 writes the v1 `type`.
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('"group": "graph"')) + 1;
    const column = lines[line - 1]!.indexOf('"graph"') + 1;
    expect(diagnostics[0]).toMatchObject({ line, column, endLine: line, endColumn: column + '"graph"'.length });
  });
});
