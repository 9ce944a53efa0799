import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { evaluate, type Labels } from '../../src/routing/evaluate.js';
import { eventually, startServer, type RunningServer } from '../helpers/servers.js';
import { requireTool } from '../helpers/tools.js';

/**
 * The evaluator's verdict on inhibition, grouping, `continue` and time intervals, checked
 * against a real Alertmanager 0.25: every case's tree is a subtree of one configuration
 * (under `case="<n>"`), its receivers webhooks to a server of this test, its alerts posted
 * together; what Alertmanager notifies, groups and marks inhibited must be what the evaluator says.
 */

const alertmanager = requireTool('prometheus-alertmanager') ?? requireTool('alertmanager');

type Json = Record<string, unknown>;
interface Case {
  name: string;
  /** The case's own configuration (receivers by name; group_wait is set by the test). */
  config: { route: Json; inhibit_rules?: Json[] };
  alerts: Labels[];
  /** What the evaluator must say, so a case cannot pass by both sides agreeing on nothing. */
  notifications: number;
}

const NOW = new Date();
const YEAR = String(NOW.getUTCFullYear());
// Intervals by year: the verdict cannot change while the test runs (short of New Year).
const TIME_INTERVALS = [
  { name: 'this-year', time_intervals: [{ years: [YEAR] }] },
  { name: 'long-ago', time_intervals: [{ years: ['2001'] }] },
  { name: 'this-month-utc', time_intervals: [{ months: [String(NOW.getUTCMonth() + 1)], location: 'UTC' }] },
  { name: 'other-months', time_intervals: [{ months: [String(((NOW.getUTCMonth() + 6) % 12) + 1)] }] },
  // Always active, written with every kind of range, the 24:00 end and a zone.
  {
    name: 'always-ranges',
    time_intervals: [{ weekdays: ['sunday:saturday'], days_of_month: ['1:31'], months: ['january:december'], times: [{ start_time: '00:00', end_time: '24:00' }], location: 'Asia/Tokyo' }],
  },
];

const inhibitCritical = { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] };
const flat = (routes: Json[] = [], extra: Json = {}) => ({ receiver: 'default', group_by: ['alertname'], routes, ...extra });

const CASES: Case[] = [
  {
    name: 'a critical alert inhibits the warning of the same alertname',
    config: { route: flat(), inhibit_rules: [inhibitCritical] },
    alerts: [
      { alertname: 'Disk', severity: 'critical' },
      { alertname: 'Disk', severity: 'warning' },
    ],
    notifications: 1,
  },
  {
    name: 'equal labels that differ do not inhibit',
    config: { route: flat(), inhibit_rules: [inhibitCritical] },
    alerts: [
      { alertname: 'Disk', severity: 'critical' },
      { alertname: 'Cpu', severity: 'warning' },
    ],
    notifications: 2,
  },
  {
    name: 'an equal label both lack counts as equal',
    config: { route: flat(), inhibit_rules: [{ ...inhibitCritical, equal: ['cluster'] }] },
    alerts: [
      { alertname: 'Disk', severity: 'critical' },
      { alertname: 'Cpu', severity: 'warning' },
    ],
    notifications: 1,
  },
  {
    name: 'an equal label only one has is not equal',
    config: { route: flat(), inhibit_rules: [{ ...inhibitCritical, equal: ['cluster'] }] },
    alerts: [
      { alertname: 'Disk', severity: 'critical', cluster: 'eu' },
      { alertname: 'Cpu', severity: 'warning' },
    ],
    notifications: 2,
  },
  {
    name: 'alerts matching both sides of a rule do not inhibit each other',
    config: { route: flat(), inhibit_rules: [{ source_matchers: ['team="db"'], target_matchers: ['team="db"'] }] },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'db' },
    ],
    notifications: 2,
  },
  {
    name: 'a two-sided alert is inhibited by a source-only alert',
    config: { route: flat(), inhibit_rules: [{ source_matchers: ['team="db"'], target_matchers: ['tier="1"'] }] },
    alerts: [
      { alertname: 'A', team: 'db', tier: '1' },
      { alertname: 'B', team: 'db' },
    ],
    notifications: 1,
  },
  {
    name: 'an inhibited alert still inhibits (a chain)',
    config: {
      route: flat(),
      inhibit_rules: [
        { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'] },
        { source_matchers: ['severity="warning"'], target_matchers: ['severity="info"'] },
      ],
    },
    alerts: [
      { alertname: 'A', severity: 'critical' },
      { alertname: 'B', severity: 'warning' },
      { alertname: 'C', severity: 'info' },
    ],
    notifications: 1,
  },
  {
    name: 'continue sends to two receivers; inhibition mutes the target at both',
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', continue: true },
        { matchers: ['severity=~"critical|warning"'], receiver: 'pager' },
      ]),
      inhibit_rules: [inhibitCritical],
    },
    alerts: [
      { alertname: 'Disk', severity: 'critical', team: 'db' },
      { alertname: 'Disk', severity: 'warning', team: 'db' },
      { alertname: 'Other', severity: 'warning', team: 'db' },
    ],
    notifications: 4,
  },
  {
    name: 'group_by splits by its labels; a missing one is its own group',
    config: { route: flat([], { group_by: ['cluster'] }) },
    alerts: [{ alertname: 'A', cluster: 'eu' }, { alertname: 'B', cluster: 'eu' }, { alertname: 'C', cluster: 'us' }, { alertname: 'D' }],
    notifications: 3,
  },
  {
    name: "group_by ['...'] makes one group per alert",
    config: { route: flat([], { group_by: ['...'] }) },
    alerts: [
      { alertname: 'A', cluster: 'eu' },
      { alertname: 'A', cluster: 'us' },
    ],
    notifications: 2,
  },
  {
    name: 'no group_by: one group for everything',
    config: { route: { receiver: 'default' } },
    alerts: [{ alertname: 'A' }, { alertname: 'B', cluster: 'eu' }, { alertname: 'C' }],
    notifications: 1,
  },
  {
    name: 'a child inherits group_by and receiver, or overrides them',
    config: {
      route: flat([
        { matchers: ['team="db"'], group_by: ['instance'], routes: [{ matchers: ['env="prod"'], receiver: 'db-prod' }] },
        { matchers: ['team="web"'], receiver: 'web' },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db', env: 'prod', instance: 'x' },
      { alertname: 'B', team: 'db', env: 'prod', instance: 'x' },
      { alertname: 'C', team: 'db', instance: 'y' },
      { alertname: 'D', team: 'web' },
      { alertname: 'D', team: 'web', instance: 'z' },
    ],
    notifications: 3,
  },
  {
    name: 'an active mute interval silences its route only',
    config: { route: flat([{ matchers: ['team="db"'], receiver: 'db', mute_time_intervals: ['this-year'] }]) },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'web' },
    ],
    notifications: 1,
  },
  {
    name: 'an inactive mute interval does not',
    config: { route: flat([{ matchers: ['team="db"'], receiver: 'db', mute_time_intervals: ['long-ago', 'other-months'] }]) },
    alerts: [{ alertname: 'A', team: 'db' }],
    notifications: 1,
  },
  {
    name: 'active_time_intervals: none active mutes, one active sends',
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', active_time_intervals: ['long-ago'] },
        { matchers: ['team="web"'], receiver: 'web', active_time_intervals: ['long-ago', 'this-month-utc'] },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'web' },
    ],
    notifications: 1,
  },
  {
    name: "a child route does not inherit its parent's mute interval",
    config: {
      route: flat([{ matchers: ['team="db"'], receiver: 'db', mute_time_intervals: ['this-year'], routes: [{ matchers: ['env="prod"'], receiver: 'db-prod' }] }]),
    },
    alerts: [
      { alertname: 'A', team: 'db', env: 'prod' },
      { alertname: 'B', team: 'db' },
    ],
    notifications: 1,
  },
  {
    name: 'a muted route with continue: the next route still notifies',
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', continue: true, mute_time_intervals: ['this-month-utc'] },
        { matchers: ['severity="critical"'], receiver: 'pager' },
      ]),
    },
    alerts: [{ alertname: 'A', team: 'db', severity: 'critical' }],
    notifications: 1,
  },
  {
    name: "continue with group_by ['...'] on one route, the inherited group_by on the next",
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', continue: true, group_by: ['...'] },
        { matchers: ['severity="critical"'], receiver: 'pager' },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db', severity: 'critical', cluster: 'eu' },
      { alertname: 'A', team: 'db', severity: 'critical', cluster: 'us' },
      { alertname: 'B', team: 'db', severity: 'warning' },
    ],
    notifications: 4,
  },
  {
    name: 'continue in a child route: its siblings are tried, the parent still stops',
    config: {
      route: flat([
        {
          matchers: ['team="db"'],
          receiver: 'db',
          routes: [
            { matchers: ['env="prod"'], receiver: 'db-prod', continue: true },
            { matchers: ['severity="critical"'], receiver: 'db-pager' },
          ],
        },
        { matchers: ['severity="critical"'], receiver: 'pager' },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db', env: 'prod', severity: 'critical' },
      { alertname: 'B', team: 'db', env: 'prod' },
      { alertname: 'C', team: 'db' },
    ],
    notifications: 4,
  },
  {
    name: 'regex matchers are anchored; a label the alert lacks is empty for !=',
    config: {
      route: flat([
        { matchers: ['team=~"d."'], receiver: 'db' },
        { matchers: ['env!="prod"'], receiver: 'nonprod' },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'dba' },
      { alertname: 'C', team: 'x', env: 'prod' },
    ],
    notifications: 3,
  },
  {
    name: 'inhibition by a regex source, equal on two labels',
    config: {
      route: flat(),
      inhibit_rules: [{ source_matchers: ['severity=~"crit.*"'], target_matchers: ['severity!="critical"'], equal: ['cluster', 'service'] }],
    },
    alerts: [
      { alertname: 'A', severity: 'critical', cluster: 'eu', service: 'api' },
      { alertname: 'B', severity: 'warning', cluster: 'eu', service: 'api' },
      { alertname: 'C', severity: 'warning', cluster: 'eu', service: 'web' },
      { alertname: 'D', severity: 'info', cluster: 'eu', service: 'api' },
    ],
    notifications: 2,
  },
  {
    name: 'mute and active intervals on one route: muted when either says so',
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', active_time_intervals: ['this-year'], mute_time_intervals: ['this-month-utc'] },
        { matchers: ['team="web"'], receiver: 'web', active_time_intervals: ['this-year'], mute_time_intervals: ['long-ago'] },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'web' },
    ],
    notifications: 1,
  },
  {
    name: 'an interval of ranges, 24:00 and a zone is active all the time',
    config: {
      route: flat([
        { matchers: ['team="db"'], receiver: 'db', mute_time_intervals: ['always-ranges'] },
        { matchers: ['team="web"'], receiver: 'web', active_time_intervals: ['always-ranges'] },
      ]),
    },
    alerts: [
      { alertname: 'A', team: 'db' },
      { alertname: 'B', team: 'web' },
    ],
    notifications: 1,
  },
];

/** Every receiver a case's tree names. */
function receiversOf(route: Json): string[] {
  const own = typeof route.receiver === 'string' ? [route.receiver] : [];
  return [...own, ...((route.routes as Json[] | undefined) ?? []).flatMap(receiversOf)];
}

/** The case's tree with its receivers renamed `<n>-<name>` and group_wait short, for the shared configuration. */
function namespaced(route: Json, n: number): Json {
  const copy: Json = { ...route, group_wait: '1s' };
  if (typeof route.receiver === 'string') copy.receiver = `${n}-${route.receiver}`;
  if (route.routes) copy.routes = (route.routes as Json[]).map((child) => namespaced(child, n));
  return copy;
}

interface Posted {
  receiver: string;
  groupLabels: Labels;
  alerts: Array<{ labels: Labels }>;
}

const key = (labels: Labels) =>
  JSON.stringify(
    Object.entries(labels)
      .filter(([k]) => k !== 'case')
      .sort(),
  );
const notification = (receiver: string, groupLabels: Labels, alerts: Labels[]) => `${receiver} ${key(groupLabels)} [${alerts.map(key).sort().join(' ')}]`;

describe.skipIf(!alertmanager)('the routing evaluator agrees with a real Alertmanager', () => {
  let server: RunningServer | undefined;
  let hook: Server | undefined;
  const posted: Posted[] = [];
  let groups: Array<{ labels: Labels; receiver: { name: string }; alerts: Array<{ labels: Labels }> }> = [];
  let alertStatus: Array<{ labels: Labels; status: { inhibitedBy: string[] } }> = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'routing-am-'));

  beforeAll(async () => {
    hook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        posted.push(JSON.parse(body) as Posted);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook!.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as { port: number }).port}`;

    const receivers = CASES.flatMap((c, n) => [...new Set(receiversOf(c.config.route))].map((name) => ({ name: `${n}-${name}`, webhook_configs: [{ url: `${hookUrl}/${n}`, send_resolved: false }] })));
    const config = {
      route: {
        receiver: 'unrouted',
        group_wait: '1s',
        routes: CASES.map((c, n) => ({ ...namespaced(c.config.route, n), matchers: [`case="${n}"`] })),
      },
      // Each case's inhibit rules reach only its own alerts.
      inhibit_rules: CASES.flatMap((c, n) =>
        (c.config.inhibit_rules ?? []).map((rule) => ({
          ...rule,
          source_matchers: [...(rule.source_matchers as string[]), `case="${n}"`],
          target_matchers: [...(rule.target_matchers as string[]), `case="${n}"`],
        })),
      ),
      receivers: [{ name: 'unrouted' }, ...receivers],
      time_intervals: TIME_INTERVALS,
    };
    writeFileSync(path.join(dir, 'alertmanager.yml'), stringify(config));
    server = await startServer(
      alertmanager!,
      (port) => [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--storage.path=${path.join(dir, 'data')}`],
      '/-/ready',
    );
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const alerts = CASES.flatMap((c, n) => c.alerts.map((labels) => ({ labels: { ...labels, case: String(n) }, endsAt })));
    const response = await fetch(`${server.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(response.status, await response.text()).toBe(200);
    const expected = CASES.reduce((sum, c) => sum + c.notifications, 0);
    // Every notification the evaluator expects, then a while longer for any it does not.
    await eventually(async () => (posted.length >= expected ? true : undefined), 60_000, `${expected} notifications (got ${posted.length})\n${server.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    groups = (await (await fetch(`${server.url}/api/v2/alerts/groups`)).json()) as typeof groups;
    alertStatus = (await (await fetch(`${server.url}/api/v2/alerts?inhibited=true&silenced=true&active=true`)).json()) as typeof alertStatus;
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((resolve) => (hook ? hook.close(() => resolve()) : resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES.map((c, n) => [c.name, n] as const))('%s', (_name, n) => {
    const c = CASES[n]!;
    const config = { ...c.config, receivers: receiversOf(c.config.route).map((name) => ({ name })), time_intervals: TIME_INTERVALS };
    const verdict = evaluate(config, c.alerts, new Date());
    const ours = verdict.notifications
      .map((note) =>
        notification(
          note.receiver,
          note.labels,
          note.alerts.map((i) => c.alerts[i]!),
        ),
      )
      .sort();
    expect(ours.length, 'notifications the evaluator expects').toBe(c.notifications);

    const prefix = `${n}-`;
    const theirs = posted
      .filter((p) => p.receiver.startsWith(prefix))
      .map((p) =>
        notification(
          p.receiver.slice(prefix.length),
          p.groupLabels,
          p.alerts.map((a) => a.labels),
        ),
      );
    expect(theirs.sort(), 'notifications sent').toEqual(ours);

    const theirGroups = groups
      .filter((g) => g.receiver.name.startsWith(prefix))
      .map((g) =>
        notification(
          g.receiver.name.slice(prefix.length),
          g.labels,
          g.alerts.map((a) => a.labels),
        ),
      )
      .sort();
    const ourGroups = verdict.groups
      .map((g) =>
        notification(
          g.route.receiver,
          g.labels,
          g.alerts.map((i) => c.alerts[i]!),
        ),
      )
      .sort();
    expect(theirGroups, 'groups').toEqual(ourGroups);

    const inhibited = alertStatus
      .filter((a) => a.labels.case === String(n) && a.status.inhibitedBy.length > 0)
      .map((a) => key(a.labels))
      .sort();
    expect(inhibited, 'inhibited alerts').toEqual(
      c.alerts
        .filter((_, i) => verdict.inhibitedBy[i]!.length > 0)
        .map(key)
        .sort(),
    );
  });
});
