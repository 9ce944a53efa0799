import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

const RULES = `import { alertRule, recordingRule, ruleGroup } from 'moncode';

const annotations = { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' };
export const highErrors = alertRule({ alert: 'HighErrors', expr: 'sum by (job) (rate(errors_total[5m])) > 1', labels: { severity: 'critical' }, annotations });
export const noTraffic = alertRule({ alert: 'NoTraffic', expr: 'sum by (job) (rate(requests_total[5m])) == 0', labels: { severity: 'warning' }, annotations });
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' });

export const group = ruleGroup({ name: 'shop', rules: [highErrors, noTraffic, errorRate] });
`;

/** The tests, by name; each case leaves some out. */
const TESTS: Record<string, string> = {
  fires: `ruleTest({ name: 'fires', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', job: 'shop' }, annotations }] }] })`,
  silent: `ruleTest({ name: 'silent', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+6x10' }], alerts: [{ alert: highErrors, evalTime: '10m', firing: [] }] })`,
  traffic: `ruleTest({ name: 'traffic', inputSeries: [{ series: 'requests_total{job="shop"}', values: '0+60x5 300x5' }], alerts: [{ alert: noTraffic, evalTime: '4m', firing: [] }, { alert: noTraffic, evalTime: '10m', firing: [{ labels: { severity: 'warning', job: 'shop' }, annotations }] }] })`,
  record: `ruleTest({ name: 'record', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], exprs: [{ expr: 'sum(job:errors:rate5m)', evalTime: '10m', samples: [{ labels: '{}', value: 2 }] }] })`,
};

function project(tests: string[], config?: string): string {
  const source = `import { ruleTest } from 'moncode';\nimport { highErrors, noTraffic } from './rules.ts';\n\nconst annotations = { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' };\nexport const tests = [\n${tests.map((t) => `  ${TESTS[t]},\n`).join('')}];\n`;
  return makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/tests.ts': source, ...(config ? { 'mon.config.ts': config } : {}) });
}

describe.skipIf(!promtool)('mon-test --coverage', () => {
  // Removing one test lowers exactly the figure it carried.
  const cases = [
    { name: 'every test', tests: ['fires', 'silent', 'traffic', 'record'], fired: [2, 2], silent: [2, 2], records: [1, 1] },
    { name: 'without the silent test', tests: ['fires', 'traffic', 'record'], fired: [2, 2], silent: [1, 2], records: [1, 1] },
    { name: 'without the firing test', tests: ['silent', 'traffic', 'record'], fired: [1, 2], silent: [2, 2], records: [1, 1] },
    { name: 'without the recording rule test', tests: ['fires', 'silent', 'traffic'], fired: [2, 2], silent: [2, 2], records: [0, 1] },
    { name: 'with one test only', tests: ['traffic'], fired: [1, 2], silent: [1, 2], records: [0, 1] },
  ];
  it.each(cases)('$name', ({ tests, fired, silent, records }) => {
    const run = runBin('mon-test', ['--coverage', '--format', 'json'], project(tests));
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    const { totals } = JSON.parse(run.stdout).coverage as { totals: Record<string, { covered: number; total: number }> };
    expect([totals.alertsFired, totals.alertsSilent, totals.records].map((f) => [f!.covered, f!.total])).toEqual([fired, silent, records]);
  });

  it('prints a table and the untested rules', () => {
    const run = runBin('mon-test', ['--coverage'], project(['fires', 'traffic']));
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(
      [
        'rule test coverage (hand-written rules):',
        '  system  alerts fired  alerts silent  records checked',
        '  shop    2/2 100%      1/2 50%        0/1 0%',
        '  total   2/2 100%      1/2 50%        0/1 0%',
        'untested:',
        '  shop: alert HighErrors — no test that it stays silent',
        '  shop: recording rule job:errors:rate5m — no test reads it',
      ].join('\n'),
    );
  });

  it.each([
    ['met', { alertsFired: 100, alertsSilent: 50 }, 0, undefined],
    ['missed', { alertsFired: 100, alertsSilent: 100, records: 0 }, 1, 'coverage below mon.config.ts tests.coverage.alertsSilent: alerts silent 50% < 100%'],
  ])('threshold in mon.config.ts %s', (_, coverage, code, line) => {
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ tests: { coverage: ${JSON.stringify(coverage)} } });\n`;
    const run = runBin('mon-test', ['--coverage'], project(['fires', 'traffic'], config));
    expect(run.code, run.stdout).toBe(code);
    if (line) expect(run.stdout).toContain(line);
  });

  it('a threshold outside 0–100 is a bad config (exit 2, one line)', () => {
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ tests: { coverage: { records: 150 } } });\n`;
    const run = runBin('mon-test', ['--coverage'], project(['fires'], config));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('mon-test: error: bad config: tests.coverage.records is 150, not a percentage from 0 to 100\n');
  });
});
