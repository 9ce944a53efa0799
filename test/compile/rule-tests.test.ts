import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesValuesProblem } from '../../src/model/rule-test.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'moncode-notation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** promtool's verdict on one `values` string, from a one-series test file. */
function promtoolAccepts(values: string): boolean {
  writeFileSync(path.join(scratch, 'r.yml'), 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: vector(1)\n');
  writeFileSync(path.join(scratch, 't.yml'), `rule_files: [r.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: 'm{a="b"}'\n        values: ${JSON.stringify(values)}\n`);
  return runTool(promtool!, ['test', 'rules', 't.yml'], scratch).code === 0;
}

describe('series notation agrees with promtool test rules', () => {
  // [values, accepted by moncode]; promtool is asked too, and must agree unless `stricter` says why not.
  const cases: Array<[string, boolean, string?]> = [
    ['0+10x30', true],
    ['1 1 _x5 stale', true],
    ['1 +1x3', true],
    ['-1-1x2', true],
    ['3-1.5x2', true],
    ['1e3+1e2x3', true],
    ['1e+3', true],
    ['1.5e-3', true],
    ['.5 5. +1', true],
    ['Inf -Inf +Inf NaN nan INF', true],
    ['0x10', true],
    ['1x0 _x0 1x03', true],
    ['_ _ 1 stale _', true],
    ['', true],
    ['1 + 1x3', false],
    ['1+ 1x3', false],
    ['1+1 x3', false],
    ['1+1x 3', false],
    ['1+1x3.5', false],
    ['x5', false],
    ['0x1f', false],
    ['1_000', false],
    ['1,2', false],
    ['stalex2', false],
    ['_x', false],
    ['1x', false],
    ['1+x3', false],
    ['1+1', false],
    ['1e', false],
    ['1x-2', false],
    ['1+-1x2', false],
    ['1--1x2', false],
    ['_+1x2', false],
    ['foo', false],
    ['1x2x3', false],
    ['1xx2', false],
    ['0b11', false],
    ['0X1F', false],
    ['{{schema:1 sum:2}}', false],
    ['stale+1x2', false, 'promtool reads it (a staleness marker, then a step from it); moncode asks for a number'],
    ['1x9999999', false, 'promtool holds ten million samples in memory; moncode caps a series at a million'],
  ];
  it.each(cases)('%j', (values, accepted, stricter) => {
    const problem = seriesValuesProblem(values);
    expect(problem === undefined, problem?.message).toBe(accepted);
    if (problem) {
      expect(problem.from).toBeGreaterThanOrEqual(0);
      expect(problem.to).toBeLessThanOrEqual(values.length);
    }
    if (!promtool) return;
    expect(promtoolAccepts(values)).toBe(stricter ? !accepted : accepted);
  });
});

const RULES = `import { alertRule, recordingRule, ruleGroup } from 'moncode';

export const highErrors = alertRule({
  alert: 'HighErrors',
  expr: 'sum by (job) (rate(errors_total[5m])) > 1',
  for: '2m',
  labels: { severity: 'critical' },
  annotations: { summary: 'Errors on {{ $labels.job }}', description: '{{ $value }} errors/s', runbook_url: 'https://example.com/runbooks/errors' },
});
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' });

export const group = ruleGroup({ name: 'shop', rules: [highErrors, errorRate] });
`;

const PASSING = `import { ruleTest } from 'moncode';
import { errorRate, highErrors } from './rules.ts';

export const fires = ruleTest({
  name: 'errors fire after two minutes',
  interval: '1m',
  inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x30' }],
  alerts: [
    { alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', job: 'shop' }, annotations: { summary: 'Errors on shop', description: '2 errors/s', runbook_url: 'https://example.com/runbooks/errors' } }] },
    { alert: highErrors, evalTime: '1m', firing: [] },
  ],
  exprs: [
    { expr: errorRate, evalTime: '10m', samples: [{ labels: 'job:errors:rate5m{job="shop"}', value: 2 }] },
    { expr: 'sum(job:errors:rate5m)', evalTime: '10m', samples: [{ labels: '{}', value: 2 }] },
  ],
});

export const quiet = ruleTest({
  name: 'one error a second stays quiet',
  inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+60x30' }],
  alerts: [{ alert: highErrors, evalTime: '20m', firing: [] }],
});
`;

const FAILING = `import { ruleTest } from 'moncode';
import { highErrors } from './rules.ts';

export const wrong = ruleTest({
  name: 'expects the wrong job',
  inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x30' }],
  alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', job: 'cart' } }] }],
});
`;

describe('ruleTest() compiles to a promtool test file', () => {
  it.each([
    ['a passing test', { 'definitions/shop/tests.ts': PASSING }, 0],
    ['a deliberately failing test', { 'definitions/shop/tests.ts': FAILING }, 1],
  ] as const)('%s: promtool test rules exits %i', (_, files, expected) => {
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, ...files });
    const build = runBin('mon-build', [], dir);
    expect(build.stdout + build.stderr).toContain('✔ 0 errors');
    expect(build.code).toBe(0);
    const file = path.join(dir, 'out/prometheus/tests/shop.test.yml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('rule_files:\n  - ../rules/shop.rules.yml\n');
    if (!promtool) return;
    const run = runTool(promtool, ['test', 'rules', file]);
    expect(run.code, run.output).toBe(expected);
    if (expected === 1) expect(run.output).toContain('name: expects the wrong job');
  });
});

describe('bad rule tests fail the build at the definition', () => {
  // Each case: the test's fields, and the text the diagnostic must point at (its first occurrence after `name`, else in the line).
  const cases: Array<{ name: string; body: string; at: string; message: RegExp }> = [
    {
      name: 'bad notation',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '0+1x10 1+1' }], alerts: [{ alert: highErrors, evalTime: '5m', firing: [] }]`,
      at: '1+1',
      message: /has a step but no repetition/,
    },
    {
      name: 'regex selector',
      body: `inputSeries: [{ series: 'errors_total{job=~"a"}', values: '1' }], alerts: [{ alert: highErrors, evalTime: '5m', firing: [] }]`,
      at: 'job=~"a"',
      message: /take `=`, not `=~`/,
    },
    {
      name: 'selector syntax',
      body: `inputSeries: [{ series: 'errors_total{job="a"', values: '1' }], alerts: [{ alert: highErrors, evalTime: '5m', firing: [] }]`,
      at: `"', values: '1'`,
      message: /not a series selector/,
    },
    {
      name: 'expression as series',
      body: `inputSeries: [{ series: 'rate(errors_total[5m])', values: '1' }], alerts: [{ alert: highErrors, evalTime: '5m', firing: [] }]`,
      at: 'rate(',
      message: /one series/,
    },
    {
      name: 'copy of the rule',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }], alerts: [{ alert: { ...highErrors }, evalTime: '5m', firing: [] }]`,
      at: 'alert: {',
      message: /in no rule group of system shop/,
    },
    {
      name: 'bad eval time',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }], alerts: [{ alert: highErrors, evalTime: '5 minutes' as '5m', firing: [] }]`,
      at: `evalTime: '5 minutes'`,
      message: /not a duration/,
    },
    {
      name: 'expr syntax',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }], exprs: [{ expr: 'sum(', evalTime: '1m', samples: [] }]`,
      at: `', evalTime: '1m', samples: [] }]`,
      message: /does not parse/,
    },
    {
      name: 'sample labels',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }], exprs: [{ expr: 'errors_total', evalTime: '1m', samples: [{ labels: 'errors_total{job!="a"}', value: 1 }] }]`,
      at: 'job!="a"',
      message: /not `!=`/,
    },
    {
      name: 'alertname label',
      body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }], alerts: [{ alert: highErrors, evalTime: '5m', firing: [{ labels: { alertname: 'HighErrors' } }] }]`,
      at: 'alertname:',
      message: /leave out `alertname`/,
    },
    { name: 'checks nothing', body: `inputSeries: [{ series: 'errors_total{job="a"}', values: '1' }]`, at: 'ruleTest({', message: /checks nothing/ },
  ];
  const source = `import { ruleTest } from 'moncode';\nimport { highErrors } from './rules.ts';\n\nexport const tests = [\n${cases.map((c) => `  ruleTest({ name: ${JSON.stringify(c.name)}, ${c.body} }),\n`).join('')}];\n`;
  let diagnostics: Array<{ rule: string; line: number; column: number; subject?: string; message: string; file: string }> | undefined;
  const run = () => {
    if (diagnostics) return diagnostics;
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': source });
    const build = runBin('mon-build', ['--format', 'json'], dir);
    expect(build.code).toBe(1);
    expect(build.stderr).not.toMatch(/internal error|\n\s+at /);
    diagnostics = JSON.parse(build.stdout).diagnostics;
    return diagnostics!;
  };
  it.each(cases)('$name', ({ name, at, message }) => {
    const found = run().filter((d) => d.subject === name);
    expect(found, JSON.stringify(run(), null, 1)).toHaveLength(1);
    const [d] = found;
    expect(d!.rule).toBe('definition/invalid');
    expect(d!.file).toBe('definitions/shop/tests.ts');
    expect(d!.message).toMatch(message);
    const lines = source.split('\n');
    const line = lines.findIndex((l) => l.includes(`name: ${JSON.stringify(name)}`));
    const after = lines[line]!.indexOf(at, lines[line]!.indexOf('name:'));
    const column = after >= 0 ? after : lines[line]!.indexOf(at);
    expect({ line: d!.line, column: d!.column }).toEqual({ line: line + 1, column: column + 1 });
  });
});
