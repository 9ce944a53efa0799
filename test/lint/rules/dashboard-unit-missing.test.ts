import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const target = [{ refId: 'A', expr: 'up' }];
const bare = dashboardJson([{ type: 'timeseries', title: 'bare', targets: target }]);

const mapped = dashboardJson([
  { type: 'timeseries', title: 'mapped', targets: target, fieldConfig: { defaults: { mappings: [{ type: 'value', options: { '0': { text: 'Down' } } }] }, overrides: [] } },
]);

ruleTester('dashboard/unit-missing', {
  valid: [
    { name: 'a unit', files: { 'd.json': dashboardJson([{ type: 'stat', title: 's', targets: target, fieldConfig: { defaults: { unit: 'short' }, overrides: [] } }]) } },
    {
      name: 'a unit set by an override',
      files: {
        'd.json': dashboardJson([
          { type: 'timeseries', title: 't', targets: target, fieldConfig: { defaults: {}, overrides: [{ matcher: { id: 'byName', options: 'x' }, properties: [{ id: 'unit', value: 's' }] }] } },
        ]),
      },
    },
    {
      name: 'a stat panel whose value mappings show text',
      files: {
        'd.json': dashboardJson([
          {
            type: 'stat',
            title: 'up',
            targets: target,
            fieldConfig: { defaults: { mappings: [{ type: 'value', options: { '0': { text: 'Down' }, '1': { text: 'Up' } } }] }, overrides: [] },
          },
        ]),
      },
    },
    {
      name: 'text and tables are not numeric panels',
      files: {
        'd.json': dashboardJson([
          { type: 'text', title: 't' },
          { type: 'table', title: 'x', targets: target },
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a graph without a unit',
      files: { 'd.json': bare },
      expect: [
        {
          rule: 'dashboard/unit-missing',
          line: lineOf(bare, '{', '"panels"'),
          column: 5,
          endLine: lineOf(bare, '{', '"panels"') + 9,
          endColumn: 6,
          subject: 'Test / bare',
          message: 'timeseries panel without a unit',
        },
      ],
    },
    {
      name: 'value mappings do not excuse a time series: its axis still shows numbers',
      files: { 'd.json': mapped },
      expect: [
        {
          rule: 'dashboard/unit-missing',
          line: lineOf(mapped, '{', '"panels"'),
          column: 5,
          endLine: lineOf(mapped, '{', '"panels"') + 24,
          endColumn: 6,
          subject: 'Test / mapped',
          message: 'timeseries panel without a unit',
        },
      ],
    },
  ],
});
