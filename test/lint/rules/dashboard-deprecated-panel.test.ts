import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const old = dashboardJson([
  { type: 'graph', title: 'g' },
  { type: 'singlestat', title: 's' },
]);

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
  ],
  invalid: [
    {
      name: 'graph and singlestat',
      files: { 'd.json': old },
      expect: [
        { rule: 'dashboard/deprecated-panel', line: lineOf(old, '"graph"'), subject: 'Test / g', message: 'use `timeseries`' },
        { rule: 'dashboard/deprecated-panel', line: lineOf(old, '"singlestat"'), subject: 'Test / s', message: 'use `stat`' },
      ],
    },
  ],
});
