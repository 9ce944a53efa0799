import { alert, record, ruleTester, rules } from '../tester.js';

ruleTester('alert/no-condition', {
  valid: [
    { name: 'a comparison', files: { 'r.yml': rules(alert('A', 'up == 0')) } },
    { name: 'a comparison inside an aggregation', files: { 'r.yml': rules(alert('A', 'count by (job) (up == 0) / count by (job) (up)')) } },
    { name: 'absent()', files: { 'r.yml': rules(alert('A', 'absent(up{job="api"})')) } },
    { name: 'a heartbeat on a constant (Watchdog)', files: { 'r.yml': rules(alert('Watchdog', 'vector(1)')) } },
    { name: 'a filter with unless', files: { 'r.yml': rules(alert('A', 'up{job="api"} unless on (instance) maintenance_mode')) } },
    { name: 'both sides of or compare', files: { 'r.yml': rules(alert('A', 'up == 0 or absent(up)')) } },
    { name: 'the state of other alerts', files: { 'r.yml': rules(alert('A', 'ALERTS{alertstate="firing", severity="critical"}')) } },
    {
      name: 'a recorded series whose query compares',
      files: { 'r.yml': rules(record('job:errors:above_threshold', 'sum by (job) (rate(errors_total[5m])) > 1'), alert('A', 'job:errors:above_threshold')) },
    },
  ],
  invalid: [
    {
      name: 'a gauge summed with no threshold (a corpus defect: Cilium endpoints)',
      files: { 'r.yml': rules(alert('CiliumAgentEndpointFailures', 'sum(cilium_endpoint_state{endpoint_state="invalid"}) by (pod)')) },
      expect: [{ rule: 'alert/no-condition', line: 5, column: 16, endLine: 5, endColumn: 79, subject: 'CiliumAgentEndpointFailures', message: 'the query has no condition' }],
    },
    {
      name: 'a comparison with bool returns 0 or 1, never nothing',
      files: { 'r.yml': rules(alert('A', 'rate(errors_total[5m]) > bool 1')) },
      expect: [{ rule: 'alert/no-condition', line: 5, column: 16, endLine: 5, endColumn: 47, subject: 'A' }],
    },
    {
      name: 'one side of or without a condition',
      files: { 'r.yml': rules(alert('A', 'up == 0 or rate(errors_total[5m])')) },
      expect: [{ rule: 'alert/no-condition', line: 5, column: 16, endLine: 5, endColumn: 49, subject: 'A' }],
    },
    {
      name: 'a recorded series with no condition either',
      files: { 'r.yml': rules(record('job:errors:rate5m', 'sum by (job) (rate(errors_total[5m]))'), alert('A', 'job:errors:rate5m')) },
      expect: [{ rule: 'alert/no-condition', line: 7, column: 16, endLine: 7, endColumn: 33, subject: 'A' }],
    },
  ],
});
