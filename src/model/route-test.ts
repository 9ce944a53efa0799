import type { Receiver } from './alertmanager.js';
import { brand, type Resource } from './resource.js';
import type { AlertRule } from './rule.js';
import type { Where } from './source-location.js';

/** An alert as Alertmanager receives it: its labels, or an alert rule (its `alertname` and static labels), plus labels its series bring. */
export type TestAlert = Record<string, string> | AlertRule | { rule: AlertRule; labels?: Record<string, string> };

/**
 * What `routeTest({…})` takes: an alert and the receivers Alertmanager must route it to, its grouping, inhibition and muting; run by `mon-test` with amtool.
 * @see https://github.com/prometheus/alertmanager#amtool
 */
export interface RouteTestSpec {
  /** Unique within its system; mon-test names failures by it. */
  name: string;
  alert: TestAlert;
  /**
   * The receivers the alert is routed to, in the order Alertmanager resolves them (`continue`
   * included): checked with `amtool config routes test` and moncode's evaluator.
   */
  expect: Receiver[];
  /**
   * The labels its notifications are grouped by at every route that takes it (`['...']` for
   * all labels, `[]` for one group of everything).
   */
  grouping?: string[];
  /** Alerts firing together with it, the one that inhibits it among them; `[]` expects it not inhibited by `firingWith`. */
  inhibitedBy?: TestAlert[];
  /** Other alerts firing at the same time (they may inhibit it, or not). */
  firingWith?: TestAlert[];
  /** An instant (ISO 8601, e.g. `2026-12-05T03:00:00Z`) to check the routes' mute and active time intervals at. */
  at?: string;
  /** With `at`: the receivers (of `expect`) a time interval keeps the alert from at that instant (every route to them muted); default none. */
  muted?: Receiver[];
}

/**
 * A routing test as `routeTest()` returns it.
 */
export type RouteTest = RouteTestSpec & Resource<'route-test'>;

/** A test of the system's Alertmanager routing, inhibition, grouping and time intervals, run by `mon-test`. */
export function routeTest(spec: RouteTestSpec): RouteTest {
  return brand(spec, 'route-test');
}

/** A compiled routing test, with where each expectation was written. */
export interface RouteTestModel {
  name: string;
  system: string;
  where: Where | undefined;
  alert: Record<string, string>;
  expect: string[];
  expectWhere: Where | undefined;
  grouping?: string[];
  groupingWhere?: Where | undefined;
  /** Alerts firing together with `alert` (`inhibitedBy` first, then `firingWith`). */
  firing: Array<Record<string, string>>;
  /** Whether `alert` is expected inhibited by `firing`; undefined when not asked. */
  inhibited?: boolean;
  inhibitedWhere?: Where | undefined;
  at?: Date;
  muted?: string[];
  mutedWhere?: Where | undefined;
}
