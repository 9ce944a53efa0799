import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/commands/build.js';
import { promqlTargetFaults } from '../../src/promql/target.js';
import { makeProject } from '../helpers/project.js';

/**
 * What builds clean loads clean in the declared target: each case is a system of its
 * own (its target set in mon.config.ts) holding one alert; all build together once.
 */
interface Case {
  name: string;
  target?: { version?: string; flavor?: string; features?: string[] };
  /** The alert's fields, as TS source. */
  alert: string;
  /** The rule and a fragment of the message, or nothing when it builds clean; `at` is text the column points at. */
  expect?: { rule: string; message: string; at: string };
}

const alert = (fields: string): string => `{ alert: 'A', ${fields}, labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } }`;

const CASES: Case[] = [
  { name: 'a stable function on the default target', alert: alert(`expr: 'rate(x_total[5m]) > 1'`) },
  {
    name: 'sort_by_label on the default 2.42',
    alert: alert(`expr: 'sort_by_label(up, "job") == 0'`),
    expect: { rule: 'definition/unsupported', message: '`sort_by_label` needs Prometheus 2.49 or later; the target is prometheus 2.42', at: 'sort_by_label' },
  },
  {
    name: 'mad_over_time on the default 2.42',
    alert: alert(`expr: 'mad_over_time(up[5m]) > 1'`),
    expect: { rule: 'definition/unsupported', message: '`mad_over_time` needs Prometheus 2.49', at: 'mad_over_time' },
  },
  {
    name: 'mad_over_time on 2.49 without the flag',
    target: { version: '2.49' },
    alert: alert(`expr: 'mad_over_time(up[5m]) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'is experimental: it needs `promql-experimental-functions`', at: 'mad_over_time' },
  },
  { name: 'mad_over_time on 2.49 with the flag', target: { version: '2.49', features: ['promql-experimental-functions'] }, alert: alert(`expr: 'mad_over_time(up[5m]) > 1'`) },
  {
    name: 'limitk without the flag',
    target: { version: '3.0' },
    alert: alert(`expr: 'limitk(2, up) == 0'`),
    expect: { rule: 'definition/unsupported', message: '`limitk` is experimental', at: 'limitk' },
  },
  {
    name: 'holt_winters on 3.0',
    target: { version: '3.0' },
    alert: alert(`expr: 'holt_winters(up[5m], 0.5, 0.5) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'removed in Prometheus 3.0: use double_exponential_smoothing', at: 'holt_winters' },
  },
  { name: 'first_over_time is stable in 3.14', target: { version: '3.14' }, alert: alert(`expr: 'first_over_time(up[5m]) > 1'`) },
  {
    name: 'first_over_time is experimental in 3.7',
    target: { version: '3.7' },
    alert: alert(`expr: 'first_over_time(up[5m]) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'experimental', at: 'first_over_time' },
  },
  {
    name: 'a quoted UTF-8 name on 2.42',
    alert: alert(`expr: 'sum by ("k8s.pod") ({"http.server.duration"}) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'a quoted (UTF-8) metric or label name needs Prometheus 3.0', at: '"k8s.pod"' },
  },
  { name: 'a quoted UTF-8 name on 3.0', target: { version: '3.0' }, alert: alert(`expr: '{"http.server.duration"} > 1'`) },
  {
    name: 'a number as a range on 2.42',
    alert: alert(`expr: 'rate(x_total[300]) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'a duration written as a number of seconds needs Prometheus 2.54', at: '300' },
  },
  {
    name: 'duration arithmetic on 3.6 without the flag',
    target: { version: '3.6' },
    alert: alert(`expr: 'rate(x_total[5m+1m]) > 1'`),
    expect: { rule: 'definition/unsupported', message: 'a duration expression is experimental: it needs `promql-duration-expr`', at: '5m+1m' },
  },
  { name: 'duration arithmetic on 3.14', target: { version: '3.14' }, alert: alert(`expr: 'rate(x_total[5m+1m]) > 1'`) },
  { name: 'anchored on 3.7 with the flag', target: { version: '3.7', features: ['promql-extended-range-selectors'] }, alert: alert(`expr: 'increase(x_total[5m] anchored) > 1'`) },
  {
    name: 'fill() on 3.9',
    target: { version: '3.9' },
    alert: alert(`expr: 'a + fill(0) b > 1'`),
    expect: { rule: 'definition/unsupported', message: 'a `fill()` binary-operator modifier needs Prometheus 3.10', at: 'fill(0)' },
  },
  { name: 'a range beyond 292y', alert: alert(`expr: 'rate(x_total[293y]) > 1'`), expect: { rule: 'definition/unsupported', message: "duration 293y is out of Prometheus' range", at: '293y' } },
  {
    name: 'for beyond 292y',
    alert: alert(`expr: 'up == 0', for: '999999999999y'`),
    expect: { rule: 'definition/invalid', message: '`for` is "999999999999y", beyond Prometheus\' longest duration', at: "for: '999999999999y'" },
  },
  { name: 'for at 292y', alert: alert(`expr: 'up == 0', for: '292y'`) },
  {
    name: 'LogQL in a Prometheus system',
    alert: alert(`expr: 'sum(rate({job="api"} |= "error" [5m])) > 1'`),
    expect: { rule: 'definition/invalid', message: "`expr` is LogQL, but this system's rules load in Prometheus", at: 'sum(' },
  },
  {
    name: 'PromQL in a Loki system',
    target: { flavor: 'loki' },
    alert: alert(`expr: 'rate(http_requests_total[5m]) > 1'`),
    expect: { rule: 'definition/invalid', message: "`expr` is PromQL, but this system's rules load in Loki", at: 'http_requests_total[5m]' },
  },
  { name: 'LogQL in a Loki system', target: { flavor: 'loki' }, alert: alert(`expr: 'sum(rate({job="api"} |= "error" [5m])) > 1'`) },
  {
    name: 'a UTF-8 label name on 2.42',
    alert: `{ alert: 'A', expr: 'up == 0', labels: { severity: 'info', 'team.name': 'x' }, annotations: { summary: 's', description: 'd' } }`,
    expect: { rule: 'definition/invalid', message: '"team.name" is not a valid label name', at: "'team.name'" },
  },
  {
    name: 'a UTF-8 label name on 3.0',
    target: { version: '3.0' },
    alert: `{ alert: 'A', expr: 'up == 0', labels: { severity: 'info', 'team.name': 'x' }, annotations: { summary: 's', description: 'd' } }`,
  },
  {
    name: 'an unclosed template in TS',
    alert: `{ alert: 'A', expr: 'up == 0', labels: { severity: 'info' }, annotations: { summary: '{{ $labels.job }', description: 'd' } }`,
    expect: { rule: 'template/syntax', message: 'unexpected "}" in operand', at: "}', description" },
  },
];

const system = (i: number): string => `s${String(i).padStart(2, '0')}`;

let result: Promise<{ built: BuildResult; sources: Record<string, string> }> | undefined;
function buildAll(): Promise<{ built: BuildResult; sources: Record<string, string> }> {
  result ??= (async () => {
    const systems = CASES.map((c, i) => (c.target ? `    ${system(i)}: { prometheus: ${JSON.stringify(c.target)} },` : '')).filter(Boolean);
    const files: Record<string, string> = {
      'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({\n  systems: {\n${systems.join('\n')}\n  },\n});\n`,
    };
    CASES.forEach((c, i) => {
      files[`definitions/${system(i)}/rules.ts`] =
        `import { alertRule, ruleGroup } from 'moncode';\n\nexport const group = ruleGroup({\n  name: 'g',\n  rules: [\n    alertRule(${c.alert}),\n  ],\n});\n`;
    });
    const dir = makeProject(files);
    return { built: await build({ cwd: dir, check: true }), sources: files };
  })();
  return result;
}

describe('rules are checked against their declared target at build time', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', async (_name, c, i) => {
    const { built, sources } = await buildAll();
    const file = `definitions/${system(i)}/rules.ts`;
    const errors = built.diagnostics.filter((d) => d.severity === 'error' && d.file?.endsWith(file));
    if (!c.expect) {
      expect(errors.map((d) => `${d.rule}: ${d.message}`)).toEqual([]);
      return;
    }
    expect([...new Set(errors.map((d) => d.rule))]).toEqual([c.expect.rule]);
    const found = errors[0]!;
    expect(found.message).toContain(c.expect.message);
    const line = sources[file]!.split('\n')[found.line! - 1]!;
    expect(line.slice(found.column! - 1)).toMatch(new RegExp(`^${c.expect.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('promqlTargetFaults', () => {
  it.each([
    ['rate(x[5m]) offset -5m', '2.42', []],
    ['x @ 100', '2.42', []],
    ['x offset 300', '2.54', []],
    ['x offset 300', '2.53', ['a duration written as a number of seconds needs Prometheus 2.54 or later']],
    ['x[5m:30]', '2.42', ['a duration written as a number of seconds needs Prometheus 2.54 or later']],
    ['histogram_avg(x)', '2.50', ['`histogram_avg` needs Prometheus 2.51 or later']],
  ] as const)('%s on %s', (expr, version, messages) => {
    expect(promqlTargetFaults(expr, { version, features: [] }).map((f) => f.message)).toEqual(messages);
  });
});
