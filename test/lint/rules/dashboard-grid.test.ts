import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const at = (title: string, x: number, y: number, w: number, h: number) => ({ type: 'timeseries', title, gridPos: { x, y, w, h } });
const overlap = dashboardJson([at('a', 0, 0, 12, 8), at('b', 6, 4, 12, 8)]);
const overflow = dashboardJson([at('wide', 16, 0, 12, 8)]);

ruleTester('dashboard/grid', {
  valid: [
    { name: 'a clean grid with rows', files: { 'd.json': dashboardJson([{ type: 'row', title: 'r', gridPos: { x: 0, y: 0, w: 0, h: 1 }, panels: [] }, at('a', 0, 1, 12, 8), at('b', 12, 1, 12, 8)]) } },
    {
      name: 'panels in a collapsed row only meet each other',
      files: { 'd.json': dashboardJson([{ type: 'row', title: 'r', collapsed: true, gridPos: { x: 0, y: 0, w: 24, h: 1 }, panels: [at('x', 0, 1, 24, 8)] }, at('a', 0, 1, 24, 8)]) },
    },
  ],
  invalid: [
    {
      name: 'overlapping panels',
      files: { 'd.json': overlap },
      expect: [
        {
          rule: 'dashboard/grid',
          line: lineOf(overlap, '"gridPos"', '"b"'),
          column: 18,
          endLine: lineOf(overlap, '"gridPos"', '"b"') + 5,
          endColumn: 8,
          subject: 'Test / b',
          message: 'panel overlaps "a"',
        },
      ],
    },
    {
      name: 'past 24 columns',
      files: { 'd.json': overflow },
      expect: [{ rule: 'dashboard/grid', line: lineOf(overflow, '"gridPos"'), column: 18, endLine: lineOf(overflow, '"gridPos"') + 5, endColumn: 8, message: 'panel spans columns 16–28' }],
    },
  ],
});
