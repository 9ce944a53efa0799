import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { lintFiles } from '../lint/tester.js';
import { availabilitySlo } from '../lint/slo-fixtures.js';

const SLI = `sli: { errors: 'http_requests_total{job="api", code=~"5.."}', total: 'http_requests_total{job="api"}' }`;

describe('SLO definitions in TS', () => {
  it('compile to rules, unit tests and a dashboard', () => {
    const dir = makeProject({
      'definitions/api/slo.ts': `import { slo } from 'moncode';\nexport const availability = slo({ name: 'availability', service: 'api', objective: '99.9%', ${SLI}, runbook: 'https://runbooks.example.com/api' });\n`,
    });
    const result = runBin('mon-build', [], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rules = readFileSync(path.join(dir, 'out/prometheus/rules/api-slos.rules.yml'), 'utf8');
    expect(rules).toContain('record: slo:sli_error:ratio_rate5m');
    expect(rules.match(/alert: ApiAvailabilityBudgetBurn$/gm)).toHaveLength(4);
    expect(rules).toContain('alert: ApiAvailabilityBudgetBurnSLIAbsent');
    expect(rules).toContain('> 0.0144');
    expect(readFileSync(path.join(dir, 'out/prometheus/tests/api-slos.test.yml'), 'utf8')).toContain('rule_files:\n  - ../rules/api-slos.rules.yml');
    const dashboard = JSON.parse(readFileSync(path.join(dir, 'out/grafana/dashboards/api/slo-api.json'), 'utf8')) as { title: string; panels: Array<{ title: string }> };
    expect(dashboard.title).toBe('SLOs / api');
    expect(dashboard.panels.map((p) => p.title)).toEqual(expect.arrayContaining(['Error budget remaining', 'Burn rate', 'SLI', 'Firing alerts']));
  });

  it('reject objectives out of range, unusable windows and a calendar month at their lines', () => {
    const dir = makeProject({
      'definitions/api/slo.ts': [
        `import { slo } from 'moncode';`,
        `export const a = slo({ name: 'a', service: 'api', objective: 1.2, ${SLI} });`,
        `export const b = slo({ name: 'b', service: 'api', objective: 0, ${SLI} });`,
        `export const c = slo({ name: 'c', service: 'api', objective: '100.0001%', ${SLI} });`,
        `export const d = slo({ name: 'd', service: 'api', objective: 99.9, ${SLI} });`,
        `export const e = slo({ name: 'e', service: 'api', objective: '99%', period: '1M', ${SLI}, runbook: 'https://runbooks.example.com/e' });`,
        `export const f = slo({ name: 'f', service: 'api', objective: '99%', ${SLI},`,
        `  alerting: { page: { windows: [{ long: '10m', short: '1m', burn: 10 }] } } });`,
        `export const g = slo({ name: 'g', service: 'api', objective: '99%', sli: { errors: 'sum(rate(x[5m]))', total: 'x' } });`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; severity: string; line: number; message: string }> };
    const found = report.diagnostics.filter((d) => d.rule === 'definition/invalid').map((d) => `${d.line} ${d.severity} ${d.message}`);
    expect(found).toEqual([
      expect.stringMatching(/^2 error objective 1\.2 must be a ratio above 0 and below 1/),
      expect.stringMatching(/^3 error objective 0 must be a ratio above 0 and below 1/),
      expect.stringMatching(/^4 error objective 100\.0001% must be above 0% and below 100%/),
      expect.stringMatching(/^5 error objective 99\.9 is not a ratio between 0 and 1; for a percentage write '99\.9%'/),
      expect.stringMatching(/^6 warning period 1M is a calendar month .* taken as 30d/),
      expect.stringMatching(/^8 error the short window 1m is shorter than two scrape intervals \(2m\)/),
      expect.stringMatching(/^9 error sli\.errors `sum\(rate\(x\[5m\]\)\)` must be a plain counter selector/),
    ]);
    expect(report.diagnostics.some((d) => d.message.includes('stack'))).toBe(false);
  });
});

describe('OpenSLO files with defects', () => {
  const lint = async (text: string) => (await lintFiles({ 'slo.yaml': text })).map((d) => `${d.line} ${d.severity} ${d.rule} ${d.message}`);

  it.each([
    ['an objective above 1', availabilitySlo({ target: 'target: 1.2' }), /^10 error input\/invalid SLO: `target` 1\.2 must be < 1; for a percentage use targetPercent: 1\.2/],
    ['an objective of 0', availabilitySlo({ target: 'target: 0' }), /^10 error input\/invalid SLO: `target` 0 must be > 0/],
    ['a percentage above 100', availabilitySlo({ target: 'targetPercent: 100.0001' }), /^10 error input\/invalid SLO: `targetPercent` 100\.0001 must be < 100/],
    ['an unknown kind', 'apiVersion: openslo/v1\nkind: ServiceLevel\nmetadata:\n  name: x\nspec: {}\n', /^2 error input\/invalid unknown OpenSLO kind "ServiceLevel"/],
    ['an unknown apiVersion', 'apiVersion: openslo/v9\nkind: SLO\nmetadata:\n  name: x\nspec: {}\n', /^1 error input\/invalid apiVersion "openslo\/v9" is not supported/],
    ['a missing SLI', availabilitySlo().replace(/  indicator:[\s\S]*?(?=  alertPolicies)/, ''), /^6 error input\/invalid SLO: \/spec: an SLO needs either `indicator` or `indicatorRef`/],
    [
      'an indicatorRef to nothing',
      availabilitySlo().replace(/  indicator:[\s\S]*?(?=  alertPolicies)/, '  indicatorRef: api-sli\n'),
      /^11 error input\/invalid SLO api-availability: indicatorRef "api-sli" names no SLI/,
    ],
    [
      'a short window under two scrapes',
      availabilitySlo().replace('moncode.dev/short-window: 5m', 'moncode.dev/short-window: 1m'),
      /error input\/invalid SLO api-availability: the short window 1m is shorter than two scrape intervals \(2m\)/,
    ],
  ])('%s', async (_name, text, expected) => {
    expect(await lint(text)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it('a calendar month is a warning, resolved to 30 days', async () => {
    const found = await lint(availabilitySlo().replace('duration: 30d', 'duration: 1M'));
    expect(found).toEqual([expect.stringMatching(/^7 warning input\/invalid SLO api-availability: period 1M is a calendar month/)]);
  });
});

describe('Sloth prometheus/v1 specs', () => {
  const spec = (objective: number, alerting: string) => `version: "prometheus/v1"
service: "myservice"
labels:
  owner: "myteam"
slos:
  - name: "requests-availability"
    objective: ${objective}
    sli:
      events:
        error_query: sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))
${alerting}`;

  it('are read as SLOs whose generated alerts govern them', async () => {
    const found = await lintFiles({
      'sloth.yml': spec(
        99.9,
        '    alerting:\n      name: MyServiceHighErrorRate\n      page_alert:\n        labels:\n          severity: critical\n      ticket_alert:\n        labels:\n          severity: warning\n',
      ),
    });
    // The generated rules exist only in memory: rules about deployed alerts (runbooks…) leave them alone.
    expect(found).toEqual([]);
  });

  it('report an SLO without alerts, and an objective above 100 at its line', async () => {
    const unlinked = await lintFiles({ 'sloth.yml': spec(99.9, '    alerting:\n      page_alert:\n        disable: true\n      ticket_alert:\n        disable: true\n') });
    expect(unlinked.map((d) => d.rule)).toEqual(['slo/unlinked']);
    const bad = await lintFiles({ 'sloth.yml': spec(120, '') });
    expect(bad.map((d) => `${d.line} ${d.rule}`)).toEqual(['7 input/invalid']);
  });
});
