import { describe, expect, it } from 'vitest';
import { Locator } from '../../src/model/locator.js';
import { coveragePercent, formatCoverage, ruleCoverage } from '../../src/report/coverage.js';
import type { RuleGroupModel } from '../../src/model/project-model.js';
import type { RuleTestModel } from '../../src/model/rule-test.js';

describe('coverage percentages are rounded to one decimal, half up', () => {
  it.each([
    [0, 0, 100],
    [0, 3, 0],
    [1, 3, 33.3],
    [2, 3, 66.7],
    [1, 6, 16.7],
    [5, 6, 83.3],
    [1, 8, 12.5],
    [3, 8, 37.5],
    [1, 16, 6.3],
    [1, 7, 14.3],
    [3, 3, 100],
    // Only full coverage reads 100 and only none reads 0.
    [1999, 2000, 99.9],
    [9999, 10000, 99.9],
    [1, 2000, 0.1],
    [1, 1_000_000, 0.1],
    [1001, 2000, 50.1],
    [1, 2, 50],
  ])('%i of %i is %d%%', (covered, total, percent) => {
    expect(coveragePercent(covered, total)).toBe(percent);
  });
});

/** A system with `alerts` alerts, `fired` of which some test fires. */
function covered(alerts: number, fired: number): { groups: RuleGroupModel[]; tests: RuleTestModel[] } {
  const names = Array.from({ length: alerts }, (_, i) => `Alert${i}`);
  const groups = [{ system: 'shop', from: 'ts', locator: new Locator(), rules: names.map((alert) => ({ alert, expr: 'up == 0' })) }] as unknown as RuleGroupModel[];
  const tests = [{ system: 'shop', name: 't', alerts: names.slice(0, fired).map((alertname) => ({ alertname, evalMs: 0, silent: false })), exprs: [] }] as unknown as RuleTestModel[];
  return { groups, tests };
}

describe('one figure for the text, the JSON and the thresholds', () => {
  it.each([
    { alerts: 3, fired: 2, threshold: 66.7, shown: '2/3 66.7%', below: false },
    { alerts: 3, fired: 2, threshold: 66.8, shown: '2/3 66.7%', below: true },
    { alerts: 6, fired: 5, threshold: 83.3, shown: '5/6 83.3%', below: false },
    { alerts: 3, fired: 1, threshold: 33.4, shown: '1/3 33.3%', below: true },
    { alerts: 2000, fired: 1999, threshold: 100, shown: '1999/2000 99.9%', below: true },
  ])('$shown against $threshold', ({ alerts, fired, threshold, shown, below }) => {
    const { groups, tests } = covered(alerts, fired);
    const coverage = ruleCoverage(groups, tests, { alertsFired: threshold });
    expect(coverage.totals.alertsFired).toEqual({ covered: fired, total: alerts, percent: coveragePercent(fired, alerts) });
    expect(formatCoverage(coverage)).toContain(`  shop    ${shown}`);
    expect(coverage.below).toEqual(below ? [{ figure: 'alertsFired', percent: coveragePercent(fired, alerts), threshold }] : []);
    if (below) expect(formatCoverage(coverage)).toContain(`alerts fired ${shown.split(' ')[1]} < ${threshold}%`);
  });
});
