import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build, type BuildResult } from '../../src/commands/build.js';
import { GRAFANA_DASHBOARD_SCHEMA, grafanaDashboardProblems } from '../../src/compile/grafana/operator.js';
import { runBin } from '../helpers/cli.js';
import { validateDashboard } from '../helpers/grafana-schema.js';
import { makeProject } from '../helpers/project.js';

// grafana-operator GrafanaDashboard resources (deployment.kubernetes.dashboards: 'grafana-operator'):
// inline JSON by default, or a ConfigMap the resource references; every resource validated against
// the schema written from the operator's CRD, and the dashboard JSON in it against @grafana/schema.

type Json = Record<string, any>;

const k8s = (fields: string): string => `deployment: { kubernetes: { namespace: 'monitoring', labels: { release: 'stack' }, dashboards: 'grafana-operator'${fields} } }`;
const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({
  systems: {
    op: { ${k8s('')} },
    opcm: { ${k8s(`, grafanaOperator: { instanceSelector: { instance: 'shop-grafana' }, resyncPeriod: '1h30m', content: 'configMapRef', allowCrossNamespaceImport: true }`)} },
  },
});
`;
const dashboard = (uid: string): string => `import { dashboard, prom, row, stat, timeseries } from 'moncode';
export default dashboard({
  title: 'Shop ${uid}',
  uid: '${uid}',
  folder: 'Shop ${uid}',
  panels: [stat({ title: 'Up', targets: [prom('sum(up)')] }), row('Traffic', [timeseries({ title: 'Rate', targets: [prom('sum(rate(http_requests_total[5m]))')] })])],
});
`;
const files: Record<string, string> = { 'mon.config.ts': CONFIG };
for (const system of ['op', 'opcm']) files[`definitions/${system}/dashboards.ts`] = dashboard(`Shop_${system}`);

let built: Promise<BuildResult> | undefined;
const result = (): Promise<BuildResult> => (built ??= build({ cwd: makeProject(files), check: true }));
const output = async (file: string): Promise<string | undefined> => (await result()).outputs.find((o) => o.path === file)?.content;
const yamlOf = async (file: string): Promise<Json> => YAML.parse((await output(file))!) as Json;
const plain = async (system: string): Promise<string> => (await output(`grafana/dashboards/Shop Shop_${system}/Shop_${system}.json`))!;

describe('grafana-operator GrafanaDashboard resources', () => {
  it('builds with no errors and writes the resources next to the others', async () => {
    expect((await result()).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(
      (await result()).outputs
        .map((o) => o.path)
        .filter((p) => p.startsWith('kubernetes/'))
        .sort(),
    ).toEqual(['kubernetes/op/grafanadashboard-dashboard-shop-op.yaml', 'kubernetes/opcm/configmap-dashboard-shop-opcm.yaml', 'kubernetes/opcm/grafanadashboard-dashboard-shop-opcm.yaml']);
  }, 120_000);

  it('defaults: the JSON inline, the examples instance label, the folder by title', async () => {
    const resource = await yamlOf('kubernetes/op/grafanadashboard-dashboard-shop-op.yaml');
    expect(grafanaDashboardProblems(resource)).toEqual([]);
    expect(resource).toEqual({
      apiVersion: 'grafana.integreatly.org/v1beta1',
      kind: 'GrafanaDashboard',
      metadata: { name: 'dashboard-shop-op', namespace: 'monitoring', labels: { release: 'stack' } },
      spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, folder: 'Shop Shop_op', json: await plain('op') },
    });
    const json = JSON.parse(resource.spec.json) as Json;
    expect(validateDashboard(json)).toEqual([]);
    expect(json.panels.map((p: Json) => p.id)).toEqual([1, 2, 3]);
  }, 120_000);

  it('configMapRef: the JSON in a ConfigMap of the same namespace without the sidecar label', async () => {
    const resource = await yamlOf('kubernetes/opcm/grafanadashboard-dashboard-shop-opcm.yaml');
    const configMap = await yamlOf('kubernetes/opcm/configmap-dashboard-shop-opcm.yaml');
    expect(grafanaDashboardProblems(resource)).toEqual([]);
    expect(resource.spec).toEqual({
      instanceSelector: { matchLabels: { instance: 'shop-grafana' } },
      folder: 'Shop Shop_opcm',
      resyncPeriod: '1h30m',
      allowCrossNamespaceImport: true,
      configMapRef: { name: 'dashboard-shop-opcm', key: 'Shop_opcm.json' },
    });
    expect(configMap).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: resource.spec.configMapRef.name, namespace: resource.metadata.namespace, labels: { release: 'stack' } },
      data: { [resource.spec.configMapRef.key]: await plain('opcm') },
    });
    expect(validateDashboard(JSON.parse(configMap.data['Shop_opcm.json']) as Json)).toEqual([]);
  }, 120_000);

  it('a rebuild is byte-identical', async () => {
    const again = await build({ cwd: makeProject(files), check: true });
    const k8sFiles = (r: BuildResult) => r.outputs.filter((o) => o.path.startsWith('kubernetes/')).map((o) => [o.path, o.content]);
    expect(k8sFiles(again)).toEqual(k8sFiles(await result()));
  }, 120_000);

  const valid = {
    apiVersion: 'grafana.integreatly.org/v1beta1',
    kind: 'GrafanaDashboard',
    metadata: { name: 'd', namespace: 'monitoring' },
    spec: { instanceSelector: { matchLabels: { dashboards: 'grafana' } }, json: '{}' },
  };
  it.each([
    ['no instanceSelector (the CRD requires it)', { ...valid, spec: { json: '{}' } }, "/spec: must have required property 'instanceSelector'"],
    ['no dashboard JSON', { ...valid, spec: { instanceSelector: {} } }, '/spec: must match exactly one schema in oneOf'],
    ['both json and configMapRef', { ...valid, spec: { ...valid.spec, configMapRef: { name: 'd', key: 'd.json' } } }, '/spec: must match exactly one schema in oneOf'],
    ['a configMapRef without key', { ...valid, spec: { instanceSelector: {}, configMapRef: { name: 'd' } } }, "/spec/configMapRef: must have required property 'key'"],
    ['a resyncPeriod in days', { ...valid, spec: { ...valid.spec, resyncPeriod: '1d' } }, '/spec/resyncPeriod: must match pattern'],
    ['a field moncode has no facts for', { ...valid, spec: { ...valid.spec, gzip: true } }, '/spec: must NOT have additional properties'],
    ['a namespace-less resource', { ...valid, metadata: { name: 'd' } }, "/metadata: must have required property 'namespace'"],
    ['another kind', { ...valid, kind: 'GrafanaFolder' }, '/kind: must be equal to constant'],
  ])('the schema refuses %s', (_name, resource, problem) => {
    expect(grafanaDashboardProblems(valid)).toEqual([]);
    expect(grafanaDashboardProblems(resource).join('\n')).toContain(problem);
  });

  it('the schema lists the CRD-required instanceSelector', () => {
    expect(GRAFANA_DASHBOARD_SCHEMA.properties.spec.required).toEqual(['instanceSelector']);
  });

  const badConfig = (system: string) => `import { defineConfig } from 'moncode';\nexport default defineConfig({\n  ${system}\n});\n`;
  it.each([
    [
      'schema v2 dashboards',
      `grafana: { version: '13.0', dashboardSchema: 'v2' }, deployment: { kubernetes: { namespace: 'm', dashboards: 'grafana-operator' } },`,
      'dashboards',
      "bad config: `deployment.kubernetes.dashboards` is 'grafana-operator', which imports dashboards through Grafana's /api/dashboards/db (v1 JSON only)",
    ],
    [
      'a resyncPeriod in days',
      `deployment: { kubernetes: { namespace: 'm', dashboards: 'grafana-operator', grafanaOperator: { resyncPeriod: '1d' as never } } },`,
      'resyncPeriod',
      'bad config: `deployment.kubernetes.grafanaOperator.resyncPeriod` is "1d", not a duration the grafana-operator reads',
    ],
    [
      'an instance label value Kubernetes refuses',
      `deployment: { kubernetes: { namespace: 'm', dashboards: 'grafana-operator', grafanaOperator: { instanceSelector: { instance: 'my grafana' } } } },`,
      'instance',
      'bad config: `deployment.kubernetes.grafanaOperator.instanceSelector.instance` is "my grafana", not a Kubernetes label value',
    ],
  ])('%s: a bad config at its line, exit 2', (_name, settings, property, message) => {
    const config = badConfig(settings);
    const dir = makeProject({ 'mon.config.ts': config, 'definitions/op/dashboards.ts': dashboard('Shop_op') });
    const run = runBin('mon-build', ['--check'], dir);
    expect(run.code).toBe(2);
    const line = config.split('\n').findIndex((l) => l.includes(`${property}:`));
    const column = config.split('\n')[line]!.indexOf(`${property}:`) + 1;
    expect(run.stderr).toContain(`mon.config.ts:${line + 1}:${column}: error: ${message}`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
