import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { Ajv } from 'ajv';
import { GRAFANA_ALERTING_SCHEMA } from '../../src/model/grafana-alerting.schema.gen.js';
import { validateDashboardV2 } from '../helpers/grafana-schema.js';
import { runBin } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/project.js';

// examples/grafana-13: its own mon.config.ts (schema v2, dashboard.grafana.app resources, Grafana-managed alerting), built by
// mon-build run inside it; the committed out/ must be what a build writes, and valid v2 (tabs, an
// auto grid, a section variable).
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'grafana-13');

describe('examples/grafana-13', () => {
  it('mon-build --check inside it passes: out/ is current', () => {
    const result = runBin('mon-build', ['--check'], EXAMPLE);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.code).toBe(0);
  }, 120_000);

  it('its dashboard and its Git Sync resource are valid v2', () => {
    const dashboard = JSON.parse(readFileSync(path.join(EXAMPLE, 'out/grafana/dashboards/shop/shop.json'), 'utf8')) as Record<string, any>;
    expect(validateDashboardV2(dashboard)).toEqual([]);
    const [overview, latency] = dashboard.spec.layout.spec.tabs as Array<Record<string, any>>;
    expect(dashboard.spec.layout.kind).toBe('TabsLayout');
    expect([overview!.spec.title, latency!.spec.title]).toEqual(['Overview', 'Latency']);
    expect(overview!.spec.layout.kind).toBe('AutoGridLayout');
    expect(latency!.spec.layout.kind).toBe('RowsLayout');
    // The quantile picker is the Latency tab's section variable, not the dashboard's.
    expect(latency!.spec.variables.map((v: Record<string, any>) => [v.kind, v.spec.name])).toEqual([['CustomVariable', 'quantile']]);
    expect(dashboard.spec.variables).toEqual([]);
    const resource = YAML.parse(readFileSync(path.join(EXAMPLE, 'out/kubernetes/shop/grafana-dashboard-shop.yaml'), 'utf8')) as Record<string, unknown>;
    expect(resource).toEqual(dashboard);
  }, 120_000);

  it('its alerting is Grafana-managed: rules, contact points, mute timing and policies validate, the same rules as its rule file', () => {
    const read = (file: string) => YAML.parse(readFileSync(path.join(EXAMPLE, 'out', file), 'utf8')) as Record<string, any>;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(GRAFANA_ALERTING_SCHEMA);
    const shop = read('grafana/provisioning/alerting/shop.yaml');
    const policies = read('grafana/provisioning/alerting/policies.yaml');
    for (const file of [shop, policies]) expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    const rules = read('prometheus/rules/shop.rules.yml').groups[0].rules as Array<Record<string, any>>;
    expect(shop.groups[0].rules.map((r: Record<string, any>) => [r.title, r.data[0].model.expr, r.data[0].datasourceUid])).toEqual(rules.map((r) => [r.alert ?? r.record, r.expr, 'shop-prometheus']));
    expect(shop.contactPoints.map((c: Record<string, any>) => [c.name, c.receivers[0].type, c.receivers[0].settings.url ?? c.receivers[0].settings.integrationKey])).toEqual([
      ['shop/shop-team', 'slack', '$__file{/etc/grafana/secrets/slack-webhook-url}'],
      ['shop/oncall', 'pagerduty', '$__file{/etc/grafana/secrets/pagerduty-routing-key}'],
    ]);
    expect(shop.muteTimes.map((m: Record<string, any>) => m.name)).toEqual(['shop/nights']);
    expect(policies.policies[0].routes[0]).toMatchObject({ receiver: 'shop/shop-team', object_matchers: [['grafana_folder', '=', 'shop']] });
    // The PrometheusRule is not written: Grafana evaluates these rules.
    expect(() => readFileSync(path.join(EXAMPLE, 'out/kubernetes/shop/prometheusrule-shop.yaml'))).toThrow();
  });

  it('mon-lint reads its out/grafana, out/prometheus and out/alertmanager clean: the alerting provisioning files are known, not misread as rule files', () => {
    // out/kubernetes holds the same dashboard again as its Git Sync resource, which mon-lint reads as a second dashboard of that uid.
    const result = runBin('mon-lint', ['out/grafana', 'out/prometheus', 'out/alertmanager'], EXAMPLE);
    expect(result.stderr + result.stdout).not.toContain('input/invalid');
    expect(result.code).toBe(0);
  }, 120_000);
});
