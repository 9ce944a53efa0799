import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/model/duration.js';
import { defaultWindows } from '../../src/slo/policy.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runToolAsync } from '../helpers/tools.js';

const promtool = requireTool('promtool');

const PERIODS = ['1d', '7d', '14d', '28d', '30d'];
const SCRAPES = ['15s', '30s', '1m', '2m'];

describe('default burn-rate windows of any period', () => {
  const cases = PERIODS.flatMap((period) => SCRAPES.map((scrape) => ({ period, scrape })));
  it.each(cases)('$period at a $scrape scrape: every window spans two scrapes, every long window twice its short one', ({ period, scrape }) => {
    const scrapeMs = parseDuration(scrape)!;
    for (const kind of ['page', 'ticket'] as const) {
      for (const pair of defaultWindows(parseDuration(period)!, kind, scrapeMs)) {
        const [long, short] = [parseDuration(pair.long)!, parseDuration(pair.short)!];
        expect(short).toBeGreaterThanOrEqual(2 * scrapeMs);
        expect(long).toBeGreaterThanOrEqual(2 * short);
        expect(long).toBeLessThanOrEqual(parseDuration(period)!);
      }
    }
  });

  it('keeps the workbook windows for 30 days and scales the others by the period', () => {
    expect(defaultWindows(30 * 86_400_000, 'page').map((w) => `${w.long}/${w.short}`)).toEqual(['1h/5m', '6h/30m']);
    expect(defaultWindows(7 * 86_400_000, 'page').map((w) => `${w.long}/${w.short}`)).toEqual(['14m/2m', '1h24m/7m']);
  });
});

/**
 * One system per period and scrape interval, each with an availability and a latency SLO
 * (a system per pair keeps each rule file small: promtool evaluates all of a file's rules
 * in every test of it).
 */
const SYSTEMS = [
  { period: '1d', scrape: '2m' },
  { period: '7d', scrape: '15s' },
  { period: '7d', scrape: '1m' },
  { period: '28d', scrape: '1m' },
  { period: '30d', scrape: '30s' },
].map((s, i) => ({ ...s, name: `sys${i}` }));

function project(version: string): Record<string, string> {
  const files: Record<string, string> = {
    'mon.config.ts': `import { defineConfig } from 'moncode';
export default defineConfig({ prometheus: { version: '${version}' }, systems: { ${SYSTEMS.map((s) => `${s.name}: { prometheus: { scrapeInterval: '${s.scrape}' } }`).join(', ')} } });
`,
  };
  for (const { name, period } of SYSTEMS) {
    // One service name per system: the SLO dashboard's uid is slo-<service>, one Grafana for all.
    files[`definitions/${name}/slos.ts`] = `import { slo } from 'moncode';
export const availability = slo({ name: 'availability', service: '${name}-api', objective: '99.9%', period: '${period}',
  sli: { errors: 'http_requests_total{job="api", code=~"5.."}', total: 'http_requests_total{job="api"}' }, runbook: 'https://runbooks.example.com/api' });
export const latency = slo({ name: 'latency', service: '${name}-api', objective: '99%', period: '${period}',
  sli: { latency: { histogram: 'http_request_duration_seconds{job="api"}', threshold: '500ms' } }, runbook: 'https://runbooks.example.com/api' });
`;
  }
  return files;
}

describe.skipIf(!promtool)('generated SLO tests of every period pass promtool', () => {
  it('1d, 7d, 28d and 30d SLOs at 15s to 2m scrapes build clean and their promtool tests pass on promtool’s own version', async () => {
    const version = /version (\d+\.\d+)/.exec((await runToolAsync(promtool!, ['--version'])).output)![1]!;
    const dir = makeProject(project(version));
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    const tests = path.join(dir, 'out/prometheus/tests');
    const files = readdirSync(tests).sort();
    expect(files).toHaveLength(SYSTEMS.length);
    const runs = await Promise.all(files.map((file) => runToolAsync(promtool!, ['test', 'rules', file], tests)));
    for (const [i, run] of runs.entries()) expect(run.output, files[i]).toContain('SUCCESS');
  }, 180_000);
});

describe.skipIf(!promtool)('the period SLI', () => {
  it('is the share of bad events of the period, where an average of 5m ratios weighs a quiet night like a busy day', async () => {
    const dir = makeProject({
      'definitions/api/slos.ts': `import { slo } from 'moncode';
export const availability = slo({ name: 'availability', service: 'api', objective: '99%', period: '1d',
  sli: { errors: 'http_requests_total{job="api", code="500"}', total: 'http_requests_total{job="api"}' }, runbook: 'https://runbooks.example.com/api' });
`,
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([]);
    // 12 busy hours (1,000 requests a minute, 1 failing), 12 quiet ones (100, 10 failing), 1 busy hour more:
    // over the day 7,920 of 792,000 requests fail (0.01); the 5m ratios average 0.0505.
    const tests = path.join(dir, 'out/prometheus/tests');
    writeFileSync(
      path.join(tests, 'period.test.yml'),
      `rule_files: [../rules/api-slos.rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{job="api", code="500"}'
        values: '0+1x720 730+10x719 7930+1x60'
      - series: 'http_requests_total{job="api", code="200"}'
        values: '0+999x720 719370+90x719 784080+999x60'
    promql_expr_test:
      - expr: round(slo:sli_error:ratio_rate1d, 0.0001)
        eval_time: 1445m
        exp_samples:
          - labels: '{sloth_id="api-availability", sloth_service="api", sloth_slo="availability", sloth_window="1d"}'
            value: 0.01
`,
    );
    const run = await runToolAsync(promtool!, ['test', 'rules', 'period.test.yml'], tests);
    expect(run.output).toContain('SUCCESS');
  }, 60_000);
});
