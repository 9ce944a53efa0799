import { matchesValue, parseMatcher, type RouteMatcher } from '../model/matcher.js';
import { pointerUnder } from '../model/pointer.js';

/**
 * What Alertmanager (0.25) does with a batch of alerts firing together, worked out from the
 * configuration in alertmanager.yml's shape (`AlertmanagerModel.config`, compiled or read):
 * which routes take each alert (`continue` included), the groups `group_by` makes, which
 * alerts an inhibit rule mutes, and whether time intervals mute a route at a given instant.
 * `amtool config routes test` answers only the first, for one alert.
 */

export type Labels = Record<string, string>;

/** A route an alert ends at, with the options it inherited down the tree. */
export interface RouteMatch {
  /** JSON pointer of the route in the config: `/route`, `/route/routes/0`. */
  at: string;
  receiver: string;
  /** The labels the route groups by; `['...']` groups by all. */
  groupBy: string[];
  muteTimeIntervals: string[];
  activeTimeIntervals: string[];
}

export interface Inhibition {
  /** Index of the inhibit rule in `inhibit_rules`. */
  rule: number;
  /** Index of the alert (in the batch) that mutes. */
  by: number;
}

export interface AlertGroup {
  route: RouteMatch;
  /** The values of the group_by labels the group shares (all labels for `...`). */
  labels: Labels;
  /** Indexes of the alerts in the batch. */
  alerts: number[];
  /** Whether a mute time interval is active, or active_time_intervals are given and none is, at the instant asked. */
  mutedByTime: boolean;
}

export interface Notification {
  receiver: string;
  route: string;
  labels: Labels;
  /** The alerts of the group that are neither inhibited: what the receiver is sent. */
  alerts: number[];
}

export interface Verdict {
  /** Per alert: the routes that take it. */
  routes: RouteMatch[][];
  /** Per alert: what inhibits it (empty when nothing does). */
  inhibitedBy: Inhibition[][];
  groups: AlertGroup[];
  /** Groups with an alert to send at the instant, not muted by a time interval. */
  notifications: Notification[];
}

type Json = Record<string, unknown>;

interface RouteOpts {
  receiver: string;
  groupBy: string[];
}

/** The routes of the tree that take an alert with these labels, in Alertmanager's order. */
export function matchRoutes(config: Json, labels: Labels): RouteMatch[] {
  const root = (config.route ?? {}) as Json;
  const opts: RouteOpts = { receiver: String(root.receiver ?? ''), groupBy: stringList(root.group_by) };
  return walk(root, '/route', opts, labels, true) ?? [];
}

function walk(route: Json, at: string, parent: RouteOpts, labels: Labels, root: boolean): RouteMatch[] | undefined {
  if (!root && !routeMatchers(route, at).every((m) => matches(m, labels))) return undefined;
  const opts: RouteOpts = {
    receiver: typeof route.receiver === 'string' && route.receiver !== '' ? route.receiver : parent.receiver,
    groupBy: route.group_by !== undefined ? stringList(route.group_by) : parent.groupBy,
  };
  const all: RouteMatch[] = [];
  const children = Array.isArray(route.routes) ? (route.routes as Json[]) : [];
  for (const [index, child] of children.entries()) {
    const found = walk(child, pointerUnder(at, 'routes', index), opts, labels, false);
    if (!found) continue;
    all.push(...found);
    if (child.continue !== true) break;
  }
  if (all.length > 0) return all;
  // Time intervals belong to the route that names them; child routes do not inherit them.
  return [{ at, receiver: opts.receiver, groupBy: opts.groupBy, muteTimeIntervals: stringList(route.mute_time_intervals), activeTimeIntervals: stringList(route.active_time_intervals) }];
}

/** A route's matchers in every spelling Alertmanager reads: `matchers`, and the older `match` / `match_re`. */
function routeMatchers(route: Json, at: string): RouteMatcher[] {
  return [...stringMatchers(route.matchers, pointerUnder(at, 'matchers')), ...mapMatchers(route.match, '=', at), ...mapMatchers(route.match_re, '=~', at)];
}

function stringMatchers(list: unknown, at: string): RouteMatcher[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((text, index) => {
    if (typeof text !== 'string') return [];
    const parsed = parseMatcher(text, pointerUnder(at, index));
    // A matcher moncode cannot parse matches nothing: amtool check-config refuses the file anyway.
    return [parsed ?? { label: '__unparsed__', op: '=' as const, value: '\u0000', at }];
  });
}

function mapMatchers(map: unknown, op: '=' | '=~', at: string): RouteMatcher[] {
  if (typeof map !== 'object' || map === null) return [];
  return Object.entries(map as Record<string, unknown>).map(([label, value]) => ({ label, op, value: String(value), at }));
}

function matches(matcher: { label: string; op: RouteMatcher['op']; value: string }, labels: Labels): boolean {
  // A label the alert lacks has the empty value: `team=""` matches an alert without `team`.
  return matchesValue(matcher, labels[matcher.label] ?? '') === true;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * For each alert of the batch, the inhibit rules that mute it and the alert that does.
 * As Alertmanager: a muted alert still mutes others; an alert that matches both sides of a
 * rule is not muted by another alert that also matches both; `equal` labels compare values,
 * a missing label being the empty value.
 */
export function inhibitions(config: Json, alerts: readonly Labels[]): Inhibition[][] {
  const rules = Array.isArray(config.inhibit_rules) ? (config.inhibit_rules as Json[]) : [];
  const parsed = rules.map((rule, index) => {
    const at = pointerUnder('/inhibit_rules', index);
    return {
      source: [...stringMatchers(rule.source_matchers, pointerUnder(at, 'source_matchers')), ...mapMatchers(rule.source_match, '=', at), ...mapMatchers(rule.source_match_re, '=~', at)],
      target: [...stringMatchers(rule.target_matchers, pointerUnder(at, 'target_matchers')), ...mapMatchers(rule.target_match, '=', at), ...mapMatchers(rule.target_match_re, '=~', at)],
      equal: stringList(rule.equal),
    };
  });
  return alerts.map((target, targetIndex) => {
    const found: Inhibition[] = [];
    for (const [ruleIndex, rule] of parsed.entries()) {
      if (!rule.target.every((m) => matches(m, target))) continue;
      const twoSided = rule.source.every((m) => matches(m, target));
      for (const [sourceIndex, source] of alerts.entries()) {
        if (sourceIndex === targetIndex && twoSided) continue;
        if (!rule.source.every((m) => matches(m, source))) continue;
        if (twoSided && rule.target.every((m) => matches(m, source))) continue;
        if (!rule.equal.every((label) => (source[label] ?? '') === (target[label] ?? ''))) continue;
        found.push({ rule: ruleIndex, by: sourceIndex });
        break;
      }
    }
    return found;
  });
}

/** The labels of a group: the group_by labels the alert has (all of them for `...`). */
function groupLabels(route: RouteMatch, labels: Labels): Labels {
  if (route.groupBy.includes('...')) return { ...labels };
  const out: Labels = {};
  for (const label of route.groupBy) if (labels[label] !== undefined && labels[label] !== '') out[label] = labels[label]!;
  return out;
}

/** Everything Alertmanager decides for a batch of alerts firing together, at the instant `at`. */
export function evaluate(config: Json, alerts: readonly Labels[], at: Date = new Date()): Verdict {
  const routes = alerts.map((labels) => matchRoutes(config, labels));
  const inhibitedBy = inhibitions(config, alerts);
  const intervals = timeIntervalsOf(config);
  const groups: AlertGroup[] = [];
  const byKey = new Map<string, AlertGroup>();
  routes.forEach((list, alert) => {
    for (const route of list) {
      const labels = groupLabels(route, alerts[alert]!);
      const key = `${route.at}\u0000${JSON.stringify(Object.entries(labels).sort())}`;
      let group = byKey.get(key);
      if (!group) {
        const mutedByTime =
          route.muteTimeIntervals.some((name) => intervalActive(intervals.get(name), at)) ||
          (route.activeTimeIntervals.length > 0 && !route.activeTimeIntervals.some((name) => intervalActive(intervals.get(name), at)));
        group = { route, labels, alerts: [], mutedByTime };
        byKey.set(key, group);
        groups.push(group);
      }
      group.alerts.push(alert);
    }
  });
  const notifications: Notification[] = [];
  for (const group of groups) {
    if (group.mutedByTime) continue;
    const sent = group.alerts.filter((alert) => inhibitedBy[alert]!.length === 0);
    if (sent.length > 0) notifications.push({ receiver: group.route.receiver, route: group.route.at, labels: group.labels, alerts: sent });
  }
  return { routes, inhibitedBy, groups, notifications };
}

type TimeRange = { weekdays?: string[]; times?: Array<{ start_time: string; end_time: string }>; days_of_month?: string[]; months?: string[]; years?: string[]; location?: string };

function timeIntervalsOf(config: Json): Map<string, TimeRange[]> {
  const map = new Map<string, TimeRange[]>();
  for (const field of ['time_intervals', 'mute_time_intervals']) {
    const list = config[field];
    if (!Array.isArray(list)) continue;
    for (const item of list as Json[]) if (typeof item.name === 'string') map.set(item.name, (item.time_intervals as TimeRange[] | undefined) ?? []);
  }
  return map;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Whether a named interval contains the instant: one of its ranges does. An unknown name is never active. */
export function intervalActive(ranges: readonly TimeRange[] | undefined, at: Date): boolean {
  return (ranges ?? []).some((range) => rangeContains(range, at));
}

function rangeContains(range: TimeRange, at: Date): boolean {
  const t = clock(at, range.location);
  if (range.times?.length) {
    const minutes = t.hour * 60 + t.minute;
    if (!range.times.some((span) => minutes >= clockMinutes(span.start_time) && minutes < clockMinutes(span.end_time))) return false;
  }
  if (range.weekdays?.length && !range.weekdays.some((spec) => inRange(spec, t.weekday, (name) => WEEKDAYS.indexOf(name.toLowerCase())))) return false;
  if (range.days_of_month?.length) {
    const days = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
    // Negative days count from the month's end: -1 is its last day.
    const day = (text: string) => {
      const n = Number(text);
      return n < 0 ? days + n + 1 : n;
    };
    if (!range.days_of_month.some((spec) => inRange(spec, t.day, day))) return false;
  }
  if (range.months?.length) {
    const month = (text: string) => (/^\d+$/.test(text) ? Number(text) : MONTHS.indexOf(text.toLowerCase()) + 1);
    if (!range.months.some((spec) => inRange(spec, t.month, month))) return false;
  }
  if (range.years?.length && !range.years.some((spec) => inRange(spec, t.year, Number))) return false;
  return true;
}

function inRange(spec: string, value: number, read: (text: string) => number): boolean {
  const parts = spec.split(':');
  const from = read(parts[0]!.trim());
  const to = parts.length > 1 ? read(parts[1]!.trim()) : from;
  return value >= from && value <= to;
}

function clockMinutes(text: string): number {
  const [h, m] = text.split(':').map(Number);
  return h! * 60 + m!;
}

/** The calendar fields of an instant in an IANA zone (UTC when none, `Local` as the machine's). */
function clock(at: Date, location: string | undefined): { year: number; month: number; day: number; weekday: number; hour: number; minute: number } {
  const zone = location === undefined || location === '' || location === 'UTC' ? 'UTC' : location === 'Local' ? undefined : location;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    weekday: WEEKDAYS.indexOf(get('weekday').toLowerCase()),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
  };
}
