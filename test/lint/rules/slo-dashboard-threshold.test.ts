import { dashboardJson, lineOf, ruleTester } from '../tester.js';
import { availabilitySlo } from '../slo-fixtures.js';

const panel = (steps: Record<string, unknown>) => ({
  type: 'timeseries',
  title: 'Error ratio',
  datasource: { type: 'prometheus', uid: 'p' },
  fieldConfig: { defaults: { unit: 'percentunit', thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, steps] } }, overrides: [] },
  targets: [{ refId: 'A', expr: 'sum(rate(http_requests_total{job="api", code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))' }],
});
const wrong = dashboardJson([panel({ color: 'red', value: 0.05 })]);

ruleTester('slo/dashboard-threshold', {
  valid: [
    { name: 'the error budget drawn', files: { 'slo.yaml': availabilitySlo(), 'd.json': dashboardJson([panel({ color: 'red', value: 0.001 })]) } },
    { name: 'the fast page threshold drawn', files: { 'slo.yaml': availabilitySlo(), 'd.json': dashboardJson([panel({ color: 'red', value: 0.0144 })]) } },
  ],
  invalid: [
    {
      name: '5% on a 99.9% SLO',
      files: { 'slo.yaml': availabilitySlo(), 'd.json': wrong },
      expect: [
        {
          rule: 'slo/dashboard-threshold',
          line: lineOf(wrong, '"thresholds"'),
          column: 25,
          endLine: lineOf(wrong, '"thresholds"') + 12,
          endColumn: 12,
          subject: 'Test / Error ratio',
          message: 'shows the SLI of SLO api-availability but draws thresholds at 0.05',
        },
      ],
    },
  ],
});
