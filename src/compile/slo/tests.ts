import { versionAtLeast } from '../../promql/versions.js';
import { parseDuration } from '../../model/duration.js';
import { matchesValue } from '../../model/matcher.js';
import type { RuleModel, SloModel } from '../../model/project-model.js';
import type { Expr, Matcher } from '../../promql/ast.js';
import { parsePromql } from '../../promql/parse.js';
import { WINDOW_PLACEHOLDER } from '../../slo/normalize.js';
import { budgetText, idLabels, storedLe, thresholdText } from './rules.js';

/**
 * `promtool test rules` cases for the rules of an SLO, with synthetic counters:
 * a full outage fires the fast page within its detection time, a steady burn at
 * half the budget rate fires nothing for three days, and no data fires the
 * absent-SLI alert.
 */

const STEP_MS = 60_000;
/** Requests per minute of the synthetic service. */
const TRAFFIC = 600;

interface Series {
  series: string;
  values: string;
}

const CANDIDATES = ['500', '503', '200', '201', '404', '429', 'error', 'ok', 'success', 'failure', '5xx', '2xx', 'true', 'false', 'GET', 'POST', 'x', 'a', '0', '1'];

function satisfies(matcher: Matcher, value: string): boolean {
  return matchesValue(matcher, value) ?? false;
}

/** A value of `label` that satisfies `must` and (when given) violates one of `mustNot`. */
function pickValue(must: Matcher[], mustNot: Matcher[] = []): string | undefined {
  const literal = [...must, ...mustNot].flatMap((m) => (m.op === '=' ? [m.value] : m.op === '=~' ? m.value.split('|').map((alt) => alt.replace(/\./g, '0').replace(/[()^$\\]/g, '')) : []));
  for (const value of [...literal, ...CANDIDATES, '']) {
    if (!must.every((m) => satisfies(m, value))) continue;
    if (mustNot.length > 0 && mustNot.every((m) => satisfies(m, value))) continue;
    return value;
  }
  return undefined;
}

function selectorOf(text: string): { name: string; matchers: Matcher[] } | undefined {
  const parsed = parsePromql(text);
  if (parsed.error || parsed.expr.kind !== 'vector' || !parsed.expr.name) return undefined;
  return { name: parsed.expr.name, matchers: parsed.expr.matchers.filter((m) => m.label.name !== '__name__') };
}

/** Labels of a series matching `inSel` and, when `outSel` is given, not matching it. */
function seriesLabels(inSels: Array<{ matchers: Matcher[] }>, outSel?: { matchers: Matcher[] }): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  const names = new Set([...inSels.flatMap((s) => s.matchers.map((m) => m.label.name)), ...(outSel?.matchers.map((m) => m.label.name) ?? [])]);
  let violated = !outSel;
  for (const name of [...names].sort()) {
    const must = inSels.flatMap((s) => s.matchers.filter((m) => m.label.name === name));
    const excluded = outSel?.matchers.filter((m) => m.label.name === name) ?? [];
    let value: string | undefined;
    if (!violated && excluded.length > 0) {
      value = pickValue(must, excluded);
      if (value !== undefined) violated = true;
    }
    value ??= pickValue(must);
    if (value === undefined) return undefined;
    if (value !== '') labels[name] = value;
  }
  if (!violated) return undefined;
  return labels;
}

function seriesText(name: string, labels: Record<string, string>): string {
  const inner = Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${name}{${inner}}`;
}

/** The selector of an event query `sum(rate(selector[{{.window}}]))` (Sloth's and OpenSLO's usual form), as text. */
function summedRateSelector(query: string): string | undefined {
  const parsed = parsePromql(query.replace(new RegExp(WINDOW_PLACEHOLDER.source, 'g'), '5m'));
  if (parsed.error) return undefined;
  let expr: Expr = parsed.expr;
  while (expr.kind === 'paren') expr = expr.expr;
  if (expr.kind !== 'aggregate' || expr.op !== 'sum' || expr.param || (expr.grouping && expr.grouping.labels.length > 0)) return undefined;
  let inner: Expr = expr.expr;
  while (inner.kind === 'paren') inner = inner.expr;
  if (inner.kind !== 'call' || (inner.func !== 'rate' && inner.func !== 'increase') || inner.args.length !== 1) return undefined;
  const range = inner.args[0]!;
  if (range.kind !== 'matrix' || range.offsetMs || range.selector.offsetMs || !range.selector.name) return undefined;
  const text = query.replace(new RegExp(WINDOW_PLACEHOLDER.source, 'g'), '5m');
  return text.slice(range.selector.from, range.selector.to);
}

/** How the SLI's synthetic series are made, or undefined when its queries are not plain selectors. */
function plan(slo: SloModel, prometheusVersion: string): { badSeries: string; goodSeries: string; totalSeries?: string } | undefined {
  if (slo.sli.kind === 'events') {
    const errors = summedRateSelector(slo.sli.errorQuery);
    const total = summedRateSelector(slo.sli.totalQuery);
    return errors && total ? plan({ ...slo, sli: { kind: 'ratio', errors, total } }, prometheusVersion) : undefined;
  }
  const sli = slo.sli;
  if (sli.kind === 'latency') {
    const sel = selectorOf(`${sli.metric}{${sli.matchers}}`);
    if (!sel) return undefined;
    const labels = seriesLabels([sel]);
    if (!labels) return undefined;
    // Slow requests: count − fast bucket. The "good" series is the fast bucket, the total is _count.
    return { goodSeries: seriesText(`${sli.metric}_bucket`, { ...labels, le: storedLe(sli.le, prometheusVersion) }), badSeries: '', totalSeries: seriesText(`${sli.metric}_count`, labels) };
  }
  if (sli.kind !== 'ratio') return undefined;
  const total = selectorOf(sli.total);
  const part = selectorOf(sli.errors ?? sli.good!);
  if (!total || !part) return undefined;
  if (part.name === total.name) {
    const inPart = seriesLabels([total, part]);
    const outPart = seriesLabels([total], part);
    if (!inPart || !outPart) return undefined;
    const a = seriesText(total.name, inPart);
    const b = seriesText(total.name, outPart);
    return sli.errors ? { badSeries: a, goodSeries: b } : { goodSeries: a, badSeries: b };
  }
  const partLabels = seriesLabels([part]);
  const totalLabels = seriesLabels([total]);
  if (!partLabels || !totalLabels) return undefined;
  return sli.errors
    ? { badSeries: seriesText(part.name, partLabels), goodSeries: '', totalSeries: seriesText(total.name, totalLabels) }
    : { goodSeries: seriesText(part.name, partLabels), badSeries: '', totalSeries: seriesText(total.name, totalLabels) };
}

/** Counter values per minute: `per` events a minute for `minutes`, then `after` a minute for `more`. */
function counter(per: number, minutes: number, after?: number, more = 0): string {
  const head = `0+${fmt(per)}x${minutes}`;
  if (after === undefined || more === 0) return head;
  const start = per * minutes;
  return `${head} ${fmt(start + after)}+${fmt(after)}x${more - 1}`;
}

function fmt(value: number): string {
  return String(+value.toFixed(6));
}

/** Series for `good`/`bad` events per minute before and after a change. */
function inputSeries(p: NonNullable<ReturnType<typeof plan>>, before: { bad: number; good: number }, minutes: number, after?: { bad: number; good: number }, more = 0): Series[] {
  const series: Series[] = [];
  const total = (r: { bad: number; good: number }) => r.bad + r.good;
  if (p.totalSeries) {
    series.push({ series: p.totalSeries, values: counter(total(before), minutes, after && total(after), more) });
    // Separate metrics: the part series counts either bad or good events on its own.
    if (p.badSeries) series.push({ series: p.badSeries, values: counter(before.bad, minutes, after?.bad, more) });
    if (p.goodSeries) series.push({ series: p.goodSeries, values: counter(before.good, minutes, after?.good, more) });
  } else {
    series.push({ series: p.badSeries, values: counter(before.bad, minutes, after?.bad, more) });
    series.push({ series: p.goodSeries, values: counter(before.good, minutes, after?.good, more) });
  }
  return series;
}

/**
 * The promtool tests of one SLO, given the alert rules generated for it, or undefined when
 * its SLI is a query moncode cannot feed.
 */
export function sloTests(slo: SloModel, alerts: readonly RuleModel[], prometheusVersion: string): Array<Record<string, unknown>> | undefined {
  const p = plan(slo, prometheusVersion);
  if (!p || slo.tiers.length === 0) return undefined;
  const burnAlerts = alerts.filter((a) => a.alert === slo.alertName);
  const expected = (tiers: string[]) =>
    burnAlerts.filter((a) => tiers.includes(a.labels!.burn_tier!)).map((a) => ({ exp_labels: { ...slo.labels, ...idLabels(slo), ...a.labels }, exp_annotations: a.annotations }));
  const longest = Math.max(...slo.tiers.map((t) => parseDuration(t.long)!), parseDuration(slo.budgeting.kind === 'timeslices' ? slo.budgeting.window : '5m')!);
  const tests: Array<Record<string, unknown>> = [];

  // A full outage after the longest page window of clean traffic: the fast page fires first.
  const pageLongest = Math.max(...slo.tiers.filter((t) => t.kind === 'page').map((t) => parseDuration(t.long)!), 0);
  const start = Math.ceil((pageLongest || longest) / STEP_MS);
  const checks = outageChecks(slo, start, !versionAtLeast(prometheusVersion, 3, 0));
  if (checks.length > 0) {
    const last = checks[checks.length - 1]!.minute;
    tests.push({
      name: `${slo.id}: a full outage fires the page within ${checks[0]!.minute} minutes`,
      interval: '1m',
      input_series: inputSeries(p, { bad: 0, good: TRAFFIC }, start, { bad: TRAFFIC, good: 0 }, last + 5),
      alert_rule_test: [
        { eval_time: `${start}m`, alertname: slo.alertName, exp_alerts: [] },
        ...checks.map((check) => ({ eval_time: `${start + check.minute}m`, alertname: slo.alertName, exp_alerts: expected(check.firing) })),
      ],
    });
  }

  // Half the budget rate, steadily, for the longest window and a bit: nothing fires.
  const budget = Number(budgetText(slo));
  const half = { bad: (TRAFFIC * budget) / 2, good: TRAFFIC * (1 - budget / 2) };
  // A steady ratio reads the same over every window once a few samples are in, so six hours
  // of it tell as much as three days (and keep promtool quick).
  const minutes = Math.min(Math.ceil(longest / STEP_MS), 360) + 60;
  const quiet = [...new Set([60, ...slo.tiers.map((t) => Math.ceil(parseDuration(t.long)! / STEP_MS)), minutes])].filter((m) => m <= minutes).sort((a, b) => a - b);
  tests.push({
    name: `${slo.id}: a steady burn at 0.5x the budget rate fires nothing`,
    interval: '1m',
    input_series: inputSeries(p, half, minutes),
    alert_rule_test: quiet.flatMap((m) => [
      { eval_time: `${m}m`, alertname: slo.alertName, exp_alerts: [] },
      ...(slo.absentAlert ? [{ eval_time: `${m}m`, alertname: `${slo.alertName}SLIAbsent`, exp_alerts: [] }] : []),
    ]),
  });

  if (slo.absentAlert) {
    const absent = alerts.find((a) => a.alert === `${slo.alertName}SLIAbsent`)!;
    const forMinutes = parseDuration(absent.for!)! / STEP_MS;
    tests.push({
      name: `${slo.id}: no SLI data fires ${absent.alert}`,
      interval: '1m',
      input_series: [{ series: 'up{job="unrelated"}', values: `1x${forMinutes + 5}` }],
      alert_rule_test: [{ eval_time: `${forMinutes + 2}m`, alertname: absent.alert, exp_alerts: [{ exp_labels: absent.labels, exp_annotations: absent.annotations }] }],
    });
  }
  return tests;
}

/**
 * When to look during a full outage: the first minute the set of firing tiers includes a
 * page and is settled (the same a minute before, so evaluation order does not matter),
 * and the minute every tier fires. After `history` minutes of clean traffic, the error
 * ratio over a window of w minutes, k minutes into the outage, is the errors' increase
 * over the total's, which rate() extrapolates to the window start (the errors counter
 * starts from zero, so it is not extrapolated). Minutes where a ratio is within 5% of a
 * threshold are skipped as too close to call. Before Prometheus 3.0 a range includes the
 * sample at its left boundary (`leftClosed`): a w-minute window then holds w + 1 samples
 * at a 1m interval and needs no extrapolation; from 3.0 it holds w and is extrapolated a
 * whole interval.
 */
function outageChecks(slo: SloModel, history: number, leftClosed: boolean): Array<{ minute: number; firing: string[] }> {
  const minutes = (w: string) => parseDuration(w)! / STEP_MS;
  // Samples span min(w − 1, history + k) minutes of the window (w before 3.0); rate() extrapolates
  // the total to a full window's start, half an interval when the data starts inside it.
  const ratio = (k: number, w: number) => {
    const reach = leftClosed ? w : w - 1;
    const span = Math.min(reach, history + k);
    const full = reach <= history + k;
    return Math.min(k, span) / (span + (full ? (leftClosed ? 0 : 1) : 0.5));
  };
  const state = (k: number): { firing: string[]; close: boolean } => {
    let close = false;
    const firing = slo.tiers
      .filter((tier) => {
        const threshold = Number(thresholdText(slo, tier.burn));
        const holds = (at: number) =>
          at >= 1 &&
          [minutes(tier.long), minutes(tier.short)].every((w) => {
            const r = ratio(at, w);
            if (Math.abs(r - threshold) <= 0.05 * threshold) close = true;
            return r > threshold;
          });
        const pending = tier.for ? Math.ceil(parseDuration(tier.for)! / STEP_MS) : 0;
        return Array.from({ length: pending + 1 }, (_, j) => holds(k - j)).every(Boolean);
      })
      .map((tier) => tier.tier);
    return { firing, close };
  };
  const horizon = Math.max(...slo.tiers.map((t) => minutes(t.long) * Number(thresholdText(slo, t.burn)) + (t.for ? minutes(t.for) : 0))) + 10;
  const checks: Array<{ minute: number; firing: string[] }> = [];
  for (let k = 2; k <= horizon && checks.length < 2; k++) {
    const now = state(k);
    const before = state(k - 1);
    if (now.close || before.close || now.firing.join() !== before.firing.join()) continue;
    const pages = now.firing.some((tier) => slo.tiers.find((t) => t.tier === tier)!.kind === 'page');
    if (checks.length === 0 && pages) checks.push({ minute: k, firing: now.firing });
    else if (checks.length === 1 && now.firing.length === slo.tiers.length && k > checks[0]!.minute) checks.push({ minute: k, firing: now.firing });
  }
  return checks;
}
