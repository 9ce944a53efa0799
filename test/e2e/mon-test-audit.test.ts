import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

/**
 * Issue 12 as a new user writes it: one project with a failing test of each kind (wrong
 * labels, a wrong annotation template, a wrong receiver, labels that route elsewhere, an
 * inhibition that does not happen, a grouping mismatch, a mute interval and an active
 * interval at an instant). Each fails alone, at its own line, saying what differs.
 */

const promtool = requireTool('promtool');
const amtool = requireTool('amtool');

const RULES =
  "import { alertRule, ruleGroup } from 'moncode';\n\nexport const highErrors = alertRule({\n  alert: 'HighErrors',\n  expr: 'sum by (job) (rate(errors_total[5m])) > 1',\n  for: '2m',\n  labels: { severity: 'critical', team: 'shop' },\n  annotations: { summary: 'Errors on {{ $labels.job }}', description: '{{ $value }} errors/s', runbook_url: 'https://example.com/rb' },\n});\nexport const slow = alertRule({\n  alert: 'Slow',\n  expr: 'histogram_quantile(0.9, sum by (le, job) (rate(latency_seconds_bucket[5m]))) > 1',\n  labels: { severity: 'warning', team: 'shop' },\n  annotations: { summary: 'Slow {{ $labels.job }}', description: 'p90 {{ $value }}', runbook_url: 'https://example.com/rb' },\n});\nexport const group = ruleGroup({ name: 'shop', rules: [highErrors, slow] });\n";
const ALERTMANAGER =
  "import { alertmanager, receiver, timeInterval } from 'moncode';\n\nexport const team = receiver({ name: 'team', email_configs: [{ to: 'team@example.com' }] });\nexport const pager = receiver({ name: 'pager', email_configs: [{ to: 'pager@example.com' }] });\nexport const night = receiver({ name: 'night', email_configs: [{ to: 'night@example.com' }] });\nconst weekend = timeInterval('weekend', { weekdays: ['saturday', 'sunday'] });\nconst office = timeInterval('office', { times: [{ start_time: '09:00', end_time: '17:00' }], weekdays: ['monday:friday'] });\n\nexport const config = alertmanager({\n  global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },\n  route: {\n    receiver: team,\n    group_by: ['alertname'],\n    routes: [\n      { matchers: ['severity=\"critical\"'], receiver: pager, continue: true, group_by: ['...'] },\n      { matchers: ['team=\"shop\"'], receiver: team, mute_time_intervals: [weekend], group_by: ['alertname', 'job'] },\n      { matchers: ['severity=\"info\"'], receiver: night, active_time_intervals: [office] },\n    ],\n  },\n  inhibit_rules: [{ source_matchers: ['severity=\"critical\"'], target_matchers: ['severity=\"warning\"'], equal: ['job'] }],\n});\n";
const TESTS =
  "import { routeTest, ruleTest } from 'moncode';\nimport { highErrors, slow } from './rules.ts';\nimport { night, pager, team } from './alertmanager.ts';\n\nexport const labelsWrong = ruleTest({\n  name: 'wrong labels',\n  inputSeries: [{ series: 'errors_total{job=\"shop\"}', values: '0+120x30' }],\n  alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', team: 'shop', job: 'cart' }, annotations: { summary: 'Errors on shop', description: '2 errors/s', runbook_url: 'https://example.com/rb' } }] }], // LABELS\n});\nexport const annotationWrong = ruleTest({\n  name: 'wrong annotation',\n  inputSeries: [{ series: 'errors_total{job=\"shop\"}', values: '0+120x30' }],\n  alerts: [{ alert: highErrors, evalTime: '10m', firing: [{ labels: { severity: 'critical', team: 'shop', job: 'shop' }, annotations: { summary: 'Errors on {{ $labels.job }}', description: '2 errors/s', runbook_url: 'https://example.com/rb' } }] }], // ANNOTATION\n});\nexport const wrongReceiver = routeTest({ name: 'wrong receiver', alert: highErrors, expect: [team] }); // RECEIVER\nexport const wrongLabelsRoute = routeTest({ name: 'wrong labels in route', alert: { rule: slow, labels: { job: 'shop' } }, expect: [pager] }); // ROUTE_LABELS\nexport const noInhibit = routeTest({\n  name: 'inhibition that does not happen',\n  alert: { rule: slow, labels: { job: 'shop' } },\n  expect: [team],\n  inhibitedBy: [{ rule: highErrors, labels: { job: 'cart' } }], // INHIBIT\n});\nexport const grouping = routeTest({ name: 'grouping mismatch', alert: { rule: highErrors, labels: { job: 'shop' } }, expect: [pager, team], grouping: ['alertname', 'job'] }); // GROUPING\nexport const muteAt = routeTest({ name: 'mute at instant', alert: { rule: slow, labels: { job: 'shop' } }, expect: [team], at: '2026-12-05T10:00:00Z', muted: [] }); // MUTE\nexport const activeAt = routeTest({ name: 'active at instant', alert: { alertname: 'X', severity: 'info' }, expect: [night], at: '2026-12-07T10:00:00Z', muted: [night] }); // ACTIVE\n";

const lineOf = (marker: string) => TESTS.split('\n').findIndex((l) => l.endsWith(`// ${marker}`)) + 1;

describe.skipIf(!promtool || !amtool)('failing tests of every kind, each at its line', () => {
  const cases: Array<[string, string]> = [
    ['LABELS', 'alert HighErrors at 10m: expected {alertname="HighErrors", job="cart", severity="critical", team="shop"}, got {alertname="HighErrors", job="shop", severity="critical", team="shop"}'],
    ['ANNOTATION', 'annotations {description="2 errors/s", runbook_url="https://example.com/rb", summary="Errors on {{ $labels.job }}"}, got'],
    ['RECEIVER', 'is routed to pager,team, expected team (amtool config routes test)'],
    ['ROUTE_LABELS', 'is routed to team, expected pager (amtool config routes test)'],
    ['INHIBIT', 'is not inhibited by the alerts firing with it: no inhibit rule mutes it'],
    ['GROUPING', 'is grouped by [...] at pager, expected [alertname,job]'],
    ['MUTE', 'at 2026-12-05T10:00:00.000Z, time intervals mute team of'],
    ['ACTIVE', 'at 2026-12-07T10:00:00.000Z, time intervals mute no receiver of {alertname="X", severity="info"}, expected night'],
  ];
  let report: { diagnostics: Array<{ rule: string; file: string; line: number; message: string }> } | undefined;
  let code: number | null = null;
  const run = () => {
    if (report) return report;
    const result = runBin('mon-test', ['--format', 'json'], makeProject({ 'definitions/shop/rules.ts': RULES, 'definitions/shop/alertmanager.ts': ALERTMANAGER, 'definitions/shop/tests.ts': TESTS }));
    expect(result.stderr).toBe('');
    code = result.code;
    report = JSON.parse(result.stdout) as typeof report;
    return report!;
  };
  it('exit 1, one failure per test, nothing else', () => {
    expect(run().diagnostics.map((d) => [d.rule, d.file])).toEqual(cases.map(() => ['test/failed', 'definitions/shop/tests.ts']));
    expect(code).toBe(1);
  });
  it.each(cases)('%s', (marker, message) => {
    const at = run().diagnostics.filter((d) => d.line === lineOf(marker));
    expect(at, JSON.stringify(run().diagnostics, null, 1)).toHaveLength(1);
    expect(at[0]!.message).toContain(message);
  });
});
