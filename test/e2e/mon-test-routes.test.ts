import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

const amtool = requireTool('amtool');

const ALERTMANAGER = `import { alertmanager, receiver, timeInterval } from 'moncode';

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
      { matchers: ['team="db"'], receiver: db, mute_time_intervals: [weekend], group_by: ['cluster', 'alertname'] },
    ],
  },
  inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
});
`;

const RULES = `import { alertRule, ruleGroup } from 'moncode';

export const diskFull = alertRule({
  alert: 'DiskFull',
  expr: 'node_filesystem_avail_bytes == 0',
  labels: { severity: 'critical', team: 'db' },
  annotations: { summary: 'Disk full', description: 'No space left', runbook_url: 'https://example.com/runbooks/disk' },
});
export const group = ruleGroup({ name: 'shop', rules: [diskFull] });
`;

interface Knobs {
  critical: string;
  grouping: string;
  inhibited: string;
  muted: string;
}
const GOOD: Knobs = { critical: '[pager, db]', grouping: "['alertname', 'cluster']", inhibited: "inhibitedBy: [{ alertname: 'DiskFull', severity: 'critical' }]", muted: '[db]' };

function tests(k: Knobs): string {
  return `import { routeTest } from 'moncode';
import { db, pager, team } from './alertmanager.ts';
import { diskFull } from './rules.ts';

export const critical = routeTest({
  name: 'a critical db alert pages and reaches db',
  alert: diskFull,
  expect: ${k.critical}, // EXPECT
  grouping: ${k.grouping}, // GROUPING
});

export const inhibited = routeTest({
  name: 'the warning is inhibited by the critical alert',
  alert: { alertname: 'DiskFull', severity: 'warning' },
  expect: [team],
  ${k.inhibited}, // INHIBITED
});

export const weekend = routeTest({
  name: 'db is muted on Saturday',
  alert: { rule: diskFull, labels: { cluster: 'eu' } },
  expect: [pager, db],
  at: '2026-12-05T10:00:00Z',
  muted: ${k.muted}, // MUTED
});
`;
}

const lineOf = (text: string, marker: string) => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

describe.skipIf(!amtool)('mon-test runs the routing tests and reports failures at the expectation', () => {
  const cases: Array<{ name: string; knobs: Partial<Knobs>; failures: string[]; message?: string }> = [
    { name: 'all pass', knobs: {}, failures: [] },
    { name: 'a receiver missing (amtool)', knobs: { critical: '[pager]' }, failures: ['EXPECT'], message: 'is routed to pager,db, expected pager (amtool config routes test)' },
    { name: 'receivers in the wrong order', knobs: { critical: '[db, pager]' }, failures: ['EXPECT'] },
    {
      name: 'wrong grouping',
      knobs: { grouping: "['alertname']" },
      failures: ['GROUPING'],
      message: '{alertname="DiskFull", severity="critical", team="db"} is grouped by [alertname,cluster] at pager, [alertname,cluster] at db, expected [alertname]',
    },
    { name: 'not inhibited by an alert of another name', knobs: { inhibited: "inhibitedBy: [{ alertname: 'Other', severity: 'critical' }]" }, failures: ['INHIBITED'], message: 'is not inhibited' },
    { name: 'expected not inhibited, and nothing else fires', knobs: { inhibited: 'inhibitedBy: []' }, failures: [] },
    {
      name: 'expected not inhibited, but an alert firing with it inhibits it',
      knobs: { inhibited: "inhibitedBy: [], firingWith: [{ alertname: 'DiskFull', severity: 'critical' }]" },
      failures: ['INHIBITED'],
      message: 'is inhibited by {alertname="DiskFull", severity="critical"} (inhibit rule 1)',
    },
    { name: 'an alert firing with it that does not inhibit', knobs: { inhibited: "inhibitedBy: [], firingWith: [{ alertname: 'Other', severity: 'critical' }]" }, failures: [] },
    { name: 'muted receiver not expected', knobs: { muted: '[]' }, failures: ['MUTED'], message: 'at 2026-12-05T10:00:00.000Z, time intervals mute db of' },
    { name: 'three failures', knobs: { critical: '[pager]', grouping: "['cluster']", muted: '[]' }, failures: ['EXPECT', 'GROUPING', 'MUTED'] },
  ];
  it.each(cases)('$name', ({ knobs, failures, message }) => {
    const source = tests({ ...GOOD, ...knobs });
    const dir = makeProject({ 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/rules.ts': RULES, 'definitions/shop/routes.ts': source });
    const run = runBin('mon-test', ['--format', 'json'], dir);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => [d.rule, d.file, d.line])).toEqual(failures.map((m) => ['test/failed', 'definitions/shop/routes.ts', lineOf(source, `// ${m}`)]));
    if (message) expect(report.diagnostics[0]!.message).toContain(message);
    expect(run.code).toBe(failures.length > 0 ? 1 : 0);
  });

  it('counts the routing tests, and refuses a receiver of no Alertmanager configuration', () => {
    const pass = runBin('mon-test', [], makeProject({ 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/rules.ts': RULES, 'definitions/shop/routes.ts': tests(GOOD) }));
    expect(pass.stdout).toContain('3 routing tests passed');
    expect(pass.code).toBe(0);
    const stray = `import { receiver, routeTest } from 'moncode';
export const other = receiver({ name: 'other' });
export const t = routeTest({ name: 'stray', alert: { alertname: 'A' }, expect: [other] });
`;
    const run = runBin('mon-test', ['--format', 'json'], makeProject({ 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/stray.ts': stray }));
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => [d.rule, d.line, d.message])).toEqual([['definition/invalid', 3, 'receiver "other" is not a receiver of the Alertmanager configuration of shop']]);
    expect(run.code).toBe(1);
  });
});

describe.skipIf(!amtool)('mon-test --coverage counts receivers, routes and inhibit rules the routing tests reach', () => {
  it.each([
    ['every test', false, { receivers: [3, 3], routes: [3, 3], inhibitRules: [1, 1] }],
    ['without the inhibition test', true, { receivers: [2, 3], routes: [3, 3], inhibitRules: [0, 1] }],
  ] as const)('%s', (_name, drop, figures) => {
    let source = tests(GOOD);
    if (drop) source = source.replace(/export const inhibited = routeTest\(\{[\s\S]*?\n\}\);\n/, '');
    const dir = makeProject({ 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/rules.ts': RULES, 'definitions/shop/routes.ts': source });
    const run = runBin('mon-test', ['--coverage', '--format', 'json'], dir);
    const totals = (JSON.parse(run.stdout) as { coverage: { totals: Record<string, { covered: number; total: number }> } }).coverage.totals;
    expect(Object.fromEntries(Object.keys(figures).map((k) => [k, [totals[k]!.covered, totals[k]!.total]]))).toEqual(figures);
  });
});

describe.skipIf(!amtool)('a receiver on two routes, only one of them muted at the instant', () => {
  const config = `import { alertmanager, receiver, timeInterval } from 'moncode';

export const team = receiver({ name: 'team', email_configs: [{ to: 'team@example.com' }] });
export const db = receiver({ name: 'db', email_configs: [{ to: 'db@example.com' }] });
const weekend = timeInterval('weekend', { weekdays: ['saturday', 'sunday'] });

export const config = alertmanager({
  global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },
  route: {
    receiver: team,
    routes: [
      { matchers: ['severity="critical"'], receiver: db, continue: true },
      { matchers: ['team="db"'], receiver: db, mute_time_intervals: [weekend] },
    ],
  },
});
`;
  const test = (muted: string) => `import { routeTest } from 'moncode';
import { db } from './alertmanager.ts';

export const saturday = routeTest({
  name: 'critical db alert on Saturday',
  alert: { alertname: 'DiskFull', severity: 'critical', team: 'db' },
  expect: [db, db],
  at: '2026-12-05T10:00:00Z',
  muted: ${muted}, // MUTED
});
`;
  it.each([
    ['is not muted: the unmuted route still notifies it', '[]', []],
    ['expected muted, it fails at the expectation', '[db]', ['at 2026-12-05T10:00:00.000Z, time intervals mute no receiver of']],
  ])('%s', (_name, muted, messages) => {
    const source = test(muted);
    const run = runBin('mon-test', ['--format', 'json'], makeProject({ 'definitions/shop/alertmanager.ts': config, 'definitions/shop/routes.ts': source }));
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => [d.rule, d.line])).toEqual(messages.map(() => ['test/failed', lineOf(source, '// MUTED')]));
    messages.forEach((m, i) => expect(report.diagnostics[i]!.message).toContain(m));
    expect(run.code).toBe(messages.length ? 1 : 0);
  });
});
