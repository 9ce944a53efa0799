import { describe, expect, it } from 'vitest';
import { validateDashboard } from './grafana-schema.js';

// The generated schemas are an oracle only if they reject what Grafana would reject.
const base = () => ({
  schemaVersion: 42,
  title: 't',
  uid: 't',
  panels: [
    {
      type: 'timeseries',
      id: 1,
      title: 'p',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      options: { legend: { displayMode: 'list' } },
      fieldConfig: { defaults: { unit: 's', custom: { drawStyle: 'bars' } }, overrides: [] },
      targets: [{ refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid: 'p' } }],
    },
  ],
});

describe('generated Grafana schemas', () => {
  it('accept a well-formed dashboard', () => {
    expect(validateDashboard(base())).toEqual([]);
  });

  it.each([
    [
      'an unknown top-level field',
      (d: any) => {
        d.bogus = 1;
      },
      'dashboard',
    ],
    [
      'a panel without a type',
      (d: any) => {
        delete d.panels[0].type;
      },
      'dashboard',
    ],
    [
      'a non-numeric grid width',
      (d: any) => {
        d.panels[0].gridPos.w = 'wide';
      },
      'dashboard',
    ],
    [
      'a legend display mode Grafana lacks',
      (d: any) => {
        d.panels[0].options.legend.displayMode = 'sideways';
      },
      'options',
    ],
    [
      'a draw style Grafana lacks',
      (d: any) => {
        d.panels[0].fieldConfig.defaults.custom.drawStyle = 'zigzag';
      },
      'fieldConfig',
    ],
    [
      'a Prometheus query without expr',
      (d: any) => {
        delete d.panels[0].targets[0].expr;
      },
      'target',
    ],
    [
      'a Prometheus query with an unknown field',
      (d: any) => {
        d.panels[0].targets[0].legend = '{{job}}';
      },
      'target',
    ],
  ])('reject %s', (_name, mutate, where) => {
    const dashboard = base();
    mutate(dashboard);
    const problems = validateDashboard(dashboard);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toContain(where);
  });
});
