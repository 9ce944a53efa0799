import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build, type BuildResult } from '../../src/commands/build.js';
import { validateDashboard, validateDashboardV2 } from '../helpers/grafana-schema.js';
import { makeProject } from '../helpers/project.js';

// Dashboards as Kubernetes resources next to the PrometheusRules (deployment: kubernetes):
// sidecar ConfigMaps (default) and Grafana's own dashboard.grafana.app resources, v1 or v2.

type Json = Record<string, any>;

const k8s = (fields: string): string => `deployment: { kubernetes: { namespace: 'monitoring', labels: { release: 'stack' }${fields} } }`;
const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({
  systems: {
    cm: { ${k8s('')} },
    cmv2: { grafana: { version: '13.0', dashboardSchema: 'v2' }, ${k8s(`, dashboardLabels: { dashboards: 'shop' }`)} },
    gf: { ${k8s(`, dashboards: 'grafana'`)} },
    gfv2: { grafana: { version: '13.0', dashboardSchema: 'v2' }, ${k8s(`, dashboards: 'grafana'`)} },
    off: { ${k8s(`, dashboards: 'none'`)} },
    files: { deployment: 'files' },
  },
});
`;
const dashboard = (uid: string): string => `import { dashboard, prom, timeseries } from 'moncode';
export default dashboard({ title: 'Shop ${uid}', uid: '${uid}', folder: 'Shop ${uid}', panels: [timeseries({ title: 'Rate', targets: [prom('sum(rate(http_requests_total[5m]))')] })] });
`;
const SYSTEMS = ['cm', 'cmv2', 'gf', 'gfv2', 'off', 'files'];
const files: Record<string, string> = { 'mon.config.ts': CONFIG };
for (const system of SYSTEMS) files[`definitions/${system}/dashboards.ts`] = dashboard(`Shop_${system}`);

let built: Promise<BuildResult> | undefined;
const result = (): Promise<BuildResult> => (built ??= build({ cwd: makeProject(files), check: true }));
const yamlOf = async (file: string): Promise<Json | undefined> => {
  const content = (await result()).outputs.find((o) => o.path === file)?.content;
  return content === undefined ? undefined : (YAML.parse(content) as Json);
};
const plain = async (system: string): Promise<Json> => JSON.parse((await result()).outputs.find((o) => o.path === `grafana/dashboards/Shop Shop_${system}/Shop_${system}.json`)!.content) as Json;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

describe('dashboards as Kubernetes resources', () => {
  it('builds with no errors', async () => {
    expect((await result()).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  }, 120_000);

  it.each([
    ['cm', { grafana_dashboard: '1', release: 'stack' }, 'v1'],
    ['cmv2', { dashboards: 'shop', release: 'stack' }, 'v2'],
  ] as const)(
    '%s: a ConfigMap the sidecar selects, holding the dashboard file',
    async (system, labels, schema) => {
      const resource = (await yamlOf(`kubernetes/${system}/configmap-dashboard-shop-${system}.yaml`))!;
      expect(resource).toBeDefined();
      expect(resource).toMatchObject({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `dashboard-shop-${system}`, namespace: 'monitoring', labels, annotations: { grafana_folder: `Shop Shop_${system}` } },
      });
      expect(resource.metadata.name).toMatch(DNS_SUBDOMAIN);
      expect(Object.keys(resource.data)).toEqual([`Shop_${system}.json`]);
      expect(Object.keys(resource.data)[0]).toMatch(/^[-._a-zA-Z0-9]+$/);
      const json = JSON.parse(resource.data[`Shop_${system}.json`]) as Json;
      expect(json).toEqual(await plain(system));
      expect(schema === 'v1' ? validateDashboard(json) : validateDashboardV2(json)).toEqual([]);
    },
    120_000,
  );

  it.each([
    ['gf', 'dashboard.grafana.app/v1beta1'],
    ['gfv2', 'dashboard.grafana.app/v2'],
  ] as const)(
    '%s: a dashboard.grafana.app resource for Git Sync and grafanactl',
    async (system, apiVersion) => {
      const resource = (await yamlOf(`kubernetes/${system}/grafana-dashboard-shop-${system}.yaml`))!;
      expect(resource).toMatchObject({ apiVersion, kind: 'Dashboard', metadata: { name: `Shop_${system}` } });
      expect(resource.metadata.namespace).toBeUndefined();
      if (apiVersion === 'dashboard.grafana.app/v2') {
        expect(resource).toEqual(await plain(system));
        expect(validateDashboardV2(resource)).toEqual([]);
      } else {
        expect(resource.spec).toEqual(await plain(system));
        expect(validateDashboard(resource.spec)).toEqual([]);
      }
    },
    120_000,
  );

  it("writes no dashboard resource for dashboards: 'none' or plain files", async () => {
    const paths = (await result()).outputs.map((o) => o.path);
    expect(paths.filter((p) => p.startsWith('kubernetes/off/') || p.startsWith('kubernetes/files/'))).toEqual([]);
    expect(paths.filter((p) => p.startsWith('kubernetes/')).sort()).toEqual([
      'kubernetes/cm/configmap-dashboard-shop-cm.yaml',
      'kubernetes/cmv2/configmap-dashboard-shop-cmv2.yaml',
      'kubernetes/gf/grafana-dashboard-shop-gf.yaml',
      'kubernetes/gfv2/grafana-dashboard-shop-gfv2.yaml',
    ]);
  }, 120_000);

  it('two uids with one Kubernetes name are an error at the second uid', async () => {
    const source = `import { dashboard } from 'moncode';\nexport const a = dashboard({ title: 'A', uid: 'Shop_A' });\nexport const b = dashboard({ title: 'B', uid: 'shop-a' });\n`;
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { cm: { ${k8s('')} } } });\n`;
    const clash = await build({ cwd: makeProject({ 'mon.config.ts': config, 'definitions/cm/dashboards.ts': source }), check: true });
    const errors = clash.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain('get the same Kubernetes name');
    const line = source.split('\n').findIndex((l) => l.includes("uid: 'shop-a'")) + 1;
    expect(errors[0]).toMatchObject({ line });
  }, 120_000);
});
