import { describe, expect, it } from 'vitest';
import { layout } from '../../src/compile/grafana/layout.js';
import { gauge, row, stat, text, timeseries, type Panel } from '../../src/model/panel.js';

const ts = (title: string, extra: Partial<Panel> = {}) => timeseries({ title, ...(extra as object) });
const positions = (panels: Array<{ panel: Panel; gridPos: object }>) => panels.map((p) => [p.panel.title, p.gridPos]);

describe('layout', () => {
  it('places panels left to right, wrapping at 24 columns, with widths and heights by type', () => {
    const result = layout([ts('a'), stat({ title: 'b' }), gauge({ title: 'c' }), ts('d'), text({ title: 'e' })]);
    expect(positions(result.top)).toEqual([
      ['a', { x: 0, y: 0, w: 12, h: 8 }],
      ['b', { x: 12, y: 0, w: 6, h: 4 }],
      ['c', { x: 18, y: 0, w: 6, h: 6 }],
      ['d', { x: 0, y: 8, w: 12, h: 8 }],
      ['e', { x: 0, y: 16, w: 24, h: 6 }],
    ]);
  });

  it('stacks rows below each other; a collapsed row takes only its header line', () => {
    const result = layout([row('one', [ts('a'), ts('b'), ts('c')]), row('two', [ts('d')], { collapsed: true }), row('three', [ts('e', { width: 24, height: 3 })])]);
    expect(result.rows.map((r) => [r.row.title, r.y])).toEqual([
      ['one', 0],
      ['two', 17],
      ['three', 18],
    ]);
    expect(positions(result.rows[0]!.panels)).toEqual([
      ['a', { x: 0, y: 1, w: 12, h: 8 }],
      ['b', { x: 12, y: 1, w: 12, h: 8 }],
      ['c', { x: 0, y: 9, w: 12, h: 8 }],
    ]);
    // Folded panels keep the position they get when the row is opened.
    expect(positions(result.rows[1]!.panels)).toEqual([['d', { x: 0, y: 18, w: 12, h: 8 }]]);
    expect(positions(result.rows[2]!.panels)).toEqual([['e', { x: 0, y: 19, w: 24, h: 3 }]]);
  });

  it('keeps explicit positions (relative to the row) and flows the other panels around them', () => {
    const result = layout([row('r', [ts('auto1'), ts('fixed', { gridPos: { x: 12, y: 0, w: 12, h: 10 } }), ts('auto2'), ts('auto3')])]);
    expect(positions(result.rows[0]!.panels)).toEqual([
      ['auto1', { x: 0, y: 1, w: 12, h: 8 }],
      ['fixed', { x: 12, y: 1, w: 12, h: 10 }],
      ['auto2', { x: 0, y: 9, w: 12, h: 8 }],
      ['auto3', { x: 0, y: 17, w: 12, h: 8 }],
    ]);
  });

  it('a panel written after a row belongs to that row', () => {
    const result = layout([ts('top'), row('r', []), ts('inside')]);
    expect(result.top.map((p) => p.panel.title)).toEqual(['top']);
    expect(result.rows[0]!.panels.map((p) => p.panel.title)).toEqual(['inside']);
  });
});
