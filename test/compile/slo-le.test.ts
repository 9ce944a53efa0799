import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

function build(version: string, threshold: string) {
  const dir = makeProject({
    'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ prometheus: { version: '${version}' } });\n`,
    'definitions/api/slos.ts': `import { slo } from 'moncode';
export const latency = slo({ name: 'latency', service: 'api', objective: '99%',
  sli: { latency: { histogram: 'http_request_duration_seconds{job="api"}', threshold: '${threshold}' } }, runbook: 'https://runbooks.example.com/api' });
`,
  });
  const result = runBin('mon-build', ['--format', 'json'], dir);
  expect(JSON.parse(result.stdout).diagnostics).toEqual([]);
  return { dir, rules: readFileSync(path.join(dir, 'out/prometheus/rules/api-slos.rules.yml'), 'utf8') };
}

describe('the bucket a latency SLI counts is selected as the target stores its le', () => {
  it.each([
    { version: '2.42', threshold: '1s', matcher: 'le=~"1|1\\\\.0"' },
    { version: '2.42', threshold: '500ms', matcher: 'le="0.5"' },
    { version: '3.0', threshold: '1s', matcher: 'le="1.0"' },
    { version: '3.4', threshold: '2s', matcher: 'le="2.0"' },
    { version: '3.4', threshold: '250ms', matcher: 'le="0.25"' },
  ])('Prometheus $version, threshold $threshold: $matcher', ({ version, threshold, matcher }) => {
    const { rules } = build(version, threshold);
    expect(rules).toContain(`http_request_duration_seconds_bucket{job="api", ${matcher}}`);
  });

  // Before 3.0 the client library writes le: Go `1`, Python `1.0`. Both must be counted.
  it.skipIf(!promtool).each(['1', '1.0'])('on promtool’s Prometheus 2.x, a bucket written le="%s" is the fast bucket of a 1s SLI', (le) => {
    const { dir } = build('2.42', '1s');
    const test = path.join(dir, 'out/prometheus/tests/le.test.yml');
    writeFileSync(
      test,
      `rule_files: [../rules/api-slos.rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_request_duration_seconds_bucket{job="api", le="${le}"}'
        values: '0+90x20'
      - series: 'http_request_duration_seconds_count{job="api"}'
        values: '0+100x20'
    promql_expr_test:
      - expr: round(slo:sli_error:ratio_rate5m{sloth_id="api-latency"}, 0.001)
        eval_time: 15m
        exp_samples:
          - labels: '{sloth_id="api-latency", sloth_service="api", sloth_slo="latency", sloth_window="5m"}'
            value: 0.1
`,
    );
    const run = runTool(promtool!, ['test', 'rules', test]);
    expect(run.output).toContain('SUCCESS');
  });
});
