import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const provisioning = 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    uid: prom\n    url: http://prometheus:9090\n';
const panel = (datasource: unknown) => ({ type: 'stat', title: 'p', datasource, targets: [{ refId: 'A', expr: 'up' }] });
const unknownUid = dashboardJson([panel({ type: 'prometheus', uid: 'promtheus' })]);
const unknownVariable = dashboardJson([panel('$ds')]);
const withVariable = (panels: unknown[]) => dashboardJson(panels, [{ name: 'datasource', type: 'datasource', query: 'prometheus' }]);
const hardCodedPanel = withVariable([panel({ type: 'prometheus', uid: 'prom' })]);
const hardCodedTarget = withVariable([{ ...panel('${datasource}'), targets: [{ refId: 'A', expr: 'up', datasource: { type: 'prometheus', uid: '1_UFfQJGk' } }] }]);
const tsDatasource = `import { datasource } from 'moncode';\nexport const prometheus = datasource({ name: 'Prometheus', type: 'prometheus', uid: 'api-prom', url: 'http://prometheus:9090' });\n`;
const againstDefinitions = dashboardJson([panel({ type: 'prometheus', uid: 'api-prom' }), panel({ type: 'prometheus', uid: 'grafana-cloud-prom' })]);
const undeclaredTarget = dashboardJson([{ ...panel({ type: 'prometheus', uid: 'prom' }), targets: [{ refId: 'A', expr: 'up', datasource: { uid: 'old-prom' } }] }]);

/** Where a quoted value stands in a JSON text: line, start column and end column (exclusive). */
function spanOf(text: string, value: string): { line: number; column: number; endLine: number; endColumn: number } {
  const line = lineOf(text, `"${value}"`);
  const column = text.split('\n')[line - 1]!.indexOf(`"${value}"`) + 1;
  return { line, column, endLine: line, endColumn: column + value.length + 2 };
}

ruleTester('dashboard/datasource', {
  valid: [
    { name: 'a declared uid', files: { 'ds.yaml': provisioning, 'd.json': dashboardJson([panel({ type: 'prometheus', uid: 'prom' })]) } },
    { name: 'the datasource variable, as object and as text', files: { 'ds.yaml': provisioning, 'd.json': withVariable([panel({ type: 'prometheus', uid: '${datasource}' }), panel('$datasource')]) } },
    {
      name: 'a fixed uid of another type than the variable offers (a Loki panel beside a Prometheus variable)',
      files: { 'd.json': withVariable([{ ...panel({ type: 'loki', uid: 'loki-main' }), targets: [{ refId: 'A', expr: '{job="api"}' }] }]) },
    },
    {
      name: 'a row and a target without a query keep the uid Grafana left on them, which nothing uses',
      files: {
        'd.json': withVariable([
          { type: 'row', title: 'r', datasource: { type: 'prometheus', uid: '000000001' }, targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: '000000001' } }] },
          {
            ...panel('${datasource}'),
            targets: [
              { refId: 'A', expr: 'up' },
              { refId: 'B', datasource: { type: 'prometheus', uid: '000000001' } },
            ],
          },
        ]),
      },
    },
    { name: "a uid the definitions' datasource() declares", files: { 'definitions/api/datasources.ts': tsDatasource, 'd.json': dashboardJson([panel({ type: 'prometheus', uid: 'api-prom' })]) } },
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
      name: "a panel hard-coding a declared uid beside the dashboard's datasource variable",
      files: { 'ds.yaml': provisioning, 'd.json': hardCodedPanel },
      expect: [
        {
          rule: 'dashboard/datasource',
          ...spanOf(hardCodedPanel, 'prom'),
          subject: 'Test / p',
          message: 'datasource uid "prom" is hard-coded, but the dashboard has the prometheus datasource variable $datasource: use "${datasource}"',
        },
      ],
    },
    {
      name: 'a target hard-coding an exported uid under a panel that uses the variable (no provisioning linted)',
      files: { 'd.json': hardCodedTarget },
      expect: [{ rule: 'dashboard/datasource', ...spanOf(hardCodedTarget, '1_UFfQJGk'), subject: 'Test / p', message: 'datasource uid "1_UFfQJGk" is hard-coded' }],
    },
    {
      name: 'an undeclared uid in a target, with a datasource from the provisioning',
      files: { 'ds.yaml': provisioning, 'd.json': undeclaredTarget },
      expect: [{ rule: 'dashboard/datasource', ...spanOf(undeclaredTarget, 'old-prom'), subject: 'Test / p', message: 'datasource "old-prom" is not declared (declared: Prometheus)' }],
    },
    {
      name: "a uid the definitions' datasources do not declare, linted with them",
      files: { 'definitions/api/datasources.ts': tsDatasource, 'd.json': againstDefinitions },
      expect: [
        { rule: 'dashboard/datasource', ...spanOf(againstDefinitions, 'grafana-cloud-prom'), subject: 'Test / p', message: 'datasource "grafana-cloud-prom" is not declared (declared: Prometheus)' },
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
