import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { alertmanagerSchema } from '../helpers/alertmanager-schema.js';
import { runBin } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

// One small project per deployment form under examples/, each with its own mon.config.ts: mon-build
// run inside it must find its committed out/ current, and what it wrote is checked by the
// validator of its target (the operator's CRD schema, promtool, Grafana's LogQL parser, our 0.34
// schema of Alertmanager's config structs, since amtool here is 0.25).

const promtool = requireTool('promtool');
const example = (name: string) => path.join(REPO_ROOT, 'examples', name);
const read = (name: string, file: string) => readFileSync(path.join(example(name), 'out', file), 'utf8');

function promtoolCheck(groups: unknown): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-example-'));
  const file = path.join(dir, 'groups.rules.yml');
  writeFileSync(file, YAML.stringify({ groups }));
  const result = runTool(promtool!, ['check', 'rules', file]);
  expect(result.output).toContain('SUCCESS');
  expect(result.code).toBe(0);
}

describe.each(['kubernetes', 'mimir', 'loki', 'alertmanager-0.34'])('examples/%s', (name) => {
  it('mon-build --check inside it exits 0: out/ is what a build writes', () => {
    const result = runBin('mon-build', ['--check'], example(name));
    expect(result.stderr + result.stdout).toMatch(/0 errors, 0 warnings/);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(0);
  }, 120_000);
});

describe('what the examples write', () => {
  it('kubernetes: a PrometheusRule the operator schema accepts, with groups promtool accepts, and a sidecar ConfigMap of the dashboard', () => {
    const resource = YAML.parse(read('kubernetes', 'kubernetes/shop/prometheusrule-shop.yaml'));
    expect(() => new PrometheusRule(resource).validate()).not.toThrow();
    expect(resource.metadata).toMatchObject({ namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } });
    promtoolCheck(resource.spec.groups);
    const configMap = YAML.parse(read('kubernetes', 'kubernetes/shop/configmap-dashboard-shop.yaml'));
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(JSON.parse(Object.values(configMap.data as Record<string, string>)[0]!)).toEqual(JSON.parse(read('kubernetes', 'grafana/dashboards/shop/shop.json')));
  });

  it('mimir: ruler namespaces as mimirtool reads them, one federated group, PromQL promtool accepts', () => {
    const files = readdirSync(path.join(example('mimir'), 'out', 'mimir', 'metrics')).sort();
    expect(files).toEqual(['metrics-alerts.yaml', 'metrics.yaml']);
    const federated = YAML.parse(read('mimir', 'mimir/metrics/metrics.yaml'));
    expect(Object.keys(federated)).toEqual(['namespace', 'groups']);
    expect(federated.groups[0].source_tenants).toEqual(['team-a', 'team-b']);
    for (const file of files) {
      const parsed = YAML.parse(read('mimir', `mimir/metrics/${file}`));
      promtoolCheck(parsed.groups.map(({ source_tenants: _, ...rest }: Record<string, unknown>) => rest));
    }
  });

  it("loki: the tenant's folder holds LogQL that Grafana's parser reads", () => {
    const parsed = YAML.parse(read('loki', 'loki/rules/platform/logs.rules.yml')) as { groups: Array<{ rules: Array<{ expr: string }> }> };
    const exprs = parsed.groups.flatMap((g) => g.rules.map((r) => r.expr));
    expect(exprs).toHaveLength(2);
    for (const expr of exprs) {
      let error: number | undefined;
      logqlParser.parse(expr).iterate({ enter: (node) => void (node.type.isError && error === undefined && (error = node.from)) });
      expect(error, expr).toBeUndefined();
    }
  });

  it('alertmanager-0.34: 0.34 receivers and a named inhibit rule, valid for 0.34 and not for 0.25, secrets only by file', () => {
    const config = YAML.parse(read('alertmanager-0.34', 'alertmanager/ops/alertmanager.yml'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    expect(ajv.validate(alertmanagerSchema('0.34'), config), JSON.stringify(ajv.errors)).toBe(true);
    expect(new Ajv({ strict: false }).validate(alertmanagerSchema('0.25'), config)).toBe(false);
    expect(config.inhibit_rules[0].name).toBe('critical-mutes-warning');
    const text = read('alertmanager-0.34', 'alertmanager/ops/alertmanager.yml');
    expect(text).not.toMatch(/webhook_url:|routing_key:/);
    expect([...text.matchAll(/_file: (\S+)/g)].map((m) => m[1]).every((file) => file!.startsWith('/etc/alertmanager/secrets/'))).toBe(true);
  });
});
