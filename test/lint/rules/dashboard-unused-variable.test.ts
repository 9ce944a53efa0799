import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const target = (expr: string) => ({ type: 'timeseries', title: 'p', datasource: { type: 'prometheus', uid: '${ds}' }, targets: [{ refId: 'A', expr }] });
const unused = dashboardJson(
  [target('up')],
  [
    { name: 'ds', type: 'datasource', query: 'prometheus' },
    { name: 'cluster', type: 'query', query: 'label_values(cluster)' },
  ],
);

ruleTester('dashboard/unused-variable', {
  valid: [
    {
      name: 'used in a query, a datasource and another variable',
      files: {
        'd.json': dashboardJson(
          [target('up{job="$job"}')],
          [
            { name: 'ds', type: 'datasource', query: 'prometheus' },
            { name: 'cluster', type: 'query', query: 'label_values(cluster)' },
            { name: 'job', type: 'query', query: 'label_values(up{cluster="$cluster"}, job)' },
          ],
        ),
      },
    },
    {
      name: 'ad hoc filters apply on their own',
      files: {
        'd.json': dashboardJson(
          [target('up')],
          [
            { name: 'ds', type: 'datasource' },
            { name: 'filters', type: 'adhoc' },
          ],
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'a variable nothing uses',
      files: { 'd.json': unused },
      expect: [
        {
          rule: 'dashboard/unused-variable',
          line: lineOf(unused, '"cluster"') - 1,
          column: 7,
          endLine: lineOf(unused, '"cluster"') - 1 + 4,
          endColumn: 8,
          subject: 'Test / $cluster',
          message: 'variable `$cluster` is not used',
        },
      ],
    },
  ],
});
