import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');
const amtool = requireTool('amtool');
// lcov's own reader is the oracle for the tracefile (Debian: apt install lcov).
const lcov = requireTool('lcov');
const genhtml = requireTool('genhtml');

const RULES = `import { alertRule, recordingRule, ruleGroup } from 'moncode';

const annotations = { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' };
export const highErrors = alertRule({
  alert: 'HighErrors', // ALERT HighErrors
  expr: 'sum by (job) (rate(errors_total[5m])) > 1',
  labels: { severity: 'critical', team: 'db' },
  annotations,
});
export const noTraffic = alertRule({ alert: 'NoTraffic', expr: 'sum by (job) (rate(requests_total[5m])) == 0', labels: { severity: 'warning' }, annotations }); // ALERT NoTraffic
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' }); // RECORD

export const group = ruleGroup({ name: 'shop', rules: [highErrors, noTraffic, errorRate] });
`;

const ALERTMANAGER = `import { alertmanager, receiver } from 'moncode';

export const team = receiver({ name: 'team', email_configs: [{ to: 'team@example.com' }] }); // RECEIVER team
export const pager = receiver({ name: 'pager', email_configs: [{ to: 'pager@example.com' }] }); // RECEIVER pager

export const config = alertmanager({
  global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },
  route: { // ROUTE root
    receiver: team,
    group_by: ['alertname'],
    routes: [{ matchers: ['severity="critical"'], receiver: pager }], // ROUTE pager
  },
  inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'] }], // INHIBIT
});
`;

/** The tests, by name; each case leaves some out. */
const TESTS: Record<string, string> = {
  fires: `ruleTest({ name: 'fires', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', team: 'db', job: 'shop' }, annotations }] }] })`,
  silent: `ruleTest({ name: 'silent', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+6x10' }], alerts: [{ alert: highErrors, evalTime: '10m', firing: [] }] })`,
  both: `ruleTest({ name: 'both', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], alerts: [{ alert: highErrors, evalTime: '1m', firing: [] }, { alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', team: 'db', job: 'shop' }, annotations }] }] })`,
  record: `ruleTest({ name: 'record', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], exprs: [{ expr: 'sum(job:errors:rate5m)', evalTime: '10m', samples: [{ labels: '{}', value: 2 }] }] })`,
  wrong: `ruleTest({ name: 'wrong', inputSeries: [{ series: 'errors_total{job="shop"}', values: '0+120x10' }], alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', team: 'db', job: 'cart' }, annotations }] }] })`,
  paged: `routeTest({ name: 'paged', alert: highErrors, expect: [pager] })`,
  inhibited: `routeTest({ name: 'inhibited', alert: noTraffic, expect: [team], inhibitedBy: [highErrors] })`,
};

function project(names: string[]): { dir: string; rules: string; am: string } {
  const source = `import { routeTest, ruleTest } from 'moncode';\nimport { highErrors, noTraffic } from './rules.ts';\nimport { pager, team } from './alertmanager.ts';\n\nconst annotations = { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' };\nexport const tests = [\n${names.map((t) => `  ${TESTS[t]},\n`).join('')}];\n`;
  const dir = makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/tests.ts': source });
  return { dir, rules: 'definitions/shop/rules.ts', am: 'definitions/shop/alertmanager.ts' };
}

const lineOf = (text: string, marker: string) => text.split('\n').findIndex((l) => l.includes(`// ${marker}`)) + 1;

/** The tracefile's records: per source file, its DA and BRDA lines and FNDA counts. */
function records(text: string): Record<string, { da: string[]; brda: string[]; fnda: string[] }> {
  const out: Record<string, { da: string[]; brda: string[]; fnda: string[] }> = {};
  let current: { da: string[]; brda: string[]; fnda: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('SF:')) out[line.slice(3)] = current = { da: [], brda: [], fnda: [] };
    else if (line.startsWith('DA:')) current!.da.push(line.slice(3));
    else if (line.startsWith('BRDA:')) current!.brda.push(line.slice(5));
    else if (line.startsWith('FNDA:')) current!.fnda.push(line.slice(5));
  }
  return out;
}

describe.skipIf(!promtool || !amtool)('mon-test --coverage --coverage-format lcov', () => {
  const h = lineOf(RULES, 'ALERT HighErrors');
  const n = lineOf(RULES, 'ALERT NoTraffic');
  const r = lineOf(RULES, 'RECORD');
  const [team, pager, root, route, inhibit] = ['RECEIVER team', 'RECEIVER pager', 'ROUTE root', 'ROUTE pager', 'INHIBIT'].map((m) => lineOf(ALERTMANAGER, m));
  // Hit counts are the tests reaching each definition; removing a test lowers exactly its own.
  const cases = [
    {
      name: 'every test',
      tests: ['fires', 'silent', 'both', 'record', 'paged', 'inhibited'],
      rules: { da: [`${h},3`, `${n},0`, `${r},1`], brda: [`${h},0,0,2`, `${h},0,1,2`, `${n},0,0,0`, `${n},0,1,0`, `${r},0,0,1`] },
      am: { da: [`${team},1`, `${pager},1`, `${root},2`, `${route},1`, `${inhibit},1`] },
    },
    {
      name: 'without the silent test',
      tests: ['fires', 'both', 'record', 'paged', 'inhibited'],
      rules: { da: [`${h},2`, `${n},0`, `${r},1`], brda: [`${h},0,0,2`, `${h},0,1,1`, `${n},0,0,0`, `${n},0,1,0`, `${r},0,0,1`] },
      am: { da: [`${team},1`, `${pager},1`, `${root},2`, `${route},1`, `${inhibit},1`] },
    },
    {
      name: 'without the inhibition and recording rule tests',
      tests: ['fires', 'silent', 'both', 'paged'],
      rules: { da: [`${h},3`, `${n},0`, `${r},0`], brda: [`${h},0,0,2`, `${h},0,1,2`, `${n},0,0,0`, `${n},0,1,0`, `${r},0,0,0`] },
      am: { da: [`${team},0`, `${pager},1`, `${root},1`, `${route},1`, `${inhibit},0`] },
    },
  ];
  it.each(cases)('$name', ({ tests, rules, am }) => {
    const p = project(tests);
    const run = runBin('mon-test', ['--coverage', '--coverage-format', 'lcov'], p.dir);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('coverage written to coverage/lcov.info (lcov)\n');
    const text = readFileSync(path.join(p.dir, 'coverage/lcov.info'), 'utf8');
    const found = records(text);
    expect(Object.keys(found).sort()).toEqual([p.am, p.rules]);
    expect(found[p.rules]!.da).toEqual(rules.da);
    expect(found[p.rules]!.brda).toEqual(rules.brda);
    expect(found[p.am]!.da.sort()).toEqual(am.da.sort());
    expect(found[p.rules]!.fnda).toContain(`${rules.da[0]!.split(',')[1]},shop:alert:HighErrors`);
    if (!lcov) return;
    // lcov reads it back with the same figures.
    const summary = runTool(lcov, ['--summary', 'coverage/lcov.info', '--rc', 'lcov_branch_coverage=1'], p.dir);
    expect(summary.code, summary.output).toBe(0);
    const allDa = [...rules.da, ...am.da];
    const hit = allDa.filter((d) => !d.endsWith(',0')).length;
    expect(summary.output).toContain(`lines......: ${((hit * 100) / allDa.length).toFixed(1)}% (${hit} of ${allDa.length} lines)`);
    if (!genhtml) return;
    const html = runTool(genhtml, ['--branch-coverage', '--output-directory', 'coverage/html', 'coverage/lcov.info'], p.dir);
    expect(html.code, html.output).toBe(0);
    expect(html.output).not.toMatch(/WARNING|ERROR/i);
    expect(existsSync(path.join(p.dir, 'coverage/html/index.html'))).toBe(true);
  });

  it('--coverage-file chooses the path; json stays one document and has each definition line', () => {
    const p = project(['fires', 'paged']);
    const run = runBin('mon-test', ['--coverage', '--coverage-format', 'lcov', '--coverage-file', 'reports/moncode.info', '--format', 'json'], p.dir);
    expect(run.code, run.stdout).toBe(0);
    const report = JSON.parse(run.stdout) as { coverage: { systems: Array<{ alerts: Array<{ alert: string; file: string; line: number; firedBy: number }> }> } };
    expect(report.coverage.systems[0]!.alerts[0]).toMatchObject({ alert: 'HighErrors', file: 'definitions/shop/rules.ts', line: h, firedBy: 1 });
    expect(readFileSync(path.join(p.dir, 'reports/moncode.info'), 'utf8')).toContain(`SF:definitions/shop/rules.ts\n`);
    expect(existsSync(path.join(p.dir, 'coverage'))).toBe(false);
  });

  it.each([
    [['--coverage', '--coverage-format', 'xml'], 'mon-test: error: --coverage-format "xml" is not one of: lcov\n'],
    [['--coverage-format', 'lcov'], 'mon-test: error: --coverage-format and --coverage-file go with --coverage\n'],
    [['--coverage', '--coverage-file', 'x.info'], 'mon-test: error: --coverage-file needs --coverage-format lcov\n'],
  ])('%j: exit 2, one line', (args, line) => {
    const p = project(['fires']);
    const run = runBin('mon-test', args, p.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(line);
    expect(existsSync(path.join(p.dir, 'coverage'))).toBe(false);
  });

  it('a failing test still writes the coverage of what ran; definitions with errors write none', () => {
    const failing = project(['wrong']);
    const run = runBin('mon-test', ['--coverage', '--coverage-format', 'lcov'], failing.dir);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toContain('[test/failed]');
    expect(records(readFileSync(path.join(failing.dir, 'coverage/lcov.info'), 'utf8'))[failing.rules]!.da[0]).toBe(`${h},1`);

    const bad = makeProject({ 'definitions/shop/rules.ts': RULES.replace('> 1', '> ') });
    const broken = runBin('mon-test', ['--coverage', '--coverage-format', 'lcov'], bad);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('no tests ran: the definitions have errors');
    expect(existsSync(path.join(bad, 'coverage'))).toBe(false);
  });
});
