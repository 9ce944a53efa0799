import { describe, expect, it } from 'vitest';
import { parsePromql } from '../../src/promql/parse.js';
import { comparisonOf, describeQuantity, foldConstant, formatNumber, grafanaUnitQuantity, metricQuantity, quantityOf } from '../../src/promql/units.js';

const expr = (text: string) => {
  const parsed = parsePromql(text);
  if (!parsed.expr) throw new Error(`does not parse: ${text}`);
  return parsed.expr;
};

describe('metricQuantity', () => {
  it.each([
    ['http_request_duration_seconds', 'time', 1],
    ['http_request_duration_seconds_sum', 'time', 1],
    ['request_latency_milliseconds', 'time', 1000],
    ['node_memory_MemFree_bytes', 'bytes', 1],
    ['http_requests_total', 'unknown', 1],
    ['http_request_duration_seconds_count', 'unknown', 1],
  ])('%s is %s × %d', (name, dimension, scale) => expect(metricQuantity(name)).toMatchObject({ dimension, scale }));
});

describe('quantityOf', () => {
  it.each([
    ['histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))', { dimension: 'time', scale: 1 }],
    ['histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m])) * 1000', { dimension: 'time', scale: 1000 }],
    ['max_over_time(node_memory_MemFree_bytes[5m]) / 1024 / 1024', { dimension: 'bytes', scale: 1 / 1024 ** 2 }],
    ['sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m]))', { dimension: 'ratio', scale: 1, fraction: true }],
    ['100 * sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m]))', { dimension: 'ratio', scale: 100, fraction: true }],
    ['1 - sum(rate(x_total{code=~"5.."}[5m])) / sum(rate(x_total[5m]))', { dimension: 'ratio', scale: 1, fraction: true }],
    // Two metrics are not a part and its whole.
    ['sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))', { dimension: 'unknown' }],
    ['count(up)', { dimension: 'unknown', scale: 1 }],
    ['rate(http_requests_total[5m])', { dimension: 'unknown', scale: 1 }],
  ])('%s', (text, quantity) => expect(quantityOf(expr(text))).toMatchObject(quantity));
});

describe('comparisonOf', () => {
  it('reads the constant on either side, through and/unless', () => {
    const right = comparisonOf(expr('rate(x_seconds_sum[5m]) > 0.5 and on() vector(1)'))!;
    expect([right.op, right.threshold, right.flipped]).toEqual(['>', 0.5, false]);
    const left = comparisonOf(expr('2 * 30 < up'))!;
    expect([left.op, left.threshold, left.flipped]).toEqual(['<', 60, true]);
    expect(comparisonOf(expr('a > b'))).toBeUndefined();
  });
});

describe('foldConstant and formatNumber', () => {
  it('folds constant arithmetic and prints it as written', () => {
    expect(foldConstant(expr('14.4 * (1 - 0.9)'))).toBeCloseTo(1.44);
    expect(formatNumber(foldConstant(expr('14.4 * 0.1'))!)).toBe('1.44');
    expect(foldConstant(expr('up * 2'))).toBeUndefined();
  });
});

describe('Grafana units', () => {
  it.each([
    ['ms', 'milliseconds'],
    ['s', 'seconds'],
    ['percent', 'a percentage (0–100)'],
    ['percentunit', 'a 0–1 ratio'],
    ['bytes', 'bytes'],
  ])('%s shows %s', (unit, described) => expect(describeQuantity(grafanaUnitQuantity(unit)!)).toBe(described));

  it('knows nothing of a unit without a quantity', () => expect(grafanaUnitQuantity('reqps')).toBeUndefined());
});
