import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../../src/commands/lint.js';
import { isSpan } from '../../../src/model/source-location.js';
import { promqlTargetFaults } from '../../../src/promql/target.js';
import { makeProject } from '../../helpers/project.js';
import { requireTool, runTool } from '../../helpers/tools.js';
import { dashboardJson, record, ruleTester, rules } from '../tester.js';

const prometheusPanel = (expr: string) => ({
  type: 'timeseries',
  title: 'p',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  fieldConfig: { defaults: { unit: 'short' } },
  datasource: { type: 'prometheus', uid: 'prom' },
  targets: [{ refId: 'A', expr }],
});

const sloth = (errorQuery: string) => `version: prometheus/v1
service: search
slos:
  - name: query-errors
    objective: 99.5
    sli:
      events:
        error_query: ${errorQuery}
        total_query: sum(rate(search_queries_total[{{.window}}]))
    alerting:
      name: SearchQueryErrors
      page_alert:
        disable: true
      ticket_alert:
        disable: true
`;

const config = (version: string, features: string[] = []): string => `export default { prometheus: { version: '${version}', features: ${JSON.stringify(features)} } };\n`;

ruleTester('promql/target', {
  valid: [
    { name: 'functions 2.42 has', files: { 'r.yml': rules(record('job:x:rate5m', 'sum by (job) (rate(x_total[5m]))')) } },
    { name: 'a dashboard query 2.42 runs', files: { 'd.json': dashboardJson([prometheusPanel('histogram_count(rate(h[5m]))')]) } },
    { name: 'a Loki panel is not PromQL', files: { 'd.json': dashboardJson([{ ...prometheusPanel('sum(count_over_time({job="a"} |= "x" [5m]))'), datasource: { type: 'loki', uid: 'l' } }]) } },
  ],
  invalid: [
    {
      name: 'a function newer than 2.42 in a rule file, at its column',
      files: { 'r.yml': rules(record('job:x:sorted', 'sort_by_label(sum by (job) (x), "job")')) },
      expect: [{ rule: 'promql/target', line: 5, column: 16, endLine: 5, endColumn: 29, message: '`sort_by_label` needs Prometheus 2.49 or later; the target is Prometheus 2.42' }],
    },
    {
      name: 'a quoted UTF-8 name before 3.0',
      files: { 'r.yml': rules(record('job:x:sum', 'sum({"my.metric"})')) },
      expect: [{ rule: 'promql/target', line: 5, column: 21, endLine: 5, endColumn: 33, message: 'a quoted (UTF-8) metric or label name needs Prometheus 3.0 or later' }],
    },
    {
      name: 'a dashboard query with two newer functions',
      files: { 'd.json': dashboardJson([prometheusPanel('limitk(3, up) or mad_over_time(up[5m])')]) },
      expect: [
        { rule: 'promql/target', line: 30, column: 20, endLine: 30, endColumn: 26, message: '`limitk` needs Prometheus 2.54' },
        { rule: 'promql/target', line: 30, column: 37, endLine: 30, endColumn: 50, message: '`mad_over_time` needs Prometheus 2.49' },
      ],
    },
    {
      name: 'a Sloth SLO query',
      files: { 'slos.yml': sloth('sum(rate(search_queries_total{status=~"5.."}[{{.window}}])) or histogram_avg(rate(h[{{.window}}]))') },
      // An SLO's queries are reported at its sli (the generated rules are moncode's text, not the author's).
      expect: [{ rule: 'promql/target', line: 7, column: 7, endLine: 9, endColumn: 66, subject: 'query-errors', message: 'the SLI error query: `histogram_avg` needs Prometheus 2.51 or later' }],
    },
  ],
});

/** Each expression under each declared target: the problems promql/target reports, through a rule file, a dashboard and an SLO. */
describe('promql/target follows mon.config.ts (version and feature flags)', () => {
  const EXPERIMENTAL = 'promql-experimental-functions';
  const cases: Array<[string, string[], string, string[]]> = [
    ['3.0', [], 'sort_by_label(up, "job")', ['`sort_by_label` is experimental: it needs `promql-experimental-functions` in prometheus.features']],
    ['3.0', [EXPERIMENTAL], 'sort_by_label(up, "job")', []],
    ['2.48', [EXPERIMENTAL], 'sort_by_label(up, "job")', ['`sort_by_label` needs Prometheus 2.49 or later']],
    ['2.54', [EXPERIMENTAL], 'limitk(2, up) + limit_ratio(0.5, up)', []],
    ['2.53', [EXPERIMENTAL], 'limit_ratio(0.5, up)', ['`limit_ratio` needs Prometheus 2.54 or later']],
    ['3.0', [], 'double_exponential_smoothing(up[5m], 0.5, 0.5)', ['`double_exponential_smoothing` is experimental']],
    ['3.0', [], 'holt_winters(up[5m], 0.5, 0.5)', ['`holt_winters` was removed in Prometheus 3.0']],
    ['2.55', [], 'info(up)', ['`info` is experimental']],
    ['3.5', [EXPERIMENTAL], 'ts_of_max_over_time(up[5m])', []],
    ['3.4', [EXPERIMENTAL], 'ts_of_max_over_time(up[5m])', ['`ts_of_max_over_time` needs Prometheus 3.5 or later']],
    ['3.0', [], 'sum({"my.metric", "my.label"="a"})', []],
    ['2.55', [], 'sum({"my.metric"})', ['a quoted (UTF-8) metric or label name needs Prometheus 3.0 or later']],
    ['2.51', [], 'histogram_avg(rate(h[5m]))', []],
    // start_timestamp() is behind its own flag (formats-2026.md: `use-start-timestamps`), not the experimental-functions one.
    ['3.14', [EXPERIMENTAL], 'start_timestamp(up)', ['`start_timestamp` is experimental: it needs `use-start-timestamps`']],
    ['3.14', ['use-start-timestamps'], 'start_timestamp(up)', []],
  ];
  it.each(cases)('Prometheus %s %j: %s', async (version, features, expr, expected) => {
    const dir = makeProject({
      'mon.config.ts': config(version, features),
      'r.yml': rules(record('job:x:sum', expr)),
      'd.json': dashboardJson([prometheusPanel(expr)]),
      'slos.yml': sloth(`sum(rate(search_queries_total{status=~"5.."}[{{.window}}])) or (${expr})`),
    });
    const run = await runLint({ cwd: dir, paths: ['r.yml', 'd.json', 'slos.yml'] });
    const found = run.diagnostics.filter((d) => d.rule === 'promql/target');
    for (const file of ['r.yml', 'd.json', 'slos.yml']) {
      const messages = found.filter((d) => d.where && isSpan(d.where) && d.where.file.endsWith(file)).map((d) => d.message);
      expect(messages, file).toEqual(expected.map((m) => expect.stringContaining(m)));
    }
  });
});

const promtool = requireTool('promtool');

/** promtool 2.42 is the oracle for the default target: promql/target reports exactly what it refuses to load for a function. */
describe.skipIf(!promtool)('promql/target agrees with promtool 2.42 on every function moncode knows a history for', () => {
  const newer = [
    'acos',
    'day_of_year',
    'histogram_count',
    'histogram_stddev',
    'mad_over_time',
    'sort_by_label',
    'histogram_avg',
    'limitk',
    'info',
    'double_exponential_smoothing',
    'ts_of_max_over_time',
    'first_over_time',
  ];
  const exprOf = (name: string): string => {
    if (name === 'acos') return 'acos(up)';
    if (name === 'day_of_year') return 'day_of_year(up)';
    if (name === 'sort_by_label') return 'sort_by_label(up, "job")';
    if (name === 'limitk') return 'limitk(2, up)';
    if (name === 'info') return 'info(up)';
    if (name === 'double_exponential_smoothing') return 'double_exponential_smoothing(up[5m], 0.5, 0.5)';
    if (/_over_time$/.test(name)) return `${name}(up[5m])`;
    return `${name}(rate(h[5m]))`;
  };
  it.each(newer)('%s', async (name) => {
    const dir = makeProject({ 'r.yml': rules(record('job:x:sum', exprOf(name))) });
    const file = path.join(dir, 'r.yml');
    writeFileSync(file, rules(record('job:x:sum', exprOf(name))));
    const oracle = runTool(promtool!, ['check', 'rules', file]).code === 0;
    const run = await runLint({ cwd: dir, paths: ['r.yml'] });
    const rejected = run.diagnostics.some((d) => d.rule === 'promql/target' || d.rule === 'promql/syntax');
    expect(rejected, `promtool ${oracle ? 'accepts' : 'rejects'} ${exprOf(name)}`).toBe(!oracle);
  });
});

describe('promqlTargetFaults in a 20,000-term chain (parsed piece by piece)', () => {
  const chain = Array.from({ length: 20000 }, (_, i) => (i === 15000 ? '{"my.metric"}' : i === 19000 ? 'rate(x_total[300])' : `m${i}`)).join(' + ');
  it('finds what the target lacks at its offset in the expression', () => {
    const faults = promqlTargetFaults(chain, { version: '2.42', features: [] });
    expect(faults.map((f) => [f.message, chain.slice(f.from, f.to)])).toEqual([
      ['a quoted (UTF-8) metric or label name needs Prometheus 3.0 or later', '"my.metric"'],
      ['a duration written as a number of seconds needs Prometheus 2.54 or later', '300'],
    ]);
  });
});
