import { describe, expect, it } from 'vitest';
import type { Binary } from '../../src/promql/ast.js';
import { closedSet, groupingMismatch, impossibleMatch, labelsOf, NO_KNOWLEDGE, presence, removerOf, selfDivision, type SeriesKnowledge } from '../../src/promql/labels.js';
import { parsePromql } from '../../src/promql/parse.js';

const expr = (text: string) => {
  const parsed = parsePromql(text);
  if (!parsed.expr) throw new Error(`does not parse: ${text}`);
  return parsed.expr;
};
const presenceIn = (text: string, label: string, knowledge: SeriesKnowledge = NO_KNOWLEDGE) => presence(labelsOf(expr(text), knowledge), label);

const catalog: SeriesKnowledge = {
  ...NO_KNOWLEDGE,
  catalog: (name) => (name === 'http_requests_total' ? closedSet(['__name__', 'code', 'method', 'job', 'instance']) : undefined),
};

describe('labelsOf', () => {
  it.each([
    ['sum by (job) (rate(x[5m]))', 'job', 'yes'],
    ['sum by (job) (rate(x[5m]))', 'instance', 'no'],
    ['sum without (instance) (rate(x[5m]))', 'instance', 'no'],
    ['sum without (instance) (rate(x[5m]))', 'pod', 'maybe'],
    ['rate(x{code="500"}[5m])', 'code', 'yes'],
    ['rate(x[5m])', 'job', 'yes'],
    ['count(x)', 'job', 'no'],
    // An empty replacement drops the label, so it is only possible.
    ['label_replace(x, "service", "$1", "job", "(.*)")', 'service', 'maybe'],
    // `by` keeps what the input has: `le` is not known to be there without a catalog.
    ['sum by (job, le) (rate(x_bucket[5m]))', 'le', 'maybe'],
    ['histogram_quantile(0.9, sum by (job, le) (rate(x_bucket[5m])))', 'le', 'no'],
  ])('%s: %s is %s', (text, label, expected) => expect(presenceIn(text, label)).toBe(expected));

  it('knows only the catalog labels of a catalogued metric', () => {
    expect(presenceIn('http_requests_total', 'code', catalog)).toBe('yes');
    expect(presenceIn('http_requests_total', 'status', catalog)).toBe('no');
    expect(presenceIn('other_total', 'status', catalog)).toBe('maybe');
  });

  it('takes the labels a recording rule records', () => {
    const recorded: SeriesKnowledge = { ...NO_KNOWLEDGE, recorded: (name) => (name === 'job:x:rate5m' ? labelsOf(expr('sum by (job) (rate(x[5m]))')) : undefined) };
    expect(presenceIn('job:x:rate5m', 'instance', recorded)).toBe('no');
    expect(presenceIn('job:x:rate5m', 'job', recorded)).toBe('yes');
  });

  it('says which expression removed a label', () => {
    const text = 'histogram_quantile(0.9, sum by (job) (rate(x_bucket[5m])))';
    const inner = expr(text);
    const buckets = inner.kind === 'call' ? inner.args[1]! : inner;
    const remover = removerOf(labelsOf(buckets), 'le')!;
    expect(text.slice(remover.from, remover.to)).toBe('sum by (job) (rate(x_bucket[5m]))');
  });
});

describe('impossibleMatch', () => {
  const binary = (text: string) => expr(text) as Binary;

  it('finds sides that can never match', () => {
    expect(impossibleMatch(binary('sum by (job, instance) (rate(a[5m])) / sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toMatchObject({ label: 'instance', present: 'left' });
  });

  it('accepts sides that match, or matching that picks the labels', () => {
    expect(impossibleMatch(binary('sum by (job) (rate(a[5m])) / sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toBeUndefined();
    expect(impossibleMatch(binary('sum by (job, instance) (rate(a[5m])) / on (job) group_left sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toBeUndefined();
    // Only a label known to be there (a target label, a catalog label) proves the sides apart.
    expect(impossibleMatch(binary('sum by (job, status) (rate(a[5m])) / sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toBeUndefined();
    expect(impossibleMatch(binary('sum by (job, code) (rate(http_requests_total[5m])) / sum by (job) (rate(http_requests_total[5m]))'), catalog)).toMatchObject({ label: 'code', present: 'left' });
  });
});

describe('groupingMismatch', () => {
  const binary = (text: string) => expr(text) as Binary;

  it('finds sides grouped by different labels', () => {
    expect(groupingMismatch(binary('sum by (pipeline) (rate(a[5m])) / sum by (source) (rate(b[5m]))'), NO_KNOWLEDGE)).toMatchObject({ label: 'pipeline', present: 'left' });
    expect(groupingMismatch(binary('sum by (job, status) (rate(a[5m])) / sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toMatchObject({ label: 'status', present: 'left' });
    expect(groupingMismatch(binary('count(a) and sum by (job) (b)'), NO_KNOWLEDGE)).toMatchObject({ label: 'job', present: 'right' });
    expect(groupingMismatch(binary('sum by (pipeline) (a) > 1 and sum by (source) (b) > 0'), NO_KNOWLEDGE)).toMatchObject({ label: 'pipeline', present: 'left' });
  });

  it('accepts the same grouping, on(), ignoring() of the extra label, `or`, and sides that are not grouped', () => {
    expect(groupingMismatch(binary('sum by (job) (rate(a[5m])) * 100 / sum by (job) (rate(b[5m]))'), NO_KNOWLEDGE)).toBeUndefined();
    expect(groupingMismatch(binary('sum by (job, status) (a) / on (job) group_left sum by (job) (b)'), NO_KNOWLEDGE)).toBeUndefined();
    expect(groupingMismatch(binary('sum by (job, status) (a) / ignoring (status) group_left sum by (job) (b)'), NO_KNOWLEDGE)).toBeUndefined();
    expect(groupingMismatch(binary('sum by (job) (a) or sum by (source) (b)'), NO_KNOWLEDGE)).toBeUndefined();
    expect(groupingMismatch(binary('sum by (job) (a) / rate(b[5m])'), NO_KNOWLEDGE)).toBeUndefined();
  });
});

describe('selfDivision', () => {
  it('finds a ratio whose sides keep the selecting label', () => {
    const text = 'rate(x_total{code=~"5.."}[5m]) / rate(x_total[5m])';
    expect(selfDivision(expr(text) as Binary, text, NO_KNOWLEDGE)?.label.name).toBe('code');
  });

  it('accepts the ratio of sums without the label', () => {
    const text = 'sum by (job) (rate(x_total{code=~"5.."}[5m])) / sum by (job) (rate(x_total[5m]))';
    expect(selfDivision(expr(text) as Binary, text, NO_KNOWLEDGE)).toBeUndefined();
  });
});
