import type { CoverageThresholds } from '../model/config.js';
import type { AlertmanagerModel, RuleGroupModel } from '../model/project-model.js';
import type { RouteTestModel } from '../model/route-test.js';
import type { RuleTestModel } from '../model/rule-test.js';
import { pointerUnder } from '../model/pointer.js';
import type { Where } from '../model/source-location.js';
import { evaluate } from '../routing/evaluate.js';
import { selectorsIn } from '../promql/ast.js';
import { parsePromql } from '../promql/parse.js';

/** Where an item is defined: the file (relative to the working directory) and line, when moncode knows it. */
export interface Defined {
  file?: string;
  line?: number;
}

/** What the rule tests of one system reach, rule by rule; `…By` count the tests that do. */
export interface SystemCoverage {
  system: string;
  alerts: Array<{ alert: string; fired: boolean; silent: boolean; testedBy: number; firedBy: number; silentBy: number } & Defined>;
  records: Array<{ record: string; checked: boolean; checkedBy: number } & Defined>;
  /** Of the system's Alertmanager configuration (written in TS), when it has one. */
  receivers: Array<{ receiver: string; reached: boolean; reachedBy: number } & Defined>;
  /** Routes by JSON pointer (`/route/routes/0`) and receiver. */
  routes: Array<{ route: string; receiver: string; reached: boolean; reachedBy: number } & Defined>;
  inhibitRules: Array<{ rule: number; exercised: boolean; exercisedBy: number } & Defined>;
}

/** Resolves a definition's location to a file and line (mon-test passes its SourceIndex). */
export type Locate = (where: Where | undefined) => Defined;

export interface Coverage {
  systems: SystemCoverage[];
  /** Percentages over all systems (100 when there is nothing to cover). */
  totals: Record<keyof CoverageThresholds, Figure>;
  /** Thresholds of mon.config.ts that the figures miss. */
  below: Array<{ figure: keyof CoverageThresholds; percent: number; threshold: number }>;
}

interface Figure {
  covered: number;
  total: number;
  percent: number;
}

/**
 * Coverage of the hand-written rules (the SLO rules have generated tests of their
 * own): each alert fired by some test and expected silent by some test, each
 * recording rule read by some test's `exprs` (directly or through a selector).
 */
export function ruleCoverage(
  ruleGroups: readonly RuleGroupModel[],
  tests: readonly RuleTestModel[],
  thresholds: CoverageThresholds = {},
  alertmanagers: readonly AlertmanagerModel[] = [],
  routeTests: readonly RouteTestModel[] = [],
  locate: Locate = () => ({}),
): Coverage {
  const systems = new Map<string, SystemCoverage>();
  for (const group of ruleGroups) {
    if (group.generatedFrom || group.from !== 'ts') continue;
    const entry = systems.get(group.system) ?? { system: group.system, alerts: [], records: [], receivers: [], routes: [], inhibitRules: [] };
    systems.set(group.system, entry);
    for (const [index, rule] of group.rules.entries()) {
      const own = tests.filter((t) => t.system === group.system);
      if (rule.alert) {
        if (entry.alerts.some((a) => a.alert === rule.alert)) continue;
        const firedBy = own.filter((t) => t.alerts.some((a) => a.alertname === rule.alert && !a.silent)).length;
        const silentBy = own.filter((t) => t.alerts.some((a) => a.alertname === rule.alert && a.silent)).length;
        const testedBy = own.filter((t) => t.alerts.some((a) => a.alertname === rule.alert)).length;
        entry.alerts.push({ alert: rule.alert, fired: firedBy > 0, silent: silentBy > 0, testedBy, firedBy, silentBy, ...locate(group.locator.get(`/rules/${index}/alert`)) });
      } else if (rule.record) {
        if (entry.records.some((r) => r.record === rule.record)) continue;
        const checkedBy = own.filter((t) => t.exprs.some((e) => readsSeries(e.expr, rule.record!))).length;
        entry.records.push({ record: rule.record, checked: checkedBy > 0, checkedBy, ...locate(group.locator.get(`/rules/${index}/record`)) });
      }
    }
  }
  for (const am of alertmanagers) {
    if (am.from !== 'ts') continue;
    const entry = systems.get(am.system) ?? { system: am.system, alerts: [], records: [], receivers: [], routes: [], inhibitRules: [] };
    systems.set(am.system, entry);
    Object.assign(
      entry,
      routingCoverage(
        am,
        routeTests.filter((t) => t.system === am.system),
        locate,
      ),
    );
  }
  const list = [...systems.values()].sort((a, b) => (a.system < b.system ? -1 : 1));
  const figure = (covered: number, total: number): Figure => ({ covered, total, percent: coveragePercent(covered, total) });
  const alerts = list.flatMap((s) => s.alerts);
  const records = list.flatMap((s) => s.records);
  const totals = {
    alertsFired: figure(alerts.filter((a) => a.fired).length, alerts.length),
    alertsSilent: figure(alerts.filter((a) => a.silent).length, alerts.length),
    records: figure(records.filter((r) => r.checked).length, records.length),
    receivers: figure(list.flatMap((s) => s.receivers).filter((r) => r.reached).length, list.flatMap((s) => s.receivers).length),
    routes: figure(list.flatMap((s) => s.routes).filter((r) => r.reached).length, list.flatMap((s) => s.routes).length),
    inhibitRules: figure(list.flatMap((s) => s.inhibitRules).filter((r) => r.exercised).length, list.flatMap((s) => s.inhibitRules).length),
  };
  const below: Coverage['below'] = [];
  for (const key of ['alertsFired', 'alertsSilent', 'records', 'receivers', 'routes', 'inhibitRules'] as const) {
    const threshold = thresholds[key];
    if (threshold !== undefined && totals[key].percent < threshold) below.push({ figure: key, percent: totals[key].percent, threshold });
  }
  return { systems: list, totals, below };
}

/** What the routing tests of one system reach: the receivers they are routed to, the routes their alerts pass, the inhibit rules that mute one of their alerts. */
function routingCoverage(am: AlertmanagerModel, tests: readonly RouteTestModel[], locate: Locate): Pick<SystemCoverage, 'receivers' | 'routes' | 'inhibitRules'> {
  const routes: SystemCoverage['routes'] = [];
  const visit = (route: Record<string, unknown>, at: string, receiver: string) => {
    const own = typeof route.receiver === 'string' && route.receiver ? route.receiver : receiver;
    routes.push({ route: at, receiver: own, reached: false, reachedBy: 0, ...locate(am.locator.get(at)) });
    ((route.routes as Array<Record<string, unknown>> | undefined) ?? []).forEach((child, i) => visit(child, pointerUnder(at, 'routes', i), own));
  };
  visit((am.config.route ?? {}) as Record<string, unknown>, '/route', '');
  const receivers = ((am.config.receivers as Array<{ name: string }> | undefined) ?? []).map((r, i) => ({
    receiver: r.name,
    reached: false,
    reachedBy: 0,
    ...locate(am.locator.get(`/receivers/${i}`)),
  }));
  const inhibitRules = ((am.config.inhibit_rules as unknown[] | undefined) ?? []).map((_, rule) => ({
    rule,
    exercised: false,
    exercisedBy: 0,
    ...locate(am.locator.get(`/inhibit_rules/${rule}`)),
  }));
  for (const test of tests) {
    const verdict = evaluate(am.config, [test.alert, ...test.firing], test.at ?? new Date(0));
    const matches = verdict.routes[0] ?? [];
    for (const route of routes) if (matches.some((match) => match.at === route.route || match.at.startsWith(`${route.route}/`))) route.reachedBy += 1;
    for (const receiver of receivers) if (matches.some((match) => match.receiver === receiver.receiver)) receiver.reachedBy += 1;
    const muting = new Set(verdict.inhibitedBy.flat().map((found) => found.rule));
    for (const rule of muting) inhibitRules[rule]!.exercisedBy += 1;
  }
  for (const item of routes) item.reached = item.reachedBy > 0;
  for (const item of receivers) item.reached = item.reachedBy > 0;
  for (const item of inhibitRules) item.exercised = item.exercisedBy > 0;
  return { receivers, routes, inhibitRules };
}

/**
 * A figure as a percentage to one decimal, rounded half up (2/3 is 66.7, 1/8 is 12.5), except
 * that only full coverage reads 100 and only none reads 0: 1999/2000 is 99.9, 1/2000 is 0.1.
 * The text, the JSON and the thresholds of mon.config.ts all use this one figure.
 */
export function coveragePercent(covered: number, total: number): number {
  if (total === 0 || covered >= total) return 100;
  if (covered <= 0) return 0;
  // Integer arithmetic: (covered * 1000 / total) rounded half up, without float error at .x5.
  const tenths = Math.floor((covered * 2000 + total) / (2 * total));
  return Math.min(999, Math.max(1, tenths)) / 10;
}

function readsSeries(expr: string, name: string): boolean {
  if (expr === name) return true;
  const parsed = parsePromql(expr);
  return parsed.expr !== undefined && selectorsIn(parsed.expr).some((s) => s.name === name);
}

const NAMES: Record<keyof CoverageThresholds, string> = {
  alertsFired: 'alerts fired',
  alertsSilent: 'alerts silent',
  records: 'recording rules checked',
  receivers: 'receivers reached',
  routes: 'routes reached',
  inhibitRules: 'inhibit rules exercised',
};

/** The coverage as a table per system, the untested rules, and the thresholds missed. */
export function formatCoverage(coverage: Coverage): string {
  const cell = (covered: number, total: number) => (total === 0 ? '-' : `${covered}/${total} ${coveragePercent(covered, total)}%`);
  const rows = [['system', 'alerts fired', 'alerts silent', 'records checked']];
  for (const s of coverage.systems) {
    rows.push([
      s.system,
      cell(s.alerts.filter((a) => a.fired).length, s.alerts.length),
      cell(s.alerts.filter((a) => a.silent).length, s.alerts.length),
      cell(s.records.filter((r) => r.checked).length, s.records.length),
    ]);
  }
  const t = coverage.totals;
  rows.push(['total', cell(t.alertsFired.covered, t.alertsFired.total), cell(t.alertsSilent.covered, t.alertsSilent.total), cell(t.records.covered, t.records.total)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = [
    'rule test coverage (hand-written rules):',
    ...rows.map(
      (r) =>
        `  ${r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}`,
    ),
  ];
  if (coverage.systems.some((s) => s.routes.length > 0)) {
    const routing = [['system', 'receivers reached', 'routes reached', 'inhibit rules exercised']];
    for (const s of coverage.systems) {
      if (s.routes.length === 0) continue;
      routing.push([
        s.system,
        cell(s.receivers.filter((r) => r.reached).length, s.receivers.length),
        cell(s.routes.filter((r) => r.reached).length, s.routes.length),
        cell(s.inhibitRules.filter((r) => r.exercised).length, s.inhibitRules.length),
      ]);
    }
    routing.push(['total', cell(t.receivers.covered, t.receivers.total), cell(t.routes.covered, t.routes.total), cell(t.inhibitRules.covered, t.inhibitRules.total)]);
    const w = routing[0]!.map((_, i) => Math.max(...routing.map((r) => r[i]!.length)));
    lines.push(
      'routing test coverage (Alertmanager configurations in TS):',
      ...routing.map(
        (r) =>
          `  ${r
            .map((c, i) => c.padEnd(w[i]!))
            .join('  ')
            .trimEnd()}`,
      ),
    );
  }
  const untested: string[] = [];
  for (const s of coverage.systems) {
    for (const a of s.alerts) {
      const missing = [a.fired ? '' : 'fires', a.silent ? '' : 'stays silent'].filter(Boolean);
      if (missing.length > 0) untested.push(`  ${s.system}: alert ${a.alert} — no test that it ${missing.join(', nor that it ')}`);
    }
    for (const r of s.records) if (!r.checked) untested.push(`  ${s.system}: recording rule ${r.record} — no test reads it`);
    for (const r of s.receivers) if (!r.reached) untested.push(`  ${s.system}: receiver ${r.receiver} — no routing test reaches it`);
    for (const r of s.routes) if (!r.reached) untested.push(`  ${s.system}: route ${r.route} (receiver ${r.receiver}) — no routing test's alert takes it`);
    for (const r of s.inhibitRules) if (!r.exercised) untested.push(`  ${s.system}: inhibit rule ${r.rule + 1} — no routing test's alert is muted by it`);
  }
  if (untested.length > 0) lines.push('untested:', ...untested);
  for (const b of coverage.below) lines.push(`coverage below mon.config.ts tests.coverage.${b.figure}: ${NAMES[b.figure]} ${b.percent}% < ${b.threshold}%`);
  return `${lines.join('\n')}\n`;
}
