import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { build, type BuildResult } from '../../src/commands/build.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({
  systems: {
    shop: { deployment: { kubernetes: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' }, annotations: { 'example.com/owner': 'shop' } } } },
    thanosk8s: { prometheus: { flavor: 'thanos' }, deployment: { kubernetes: { namespace: 'thanos' } } },
    metrics: { prometheus: { flavor: 'mimir' } },
    legacy: { prometheus: { flavor: 'cortex' } },
    files: { deployment: 'files' },
  },
});
`;

const alert = `alertRule({ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })`;
const record = `recordingRule({ record: 'job:up:sum', expr: 'sum by (job) (up)' })`;
const group = (fields: string): string => {
  const name = /name: '([^']+)'/.exec(fields)![1]!;
  return `ruleGroup({ ${fields}, rules: [${alert.replace('Down', `Down_${name}`)}, ${record.replace('job:up:sum', `job:up_${name}:sum`)}] })`;
};
const module = (...groups: string[]): string => `import { alertRule, recordingRule, ruleGroup } from 'moncode';\n\n${groups.map((g, i) => `export const g${i} = ${g};`).join('\n')}\n`;

const FILES: Record<string, string> = {
  'mon.config.ts': CONFIG,
  'definitions/shop/rules.ts': module(group(`name: 'shop'`), group(`name: 'Shop_Extra', file: 'Shop_Extra'`)),
  'definitions/thanosk8s/rules.ts': module(group(`name: 'partial', partial_response_strategy: 'warn'`)),
  'definitions/metrics/rules.ts': module(group(`name: 'federated', source_tenants: ['team-a', 'team-b']`), group(`name: 'own', file: 'metrics-own'`)),
  'definitions/legacy/rules.ts': module(group(`name: 'plain'`)),
  'definitions/files/rules.ts': module(group(`name: 'plain_files'`)),
};

let built: Promise<BuildResult> | undefined;
const buildOnce = (): Promise<BuildResult> => (built ??= build({ cwd: makeProject(FILES), check: true }));
const output = async (file: string): Promise<string | undefined> => (await buildOnce()).outputs.find((o) => o.path === file)?.content;

/** promtool check rules on a rule file holding `groups` (the inner groups of a resource or ruler namespace). */
function promtoolCheck(groups: unknown): void {
  if (!promtool) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-deploy-'));
  const file = path.join(dir, 'groups.rules.yml');
  writeFileSync(file, YAML.stringify({ groups }));
  const result = runTool(promtool, ['check', 'rules', file]);
  expect(result.output).toContain('SUCCESS');
  expect(result.code).toBe(0);
}

describe('deployment targets', () => {
  it('builds with no errors', async () => {
    const result = await buildOnce();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  });

  it.each([
    ['kubernetes/shop/prometheusrule-shop.yaml', 'shop', 'monitoring', { release: 'kube-prometheus-stack' }, ['shop']],
    ['kubernetes/shop/prometheusrule-shop-extra.yaml', 'shop-extra', 'monitoring', { release: 'kube-prometheus-stack' }, ['Shop_Extra']],
    ['kubernetes/thanosk8s/prometheusrule-thanosk8s.yaml', 'thanosk8s', 'thanos', undefined, ['partial']],
  ])('%s is a PrometheusRule the operator schema accepts', async (file, name, namespace, labels, groups) => {
    const content = await output(file);
    expect(content, `${file} is written`).toBeDefined();
    const resource = YAML.parse(content!);
    expect(() => new PrometheusRule(resource).validate()).not.toThrow();
    expect(resource.metadata).toMatchObject({ name, namespace, ...(labels ? { labels } : {}) });
    expect(resource.spec.groups.map((g: { name: string }) => g.name)).toEqual(groups);
    // The plain rule file stays beside it (promtool check/test read it); its groups are the resource's.
    const plain = YAML.parse((await output(`prometheus/rules/${groups[0] === 'Shop_Extra' ? 'Shop_Extra' : file.split('/')[1]}.rules.yml`))!);
    expect(resource.spec.groups).toEqual(plain.groups);
    if (!file.includes('thanos')) promtoolCheck(resource.spec.groups);
  });

  it('a Thanos group keeps partial_response_strategy in its resource', async () => {
    const resource = YAML.parse((await output('kubernetes/thanosk8s/prometheusrule-thanosk8s.yaml'))!);
    expect(resource.spec.groups[0].partial_response_strategy).toBe('warn');
  });

  it('the resource carries the configured annotations', async () => {
    const resource = YAML.parse((await output('kubernetes/shop/prometheusrule-shop.yaml'))!);
    expect(resource.metadata.annotations).toEqual({ 'example.com/owner': 'shop' });
  });

  it('a files system gets no Kubernetes resources', async () => {
    const outputs = (await buildOnce()).outputs.map((o) => o.path);
    expect(outputs.filter((p) => p.startsWith('kubernetes/files/'))).toEqual([]);
    expect(outputs).toContain('prometheus/rules/files.rules.yml');
  });

  it.each([
    ['mimir/metrics/metrics.yaml', 'metrics', ['federated'], ['team-a', 'team-b']],
    ['mimir/metrics/metrics-own.yaml', 'metrics-own', ['own'], undefined],
    ['mimir/legacy/legacy.yaml', 'legacy', ['plain'], undefined],
  ])('%s is a ruler namespace as mimirtool rules load reads it', async (file, namespace, groups, tenants) => {
    const content = await output(file);
    expect(content, `${file} is written`).toBeDefined();
    const parsed = YAML.parse(content!);
    expect(Object.keys(parsed)).toEqual(['namespace', 'groups']);
    expect(parsed.namespace).toBe(namespace);
    expect(parsed.groups.map((g: { name: string }) => g.name)).toEqual(groups);
    expect(parsed.groups[0].source_tenants).toEqual(tenants);
    // promtool knows no source_tenants (a Mimir field); the rest of each group is a Prometheus group.
    promtoolCheck(parsed.groups.map(({ source_tenants: _, ...rest }: Record<string, unknown>) => rest));
  });

  it('a Mimir or Cortex system writes no Prometheus rule files', async () => {
    const outputs = (await buildOnce()).outputs.map((o) => o.path);
    expect(outputs.filter((p) => /^prometheus\/rules\/(metrics|metrics-own|legacy)\.rules\.yml$/.test(p))).toEqual([]);
  });

  it('builds byte-identical output twice', async () => {
    const again = await build({ cwd: makeProject(FILES), check: true });
    expect(again.outputs).toEqual((await buildOnce()).outputs);
  });
});

describe('fields a deployment target lacks', () => {
  it.each([
    ['source_tenants in a Cortex system', { prometheus: { flavor: 'cortex' } }, `name: 'x', source_tenants: ['a']`, '`source_tenants` needs the mimir flavor', "source_tenants: ['a']"],
    ['source_tenants in a Thanos system', { prometheus: { flavor: 'thanos' } }, `name: 'x', source_tenants: ['a']`, '`source_tenants` needs the mimir flavor', "source_tenants: ['a']"],
    [
      'partial_response_strategy in a Mimir system',
      { prometheus: { flavor: 'mimir' } },
      `name: 'x', partial_response_strategy: 'abort'`,
      'needs the thanos flavor',
      "partial_response_strategy: 'abort'",
    ],
  ])('%s is an error at its line', async (_name, target, fields, message, at) => {
    const source = module(group(fields));
    const dir = makeProject({
      'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { s: ${JSON.stringify(target)} } });\n`,
      'definitions/s/rules.ts': source,
    });
    const result = await build({ cwd: dir, check: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(message);
    const line = source.split('\n')[errors[0]!.line! - 1]!;
    expect(line.slice(errors[0]!.column! - 1).startsWith(at)).toBe(true);
    expect(result.exitCode).toBe(1);
  });

  it.each([
    [
      'a namespace that is no Kubernetes name',
      `deployment: { kubernetes: { namespace: 'Monitoring' } }`,
      '`systems.s.deployment.kubernetes.namespace` is "Monitoring", not a Kubernetes namespace name',
      "namespace: 'Monitoring'",
    ],
    [
      'a label value with a space',
      `deployment: { kubernetes: { namespace: 'm', labels: { release: 'a b' } } }`,
      '`systems.s.deployment.kubernetes.labels.release` is "a b", not a Kubernetes label value',
      "release: 'a b'",
    ],
    ['a label key with a space', `deployment: { kubernetes: { namespace: 'm', labels: { 'a b': 'x' } } }`, '`systems.s.deployment.kubernetes.labels.a b` is not a Kubernetes label', "'a b': 'x'"],
    ['schema v2 dashboards for Grafana 12', `grafana: { dashboardSchema: 'v2' }`, "`systems.s.grafana.dashboardSchema` is 'v2', which Grafana 12.0 does not load", "dashboardSchema: 'v2'"],
    [
      'an unknown flavor',
      `prometheus: { flavor: 'victoriametrics' }`,
      '`systems.s.prometheus.flavor` is "victoriametrics", not one of "prometheus", "thanos", "mimir", "cortex", "loki"',
      "flavor: 'victoriametrics'",
    ],
    ['an unknown deployment form', `deployment: 'helm'`, "`systems.s.deployment` must be 'files' or { kubernetes: { namespace } }", "deployment: 'helm'"],
  ])('config: %s is unusable input at its line', (_name, setting, message, at) => {
    const config = `import { defineConfig } from 'moncode';\n// @ts-nocheck\nexport default defineConfig({\n  systems: { s: { ${setting} } },\n});\n`;
    const dir = makeProject({ 'mon.config.ts': config, 'definitions/s/rules.ts': module(group(`name: 'x'`)) });
    const result = runBin('mon-build', ['--check'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    const [, line, column] = /mon\.config\.ts:(\d+):(\d+)/.exec(result.stderr)!;
    expect(config.split('\n')[Number(line) - 1]!.slice(Number(column) - 1)).toMatch(new RegExp(`^(${at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|${at.split(':')[0]})`));
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
