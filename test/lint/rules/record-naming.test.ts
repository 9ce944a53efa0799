import { record, ruleTester, rules } from '../tester.js';

ruleTester('record/naming', {
  valid: [
    { name: 'level:metric:operations matching by()', files: { 'r.yml': rules(record('job:http_requests:rate5m', 'sum by (job) (rate(http_requests_total[5m]))')) } },
    { name: 'a multi-label level in any order', files: { 'r.yml': rules(record('instance_job:x:rate5m', 'sum by (job, instance) (rate(x_total[5m]))')) } },
    { name: 'the implicit cluster label', files: { 'r.yml': rules(record('namespace:x:sum', 'sum by (cluster, namespace) (x)')) } },
    { name: 'buckets keep `le` out of the level', files: { 'r.yml': rules(record('cluster_job:x_bucket:sum_rate', 'sum by (le, cluster, job) (rate(x_bucket[5m]))')) } },
    { name: 'a label spelled without its underscore', files: { 'r.yml': rules(record('job_statuscode:x:rate5m', 'sum by (job, status_code) (rate(x_total[5m]))')) } },
    {
      name: "Sloth's SLO recordings",
      files: { 'r.yml': rules(record('slo:sli_error:ratio_rate5m', 'sum(rate(x_total{code="500"}[5m])) / sum(rate(x_total[5m]))'), record('sloth_slo_info', 'vector(1)')) },
    },
    { name: 'an empty level for a sum over everything', files: { 'r.yml': rules(record(':node_memory_MemAvailable_bytes:sum', 'sum(node_memory_MemAvailable_bytes)')) } },
    { name: 'without() leaves the level open', files: { 'r.yml': rules(record('job:x:sum', 'sum without (pod) (x)')) } },
  ],
  invalid: [
    {
      name: 'fewer than two colons',
      files: { 'r.yml': rules(record('apiserver_request:burnrate1h', 'sum(x)')) },
      expect: [{ rule: 'record/naming', line: 4, column: 17, endLine: 4, endColumn: 45, message: 'does not follow level:metric:operations' }],
    },
    {
      name: 'an empty level over labels that remain',
      files: { 'r.yml': rules(record(':x:sum', 'sum by (job) (x)')) },
      expect: [{ rule: 'record/naming', line: 4, column: 17, endLine: 4, endColumn: 23, message: 'name it job:x:sum' }],
    },
    {
      name: 'level disagreeing with by()',
      files: { 'r.yml': rules(record('job:x:sum', 'sum by (instance) (x)')) },
      expect: [{ rule: 'record/naming', line: 4, column: 17, endLine: 4, endColumn: 26, message: 'name it instance:x:sum' }],
    },
  ],
});
