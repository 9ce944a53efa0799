import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

/**
 * docs/testing.md's examples are run: its ruleTest() and routeTest() blocks are written as they
 * are beside the rules, receivers and alertmanager() they import (this test's), mon-test
 * passes them, and the outputs the page shows are what mon-test prints for the changes it names.
 */

const promtool = requireTool('promtool');
const amtool = requireTool('amtool');
const PAGE = readFileSync(path.join(import.meta.dirname, '../../docs/testing.md'), 'utf8');
/** The page's fenced blocks, in order, with their language and their text (dedented to the fence). */
function fenced(): Array<{ lang: string; text: string }> {
  const found: Array<{ lang: string; text: string }> = [];
  let open: { lang: string; indent: number; lines: string[] } | undefined;
  for (const line of PAGE.split('\n')) {
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (fence && !open) open = { lang: fence[2]!, indent: fence[1]!.length, lines: [] };
    else if (fence && open) {
      found.push({ lang: open.lang, text: `${open.lines.join('\n')}\n` });
      open = undefined;
    } else if (open) open.lines.push(line.slice(open.indent));
  }
  return found;
}
const [ruleTests, config, routeTests] = fenced()
  .filter((b) => b.lang === 'ts')
  .map((b) => b.text);
const outputs = fenced()
  .filter((b) => b.lang === '')
  .map((b) => b.text);

const FILES = {
  'mon.config.ts': `import { defineConfig } from 'moncode';\n// The page's rules carry only a summary.\nexport default defineConfig({ lint: { rules: { 'runbook/missing': 'off', 'alert/annotation-missing': 'off' } } });\n`,
  'definitions/shop/rules.ts': `import { alertRule, recordingRule, ruleGroup } from 'moncode';

export const highErrors = alertRule({ alert: 'HighErrors', expr: 'job:errors:rate5m > 1', labels: { severity: 'critical' }, annotations: { summary: 'Errors on {{ $labels.job }}' } });
export const errorRate = recordingRule({ record: 'job:errors:rate5m', expr: 'sum by (job) (rate(errors_total[5m]))' });
export const group = ruleGroup({ name: 'shop', rules: [errorRate, highErrors] });
`,
  'definitions/shop/alerts.ts': `import { alertRule, ruleGroup } from 'moncode';

export const diskFull = alertRule({ alert: 'DiskFull', expr: 'node_filesystem_avail_bytes == 0', labels: { severity: 'critical', team: 'db' }, annotations: { summary: 'Disk full' } });
export const disks = ruleGroup({ name: 'disks', rules: [diskFull] });
`,
  'definitions/shop/alertmanager.ts': `import { alertmanager, receiver, timeInterval } from 'moncode';

export const team = receiver({ name: 'team', email_configs: [{ to: 'team@example.com' }] });
export const pager = receiver({ name: 'pager', email_configs: [{ to: 'pager@example.com' }] });
export const db = receiver({ name: 'db', email_configs: [{ to: 'db@example.com' }] });
const weekend = timeInterval('weekend', { weekdays: ['saturday', 'sunday'] });

export const config = alertmanager({
  global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },
  route: {
    receiver: team,
    group_by: ['alertname'],
    routes: [
      { matchers: ['severity="critical"'], receiver: pager, continue: true, group_by: ['alertname', 'cluster'] },
      { matchers: ['team="db"'], receiver: db, mute_time_intervals: [weekend], group_by: ['alertname', 'cluster'] },
    ],
  },
  inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
});
`,
};

function project(tests: string = ruleTests!): string {
  return makeProject({ ...FILES, 'definitions/shop/tests.ts': tests, 'definitions/shop/routes.ts': routeTests! });
}

/** The output block of the page that starts with `start`. */
const shown = (start: string) => {
  const block = outputs.find((o) => o.startsWith(start));
  expect(block, `docs/testing.md shows no output starting ${start}`).toBeDefined();
  return block!;
};

describe.skipIf(!promtool || !amtool)("docs/testing.md's examples", () => {
  it('has the rule test, config and routing test blocks', () => {
    expect(ruleTests).toContain('ruleTest({');
    expect(config).toContain('defineConfig({ tests: { coverage:');
    expect(routeTests).toContain('routeTest({');
  });

  it('the rule test and routing tests pass as written', () => {
    const run = runBin('mon-test', [], project());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('✔ 0 errors, 0 warnings');
    expect(run.stdout).toContain('1 rule test passed');
    expect(run.stdout).toContain('3 routing tests passed');
  });

  it.each([
    ["expecting job 'cart'", "labels: { severity: 'critical', job: 'shop' }", "labels: { severity: 'critical', job: 'cart' }", 'definitions/shop/tests.ts:10:5: error:'],
    ['misspelling the input metric', `series: 'errors_total{`, `series: 'error_total{`, 'definitions/shop/tests.ts:7:28: warning:'],
  ])('%s prints what the page shows', (_name, from, to, start) => {
    expect(ruleTests).toContain(from);
    const run = runBin('mon-test', [], project(ruleTests!.replace(from, to)));
    const lines = run.stdout.split('\n').filter((line) => !/^\s*(?:>\s*)?\d+ \||^\s+\|/.test(line));
    for (const line of shown(start).trimEnd().split('\n')) expect(lines).toContain(line);
  });

  it('the coverage config is a mon.config.ts mon-test reads', () => {
    const dir = project();
    writeFileSync(
      path.join(dir, 'mon.config.ts'),
      `import { defineConfig } from 'moncode';\n${config!}`.replace('defineConfig({ tests:', "defineConfig({ lint: { rules: { 'runbook/missing': 'off', 'alert/annotation-missing': 'off' } }, tests:"),
    );
    const run = runBin('mon-test', ['--coverage'], dir);
    // The page's thresholds: one rule test fires and silences HighErrors and reads the record; DiskFull is untested.
    expect(run.stdout).toContain('coverage below mon.config.ts tests.coverage.alertsFired: alerts fired 50% < 80%');
    expect(run.stdout).not.toContain('tests.coverage.records');
    expect(run.code).toBe(1);
  });

  it('every mon-test command line uses options its --help lists', () => {
    const help = runBin('mon-test', ['--help'], project()).stdout;
    const lines = PAGE.split('\n').filter((line) => /(^|`|npx )mon-test /.test(line));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) for (const option of line.match(/--[a-z][a-z-]*/g) ?? []) expect(help, `${option} in: ${line}`).toContain(option);
  });
});
