import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/commands/import.js';
import { makeProject } from '../helpers/project.js';

/**
 * `mon-import --report` for dashboards: each difference between the built dashboard and its
 * migrated input, and each field kept as written that Grafana's schema refuses (mon-build's
 * grafana/schema-unproven), is an import/round-trip info at the input's field saying why.
 */

const DASHBOARD = {
  uid: 'legacy',
  title: 'Legacy',
  schemaVersion: 36,
  hideControls: true,
  panels: [
    {
      id: 1,
      type: 'timeseries',
      title: 'Up',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      datasource: { type: 'prometheus', uid: 'prom' },
      targets: [{ refId: 'A', expr: 'up', step: 30, datasource: { type: 'prometheus', uid: 'prom' } }],
    },
  ],
};

type Case = [name: string, change: (d: any) => void, expected: Array<[needle: string, message: RegExp]>];

const CASES: Case[] = [
  [
    'fields Grafana keeps that its schema lacks',
    () => {},
    [
      ['"hideControls": true', /^\/hideControls: kept as the input has it \(no typed field\), but is no field there in Grafana's dashboard schema, so moncode cannot prove Grafana reads it/],
      ['"step": 30', /^\/panels\/0\/targets\/0\/step: kept as the input has it \(no typed field\), but is no field there in Grafana's prometheus query schema/],
    ],
  ],
  [
    'a place off the grid',
    (d) => {
      delete d.hideControls;
      d.panels[0].targets[0].step = undefined;
      d.panels[0].gridPos.w = 30;
    },
    [['"w": 30', /^\/panels\/0\/gridPos\/w: 30 is built as \d+: 30 is no width of Grafana's 24-column grid/]],
  ],
];

describe('mon-import --report lists each dashboard difference and why', () => {
  it.each(CASES)('%s', { timeout: 300_000 }, async (_name, change, expected) => {
    const input = structuredClone(DASHBOARD);
    change(input);
    const text = JSON.stringify(input, null, 2);
    const dir = makeProject({ 'input/legacy.json': text });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'legacy', dryRun: true, roundTrip: true });
    const found = result.diagnostics.filter((d) => d.rule === 'import/round-trip');
    expect(
      found.map((d) => d.message),
      found.map((d) => d.message).join(' | '),
    ).toHaveLength(expected.length);
    expected.forEach(([needle, message]) => {
      const d = found.find((f) => message.test(f.message));
      expect(d, `${String(message)} in ${found.map((f) => f.message).join(' | ')}`).toBeDefined();
      const line = text.split('\n').findIndex((l) => l.includes(needle)) + 1;
      expect(line).toBeGreaterThan(0);
      expect([d!.severity, d!.line, d!.endLine]).toEqual(['info', line, line]);
    });
  });
});
