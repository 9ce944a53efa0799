import { alert, record, ruleTester, rules } from '../tester.js';

const LABELS = 'labels:\n  severity: warning\nannotations:\n  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x';
const errorRatio = (window: string) => `sum(rate(http_requests_total{code=~"5.."}[${window}])) / sum(rate(http_requests_total[${window}]))`;

ruleTester('alert/for-missing', {
  valid: [
    { name: 'a rate with for', files: { 'r.yml': rules(alert('A', 'rate(errors_total[5m]) > 1', `for: 5m\n${LABELS}`)) } },
    { name: 'a ratio with for', files: { 'r.yml': rules(alert('A', `${errorRatio('5m')} > 0.05`, `for: 10m\n${LABELS}`)) } },
    { name: 'a gauge compared, no rate or ratio', files: { 'r.yml': rules(alert('A', 'up == 0')) } },
    { name: 'a division by a number is a unit conversion', files: { 'r.yml': rules(alert('A', 'node_memory_MemAvailable_bytes / 1024 / 1024 < 100')) } },
    { name: 'absent() of a series', files: { 'r.yml': rules(alert('A', 'absent(up{job="api"})')) } },
    { name: 'a heartbeat (Watchdog)', files: { 'r.yml': rules(alert('Watchdog', 'vector(1)', 'labels:\n  severity: none')) } },
    {
      name: 'a multi-window burn-rate alert: two windows joined by and',
      files: { 'r.yml': rules(alert('Burn', `(${errorRatio('1h')} > 14.4 * 0.001) and (${errorRatio('5m')} > 14.4 * 0.001)`)) },
    },
    { name: 'a recorded series over a gauge', files: { 'r.yml': rules(record('job:up:sum', 'sum by (job) (up)'), alert('A', 'job:up:sum < 1')) } },
    { name: 'an explicit for: 0s is a decision (kube-prometheus KubeNodeEviction)', files: { 'r.yml': rules(alert('A', 'sum(rate(kubelet_evictions[15m])) > 1', `for: 0s\n${LABELS}`)) } },
    { name: 'any event at all: increase() > 0 (a restart)', files: { 'r.yml': rules(alert('A', 'increase(node_systemd_service_restart_total{name="haproxy.service"}[5m]) > 0')) } },
    { name: 'any event at all: rate() != 0 and increase() >= 1', files: { 'r.yml': rules(alert('A', 'rate(wal_corruptions_total[5m]) != 0'), alert('B', '(increase(oom_kills_total[5m]) >= 1)')) } },
    { name: 'a recording rule is no alert', files: { 'r.yml': rules(record('job:errors:rate5m', 'sum by (job) (rate(errors_total[5m]))')) } },
  ],
  invalid: [
    {
      name: 'a rate with no for, at the alert name',
      files: { 'r.yml': rules(alert('ErrorsHigh', 'rate(errors_total[5m]) > 1')) },
      expect: [{ rule: 'alert/for-missing', line: 4, column: 16, endLine: 4, endColumn: 26, subject: 'ErrorsHigh', message: 'has no `for`' }],
    },
    {
      name: 'an error ratio with no for',
      files: { 'r.yml': rules(alert('ApiErrors', `${errorRatio('5m')} > 0.05`)) },
      expect: [{ rule: 'alert/for-missing', line: 4, column: 16, endLine: 4, endColumn: 25, subject: 'ApiErrors' }],
    },
    {
      name: 'a count of events above a threshold',
      files: { 'r.yml': rules(alert('A', 'increase(restarts_total[15m]) > 3')) },
      expect: [{ rule: 'alert/for-missing', line: 4, column: 16, endLine: 4, endColumn: 17, subject: 'A' }],
    },
    {
      name: 'a recorded ratio',
      files: { 'r.yml': rules(record('job:errors:ratio5m', `${errorRatio('5m')}`), alert('A', 'job:errors:ratio5m > 0.05')) },
      expect: [{ rule: 'alert/for-missing', line: 6, column: 16, endLine: 6, endColumn: 17, subject: 'A' }],
    },
    {
      name: 'one window joined with a gauge is not multi-window',
      files: { 'r.yml': rules(alert('A', `${errorRatio('5m')} > 0.05 and on () up{job="api"} == 1`)) },
      expect: [{ rule: 'alert/for-missing', line: 4, column: 16, endLine: 4, endColumn: 17, subject: 'A' }],
    },
  ],
});
