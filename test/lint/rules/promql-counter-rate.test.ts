import { alert, record, ruleTester, rules } from '../tester.js';

const catalog = '# TYPE queue_depth gauge\nqueue_depth 1\n# TYPE jobs_total counter\njobs_total 2\n';

ruleTester('promql/counter-rate', {
  valid: [
    { name: 'rate of a counter', files: { 'r.yml': rules(alert('A', 'rate(http_requests_total[5m]) > 1')) } },
    { name: 'a gauge compared as it is', files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'queue_depth > 100')) } },
    { name: 'counting counters is fine', files: { 'r.yml': rules(alert('A', 'count(http_requests_total) > 100')) } },
    { name: 'a `_current` position that only grows is no gauge without evidence', files: { 'r.yml': rules(alert('A', 'rate(pg_txid_current[5m]) > 1000')) } },
    { name: 'a `_total` gauge by exporter habit is not judged by name', files: { 'r.yml': rules(alert('A', 'phpfpm_processes_total > 10')) } },
  ],
  invalid: [
    {
      name: 'rate of a catalogued gauge',
      files: { 'metrics.prom': catalog, 'r.yml': rules(record('a:b:c', 'rate(queue_depth[5m])')) },
      expect: [{ rule: 'promql/counter-rate', line: 5, column: 21, endLine: 5, endColumn: 32, message: 'rate() over `queue_depth`, a gauge' }],
    },
    {
      name: 'increase of a gauge by its name',
      files: { 'r.yml': rules(record('a:b:c', 'increase(presto_QueryExecution_Executor_QueuedTaskCount[5m])')) },
      expect: [{ rule: 'promql/counter-rate', line: 5, column: 25, endLine: 5, endColumn: 71, message: 'a gauge by its name' }],
    },
    {
      name: 'a raw error counter compared',
      files: { 'r.yml': rules(alert('A', 'sum(http_errors_total) > 10')) },
      expect: [{ rule: 'promql/counter-rate', line: 5, column: 20, endLine: 5, endColumn: 37, subject: 'A', message: 'compares the raw value of counter `http_errors_total`' }],
    },
  ],
});
