import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

/**
 * OpenSLO and Sloth specs are kept as spec files: mon-import copies them into the system's
 * folder as they are, and mon-build compiles them there. Round trip: the rules built from the
 * imported spec equal what moncode's slo() gives for the same SLOs (OpenSLO), and a Sloth spec's
 * rules have the shapes Sloth documents for its own output.
 */

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { rules: { 'runbook/missing': 'off' } } });\n`;

type Rule = { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };

function groupsOf(dir: string, file: string): Array<{ name: string; rules: Rule[] }> {
  return (parseYaml(readFileSync(path.join(dir, 'out/prometheus/rules', file), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> }).groups;
}

const OPENSLO = readFileSync(path.join(REPO_ROOT, 'test/fixtures/seeds/001-bot-core/slos.yaml'), 'utf8');

/** Seed 001's two OpenSLO objects, written with slo(): no AlertPolicy, so no alerting; Occurrences budgeting. */
const AS_SLO = `import { slo } from 'moncode';
export const availability = slo({
  name: 'availability',
  service: 'bot-core-api',
  objective: '99.5%',
  period: '30d',
  budgeting: 'occurrences',
  alerting: false,
  sli: { errors: 'http_requests_total{status=~"5.."}', total: 'http_requests_total' },
});
export const tradeSuccess = slo({
  name: 'trade-success',
  service: 'rust-core-engine',
  objective: '95%',
  period: '30d',
  budgeting: 'occurrences',
  alerting: false,
  sli: { good: 'trades_success_total', total: 'trades_total' },
});
`;

const SLOTH = `version: "prometheus/v1"
service: "checkout"
labels:
  owner: "payments"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Checkout requests answered without a server error."
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutHighErrorRate
      labels:
        category: "availability"
      annotations:
        summary: "High error rate on checkout"
      page_alert:
        labels:
          severity: critical
      ticket_alert:
        labels:
          severity: warning
`;

describe('SLO specs on import', () => {
  it('an OpenSLO file is kept as it is and builds the rules slo() gives for the same SLOs', { timeout: 180_000 }, async () => {
    const dir = makeProject({ 'mon.config.ts': CONFIG, 'in/slos.yaml': OPENSLO });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 'bot' });
    expect(imported.diagnostics.map((d) => `${d.rule} ${d.severity} ${d.file}: ${d.message}`)).toEqual([
      "import/spec-kept info in/slos.yaml: SLO spec kept as it is, in bot/slos.yaml: mon-build compiles OpenSLO and Sloth files in a system's folder as slo() definitions",
    ]);
    expect(readFileSync(path.join(dir, 'definitions/bot/slos.yaml'), 'utf8')).toBe(OPENSLO);
    const again = await runImport({ cwd: dir, paths: ['in'], system: 'bot' });
    expect(again.written).toEqual([]);

    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const typed = makeProject({ 'mon.config.ts': CONFIG, 'definitions/bot/slos.ts': AS_SLO });
    const typedBuild = await build({ cwd: typed });
    expect(typedBuild.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const fromSpec = groupsOf(dir, 'bot-slos.rules.yml');
    expect(fromSpec.flatMap((g) => g.rules).length).toBeGreaterThan(10);
    expect(fromSpec).toEqual(groupsOf(typed, 'bot-slos.rules.yml'));
  });

  it('a Sloth spec is kept as it is and builds the rules Sloth documents: its recording rules, labels and multiwindow burn-rate alerts', { timeout: 180_000 }, async () => {
    const dir = makeProject({ 'mon.config.ts': CONFIG, 'in/checkout.yml': SLOTH });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 'checkout' });
    expect(imported.diagnostics.map((d) => d.rule)).toEqual(['import/spec-kept']);
    expect(readFileSync(path.join(dir, 'definitions/checkout/checkout.yaml'), 'utf8')).toBe(SLOTH);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const rules = groupsOf(dir, 'checkout-slos.rules.yml').flatMap((g) => g.rules);
    const ids = { sloth_id: 'checkout-requests-availability', sloth_service: 'checkout', sloth_slo: 'requests-availability' };
    // Sloth's SLI recording rules: one per alert window, labelled with the SLO and the window.
    for (const window of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) {
      const rule = rules.find((r) => r.record === `slo:sli_error:ratio_rate${window}`);
      expect(rule, window).toBeDefined();
      expect(rule!.labels).toMatchObject({ ...ids, sloth_window: window, owner: 'payments' });
      expect(rule!.expr).toContain(`[${window}]`);
    }
    // Sloth's metadata rules.
    for (const record of [
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:time_period:days',
      'slo:current_burn_rate:ratio',
      'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio',
      'sloth_slo_info',
    ])
      expect(
        rules.some((r) => r.record === record && r.labels?.sloth_id === ids.sloth_id),
        record,
      ).toBe(true);
    expect(rules.find((r) => r.record === 'slo:objective:ratio')!.expr).toBe('vector(0.999)');
    expect(rules.find((r) => r.record === 'slo:time_period:days')!.expr).toBe('vector(30)');
    // Page: 14.4× the budget over 5m and 1h, or 6× over 30m and 6h; ticket: 3× over 2h and 1d, or 1× over 6h and 3d.
    const burns = rules
      .filter((r) => r.alert === 'CheckoutHighErrorRate')
      .map((r) => {
        const windows = [...r.expr.matchAll(/slo:sli_error:ratio_rate(\w+)\{/g)].map((m) => m[1]);
        const thresholds = [...new Set([...r.expr.matchAll(/> ([\d.]+)/g)].map((m) => Number(m[1])))];
        return `${r.labels!.sloth_severity} ${r.labels!.severity} ${windows.join('+')} > ${thresholds.join(',')} ${r.labels!.category}`;
      });
    expect(burns).toEqual([
      'page critical 5m+1h > 0.0144 availability',
      'page critical 30m+6h > 0.006 availability',
      'ticket warning 2h+1d > 0.003 availability',
      'ticket warning 6h+3d > 0.001 availability',
    ]);
    const promtool = requireTool('promtool');
    if (promtool) {
      const checked = runTool(promtool, ['check', 'rules', path.join(dir, 'out/prometheus/rules/checkout-slos.rules.yml')]);
      expect(checked.output).toContain('SUCCESS');
      expect(checked.code).toBe(0);
    }
  });
});
