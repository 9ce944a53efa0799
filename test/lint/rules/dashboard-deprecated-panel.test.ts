import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const old = dashboardJson([
  { type: 'graph', title: 'g' },
  { type: 'singlestat', title: 's' },
]);
const angularTable = dashboardJson([{ type: 'table', title: 'old table', styles: [{ pattern: 'Time', type: 'date' }] }], [], { schemaVersion: 16 });

ruleTester('dashboard/deprecated-panel', {
  valid: [
    {
      name: 'current panels',
      files: {
        'd.json': dashboardJson([
          { type: 'timeseries', title: 't' },
          { type: 'stat', title: 's' },
        ]),
      },
    },
    {
      // Grafana migrates only a pre-7.0 `table` with Angular `styles`; a React table stays.
      name: 'a React table, and a table with styles in a current-schema dashboard',
      files: {
        'old.json': dashboardJson([{ type: 'table', title: 'react', fieldConfig: { defaults: {}, overrides: [] } }], [], { schemaVersion: 16 }),
        'new.json': dashboardJson([{ type: 'table', title: 'leftover', styles: [] }], [], { uid: 'new', schemaVersion: 30 }),
      },
    },
  ],
  invalid: [
    {
      name: 'an Angular table of a schema 16 dashboard',
      files: { 'd.json': angularTable },
      expect: [
        {
          rule: 'dashboard/deprecated-panel',
          line: lineOf(angularTable, '"table"'),
          column: 15,
          endLine: lineOf(angularTable, '"table"'),
          endColumn: 22,
          subject: 'Test / old table',
          message: 'Grafana migrates it to the deprecated `table-old`',
        },
      ],
    },
    {
      name: 'graph and singlestat',
      files: { 'd.json': old },
      expect: [
        { rule: 'dashboard/deprecated-panel', line: lineOf(old, '"graph"'), column: 15, endLine: lineOf(old, '"graph"'), endColumn: 22, subject: 'Test / g', message: 'use `timeseries`' },
        { rule: 'dashboard/deprecated-panel', line: lineOf(old, '"singlestat"'), column: 15, endLine: lineOf(old, '"singlestat"'), endColumn: 27, subject: 'Test / s', message: 'use `stat`' },
      ],
    },
  ],
});
