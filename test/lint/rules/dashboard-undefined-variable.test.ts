import { dashboardJson, lineOf, ruleTester } from '../tester.js';

const target = (expr: string) => ({ type: 'timeseries', title: 'p', datasource: { type: 'prometheus', uid: 'p' }, targets: [{ refId: 'A', expr }] });
const undefinedHost = dashboardJson([target('rate(x{job="$job", host=~"$hostname"}[$__rate_interval])')], [{ name: 'job', type: 'query', query: 'label_values(job)' }]);
const repeat = dashboardJson([{ ...target('up'), repeat: 'node' }]);

ruleTester('dashboard/undefined-variable', {
  valid: [
    {
      name: 'defined, built-in and import-input variables',
      files: {
        'd.json': dashboardJson([target('rate(x{job="$job", i="${DS_PROM}"}[$__rate_interval]) * $__interval_ms')], [{ name: 'job', type: 'query' }], {
          __inputs: [{ name: 'DS_PROM', type: 'datasource', pluginId: 'prometheus' }],
        }),
      },
    },
    { name: 'regex groups and escaped dollars', files: { 'd.json': dashboardJson([target('label_replace(up, "a", "$1", "b", "(.*)") unless x{t!~"\\\\$SYS.*"}')]) } },
  ],
  invalid: [
    {
      name: 'a filter on an undefined variable',
      files: { 'd.json': undefinedHost },
      expect: [
        {
          rule: 'dashboard/undefined-variable',
          line: lineOf(undefinedHost, 'hostname'),
          column: 49,
          endLine: lineOf(undefinedHost, 'hostname'),
          endColumn: 58,
          subject: 'Test / p',
          message: '`$hostname` is not a variable of this dashboard (it has $job)',
        },
      ],
    },
    {
      name: 'a repeat over an undefined variable',
      files: { 'd.json': repeat },
      expect: [{ rule: 'dashboard/undefined-variable', line: lineOf(repeat, '"repeat"'), column: 17, endLine: lineOf(repeat, '"repeat"'), endColumn: 23, message: 'repeats over `$node`' }],
    },
  ],
});
