import { alert, record, ruleTester, rules } from '../tester.js';

const catalog = '# TYPE queue_depth gauge\nqueue_depth 1\n# TYPE jobs_total counter\njobs_total 2\n';
/** A /metrics page of a Go service: types the names alone do not tell. */
const goService = [
  '# TYPE go_memstats_heap_alloc_bytes gauge',
  'go_memstats_heap_alloc_bytes 1.2e+07',
  '# TYPE node_context_switches_total counter',
  'node_context_switches_total 8.1e+08',
  '# TYPE rpc_duration_seconds summary',
  'rpc_duration_seconds{quantile="0.5"} 0.01',
  'rpc_duration_seconds_sum 12',
  'rpc_duration_seconds_count 1000',
  '# TYPE http_request_duration_seconds histogram',
  'http_request_duration_seconds_bucket{le="0.1"} 5',
  'http_request_duration_seconds_bucket{le="+Inf"} 9',
  'http_request_duration_seconds_sum 2',
  'http_request_duration_seconds_count 9',
  '',
].join('\n');

/** The span of `needle` in the expression of the first rule of `rules()` (line 5, the text from column 16). */
function inExpr(expr: string, needle: string, nth = 0): { line: number; column: number; endLine: number; endColumn: number } {
  let index = -1;
  for (let i = 0; i <= nth; i++) index = expr.indexOf(needle, index + 1);
  if (index < 0) throw new Error(`${needle} not in ${expr}`);
  return { line: 5, column: 16 + index, endLine: 5, endColumn: 16 + index + needle.length };
}

const heapRate = 'rate(go_memstats_heap_alloc_bytes[5m]) > 1e6';
const rawSwitches = 'node_context_switches_total > 1e9';
const deltaOfRequests = 'delta(http_requests_total[5m]) > 100';
const derivOfJobs = 'deriv(jobs_total[10m])';
const quantileOfCount = 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_count[5m]))) > 1';
const quantileOfSummary = 'histogram_quantile(0.9, rate(rpc_duration_seconds[5m]))';

ruleTester('promql/counter-rate', {
  valid: [
    { name: 'rate of a counter', files: { 'r.yml': rules(alert('A', 'rate(http_requests_total[5m]) > 1')) } },
    { name: 'a gauge compared as it is', files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'queue_depth > 100')) } },
    { name: 'counting counters is fine', files: { 'r.yml': rules(alert('A', 'count(http_requests_total) > 100')) } },
    { name: 'a `_current` position that only grows is no gauge without evidence', files: { 'r.yml': rules(alert('A', 'rate(pg_txid_current[5m]) > 1000')) } },
    { name: 'a `_total` gauge by exporter habit is not judged by name', files: { 'r.yml': rules(alert('A', 'phpfpm_processes_total > 10')) } },
    { name: 'delta and deriv over gauges', files: { 'metrics.prom': catalog, 'r.yml': rules(alert('A', 'delta(queue_depth[10m]) > 50 or deriv(process_resident_memory_bytes[1h]) > 0')) } },
    { name: 'delta over a `_total` gauge by exporter habit: no evidence', files: { 'r.yml': rules(alert('A', 'delta(phpfpm_processes_total[5m]) > 10')) } },
    { name: 'histogram_quantile over buckets', files: { 'r.yml': rules(record('job:x:p99', 'histogram_quantile(0.99, sum by (job, le) (rate(x_seconds_bucket[5m])))')) } },
    { name: 'histogram_quantile over a native histogram by its bare name', files: { 'r.yml': rules(record('job:x:p99', 'histogram_quantile(0.99, sum by (job) (rate(rpc_latency_seconds[5m])))')) } },
    {
      name: 'histogram_quantile over a catalogued histogram family (native) and its recorded rate',
      files: {
        'metrics.prom': goService,
        'r.yml': rules(record('a:b:c', 'histogram_quantile(0.9, rate(http_request_duration_seconds[5m]))'), record('a:b:d', 'histogram_quantile(0.9, job:http_request_duration_seconds:rate5m)')),
      },
    },
    {
      name: 'rate of a catalogued counter whose name looks like a gauge',
      files: { 'metrics.prom': '# TYPE unbound_queries_queue_length counter\nunbound_queries_queue_length 3\n', 'r.yml': rules(record('a:b:c', 'rate(unbound_queries_queue_length[5m])')) },
    },
  ],
  invalid: [
    {
      name: 'rate of a gauge only the catalog knows (an alert)',
      files: { 'metrics.prom': goService, 'r.yml': rules(alert('HeapGrowing', heapRate)) },
      expect: [{ rule: 'promql/counter-rate', ...inExpr(heapRate, 'go_memstats_heap_alloc_bytes'), subject: 'HeapGrowing', message: 'rate() over `go_memstats_heap_alloc_bytes`, a gauge:' }],
    },
    {
      name: 'a raw counter only the catalog knows, compared in an alert',
      files: { 'metrics.prom': goService, 'r.yml': rules(alert('Switches', rawSwitches)) },
      expect: [{ rule: 'promql/counter-rate', ...inExpr(rawSwitches, 'node_context_switches_total'), message: 'compares the raw value of counter `node_context_switches_total`' }],
    },
    {
      name: 'delta() over a counter by its name',
      files: { 'r.yml': rules(alert('A', deltaOfRequests)) },
      expect: [
        {
          rule: 'promql/counter-rate',
          ...inExpr(deltaOfRequests, 'http_requests_total'),
          message: 'delta() over `http_requests_total`, a counter by its name: delta reads every counter reset as a fall; use increase()',
        },
      ],
    },
    {
      name: 'deriv() over a catalogued counter',
      files: { 'metrics.prom': catalog, 'r.yml': rules(record('a:b:c', derivOfJobs)) },
      expect: [{ rule: 'promql/counter-rate', ...inExpr(derivOfJobs, 'jobs_total'), message: 'deriv() over `jobs_total`, a counter: deriv reads every counter reset as a fall; use rate()' }],
    },
    {
      name: "histogram_quantile() over a histogram's _count series",
      files: { 'r.yml': rules(alert('Slow', quantileOfCount)) },
      expect: [
        {
          rule: 'promql/counter-rate',
          ...inExpr(quantileOfCount, 'http_request_duration_seconds_count'),
          message: "histogram_quantile() over `http_request_duration_seconds_count`, a histogram's or summary's count series by its name: it holds no buckets",
        },
      ],
    },
    {
      name: 'histogram_quantile() over a catalogued summary',
      files: { 'metrics.prom': goService, 'r.yml': rules(record('a:b:c', quantileOfSummary)) },
      expect: [{ rule: 'promql/counter-rate', ...inExpr(quantileOfSummary, 'rpc_duration_seconds'), message: 'histogram_quantile() over `rpc_duration_seconds`, a summary: it holds no buckets' }],
    },
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
