import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const provisioning = 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    uid: prom\n    url: http://prometheus:9090\n';
const panel = (datasource: unknown) => ({ type: 'stat', title: 'p', datasource, targets: [{ refId: 'A', expr: 'up' }] });
const unknownUid = dashboardJson([panel({ type: 'prometheus', uid: 'promtheus' })]);
const unknownVariable = dashboardJson([panel('$ds')]);

ruleTester('dashboard/datasource', {
  valid: [
    {
      name: 'a declared uid and a variable',
      files: {
        'ds.yaml': provisioning,
        'd.json': dashboardJson([panel({ type: 'prometheus', uid: 'prom' }), panel('${datasource}')], [{ name: 'datasource', type: 'datasource', query: 'prometheus' }]),
      },
    },
    { name: 'no datasources declared: fixed uids are not judged', files: { 'd.json': unknownUid } },
    { name: 'Grafana built-ins', files: { 'ds.yaml': provisioning, 'd.json': dashboardJson([panel({ type: 'datasource', uid: '-- Mixed --' })]) } },
  ],
  invalid: [
    {
      name: 'an undeclared uid',
      files: { 'ds.yaml': provisioning, 'd.json': unknownUid },
      expect: [
        {
          rule: 'dashboard/datasource',
          line: lineOf(unknownUid, 'promtheus'),
          column: 16,
          endLine: lineOf(unknownUid, 'promtheus'),
          endColumn: 27,
          subject: 'Test / p',
          message: 'datasource "promtheus" is not declared (declared: Prometheus)',
        },
      ],
    },
    {
      name: 'a variable that does not exist',
      files: { 'd.json': unknownVariable },
      expect: [
        {
          rule: 'dashboard/datasource',
          line: lineOf(unknownVariable, '"$ds"'),
          column: 21,
          endLine: lineOf(unknownVariable, '"$ds"'),
          endColumn: 26,
          message: 'datasource `$ds` refers to no variable',
        },
      ],
    },
  ],
});
