import { alert, dashboardJson, lineOf, ruleTester, rules } from '../tester.js';

const mixedUp = () =>
  dashboardJson([
    panel('ms', 'histogram_quantile(0.99, sum by (le) (rate(x_seconds_bucket[5m]))) * 1'),
    panel('percent', 'sum(go_heap_alloc_bytes) / (sum(go_heap_idle_bytes) + sum(go_heap_alloc_bytes))'),
  ]);

const panel = (unit: string, expr: string) => ({
  type: 'timeseries',
  title: 'p',
  gridPos: { x: 0, y: 0, w: 12, h: 8 },
  datasource: { type: 'prometheus', uid: 'p' },
  fieldConfig: { defaults: { unit }, overrides: [] },
  targets: [{ refId: 'A', expr }],
});

ruleTester('promql/unit-mismatch', {
  valid: [
    {
      name: 'a rate with a rate threshold, no percentage stated',
      files: { 'r.yml': rules(alert('A', 'sum(rate(http_requests_total[5m])) > 1000', 'labels:\n  severity: warning\nannotations:\n  summary: More than 1000 requests per second')) },
    },
    {
      name: 'a percentage that does not match the threshold',
      files: { 'r.yml': rules(alert('A', 'sum(rate(errors_total[5m])) > 3', 'labels:\n  severity: warning\nannotations:\n  summary: Errors while 99% of requests succeed')) },
    },
    { name: 'a ratio against a ratio threshold', files: { 'r.yml': rules(alert('A', 'sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m])) > 0.05')) } },
    { name: 'a percentage against a percent threshold', files: { 'r.yml': rules(alert('A', '100 * sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m])) > 5')) } },
    { name: 'two sites compared: not a part of a whole', files: { 'r.yml': rules(alert('A', 'objects{site="a"} / on (class) objects{site="b"} > 1.01')) } },
    {
      name: 'seconds against a threshold in seconds the summary agrees with',
      files: {
        'r.yml': rules(
          alert('A', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5', 'labels:\n  severity: warning\nannotations:\n  summary: p95 above 500ms'),
        ),
      },
    },
    {
      name: 'a certificate expiry in seconds is not a latency',
      files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.01, sum by (le) (rate(client_certificate_expiration_seconds_bucket[5m]))) < 604800')) },
    },
    { name: 'a host CPU share against a ratio threshold', files: { 'r.yml': rules(alert('A', '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.9')) } },
    {
      name: 'free bytes now against free bytes a day ago: a growth factor, not a share',
      files: { 'r.yml': rules(alert('A', 'node_filesystem_avail_bytes / node_filesystem_avail_bytes offset 1d < 2')) },
    },
    { name: 'used bytes over a limit of another family: may exceed 1', files: { 'r.yml': rules(alert('A', 'container_memory_working_set_bytes / container_spec_memory_limit_bytes > 1.5')) } },
    { name: 'a failure count over another metric: not a share', files: { 'r.yml': rules(alert('A', 'sum(rate(jobs_failed_total[5m])) / sum(rate(batches_total[5m])) > 5')) } },
    {
      name: 'a ratio printed with humanizePercentage',
      files: {
        'r.yml': rules(
          alert(
            'A',
            'sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m])) > 0.05',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value | humanizePercentage }} errors"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
    },
    {
      name: 'a percentage printed with a % sign',
      files: {
        'r.yml': rules(
          alert(
            'A',
            '100 * sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m])) > 5',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value | humanize }}% errors"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
    },
    {
      name: 'a disk busy fraction (seconds of I/O per second) against a ratio, the summary in percent',
      files: {
        'r.yml': rules(
          alert(
            'DiskBusy',
            'rate(node_disk_io_time_seconds_total[5m]) > 0.8',
            'labels:\n  severity: warning\nannotations:\n  summary: "disk {{ $labels.device }} is {{ $value | humanizePercentage }} busy, above 80%"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
    },
    { name: 'a process may spend 2 CPU seconds per second on several cores', files: { 'r.yml': rules(alert('A', 'rate(process_cpu_seconds_total[5m]) > 2')) } },
    { name: 'a sum of CPU busy fractions exceeds 1 on a many-core host', files: { 'r.yml': rules(alert('A', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m])) > 6')) } },
    {
      name: "`* 100` inside the numerator's sum makes a percentage",
      files: {
        'r.yml': rules(
          alert(
            'A',
            'sum(rate(http_requests_total{code=~"5.."}[5m]) * 100) / sum(rate(http_requests_total[5m])) > 5',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value | humanize }}% of requests fail"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
    },
    {
      name: 'bytes printed with humanize1024',
      files: {
        'r.yml': rules(
          alert(
            'A',
            'node_memory_MemAvailable_bytes < 1e9',
            'labels:\n  severity: warning\nannotations:\n  summary: "only {{ $value | humanize1024 }}B free"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
    },
    {
      name: 'a dashboard with matching units',
      files: {
        'd.json': dashboardJson([
          panel('s', 'histogram_quantile(0.9, sum by (le) (rate(x_seconds_bucket[5m])))'),
          panel('ms', '1000 * histogram_quantile(0.9, sum by (le) (rate(x_seconds_bucket[5m])))'),
        ]),
      },
    },
  ],
  invalid: [
    {
      name: 'a disk busy fraction compared with a percentage',
      files: { 'r.yml': rules(alert('DiskBusy', 'rate(node_disk_io_time_seconds_total[5m]) > 80')) },
      expect: [{ rule: 'promql/unit-mismatch', line: 5, column: 60, endLine: 5, endColumn: 62, subject: 'DiskBusy', message: 'compares a 0–1 ratio with 80: the ratio never exceeds 1' }],
    },
    {
      name: 'a percentage made inside the sum, printed with humanizePercentage',
      files: {
        'r.yml': rules(
          alert(
            'A',
            'sum(rate(http_requests_total{code=~"5.."}[5m]) * 100) / sum(rate(http_requests_total[5m])) > 5',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value | humanizePercentage }} of requests fail"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
      expect: [{ rule: 'promql/unit-mismatch', line: 9, column: 21, endLine: 9, endColumn: 54, subject: 'A', message: 'multiplies by 100 a value that is already a percentage' }],
    },
    {
      name: 'free bytes printed as a percentage',
      files: {
        'r.yml': rules(
          alert(
            'MemLow',
            'node_memory_MemAvailable_bytes < 1e9',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ $value }}% memory free"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
      expect: [
        { rule: 'promql/unit-mismatch', line: 9, column: 21, endLine: 9, endColumn: 34, subject: 'MemLow', message: '`{{ $value }}%` prints the value as a percentage, but the query returns bytes' },
      ],
    },
    {
      name: 'a latency printed with humanizePercentage',
      files: {
        'r.yml': rules(
          alert(
            'Slow',
            'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1',
            'labels:\n  severity: warning\nannotations:\n  summary: "p99 is {{ $value | humanizePercentage }}"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
      expect: [{ rule: 'promql/unit-mismatch', line: 9, column: 28, endLine: 9, endColumn: 61, subject: 'Slow', message: 'but the query returns seconds' }],
    },
    {
      name: 'a request rate where the description promises a percentage (seed 004)',
      files: {
        'r.yml': rules(
          alert(
            'APIHighErrorRate',
            'rate(freeagentics_requests_total{status=~"5.."}[5m]) > 0.1',
            'labels:\n  severity: critical\nannotations:\n  summary: High API error rate\n  description: API error rate is above 10%',
          ),
        ),
      },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: 5,
          column: 73,
          endLine: 5,
          endColumn: 76,
          subject: 'APIHighErrorRate',
          message: 'compares the per-second rate of `freeagentics_requests_total` with 0.1, but the alert speaks of 10%',
        },
      ],
    },
    {
      name: 'a ratio compared with a percentage (never fires)',
      files: { 'r.yml': rules(alert('A', 'sum(rate(err_total[5m])) / (sum(rate(err_total[5m])) + sum(rate(ok_total[5m]))) > 25')) },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: 5,
          column: 98,
          endLine: 5,
          endColumn: 100,
          subject: 'A',
          message: 'compares a 0–1 ratio with 25: the ratio never exceeds 1, so the alert never fires; 25% is 0.25',
        },
      ],
    },
    {
      name: 'a host CPU share compared with a percentage',
      files: { 'r.yml': rules(alert('HighCPU', '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 80')) },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: 5,
          column: 90,
          endLine: 5,
          endColumn: 92,
          subject: 'HighCPU',
          message: 'compares a 0–1 ratio with 80: the ratio never exceeds 1, so the alert never fires; 80% is 0.8',
        },
      ],
    },
    {
      name: 'memory and disk shares compared with percentages',
      files: {
        'r.yml': rules(
          alert('HighMemory', '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 85'),
          alert('DiskLow', 'node_filesystem_avail_bytes{fstype!="tmpfs"} / node_filesystem_size_bytes{fstype!="tmpfs"} < 10'),
          alert('DiskLowPercent', '100 * node_filesystem_avail_bytes / node_filesystem_size_bytes < 1000'),
        ),
      },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: 5,
          column: 82,
          endLine: 5,
          endColumn: 84,
          subject: 'HighMemory',
          message: 'compares a 0–1 ratio with 85: the ratio never exceeds 1, so the alert never fires',
        },
        { rule: 'promql/unit-mismatch', line: 13, column: 113, endLine: 13, endColumn: 115, subject: 'DiskLow', message: 'compares a 0–1 ratio with 10: the condition always holds' },
        { rule: 'promql/unit-mismatch', line: 21, column: 81, endLine: 21, endColumn: 85, subject: 'DiskLowPercent', message: 'compares a percentage (0–100) with 1000: the condition always holds' },
      ],
    },
    {
      name: 'failures over their total compared with a percentage',
      files: { 'r.yml': rules(alert('A', 'sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) > 5')) },
      expect: [{ rule: 'promql/unit-mismatch', line: 5, column: 79, endLine: 5, endColumn: 80, subject: 'A', message: 'compares a 0–1 ratio with 5' }],
    },
    {
      name: 'a ratio printed as a percentage (a corpus defect: CortexRulerMissedEvaluations)',
      files: {
        'r.yml': rules(
          alert(
            'CortexRulerMissedEvaluations',
            'sum by (instance) (rate(cortex_prometheus_rule_group_iterations_missed_total[5m])) / sum by (instance) (rate(cortex_prometheus_rule_group_iterations_total[5m])) > 0.01',
            'labels:\n  severity: warning\nannotations:\n  summary: "{{ printf \\"%.2f\\" $value }}% missed iterations"\n  description: d\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: 9,
          column: 21,
          endLine: 9,
          endColumn: 50,
          subject: 'CortexRulerMissedEvaluations',
          message: 'prints the value as a percentage, but the query returns a 0–1 ratio: 5% reads as 0.05%',
        },
      ],
    },
    {
      name: 'a percentage printed with humanizePercentage',
      files: {
        'r.yml': rules(
          alert(
            'A',
            '100 * sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m])) > 5',
            'labels:\n  severity: warning\nannotations:\n  summary: s\n  description: "{{ $value | humanizePercentage }} of requests fail"\n  runbook_url: https://runbooks.example.com/x',
          ),
        ),
      },
      expect: [{ rule: 'promql/unit-mismatch', line: 10, column: 25, endLine: 10, endColumn: 58, subject: 'A', message: 'multiplies by 100 a value that is already a percentage: 5% reads as 500%' }],
    },
    {
      name: 'seconds compared with milliseconds the summary states',
      files: {
        'r.yml': rules(
          alert('A', 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 500', 'labels:\n  severity: warning\nannotations:\n  summary: p95 latency above 500ms'),
        ),
      },
      expect: [{ rule: 'promql/unit-mismatch', line: 5, column: 105, endLine: 5, endColumn: 108, message: 'threshold 500 on seconds is 8.3 min, but the alert says 500 ms' }],
    },
    {
      name: 'a latency threshold of 1000 seconds',
      files: { 'r.yml': rules(alert('A', 'histogram_quantile(0.99, sum by (le) (rate(api_request_duration_seconds_bucket[5m]))) > 2000')) },
      expect: [{ rule: 'promql/unit-mismatch', line: 5, column: 104, endLine: 5, endColumn: 108, message: 'written in milliseconds?' }],
    },
    {
      name: 'a panel showing seconds as milliseconds, and a ratio as percent',
      files: { 'd.json': mixedUp() },
      expect: [
        {
          rule: 'promql/unit-mismatch',
          line: lineOf(mixedUp(), '"ms"'),
          column: 19,
          endLine: lineOf(mixedUp(), '"ms"'),
          endColumn: 23,
          message: 'unit `ms` shows milliseconds, but the query returns seconds: values read 1000× too small',
        },
        { rule: 'promql/unit-mismatch', line: lineOf(mixedUp(), '"percent"'), column: 19, endLine: lineOf(mixedUp(), '"percent"'), endColumn: 28, message: 'values read 100× too small' },
      ],
    },
  ],
});
