import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, writeFiles } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

/** An OpenSLO v1 SLO of the ledger service, its SLI, alert policies and conditions spread over documents. */
const OPENSLO = `apiVersion: openslo/v1
kind: SLI
metadata:
  name: ledger-writes
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        spec:
          query: ledger_writes_total{outcome="failed"}
    total:
      metricSource:
        type: Prometheus
        spec:
          query: ledger_writes_total
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: ledger-fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 0m
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: ledger-slow-burn
spec:
  severity: ticket
  condition:
    kind: burnrate
    op: gt
    threshold: 1
    lookbackWindow: 3d
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: ledger-page
spec:
  conditions:
    - conditionRef: ledger-fast-burn
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: ledger-ticket
spec:
  conditions:
    - conditionRef: ledger-slow-burn
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ledger-write-success
  annotations:
    moncode.dev/runbook: https://runbooks.example.com/ledger/writes
spec:
  service: ledger
  indicatorRef: ledger-writes
  timeWindow:
    - duration: 4w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.995
  alertPolicies:
    - alertPolicyRef: ledger-page
    - alertPolicyRef: ledger-ticket
`;

/** A Sloth prometheus/v1 spec of the search service. */
const SLOTH = `version: prometheus/v1
service: search
labels:
  team: discovery
slos:
  - name: query-errors
    objective: 99.5
    description: Search queries answered without a server error.
    sli:
      events:
        error_query: sum(rate(search_queries_total{status=~"5.."}[{{.window}}]))
        total_query: sum(rate(search_queries_total[{{.window}}]))
    alerting:
      name: SearchQueryErrors
      annotations:
        runbook_url: https://runbooks.example.com/search/errors
      page_alert:
        labels:
          route: search-oncall
      ticket_alert:
        labels:
          route: search-tickets
`;

function build(files: Record<string, string>) {
  const dir = makeProject(files);
  return { dir, result: runBin('mon-build', ['--format', 'json'], dir) };
}

describe('OpenSLO and Sloth files in definitions/', () => {
  it('compile to rules, promtool tests and dashboards of their folder’s system, accepted by promtool', () => {
    const { dir, result } = build({ 'definitions/ledger/slos.yaml': OPENSLO, 'definitions/search/search-slos.yml': SLOTH });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    const out = path.join(dir, 'out');
    const ledger = readFileSync(path.join(out, 'prometheus/rules/ledger-slos.rules.yml'), 'utf8');
    expect(ledger).toContain('name: sloth-slo-sli-recordings-ledger-ledger-write-success');
    expect(ledger).toContain('sum(rate(ledger_writes_total{outcome="failed"}[1h]))');
    // 28 days (4w), one page at 14.4x: 0.072 = 14.4 × 0.005.
    expect(ledger).toContain('> 0.072');
    expect(ledger).toContain('sloth_window: 28d');
    const search = readFileSync(path.join(out, 'prometheus/rules/search-slos.rules.yml'), 'utf8');
    expect(search.match(/alert: SearchQueryErrors$/gm)).toHaveLength(4);
    expect(search).toContain('route: search-oncall');
    expect(search).toContain('route: search-tickets');
    expect(search).toContain('team: discovery');
    expect(readdirSync(path.join(out, 'prometheus/tests')).sort()).toEqual(['ledger-slos.test.yml', 'search-slos.test.yml']);
    expect(JSON.parse(readFileSync(path.join(out, 'grafana/dashboards/ledger/slo-ledger.json'), 'utf8')).title).toBe('SLOs / ledger');
    expect(JSON.parse(readFileSync(path.join(out, 'grafana/dashboards/search/slo-search.json'), 'utf8')).title).toBe('SLOs / search');

    if (!promtool) return;
    for (const system of ['ledger', 'search']) {
      const checked = runTool(promtool, ['check', 'rules', path.join(out, `prometheus/rules/${system}-slos.rules.yml`)]);
      expect(checked.output).toContain('SUCCESS');
      expect(checked.code).toBe(0);
      const tested = runTool(promtool, ['test', 'rules', path.join(out, `prometheus/tests/${system}-slos.test.yml`)]);
      expect(tested.output).toContain('SUCCESS');
      expect(tested.code).toBe(0);
    }
    // The same build again changes nothing.
    expect(runBin('mon-build', ['--check'], dir).code).toBe(0);
  });

  it('mon-lint lints them with the project, once', () => {
    const dir = makeProject({
      'definitions/search/slos.yml': SLOTH.replace(/    alerting:[\s\S]*$/, '    alerting:\n      page_alert:\n        disable: true\n      ticket_alert:\n        disable: true\n'),
    });
    const all = runBin('mon-lint', ['--format', 'json'], dir);
    const named = runBin('mon-lint', ['--format', 'json', 'definitions', 'definitions/search/slos.yml'], dir);
    for (const run of [all, named]) {
      const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; file: string }> };
      expect(report.diagnostics.map((d) => `${d.file} ${d.rule}`)).toEqual(['definitions/search/slos.yml slo/unlinked']);
    }
  });

  it('report their problems at their lines and build nothing', () => {
    const { dir, result } = build({ 'definitions/search/slos.yml': SLOTH.replace('objective: 99.5', 'objective: 120'), 'definitions/stray.yaml': SLOTH });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`)).toEqual(['definitions/search/slos.yml:7 input/invalid', 'definitions/stray.yaml:1 definition/invalid']);
    expect(report.diagnostics[1]!.message).toMatch(/move it to definitions\/<system>\/stray\.yaml/);
    expect(() => readdirSync(path.join(dir, 'out'))).toThrow();
  });

  it('leave other YAML of definitions/ alone', () => {
    const { result } = build({ 'definitions/search/slos.yml': SLOTH, 'definitions/search/extra-rules.yml': 'groups: []\n', 'definitions/shared/notes.yaml': 'version: prometheus/v1\n' });
    expect(result.code).toBe(0);
  });
});

describe('Sloth prometheus/v1 as Sloth reads it', () => {
  const spec = `version: prometheus/v1
service: billing
labels:
  tier: 1.0
  pci: true
slo_plugins:
  chain:
    - id: sloth.dev/core/debug/v1
slos:
  - name: invoice-errors
    objective: 99
    labels:
      weight: 0.2
    sli:
      events:
        error_query: sum(rate(invoices_total{result="error"}[{{.window}}]))
        total_query: sum(rate(invoices_total[{{.window}}]))
    alerting:
      name: InvoiceErrors
      annotations:
        runbook_url: https://runbooks.example.com/billing
      page_alert:
        labels:
          paging: yes
        annotations:
          summary: Invoices are failing fast
      ticket_alert:
        annotations:
          summary: Invoices are failing slowly
  - name: invoice-quiet
    objective: 99
    sli:
      raw:
        error_ratio_query: sum(rate(invoices_total{result="error"}[{{.window}}])) / sum(rate(invoices_total[{{.window}}]))
    alerting:
      page_alert:
        disable: true
      ticket_alert:
        disable: true
  - name: invoice-plugin
    objective: 99
    sli:
      plugin:
        id: sloth-common/kubernetes/apiserver/availability
`;

  it('takes unquoted label values as written, gives each tier its labels and annotations, warns about plugins, records the windows without alerts', () => {
    const dir = makeProject({ 'definitions/billing/slos.yml': spec });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ severity: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => `${d.line} ${d.severity} ${d.message}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^7 warning service billing: SLO plugins "sloth\.dev\/core\/debug\/v1" are not supported/),
        expect.stringMatching(/^44 warning SLO invoice-plugin: the SLI plugin "sloth-common\/kubernetes\/apiserver\/availability" is not supported/),
      ]),
    );
    expect(result.code).toBe(0);
    const rules = readFileSync(path.join(dir, 'out/prometheus/rules/billing-slos.rules.yml'), 'utf8');
    expect(rules).toContain('tier: "1.0"');
    expect(rules).toContain('pci: "true"');
    expect(rules).toContain('weight: "0.2"');
    expect(rules).toMatch(/paging: "?yes"?\n/);
    expect(rules).toContain('summary: Invoices are failing fast');
    expect(rules).toContain('summary: Invoices are failing slowly');
    expect(rules).not.toContain('invoice-plugin');
    // Without alerts, the SLI is still recorded over every window Sloth records.
    const quiet = rules.slice(rules.indexOf('name: sloth-slo-sli-recordings-billing-invoice-quiet'), rules.indexOf('name: sloth-slo-meta-recordings-billing-invoice-quiet'));
    expect([...quiet.matchAll(/sloth_window: (\w+)/g)].map((m) => m[1])).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    if (!promtool) return;
    expect(runTool(promtool, ['check', 'rules', path.join(dir, 'out/prometheus/rules/billing-slos.rules.yml')]).code).toBe(0);
    const tested = runTool(promtool, ['test', 'rules', path.join(dir, 'out/prometheus/tests/billing-slos.test.yml')]);
    expect(tested.output).toContain('SUCCESS');
  });
});

describe('OpenSLO alert policies', () => {
  const condition = (name: string, severity: string, threshold: number, lookback: string, alertAfter: string) =>
    `---\napiVersion: openslo/v1\nkind: AlertCondition\nmetadata:\n  name: ${name}\nspec:\n  severity: ${severity}\n  condition:\n    kind: burnrate\n    op: gt\n    threshold: ${threshold}\n    lookbackWindow: ${lookback}\n    alertAfter: ${alertAfter}\n` +
    `---\napiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: ${name}-policy\nspec:\n  conditions:\n    - conditionRef: ${name}\n`;
  const slo = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: upload-success
  annotations:
    moncode.dev/runbook: https://runbooks.example.com/uploads
spec:
  service: uploads
  indicator:
    metadata:
      name: uploads-ratio
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: uploads_total{result="stored"}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: uploads_total
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - target: 0.99
  alertPolicies:
    - alertPolicyRef: quick-policy
    - alertPolicyRef: steady-policy
    - alertPolicyRef: slow-policy
${condition('quick', 'critical', 14.4, '1h', '0m')}${condition('steady', 'page', 6, '6h', '2m')}${condition('slow', 'warning', 1, '3d', '10m')}`;

  it('each policy keeps its own condition: burn, lookback, severity and alertAfter', () => {
    const dir = makeProject({ 'definitions/uploads/slo.yaml': slo });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    const rules = readFileSync(path.join(dir, 'out/prometheus/rules/uploads-slos.rules.yml'), 'utf8');
    const alerts = rules.split('- alert: ').slice(1);
    const summary = alerts
      .filter((a) => a.startsWith('UploadsUploadSuccessBudgetBurn\n'))
      .map((a) => `${/burn_rate: "?([\d.]+)/.exec(a)![1]} ${/long_window: (\w+)/.exec(a)![1]} ${/severity: (\w+)/.exec(a)![1]} ${/^\s+for: (\w+)/m.exec(a)?.[1] ?? '-'}`);
    expect(summary).toEqual(['14.4 1h critical -', '6 6h critical 2m', '1 3d warning 10m']);
    if (!promtool) return;
    expect(runTool(promtool, ['check', 'rules', path.join(dir, 'out/prometheus/rules/uploads-slos.rules.yml')]).code).toBe(0);
    expect(runTool(promtool, ['test', 'rules', path.join(dir, 'out/prometheus/tests/uploads-slos.test.yml')]).output).toContain('SUCCESS');
  });
});

describe('the absent-SLI alert', () => {
  it('stays quiet while the error series does not exist yet, and fires when the total is absent (promtool)', () => {
    const dir = makeProject({
      'definitions/api/slo.ts': `import { slo } from 'moncode';\nexport const availability = slo({ name: 'availability', service: 'api', objective: '99.9%', sli: { errors: 'http_requests_total{job="api", code=~"5.."}', total: 'http_requests_total{job="api"}' }, runbook: 'https://runbooks.example.com/api' });\n`,
    });
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const rules = readFileSync(path.join(dir, 'out/prometheus/rules/api-slos.rules.yml'), 'utf8');
    expect(rules).toContain('absent(sum(http_requests_total{job="api"}))');
    if (!promtool) return;
    // Only successful requests so far: the 5xx series was never created.
    writeFiles(dir, {
      'lazy.test.yml': [
        'rule_files: [out/prometheus/rules/api-slos.rules.yml]',
        'evaluation_interval: 1m',
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        '      - series: http_requests_total{job="api", code="200"}',
        '        values: 0+600x60',
        '    alert_rule_test:',
        '      - { eval_time: 30m, alertname: ApiAvailabilityBudgetBurnSLIAbsent, exp_alerts: [] }',
        '      - { eval_time: 60m, alertname: ApiAvailabilityBudgetBurnSLIAbsent, exp_alerts: [] }',
        '',
      ].join('\n'),
    });
    const tested = runTool(promtool, ['test', 'rules', 'lazy.test.yml'], dir);
    expect(tested.output).toContain('SUCCESS');
    expect(tested.code).toBe(0);
    // The generated test of no data at all still fires it.
    expect(runTool(promtool, ['test', 'rules', path.join(dir, 'out/prometheus/tests/api-slos.test.yml')]).code).toBe(0);
  });
});
