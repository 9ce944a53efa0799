import { formatDuration, parseDuration, readableDuration, WINDOW_UNITS } from '../../model/duration.js';
import { Locator } from '../../model/locator.js';
import type { BurnTierModel, RuleGroupModel, RuleModel, SliModel, SloModel } from '../../model/project-model.js';
import { decimal, format, minus, times } from '../../model/decimal.js';
import { WINDOW_PLACEHOLDER } from '../../slo/normalize.js';
import { pointer } from '../../model/pointer.js';
import { DEFAULT_PROMETHEUS_VERSION } from '../../model/config.js';
import { versionAtLeast } from '../../promql/versions.js';

/**
 * The Prometheus rules of an SLO, named as Sloth names them so Sloth's Grafana
 * dashboards keep working: SLI recordings per window, metadata recordings, and the
 * alerts — one per window pair, where Sloth ORs two pairs into one rule.
 */

/** `slo:sli_error:ratio_rate<window>`. */
export function sliRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** The error budget, `1 − objective`, as an exact decimal string. */
export function budgetText(slo: SloModel): string {
  return format(minus(decimal(1), decimal(slo.objective)));
}

/** `burn × budget`, the error ratio a tier compares with, exact. */
export function thresholdText(slo: SloModel, burn: number): string {
  return format(times(decimal(burn), minus(decimal(1), decimal(slo.objective))));
}

export function idLabels(slo: SloModel): Record<string, string> {
  return { sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
}

function idSelector(slo: SloModel): string {
  return Object.entries(idLabels(slo))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
}

function withWindow(query: string, window: string): string {
  return query.replace(new RegExp(WINDOW_PLACEHOLDER.source, 'g'), window);
}

function rateSum(selector: string, window: string): string {
  return `sum(rate(${selector}[${window}]))`;
}

/** Adds a matcher to a `metric{…}` selector text. */
function withMatcher(metric: string, matchers: string, extra: string): string {
  return `${metric}{${[matchers, extra].filter(Boolean).join(', ')}}`;
}

/**
 * The `le` a bucket boundary is stored under. Prometheus 3.0 normalises it to float form at
 * ingestion (`1` → `1.0`); before 3.0 the client library decides (Go writes `1`, Python `1.0`).
 */
export function storedLe(le: string, prometheusVersion: string): string {
  return versionAtLeast(prometheusVersion, 3, 0) && /^\d+$/.test(le) ? `${le}.0` : le;
}

/** The matcher of a bucket boundary: a whole number before 3.0 may be either client's form. */
function leMatcher(le: string, prometheusVersion: string): string {
  return !versionAtLeast(prometheusVersion, 3, 0) && /^\d+$/.test(le) ? `le=~"${le}|${le}\\\\.0"` : `le="${storedLe(le, prometheusVersion)}"`;
}

/** The error ratio of the SLI over one window. */
function errorRatioQuery(sli: SliModel, window: string, prometheusVersion: string): string {
  switch (sli.kind) {
    case 'ratio':
      return sli.errors ? `(${rateSum(sli.errors, window)})\n/\n(${rateSum(sli.total, window)})` : `1 - (\n(${rateSum(sli.good!, window)})\n/\n(${rateSum(sli.total, window)})\n)`;
    case 'latency': {
      const count = withMatcher(`${sli.metric}_count`, sli.matchers, '');
      const fast = withMatcher(`${sli.metric}_bucket`, sli.matchers, leMatcher(sli.le, prometheusVersion));
      return `(\n${rateSum(count, window)}\n-\n${rateSum(fast, window)}\n)\n/\n${rateSum(count, window)}`;
    }
    case 'events':
      return `(${withWindow(sli.errorQuery, window).trim()})\n/\n(${withWindow(sli.totalQuery, window).trim()})`;
    case 'raw':
      return `(${withWindow(sli.errorRatio, window).trim()})`;
  }
}

/** The windows recorded: every alert window, the timeslice, 5m, and the period. */
export function sliWindows(slo: SloModel): string[] {
  const windows = new Set<string>(['5m', ...(slo.alsoRecord ?? [])]);
  for (const tier of slo.tiers) {
    windows.add(tier.short);
    windows.add(tier.long);
  }
  if (slo.budgeting.kind === 'timeslices') windows.add(slo.budgeting.window);
  return [...windows].sort((a, b) => parseDuration(a)! - parseDuration(b)!);
}

function rule(record: string, expr: string, labels: Record<string, string>): RuleModel {
  return { record, expr, labels };
}

/** The period's error ratio: counted from all events of the period (occurrences), or the share of bad slices. */
function periodQuery(slo: SloModel, prometheusVersion: string): string {
  const ids = idSelector(slo);
  if (slo.budgeting.kind === 'timeslices') {
    const limit = format(minus(decimal(1), decimal(slo.budgeting.target)));
    return `avg_over_time((${sliRecord(slo.budgeting.window)}{${ids}} > bool ${limit})[${slo.period}:${slo.budgeting.window}])`;
  }
  // A ratio query of its own cannot be summed; its 5m values are averaged (each 5m counts the same).
  if (slo.sli.kind === 'raw') return `avg_over_time(${sliRecord('5m')}{${ids}}[${slo.period}])`;
  // The events of the period, summed from the 5m event-rate recordings: exact like rate() over the
  // raw counters for the whole period, at a fixed cost per evaluation (docs/slos.md, "Period SLI").
  return `sum_over_time(${EVENT_RECORDS.errors}{${ids}}[${slo.period}])\n/\nsum_over_time(${EVENT_RECORDS.total}{${ids}}[${slo.period}])`;
}

/** The 5m rates of bad and of all events the period SLI sums, recorded beside the 5m ratio. */
const EVENT_RECORDS = { errors: 'slo:sli_error_events:rate5m', total: 'slo:sli_total_events:rate5m' } as const;

/** The rates of bad and of all events over one window, for SLIs made of events (not a ratio query). */
function eventRates(sli: SliModel, window: string, prometheusVersion: string): { errors: string; total: string } | undefined {
  switch (sli.kind) {
    case 'ratio':
      // Client libraries create an error series at the first error: until then its rate is 0, not absent.
      return { errors: sli.errors ? `${rateSum(sli.errors, window)} or vector(0)` : `${rateSum(sli.total, window)}\n-\n${rateSum(sli.good!, window)}`, total: rateSum(sli.total, window) };
    case 'latency': {
      const count = rateSum(withMatcher(`${sli.metric}_count`, sli.matchers, ''), window);
      return { errors: `${count}\n-\n${rateSum(withMatcher(`${sli.metric}_bucket`, sli.matchers, leMatcher(sli.le, prometheusVersion)), window)}`, total: count };
    }
    case 'events':
      return { errors: withWindow(sli.errorQuery, window).trim(), total: withWindow(sli.totalQuery, window).trim() };
    case 'raw':
      return undefined;
  }
}

interface SloRules {
  groups: Array<Omit<RuleGroupModel, 'system' | 'outputName' | 'file' | 'from' | 'locator' | 'suppressions'>>;
}

/** The three rule groups of an SLO (SLI recordings, metadata, alerts). */
export function sloRuleGroups(slo: SloModel, evaluationInterval?: string, prometheusVersion = DEFAULT_PROMETHEUS_VERSION): SloRules['groups'] {
  const base = { ...slo.labels, ...idLabels(slo) };
  const ids = idSelector(slo);
  const sli: RuleModel[] = sliWindows(slo).map((window) => rule(sliRecord(window), errorRatioQuery(slo.sli, window, prometheusVersion), { ...base, sloth_window: window }));
  const events = slo.budgeting.kind === 'occurrences' ? eventRates(slo.sli, '5m', prometheusVersion) : undefined;
  if (events) sli.push(rule(EVENT_RECORDS.errors, events.errors, { ...base, sloth_window: '5m' }), rule(EVENT_RECORDS.total, events.total, { ...base, sloth_window: '5m' }));
  sli.push(rule(sliRecord(slo.period), periodQuery(slo, prometheusVersion), { ...base, sloth_window: slo.period }));

  const budget = budgetText(slo);
  const meta: RuleModel[] = [
    rule('slo:objective:ratio', `vector(${format(decimal(slo.objective))})`, base),
    rule('slo:error_budget:ratio', `vector(${budget})`, base),
    rule('slo:time_period:days', `vector(${format(decimal(parseDuration(slo.period)! / 86_400_000))})`, base),
    rule('slo:current_burn_rate:ratio', `${sliRecord('5m')}{${ids}}\n/ on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${ids}}`, base),
    rule('slo:period_burn_rate:ratio', `${sliRecord(slo.period)}{${ids}}\n/ on (sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{${ids}}`, base),
    rule('slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio{${ids}}`, base),
    rule('sloth_slo_info', 'vector(1)', { ...base, sloth_mode: 'moncode', sloth_objective: slo.objectiveText, sloth_spec: 'moncode/v1' }),
  ];

  const alerts: RuleModel[] = slo.tiers.map((tier) => burnAlert(slo, tier));
  if (slo.absentAlert) alerts.push(absentAlert(slo, evaluationInterval));

  // The 5m SLI recording stands for the user's selectors and queries, and is analysed like any rule.
  for (const rule of [...sli, ...meta, ...alerts]) if (rule.record !== sliRecord('5m')) rule.mechanical = true;
  const groups: SloRules['groups'] = [
    { name: `sloth-slo-sli-recordings-${slo.id}`, rules: sli },
    { name: `sloth-slo-meta-recordings-${slo.id}`, rules: meta },
  ];
  if (alerts.length > 0) groups.push({ name: `sloth-slo-alerts-${slo.id}`, rules: alerts });
  // No group `interval`: the groups run at the Prometheus' evaluation interval, like the rest.
  return groups;
}

/** Generated SLO rules go to `<system>-slos.rules.yml`. */
export function sloRuleFile(system: string): string {
  return `${system}-slos`;
}

/**
 * The SLO's rule groups as the rest of moncode sees rule groups: their rules point back at
 * the SLO (alerts at its alerting, recordings at its SLI), and its suppressions apply.
 */
export function sloRuleGroupModels(slo: SloModel, target: { evaluationInterval?: string; version: string }, from: RuleGroupModel['from']): RuleGroupModel[] {
  const where = slo.locator.get('');
  return sloRuleGroups(slo, target.evaluationInterval, target.version).map((group) => {
    const locator = new Locator();
    locator.set('', where);
    group.rules.forEach((rule, i) => locator.set(pointer('rules', i), slo.locator.get(rule.alert ? '/alerting' : '/sli') ?? where));
    return { ...group, system: slo.system, outputName: sloRuleFile(slo.system), file: slo.file, from, locator, suppressions: slo.suppressions, generatedFrom: slo };
  });
}

/** Share of the period's budget a tier lets burn before it fires: burn × long / period. */
function budgetConsumed(slo: SloModel, tier: Pick<BurnTierModel, 'burn' | 'long'>): number {
  return (tier.burn * parseDuration(tier.long)!) / parseDuration(slo.period)!;
}

function percent(value: number): string {
  return `${+(value * 100).toFixed(2)}%`;
}

function burnAlert(slo: SloModel, tier: BurnTierModel): RuleModel {
  const threshold = thresholdText(slo, tier.burn);
  const ids = idSelector(slo);
  const side = (window: string) => `max without (sloth_window) (${sliRecord(window)}{${ids}}) > ${threshold}`;
  const exhaustion = readableDuration(parseDuration(slo.period)! / tier.burn, 'long');
  const labels: Record<string, string> = {
    ...slo.labels,
    ...slo.alertLabels,
    severity: tier.severity,
    ...tier.labels,
    slo: slo.name,
    sloth_severity: tier.kind,
    burn_tier: tier.tier,
    long_window: tier.long,
    short_window: tier.short,
    burn_rate: String(tier.burn),
  };
  const annotations: Record<string, string> = {
    summary: `${slo.service} ${slo.name}: error budget burning ${tier.burn}× too fast`,
    description:
      `The error ratio of ${slo.service} ${slo.name} is above ${threshold} (${tier.burn}× the ${budgetText(slo)} budget of a ${slo.objectiveText}% objective) ` +
      `over both the last ${tier.long} and the last ${tier.short}. At this rate the ${slo.period} budget is gone in ${exhaustion}; ` +
      `${percent(budgetConsumed(slo, tier))} of it is spent by the time this alert fires.`,
    ...slo.alertAnnotations,
    ...tier.annotations,
  };
  if (slo.runbook) annotations.runbook_url = slo.runbook;
  const alert: RuleModel = { alert: slo.alertName, expr: `(\n  ${side(tier.short)}\nand\n  ${side(tier.long)}\n)`, labels, annotations };
  if (tier.for) alert.for = tier.for;
  return alert;
}

/**
 * "No data" is an absent total: client libraries create the error series at the first error,
 * so a missing error series (and the empty ratio it gives) is a clean service, not missing data.
 */
function absentExpr(slo: SloModel): string {
  const sli = slo.sli;
  switch (sli.kind) {
    case 'ratio':
      return `absent(sum(${sli.total}))`;
    case 'latency':
      return `absent(sum(${withMatcher(`${sli.metric}_count`, sli.matchers, '')}))`;
    case 'events':
      return `absent(${withWindow(sli.totalQuery, '5m').trim()})`;
    case 'raw':
      return `absent(${sliRecord('5m')}{${idSelector(slo)}})`;
  }
}

/**
 * No SLI data: after the time a full outage needs to trip the fastest page (Pyrra's rule),
 * at least 5 minutes.
 */
function absentAlert(slo: SloModel, evaluationInterval?: string): RuleModel {
  const fastest = slo.tiers.filter((t) => t.kind === 'page');
  const tripMs = fastest.length ? Math.min(...fastest.map((t) => Number(thresholdText(slo, t.burn)) * parseDuration(t.long)! + (t.for ? parseDuration(t.for)! : 0))) : 0;
  const forMs = Math.max(5 * 60_000, Math.ceil(tripMs / 60_000) * 60_000, 2 * (parseDuration(evaluationInterval ?? '1m') ?? 60_000));
  const labels: Record<string, string> = { ...slo.labels, ...slo.alertLabels, severity: 'warning', slo: slo.name, sloth_id: slo.id, sloth_service: slo.service, sloth_slo: slo.name };
  const annotations: Record<string, string> = {
    summary: `${slo.service} ${slo.name}: the SLI has no data`,
    description: `The SLI of ${slo.service} ${slo.name} has had no ${slo.sli.kind === 'raw' ? 'error ratio' : 'total series'} for ${formatDuration(forMs, WINDOW_UNITS)}: the burn-rate alerts of this SLO cannot fire. Check that the service is scraped and its metrics exist.`,
  };
  // The runbook of the burn alerts (Sloth's specs give it as their annotation) serves this one too.
  const runbook = slo.runbook ?? slo.alertAnnotations.runbook_url;
  if (runbook) annotations.runbook_url = runbook;
  return { alert: `${slo.alertName}SLIAbsent`, expr: absentExpr(slo), for: formatDuration(forMs, WINDOW_UNITS), labels, annotations };
}
