import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

function latencySpec(query: string): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
  annotations:
    moncode.dev/runbook: https://runbooks.example.com/checkout-latency
spec:
  service: checkout
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - { targetPercent: 99, op: lte, value: 0.25 }
  indicator:
    metadata:
      name: checkout-latency-sli
    spec:
      thresholdMetric:
        metricSource:
          type: Prometheus
          spec:
            query: ${JSON.stringify(query)}
  alertPolicies:
    - alertPolicyRef: checkout-page
    - alertPolicyRef: checkout-ticket
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: checkout-ticket
spec:
  conditions:
    - conditionRef: checkout-slow-burn
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: checkout-slow-burn
spec:
  severity: ticket
  condition: { kind: burnrate, op: gt, threshold: 1, lookbackWindow: 3d }
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: checkout-page
spec:
  conditions:
    - conditionRef: checkout-fast-burn
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: checkout-fast-burn
spec:
  severity: page
  condition: { kind: burnrate, op: gt, threshold: 14.4, lookbackWindow: 1h }
`;
}

function build(query: string) {
  const dir = makeProject({ 'definitions/shop/slos.yaml': latencySpec(query) });
  const result = runBin('mon-build', ['--format', 'json'], dir);
  return { dir, result, diagnostics: JSON.parse(result.stdout).diagnostics as Array<{ message: string; line: number; column: number }> };
}

describe('an OpenSLO thresholdMetric SLI is read as a latency SLI', () => {
  it.each([
    'http_request_duration_seconds_bucket{job="checkout"}',
    'http_request_duration_seconds{job="checkout"}',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="checkout"}[5m])))',
    'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{job="checkout", le!=""}[{{.window}}])) by (le))',
  ])('%s', (query) => {
    const { dir, result, diagnostics } = build(query);
    expect(diagnostics).toEqual([]);
    expect(result.code).toBe(0);
    const rules = readFileSync(path.join(dir, 'out/prometheus/rules/shop-slos.rules.yml'), 'utf8');
    // The objective's value (0.25 s) is the bucket counted as fast; the burn alerts follow the 99% objective.
    expect(rules).toContain('sum(rate(http_request_duration_seconds_bucket{job="checkout", le="0.25"}[5m]))');
    expect(rules).toContain('sum(rate(http_request_duration_seconds_count{job="checkout"}[5m]))');
    expect(rules).toMatch(/^ +- alert: \w+$/m);
  });

  it.each([
    { query: 'max_over_time(probe_duration_seconds{job="blackbox"}[5m])', says: 'must select a latency histogram' },
    { query: 'avg(probe_duration_seconds)', says: 'must select a latency histogram' },
    { query: 'histogram_quantile(0.99, rate(a_bucket[5m]) or rate(b_bucket[5m]))', says: 'must read one histogram' },
    { query: 'histogram_quantile(0.99, sum(rate(x_bucket[5m])) by (le)', says: 'does not parse as PromQL' },
  ])('$query: an error naming the file’s own field, at the query', ({ query, says }) => {
    const { result, diagnostics } = build(query);
    expect(result.code).toBe(1);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain(`thresholdMetric.metricSource.spec.query ${says.startsWith('must read') ? ':' : ''}`.replace(' :', ':'));
    expect(diagnostics[0]!.message).toContain(says);
    expect(diagnostics[0]!.message).not.toMatch(/sli\.latency|histogram:|threshold:/);
    expect(diagnostics[0]!.line).toBe(21);
  });
});

describe('OpenSLO errors speak of the file’s fields', () => {
  it('a ratioMetric query that is not a counter selector names ratioMetric.bad, not moncode’s sli.errors', () => {
    const spec = `apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-availability
spec:
  service: checkout
  timeWindow: [{ duration: 28d, isRolling: true }]
  budgetingMethod: Occurrences
  objectives:
    - { targetPercent: 99 }
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        bad: { metricSource: { type: Prometheus, spec: { query: 'sum(rate(http_requests_total{code="500"}[5m]))' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total' } } }
`;
    const dir = makeProject({ 'definitions/shop/slos.yaml': spec });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    const messages = (JSON.parse(result.stdout).diagnostics as Array<{ message: string }>).map((d) => d.message);
    expect(messages).toEqual([expect.stringContaining('ratioMetric.bad.metricSource.spec.query `sum(rate(')]);
    expect(messages[0]).not.toMatch(/\bsli\./);
    expect(result.code).toBe(1);
  });
});
