import { alert, ruleTester, rules } from '../tester.js';

/** The span of operator `op` in an alert expression as `rules(alert(…))` writes it (quoted, on line 5 from column 15). */
function opAt(expr: string, op: string): { line: number; column: number; endLine: number; endColumn: number } {
  const column = 15 + JSON.stringify(expr).indexOf(` ${op} `) + 1;
  return { line: 5, column, endLine: 5, endColumn: column + op.length };
}

const canary = 'up{job="gateway-canary"} == 0 and on (job) up{job="gateway"} == 1';
const inactiveHosts = 'hosts{type="total", job="awx"} - hosts{type="active", job="awx"} > 10';

ruleTester('label/vector-mismatch', {
  valid: [
    { name: 'and on a label both sides pin alike', files: { 'r.yml': rules(alert('A', 'up{job="gateway"} == 0 and on (job) build_info{job="gateway"} == 1')) } },
    { name: 'ignoring() the label the sides pin apart', files: { 'r.yml': rules(alert('A', 'hosts{type="total"} - ignoring (type) hosts{type="active"} > 10')) } },
    { name: 'on() without the label the sides pin apart', files: { 'r.yml': rules(alert('A', 'up{job="canary"} == 0 and on (instance) up{job="main"} == 1')) } },
    { name: 'or keeps both sides', files: { 'r.yml': rules(alert('A', 'up{job="a"} == 0 or up{job="b"} == 0')) } },
    { name: 'regex matchers are not judged', files: { 'r.yml': rules(alert('A', 'up{job=~"gate.*"} == 0 and on (job) up{job="gateway"} == 1')) } },
    { name: 'a side aggregating the label away is no pin', files: { 'r.yml': rules(alert('A', 'sum by (instance) (x{type="total"}) - sum by (instance) (x{type="active"}) > 10')) } },
    { name: 'both sides aggregated alike', files: { 'r.yml': rules(alert('A', 'sum by (instance) (rate(x{status=~"5.."}[5m])) / sum by (instance) (rate(x[5m])) > 0.1')) } },
    {
      name: 'on() reconciles the sides',
      files: { 'r.yml': rules(alert('A', 'sum by (instance, status) (rate(x{status=~"5.."}[5m])) / on (instance) group_left sum by (instance) (rate(x[5m])) > 0.1')) },
    },
    {
      name: 'a grouping label the series certainly lack is no mismatch',
      files: { 'r.yml': rules(alert('A', 'sum by (instance, status) (rate(x{status=""}[5m])) / sum by (instance) (rate(x[5m])) > 0.1')) },
    },
    {
      name: 'grouped alike under scalar arithmetic and clamp_min',
      files: { 'r.yml': rules(alert('A', '100 * sum by (pipeline) (rate(a_total[5m])) / clamp_min(sum by (pipeline) (rate(b_total[5m])), 1) > 5')) },
    },
    { name: '`or` joins series that need not match', files: { 'r.yml': rules(alert('A', 'sum by (pipeline) (rate(a_total[5m])) > 1 or sum by (source) (rate(b_total[5m])) > 1')) } },
    { name: '`and on (…)` picks the labels', files: { 'r.yml': rules(alert('A', 'sum by (job, instance) (rate(a_total[5m])) > 1 and on (job) sum by (job) (up) > 0')) } },
    { name: 'a part over its whole, both summed by job', files: { 'r.yml': rules(alert('A', 'sum by (job) (rate(x{status=~"5.."}[5m])) / sum by (job) (rate(x[5m])) > 0.05')) } },
    { name: 'two different metrics per series', files: { 'r.yml': rules(alert('A', 'rate(sessions_failed_total[5m]) / rate(sessions_total[5m]) > 0.1')) } },
    { name: 'the same selection on both sides over different windows', files: { 'r.yml': rules(alert('A', 'rate(x{code="500"}[5m]) / rate(x{code="500"}[1h]) > 2')) } },
    {
      name: 'ignoring the narrowing label, many-to-one',
      files: { 'r.yml': rules(alert('A', 'sum by (job, status) (rate(x{status=~"5.."}[5m])) / ignoring (status) group_left sum by (job) (rate(x[5m])) > 0.05')) },
    },
    { name: 'set operators', files: { 'r.yml': rules(alert('A', 'up == 0 unless on (job) sum by (job) (x)')) } },
  ],
  invalid: [
    {
      name: 'and on a label the two sides pin to different values: never true',
      files: { 'r.yml': rules(alert('CanaryDown', canary)) },
      expect: [
        {
          rule: 'label/vector-mismatch',
          ...opAt(canary, 'and'),
          subject: 'CanaryDown',
          message: 'match on `job`, which the left side pins to "gateway-canary" and the right side to "gateway", so no pair of series matches and `and` is always empty',
        },
      ],
    },
    {
      name: 'a difference of two series of one metric without ignoring(): always empty',
      files: { 'r.yml': rules(alert('InactiveHosts', inactiveHosts)) },
      expect: [{ rule: 'label/vector-mismatch', ...opAt(inactiveHosts, '-'), message: 'match on `type`, which the left side pins to "total" and the right side to "active"' }],
    },
    {
      name: 'grouped by different labels, no on() (matches nothing)',
      files: { 'r.yml': rules(alert('A', 'sum by (pipeline) (rate(a_total[5m])) / sum by (source) (rate(b_total[5m])) > 0.1')) },
      expect: [
        {
          rule: 'label/vector-mismatch',
          line: 5,
          column: 54,
          endLine: 5,
          endColumn: 55,
          subject: 'A',
          message: 'the two sides of `/` are grouped differently: the left side keeps `pipeline` (it is grouped by it), the right side drops it',
        },
      ],
    },
    {
      // Formerly valid ("only possibly present"): nobody groups by a label the series do not carry.
      name: 'one side grouped by a label the other drops',
      files: { 'r.yml': rules(alert('A', 'sum by (instance, status) (rate(x[5m])) / sum by (instance) (rate(x[5m])) > 0.1')) },
      expect: [{ rule: 'label/vector-mismatch', line: 5, column: 56, endLine: 5, endColumn: 57, message: 'the left side keeps `status`' }],
    },
    {
      name: '`and` whose sides never share a label set: the alert cannot fire',
      files: { 'r.yml': rules(alert('A', 'sum by (job, instance) (rate(errors_total{instance=~".+"}[5m])) > 1 and sum by (job) (up) > 0')) },
      expect: [{ rule: 'label/vector-mismatch', line: 5, column: 86, endLine: 5, endColumn: 89, message: '`and` is always empty: the condition is never true' }],
    },
    {
      name: '`unless` that can never exclude anything',
      files: { 'r.yml': rules(alert('A', 'up{job="api"} == 0 unless sum by (job) (maintenance_mode) == 1')) },
      expect: [{ rule: 'label/vector-mismatch', line: 5, column: 37, endLine: 5, endColumn: 43, message: '`unless` never removes anything' }],
    },
    {
      name: 'status kept on one side only (never fires)',
      files: { 'r.yml': rules(alert('GitLabHigh5xxResponses', 'sum by (instance, status) (rate(x{status=~"5.."}[5m])) / sum by (instance) (rate(x[5m])) > 0.1')) },
      expect: [
        { rule: 'label/vector-mismatch', line: 5, column: 73, endLine: 5, endColumn: 74, subject: 'GitLabHigh5xxResponses', message: 'the left side always has `status`, the right side never does' },
      ],
    },
    {
      name: 'target labels aggregated away on one side',
      files: { 'r.yml': rules(alert('F', 'max without (instance, job) (rate(q[5m])) / clamp_min(rate(q[50m] offset 10m), 1) > 0.75')) },
      expect: [
        {
          rule: 'label/vector-mismatch',
          line: 5,
          column: 58,
          endLine: 5,
          endColumn: 59,
          message: 'the right side always has `job`, the left side never does (`max without (instance, job) (rate(q[5m]))` removes it)',
        },
      ],
    },
    {
      name: 'each 5xx series divided by itself (seed 003: the ratio is always 1)',
      files: { 'r.yml': rules(alert('HighErrorRate', '(rate(http_requests_total{status=~"5.."}[5m]) / rate(http_requests_total[5m])) > 0.05')) },
      expect: [
        {
          rule: 'label/vector-mismatch',
          line: 5,
          column: 64,
          endLine: 5,
          endColumn: 65,
          subject: 'HighErrorRate',
          message: '`/` divides each series by itself: `status=~"5.."` keeps `status` on the left',
        },
      ],
    },
  ],
});
