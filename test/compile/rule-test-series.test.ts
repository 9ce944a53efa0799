import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seriesSelectorProblem } from '../../src/compile/prometheus/tests.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'moncode-series-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** promtool's verdict on one input `series`, from a one-series test file. */
function promtoolAccepts(series: string): boolean {
  writeFileSync(path.join(scratch, 'r.yml'), 'groups:\n  - name: g\n    rules:\n      - record: x\n        expr: vector(1)\n');
  writeFileSync(path.join(scratch, 't.yml'), `rule_files: [r.yml]\ntests:\n  - interval: 1m\n    input_series:\n      - series: ${JSON.stringify(series)}\n        values: "1"\n`);
  return runTool(promtool!, ['test', 'rules', 't.yml'], scratch).code === 0;
}

describe('input series notation agrees with promtool test rules', () => {
  // [series, accepted by moncode, why moncode is stricter than promtool]
  const cases: Array<[string, boolean, string?]> = [
    ['m{a="b"}', true],
    ['m', true],
    ['m{}', true],
    ['m{a="b",}', true],
    [' m{a="b"} ', true],
    ['m:x{a="b"}', true],
    ['m{a=""}', true],
    ["m{a='b'}", true],
    ['m{a=`b`}', true],
    ['{__name__="m", a="b"}', true],
    ['m{le="0.5"}', true],
    ['m{a="b", a="c"}', false],
    ['m{a=~"b"}', false],
    ['m{a!="b"}', false],
    ['m offset 5m', false],
    ['m[5m]', false],
    ['rate(m[5m])', false],
    ['m{A-B="c"}', false],
    ['m{a="b"}{c="d"}', false],
    ['m{a="b"c="d"}', false],
    ['m{a="b"', false],
    ['m 1', false, 'promtool appends the values to the series, so `m 1` with values `1` is m with two samples; moncode reads one series'],
    ['1m', false],
    ['inf', false],
    ['{}', false],
    ['bool', false],
    ['', false],
    ['{a="b"}', false, 'promtool loads a series without a name; no rule selects it by name, so moncode asks for one'],
    ['offset', false, 'promtool reads the keyword as a metric name; moncode parses the series as PromQL, where it is not one'],
  ];
  it.each(cases)('%j', (series, accepted, stricter) => {
    const problem = seriesSelectorProblem(series, 'series');
    expect(problem === undefined, problem?.message).toBe(accepted);
    if (problem) {
      expect(problem.from).toBeGreaterThanOrEqual(0);
      expect(problem.to).toBeLessThanOrEqual(Math.max(series.length, 1));
    }
    if (!promtool) return;
    expect(promtoolAccepts(series)).toBe(stricter ? !accepted : accepted);
  });
});

const RULES = `import { alertRule, recordingRule, ruleGroup, slo } from 'moncode';

const annotations = { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' };
export const instanceDown = alertRule({ alert: 'InstanceDown', expr: 'up{job!="agent"} == 0', labels: { severity: 'critical' }, annotations });
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' });
export const highErrors = alertRule({ alert: 'HighErrors', expr: 'job:errors:rate5m > 1', labels: { severity: 'critical' }, annotations });
export const anyDown = alertRule({ alert: 'AnyDown', expr: 'count({__name__=~"probe_.*_up", job="probe"} == 0) > 0', labels: { severity: 'warning' }, annotations });
export const availability = slo({ name: 'availability', service: 'shop', objective: 0.99, sli: { errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' }, runbook: 'https://example.com/rb' });

export const group = ruleGroup({ name: 'shop', rules: [instanceDown, errorRate, highErrors, anyDown] });
`;

const OTHER = `import { alertRule, ruleGroup } from 'moncode';

export const queue = ruleGroup({ name: 'queue', rules: [alertRule({ alert: 'QueueFull', expr: 'queue_depth > 100', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })] });
`;

// Each case is one test (its series on one line); `unread` is the metric name warned about, if any.
const CASES: Array<{ name: string; series: string; unread?: string; message?: string }> = [
  { name: 'a series the alert reads', series: 'up{job="api"}' },
  { name: 'a series the alert ignores by its matchers', series: 'up{job="agent"}' },
  { name: 'a series a recording rule reads', series: 'errors_total{job="api"}' },
  { name: 'the recorded series itself', series: 'job:errors:rate5m{job="api"}' },
  { name: 'a series read by a selector without a name', series: 'probe_http_up{job="probe"}' },
  { name: 'a series the SLO rules read', series: 'http_requests_total{code="500"}' },
  { name: 'a series only the test expression reads', series: 'scratch_total{job="api"}' },
  {
    name: 'a misspelt metric',
    series: 'error_total{job="api"}',
    unread: 'error_total',
    message: 'no rule of system shop reads error_total (did you mean errors_total?): promtool loads this series and nothing looks at it',
  },
  {
    name: 'a metric of another system',
    series: 'queue_depth{queue="a"}',
    unread: 'queue_depth',
    message: 'no rule of system shop reads queue_depth: promtool loads this series and nothing looks at it',
  },
  { name: 'a name no nameless selector matches', series: 'probe_http_up{job="other"}', unread: 'probe_http_up' },
  { name: 'the name in __name__', series: '{__name__="uptime_seconds", job="api"}', unread: 'uptime_seconds' },
];

function testsSource(): string {
  const lines = CASES.map((c) => {
    const exprs =
      c.name === 'a series only the test expression reads'
        ? `exprs: [{ expr: 'sum(scratch_total)', evalTime: '1m', samples: [{ labels: '{}', value: 1 }] }]`
        : `alerts: [{ alert: instanceDown, evalTime: '1m', firing: [] }]`;
    return `  ruleTest({ name: ${JSON.stringify(c.name)}, inputSeries: [{ series: ${JSON.stringify(c.series)}, values: '1 1' }], ${exprs} }),`;
  });
  return `import { ruleTest } from 'moncode';\nimport { instanceDown } from './rules.ts';\n\nexport const tests = [\n${lines.join('\n')}\n];\n`;
}

interface Reported {
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  subject?: string;
}

describe('input series are checked against the metrics of the rules', () => {
  const source = testsSource();
  let found: Reported[] | undefined;
  const diagnostics = () => {
    if (found) return found;
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': source, 'definitions/queue/rules.ts': OTHER });
    const build = runBin('mon-build', ['--format', 'json'], dir);
    expect(build.stderr).toBe('');
    expect(build.code, build.stdout).toBe(0);
    found = (JSON.parse(build.stdout) as { diagnostics: Reported[] }).diagnostics.filter((d) => d.rule === 'test/unread-series');
    return found;
  };

  it('warns once per unread series, nowhere else', () => {
    expect(
      diagnostics()
        .map((d) => d.subject)
        .sort(),
    ).toEqual(
      CASES.filter((c) => c.unread)
        .map((c) => c.name)
        .sort(),
    );
  });

  it.each(CASES.filter((c) => c.unread))('$name: at the metric name in the series', ({ name, unread, message }) => {
    const [d] = diagnostics().filter((x) => x.subject === name);
    expect(d).toBeDefined();
    const lines = source.split('\n');
    const line = lines.findIndex((l) => l.includes(JSON.stringify(name))) + 1;
    // The metric name as the source line has it, after `series:` (JSON.stringify escapes the quotes before it).
    const column = lines[line - 1]!.indexOf(unread!, lines[line - 1]!.indexOf('series:')) + 1;
    expect(d).toMatchObject({ severity: 'warning', file: 'definitions/shop/tests.ts', line, column, endLine: line, endColumn: column + unread!.length });
    if (message) expect(d!.message).toBe(message);
  });
});

describe.skipIf(!promtool)('mon-test shows the warning and still runs the tests', () => {
  it('exit 0 with the warning at its line', () => {
    const tests = `import { ruleTest } from 'moncode';\nimport { instanceDown } from './rules.ts';\n\nexport const t = ruleTest({\n  name: 'down',\n  inputSeries: [{ series: 'up{job="api"}', values: '0 0 0' }, { series: 'upp{job="api"}', values: '1 1 1' }],\n  alerts: [{ alert: instanceDown, evalTime: '1m', firing: [{ labels: { severity: 'critical', job: 'api' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' } }] }],\n});\n`;
    const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': tests });
    const run = runBin('mon-test', [], dir);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `definitions/shop/tests.ts:6:${tests.split('\n')[5]!.indexOf("'upp{") + 2}: warning: no rule of system shop reads upp (did you mean up?): promtool loads this series and nothing looks at it (down) [test/unread-series]`,
    );
    expect(run.stdout).toContain('1 rule test passed');
  });
});
