import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { normalizeSlo } from '../../src/slo/normalize.js';
import { sloRuleGroups } from '../../src/compile/slo/rules.js';
import { Locator } from '../../src/model/locator.js';
import type { RuleModel, SloModel } from '../../src/model/project-model.js';
import { requireShared } from '../helpers/shared.js';

// Sloth's published example (slok/sloth examples/getting-started.yml and its generated
// rules), as quoted in shared/research/slo.md §1.7, against what moncode generates for the
// same SLO. docs/slos.md lists the naming choices that differ on purpose.
const { path: RESEARCH, present } = requireShared('research/slo.md');

function slothOutput(): Array<{ name: string; rules: RuleModel[] }> {
  const text = readFileSync(RESEARCH, 'utf8');
  const after = text.slice(text.indexOf('Generated output'));
  const block = /```yaml\n([\s\S]*?)```/.exec(after)![1]!;
  return (parseYaml(block.replace(/^\s*---\s*$/m, '')) as { groups: Array<{ name: string; rules: RuleModel[] }> }).groups;
}

function ours(): SloModel {
  const model = normalizeSlo(
    {
      name: 'requests-availability',
      service: 'myservice',
      description: 'Common SLO based on availability for HTTP request responses.',
      objective: '99.9%',
      sli: {
        errors: 'http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}',
        total: 'http_request_duration_seconds_count{job="myservice"}',
      },
      alerting: {
        name: 'MyServiceHighErrorRate',
        labels: { category: 'availability' },
        annotations: { summary: "High error rate on 'myservice' requests responses" },
        page: { labels: { severity: 'pageteam', routing_key: 'myteam' } },
        ticket: { labels: { severity: 'slack', slack_channel: '#alerts-myteam' } },
      },
      labels: { cmd: 'examplesgen.sh', owner: 'myteam', repo: 'myorg/myservice', tier: '2' },
    },
    { scrapeMs: 60_000, problem: (message) => expect.fail(message), system: 'golden', file: 'golden.ts', from: 'ts', locator: new Locator(), suppressions: [] },
  );
  return model!;
}

const squash = (expr: string) => expr.replace(/\s+/g, '').replace(/on\(/g, 'on(');

describe.skipIf(!present)("generated rules against Sloth's getting-started example", () => {
  const sloth = present ? slothOutput() : [];
  const slothRules = sloth.flatMap((g) => g.rules);
  const mine = present ? sloRuleGroups(ours()) : [];
  const myRules = mine.flatMap((g) => g.rules);

  it('names the three rule groups as Sloth does', () => {
    expect(mine.map((g) => g.name)).toEqual(sloth.map((g) => g.name));
  });

  it('records the SLI over every alert window with the same name, expression and labels', () => {
    const windows = slothRules.filter((r) => r.record?.startsWith('slo:sli_error:ratio_rate') && r.labels!.sloth_window !== '30d');
    expect(windows.map((r) => r.labels!.sloth_window)).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);
    for (const rule of windows) {
      const match = myRules.find((r) => r.record === rule.record);
      expect(match, rule.record).toBeDefined();
      expect(squash(match!.expr)).toBe(squash(rule.expr));
      expect(match!.labels).toEqual(rule.labels);
    }
  });

  it('records the period SLI from the events of the whole period, where Sloth averages 5m ratios', () => {
    const period = myRules.find((r) => r.record === 'slo:sli_error:ratio_rate30d')!;
    expect(squash(slothRules.find((r) => r.record === 'slo:sli_error:ratio_rate30d')!.expr)).toContain('sum_over_time(slo:sli_error:ratio_rate5m');
    const ids = 'sloth_id="myservice-requests-availability",sloth_service="myservice",sloth_slo="requests-availability"';
    expect(squash(period.expr)).toBe(squash(`sum_over_time(slo:sli_error_events:rate5m{${ids}}[30d])/sum_over_time(slo:sli_total_events:rate5m{${ids}}[30d])`));
    expect(squash(myRules.find((r) => r.record === 'slo:sli_error_events:rate5m')!.expr)).toBe(
      squash('sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[5m])) or vector(0)'),
    );
    expect(squash(myRules.find((r) => r.record === 'slo:sli_total_events:rate5m')!.expr)).toBe(squash('sum(rate(http_request_duration_seconds_count{job="myservice"}[5m]))'));
  });

  it('records the same metadata, with exact decimals', () => {
    const names = (rules: RuleModel[]) => rules.filter((r) => r.record && !r.record.startsWith('slo:sli_')).map((r) => r.record);
    expect(names(myRules)).toEqual(names(slothRules));
    const value = (rules: RuleModel[], record: string) =>
      Number(
        /vector\((.*)\)/
          .exec(rules.find((r) => r.record === record)!.expr)![1]!
          .split('-')
          .reduce((a, b) => String(Number(a) - Number(b))),
      );
    for (const record of ['slo:objective:ratio', 'slo:error_budget:ratio', 'slo:time_period:days']) {
      expect(value(myRules, record)).toBeCloseTo(value(slothRules, record), 12);
    }
    expect(myRules.find((r) => r.record === 'slo:objective:ratio')!.expr).toBe('vector(0.999)');
    expect(myRules.find((r) => r.record === 'slo:error_budget:ratio')!.expr).toBe('vector(0.001)');
    for (const record of ['slo:current_burn_rate:ratio', 'slo:period_burn_rate:ratio', 'slo:period_error_budget_remaining:ratio']) {
      expect(squash(myRules.find((r) => r.record === record)!.expr), record).toBe(squash(slothRules.find((r) => r.record === record)!.expr));
    }
  });

  it('alerts on the same window pairs and burn factors, one rule per pair instead of two ORed pairs', () => {
    const pair = /ratio_rate(\w+)\{[^}]*\} > \((\S+) \* (\S+)\)\) without \(sloth_window\)\s*and\s*max\(slo:sli_error:ratio_rate(\w+)\{/g;
    const slothPairs = slothRules
      .filter((r) => r.alert)
      .flatMap((r) => [...r.expr.matchAll(pair)].map((m) => ({ kind: r.labels!.sloth_severity, short: m[1], long: m[4], threshold: Number(m[2]) * Number(m[3]), labels: r.labels })));
    expect(slothPairs).toHaveLength(4);
    const myAlerts = myRules.filter((r) => r.alert === 'MyServiceHighErrorRate');
    expect(myAlerts).toHaveLength(4);
    for (const expected of slothPairs) {
      const alert = myAlerts.find((a) => a.labels!.short_window === expected.short && a.labels!.long_window === expected.long)!;
      expect(alert, `${expected.short}/${expected.long}`).toBeDefined();
      expect(alert.labels!.sloth_severity).toBe(expected.kind);
      expect(Number(/> ([\d.]+)/.exec(alert.expr)![1])).toBeCloseTo(expected.threshold, 12);
      expect(alert.expr).not.toMatch(/\d\.\d*0{6,}\d|\d\.\d*9{6,}\d/); // exact decimals: 0.0144, not 0.014400000000000001
      expect(alert.labels).toMatchObject(expected.labels!);
      expect(alert.annotations!.summary).toBe("High error rate on 'myservice' requests responses");
    }
  });
});
