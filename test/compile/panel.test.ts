import { describe, expect, it } from 'vitest';
import { Problems } from '../../src/model/diagnostic.js';
import { DatasourceRegistry } from '../../src/compile/grafana/datasources.js';
import { compilePanel, compileThresholds, refIdFor } from '../../src/compile/grafana/panel.js';
import { datasource } from '../../src/model/datasource.js';
import { Locator } from '../../src/model/locator.js';
import { loki, prom } from '../../src/model/query.js';
import { piechart, stat, text, timeseries, type Panel } from '../../src/model/panel.js';

const prometheus = datasource({ name: 'Prometheus', type: 'prometheus', uid: 'prom' });
const logs = datasource({ name: 'Logs', type: 'loki' });

function compile(panel: Panel) {
  const problems = new Problems();
  const datasources = new DatasourceRegistry(
    [prometheus, logs].map((value) => ({ value, kind: 'datasource' as const, system: 's', module: 'm.ts', exportPath: 'x' })),
    problems,
  );
  const json = compilePanel(panel, '/panels/0', { system: 's', problems, locator: new Locator(), datasources, variables: new Set(['ds']), subject: 'd / p' });
  return { json, problems: problems.list };
}

describe('compilePanel', () => {
  it("writes field config, options and queries in Grafana's shape", () => {
    const { json, problems } = compile(
      timeseries({
        title: 'Latency',
        unit: 's',
        decimals: 2,
        thresholds: { 0: 'green', 0.5: 'red' },
        thresholdsStyle: 'line',
        legend: { displayMode: 'table', placement: 'right' },
        custom: { fillOpacity: 10 },
        overrides: [{ byName: 'p99', set: { unit: 'ms', 'custom.lineWidth': 2 } }],
        targets: [prom('histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))', { legend: 'p99' }), prom('vector(1)', { instant: true, refId: 'Z' })],
      }),
    );
    expect(problems).toEqual([]);
    expect(json).toEqual({
      type: 'timeseries',
      title: 'Latency',
      datasource: { type: 'prometheus', uid: 'prom' },
      fieldConfig: {
        defaults: {
          unit: 's',
          decimals: 2,
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'green', value: null },
              { color: 'red', value: 0.5 },
            ],
          },
          custom: { fillOpacity: 10, thresholdsStyle: { mode: 'line' } },
        },
        overrides: [
          {
            matcher: { id: 'byName', options: 'p99' },
            properties: [
              { id: 'unit', value: 'ms' },
              { id: 'custom.lineWidth', value: 2 },
            ],
          },
        ],
      },
      options: { legend: { displayMode: 'table', placement: 'right' } },
      targets: [
        { refId: 'A', expr: 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))', editorMode: 'code', datasource: { type: 'prometheus', uid: 'prom' }, legendFormat: 'p99', range: true },
        { refId: 'Z', expr: 'vector(1)', editorMode: 'code', datasource: { type: 'prometheus', uid: 'prom' }, instant: true, range: false },
      ],
    });
  });

  it('picks the Loki datasource for LogQL, and mixes datasources when a panel has both', () => {
    const logsOnly = compile(timeseries({ title: 'l', targets: [loki('sum(count_over_time({job="a"} |= "error" [5m]))', { step: '1m' })] }));
    expect(logsOnly.json.datasource).toEqual({ type: 'loki', uid: 'logs' });
    expect(logsOnly.json.targets).toEqual([
      { refId: 'A', expr: 'sum(count_over_time({job="a"} |= "error" [5m]))', editorMode: 'code', datasource: { type: 'loki', uid: 'logs' }, queryType: 'range', step: '1m' },
    ]);
    const mixed = compile(timeseries({ title: 'm', targets: [prom('up'), loki('{job="a"}')] }));
    expect(mixed.json.datasource).toEqual({ type: 'datasource', uid: '-- Mixed --' });
    expect((mixed.json.targets as Array<{ datasource: unknown }>).map((t) => t.datasource)).toEqual([
      { type: 'prometheus', uid: 'prom' },
      { type: 'loki', uid: 'logs' },
    ]);
  });

  it('refers to a datasource variable, and rejects an unknown name or variable', () => {
    expect(compile(stat({ title: 's', datasource: '${ds}', targets: [prom('up')] })).json.datasource).toEqual({ type: 'prometheus', uid: '${ds}' });
    expect(compile(stat({ title: 's', datasource: '$nope', targets: [prom('up')] })).problems.map((p) => p.message)).toEqual(['datasource "$nope" refers to no variable of this dashboard']);
    expect(compile(stat({ title: 's', datasource: 'Prom', targets: [prom('up')] })).problems.map((p) => p.rule)).toEqual(['dashboard/datasource']);
  });

  it('turns reduce, text content and pie legends into plugin options', () => {
    expect(compile(stat({ title: 's', reduce: 'max' })).json.options).toEqual({ reduceOptions: { calcs: ['max'], fields: '', values: false } });
    expect(compile(piechart({ title: 'p', legend: { displayMode: 'table', values: ['percent'] } })).json.options).toEqual({ legend: { displayMode: 'table', values: ['percent'] } });
    const note = compile(text({ title: 't', content: '# Hi', mode: 'markdown' })).json;
    expect(note.options).toEqual({ content: '# Hi', mode: 'markdown' });
    expect(note.fieldConfig).toBeUndefined();
  });

  it('rejects refIds used twice and units that only look right', () => {
    const twice = compile(timeseries({ title: 't', targets: [prom('a', { refId: 'A' }), prom('b', { refId: 'A' })] }));
    expect(twice.problems.map((p) => p.message)).toEqual(['refId "A" is used twice in this panel']);
    expect(compile(stat({ title: 's', unit: 'seconds' as 's' })).problems.map((p) => p.message)).toEqual(['unknown unit "seconds"']);
  });
});

describe('compileThresholds', () => {
  it('sorts steps by value and makes the lowest the base step', () => {
    expect(compileThresholds({ 90: 'red', 0: 'green', 80: 'yellow' })).toEqual({
      mode: 'absolute',
      steps: [
        { color: 'green', value: null },
        { color: 'yellow', value: 80 },
        { color: 'red', value: 90 },
      ],
    });
    expect(compileThresholds({ mode: 'percentage', steps: { 0: 'blue', 50: 'red' } })).toEqual({
      mode: 'percentage',
      steps: [
        { color: 'blue', value: null },
        { color: 'red', value: 50 },
      ],
    });
    expect(compileThresholds({} as never)).toBe('thresholds need at least one step');
  });
});

describe('refIdFor', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [27, 'AB'],
    [701, 'ZZ'],
    [702, 'AAA'],
  ])('%d → %s', (i, id) => expect(refIdFor(i)).toBe(id));
});
