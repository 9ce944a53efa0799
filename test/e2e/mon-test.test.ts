import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

const RULES = `import { alertRule, recordingRule, ruleGroup } from 'moncode';

export const highErrors = alertRule({
  alert: 'HighErrors',
  expr: 'sum by (job) (rate(errors_total[5m])) > 1',
  for: '2m',
  labels: { severity: 'critical' },
  annotations: { summary: 'Errors on {{ $labels.job }}', description: 'Too many errors', runbook_url: 'https://example.com/runbooks/errors' },
});
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' });

export const group = ruleGroup({ name: 'shop', rules: [highErrors, errorRate] });
`;

/** A test file whose expectations are filled in per case; the markers name the lines a failure must point at. */
function tests(job: string, rate: number, quietAt: string): string {
  return `import { ruleTest } from 'moncode';
import { errorRate, highErrors } from './rules.ts';

export const fires = ruleTest({
  name: 'errors fire',
  inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x30' }],
  alerts: [
    { alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', job: '${job}' }, annotations: { summary: 'Errors on shop', description: 'Too many errors', runbook_url: 'https://example.com/runbooks/errors' } }] }, // FIRING
  ],
  exprs: [{ expr: errorRate, evalTime: '10m', samples: [{ labels: 'job:errors:rate5m{job="shop"}', value: ${rate} }] }], // EXPR
});

export const quiet = ruleTest({
  name: 'quiet at the start',
  inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x30' }],
  alerts: [{ alert: highErrors, evalTime: '${quietAt}', firing: [] }], // QUIET
});
`;
}

function lineOf(text: string, marker: string): number {
  return text.split('\n').findIndex((l) => l.includes(marker)) + 1;
}

describe.skipIf(!promtool)('mon-test runs the rule tests with promtool and maps failures to the TS line', () => {
  const cases = [
    { name: 'all pass', job: 'shop', rate: 2, quietAt: '1m', code: 0, failures: [] as string[] },
    { name: 'wrong label', job: 'cart', rate: 2, quietAt: '1m', code: 1, failures: ['FIRING'] },
    { name: 'wrong sample', job: 'shop', rate: 3, quietAt: '1m', code: 1, failures: ['EXPR'] },
    { name: 'expects silence while firing', job: 'shop', rate: 2, quietAt: '15m', code: 1, failures: ['QUIET'] },
    { name: 'three failures', job: 'cart', rate: 3, quietAt: '15m', code: 1, failures: ['FIRING', 'EXPR', 'QUIET'] },
  ];
  it.each(cases)('$name', ({ job, rate, quietAt, code, failures }) => {
    const source = tests(job, rate, quietAt);
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': source });
    const run = runBin('mon-test', ['--format', 'json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; subject: string; message: string }> };
    const found = report.diagnostics.map((d) => [d.rule, d.file, d.line]);
    expect(found).toEqual(failures.map((marker) => ['test/failed', 'definitions/shop/tests.ts', lineOf(source, `// ${marker}`)]));
    expect(existsSync(path.join(dir, 'out')), 'mon-test leaves out/ alone').toBe(false);
  });

  it('prints promtool’s expected and got in one line, names the alert rule, and counts the tests', () => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('cart', 2, '1m') });
    const run = runBin('mon-test', [], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `definitions/shop/tests.ts:${lineOf(tests('cart', 2, '1m'), '// FIRING')}:5: error: alert HighErrors at 10m: expected {alertname="HighErrors", job="cart", severity="critical"}, got {alertname="HighErrors", job="shop", severity="critical"} (errors fire) [test/failed]`,
    );
    expect(run.stdout).toContain('definitions/shop/rules.ts:3:27: the alert rule HighErrors');
    expect(run.stdout).toContain('1 of 2 rule tests failed');
    const pass = runBin('mon-test', [], makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('shop', 2, '1m') }));
    expect(pass.stdout).toContain('2 rule tests passed (promtool test rules, 1 file)');
  });

  it.each([
    ['github', /^::error file=definitions\/shop\/tests\.ts,line=\d+/m],
    ['sarif', /"ruleId": "test\/failed"/],
  ])('--format %s', (format, pattern) => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('cart', 2, '1m') });
    const run = runBin('mon-test', ['--format', format], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(pattern);
  });
});

describe('mon-test without what it needs', () => {
  it.each([
    ['promtool missing', { PATH: '/nonexistent' }, [] as string[], 2, /^mon-test: error: promtool is not installed/],
    ['a path argument', {}, ['rules.yml'], 2, /^mon-test: error: mon-test takes no paths/],
    ['an unknown format', {}, ['--format', 'xml'], 2, /^mon-test: error: unknown --format "xml"/],
  ])('%s: exit %i… with one line', (_, env, args, code, message) => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('shop', 2, '1m') });
    const run = runBin('mon-test', args, dir, env);
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a broken definition: exit 1 at its line, no test run', () => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('shop', 2, '1m').replace("'0+120x30' }],\n  alerts: [{", "'0+120x 30' }],\n  alerts: [{") });
    const run = runBin('mon-test', [], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/definitions\/shop\/tests\.ts:\d+:\d+: error: `values`: "0\+120x"/);
    expect(run.stdout).toContain('no tests ran: the definitions have errors');
  });
});

const SLOS = `import { slo } from 'moncode';

export const availability = slo({
  name: 'availability',
  service: 'shop',
  objective: '99.9%',
  sli: { errors: 'http_requests_total{job="shop",code=~"5.."}', total: 'http_requests_total{job="shop"}' },
  runbook: 'https://example.com/runbooks/availability',
});
`;

describe.skipIf(!promtool)('mon-test runs the tests moncode generates from the SLOs', () => {
  it('runs them with the rule tests, and counts them', () => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests('shop', 2, '1m'), 'definitions/shop/slos.ts': SLOS });
    const run = runBin('mon-test', [], dir);
    expect(run.stdout).toMatch(/^\d+ tests generated from the SLOs passed$/m);
    expect(run.stdout).toContain('2 rule tests passed');
    expect(run.code).toBe(0);
  });

  it('a project with SLOs and no ruleTest() still runs the SLO tests', () => {
    const dir = makeProject({ 'definitions/shop/slos.ts': SLOS });
    const run = runBin('mon-test', [], dir);
    expect(run.stdout).toMatch(/^\d+ tests generated from the SLOs passed$/m);
    expect(run.stdout).not.toContain('no rule tests');
    expect(run.code).toBe(0);
  });

  it('a failing generated test is reported at the SLO, exit 1', () => {
    // Stands in for a moncode bug: a promtool that, before testing, makes the fast page need an error ratio above 1.
    const dir = makeProject({ 'definitions/shop/slos.ts': SLOS });
    const bin = path.join(dir, 'fake-bin');
    mkdirSync(bin);
    const wrapper = path.join(bin, 'promtool');
    writeFileSync(wrapper, `#!/bin/sh\nsed -i 's/> 0[.]0144/> 2/g' ../rules/*-slos.rules.yml\nexec ${promtool} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const run = runBin('mon-test', [], dir, { PATH: `${bin}:${process.env.PATH}` });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/definitions\/shop\/slos\.ts:4:3: error: the test moncode generated for SLO "availability" failed \("shop-availability: a full outage/);
    expect(run.stdout).toMatch(/^\d+ of \d+ tests generated from the SLOs failed$/m);
  });
});
