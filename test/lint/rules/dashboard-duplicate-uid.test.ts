import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const twiceVariable = dashboardJson(
  [],
  [
    { name: 'cluster', type: 'query' },
    { name: 'job', type: 'query' },
    { name: 'cluster', type: 'query' },
  ],
);
const twice = dashboardJson([
  { type: 'stat', id: 1, title: 'a' },
  { type: 'stat', id: 1, title: 'b' },
]);

ruleTester('dashboard/duplicate-uid', {
  valid: [
    {
      name: 'distinct uids and ids',
      files: {
        'a.json': dashboardJson([
          { type: 'stat', id: 1 },
          { type: 'stat', id: 2 },
        ]),
        'b.json': dashboardJson([], [], { uid: 'other' }),
      },
    },
    {
      name: 'one dashboard in two files (its JSON and a copy for another deployment form)',
      files: { 'a.json': dashboardJson([{ type: 'stat', id: 1 }]), 'b.json': dashboardJson([{ type: 'stat', id: 1 }]) },
    },
    { name: 'dashboards without a uid', files: { 'a.json': dashboardJson([], [], { uid: undefined }), 'b.json': dashboardJson([], [], { uid: undefined }) } },
  ],
  invalid: [
    {
      name: 'two dashboards, one uid',
      files: { 'a.json': dashboardJson([]), 'b.json': dashboardJson([], [], { title: 'Other' }) },
      expect: [{ rule: 'dashboard/duplicate-uid', line: 3, column: 10, endLine: 3, endColumn: 16, subject: 'Other', message: 'uid "test" is also the uid of "Test"' }],
    },
    {
      name: 'a variable defined twice',
      files: { 'd.json': twiceVariable },
      expect: [
        {
          rule: 'dashboard/duplicate-uid',
          line: lineOf(twiceVariable, '"cluster"', '"job"'),
          column: 17,
          endLine: lineOf(twiceVariable, '"cluster"', '"job"'),
          endColumn: 26,
          subject: 'Test / $cluster',
          message: 'variable `$cluster` is defined twice',
        },
      ],
    },
    {
      name: 'a repeated panel id',
      files: { 'd.json': twice },
      expect: [{ rule: 'dashboard/duplicate-uid', line: lineOf(twice, '"id"', '"a"'), column: 13, endLine: lineOf(twice, '"id"', '"a"'), endColumn: 14, message: 'panel id 1 is used twice' }],
    },
  ],
});
