import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { build, type BuildResult } from '../../src/commands/build.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// A system with `prometheus.flavor: 'loki'` compiles its rules for the Loki ruler: LogQL alerting
// and recording rules in out/loki/rules/<tenant>/, the layout of the ruler's local rule storage.
// No Grafana Loki server runs on this machine (Debian's `loki` package is an unrelated program),
// so LogQL is judged by Grafana's own parser, @grafana/lezer-logql.

const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({
  systems: {
    logs: { prometheus: { flavor: 'loki' } },
    audit: { prometheus: { flavor: 'loki', tenant: 'team-audit' } },
    k8slogs: { prometheus: { flavor: 'loki' }, deployment: { kubernetes: { namespace: 'logging' } } },
  },
});
`;

const rules = (name: string): string => `import { alertRule, recordingRule, ruleGroup } from 'moncode';

export const group = ruleGroup({
  name: '${name}',
  interval: '1m',
  rules: [
    alertRule({
      alert: 'HighErrorLogs_${name}',
      expr: 'sum by (job) (rate({job="api"} |= "error" [5m])) / sum by (job) (rate({job="api"}[5m])) > 0.05',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Errors in {{ $labels.job }} logs', description: 'More than 5% of the log lines are errors.', runbook_url: 'https://runbooks.example.com/logs' },
    }),
    recordingRule({ record: 'job:log_lines:rate5m', expr: 'sum by (job) (rate({job=~".+"} | json | level="error" [5m]))' }),
  ],
});
`;

const FILES: Record<string, string> = {
  'mon.config.ts': CONFIG,
  'definitions/logs/rules.ts': rules('logs'),
  'definitions/audit/rules.ts': rules('audit'),
  'definitions/k8slogs/rules.ts': rules('k8slogs'),
};

let built: Promise<BuildResult> | undefined;
const buildOnce = (): Promise<BuildResult> => (built ??= build({ cwd: makeProject(FILES), check: true }));

function logqlErrors(expr: string): string[] {
  const errors: string[] = [];
  logqlParser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`error at ${node.from}: ${expr.slice(node.from, node.to + 5)}`);
    },
  });
  return errors;
}

describe('Loki ruler output', () => {
  it('builds with no errors', async () => {
    const result = await buildOnce();
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  });

  it.each([
    ['loki/rules/fake/logs.rules.yml', 'logs'],
    ['loki/rules/team-audit/audit.rules.yml', 'audit'],
    ['loki/rules/fake/k8slogs.rules.yml', 'k8slogs'],
  ])('%s holds the groups, every expression LogQL that Grafana’s parser reads', async (file, group) => {
    const content = (await buildOnce()).outputs.find((o) => o.path === file)?.content;
    expect(content, `${file} is written`).toBeDefined();
    const parsed = YAML.parse(content!) as { groups: Array<{ name: string; interval: string; rules: Array<{ expr: string; alert?: string; record?: string }> }> };
    expect(parsed.groups.map((g) => g.name)).toEqual([group]);
    expect(parsed.groups[0]!.interval).toBe('1m');
    expect(parsed.groups[0]!.rules.map((r) => r.alert ?? r.record)).toEqual([`HighErrorLogs_${group}`, 'job:log_lines:rate5m']);
    for (const rule of parsed.groups[0]!.rules) expect(logqlErrors(rule.expr), rule.expr).toEqual([]);
  });

  it('writes no Prometheus rule files, PrometheusRule resources or promtool tests for Loki systems', async () => {
    const paths = (await buildOnce()).outputs.map((o) => o.path);
    expect(paths.filter((p) => /^(prometheus|kubernetes|mimir)\//.test(p))).toEqual([]);
  });

  it('builds byte-identical output twice', async () => {
    const again = await build({ cwd: makeProject(FILES), check: true });
    expect(again.outputs).toEqual((await buildOnce()).outputs);
  });
});

describe('what a Loki system cannot hold', () => {
  const system = (source: string) =>
    makeProject({
      'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { logs: { prometheus: { flavor: 'loki' } } } });\n`,
      'definitions/logs/rules.ts': source,
    });
  const alert = (extra: string) => `alertRule({ alert: 'A', expr: 'sum(rate({job="a"} |= "x" [5m])) > 1'${extra}, labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })`;

  it.each([
    ['query_offset on a group', `ruleGroup({ name: 'g', query_offset: '1m', rules: [${alert('')}] })`, '`query_offset` is not a field of the Loki ruler', "query_offset: '1m'"],
    ['group labels', `ruleGroup({ name: 'g', labels: { team: 'x' }, rules: [${alert('')}] })`, '`labels` is not a field of the Loki ruler', "labels: { team: 'x' }"],
    [
      'keep_firing_for',
      `ruleGroup({ name: 'g', rules: [${alert(", keep_firing_for: '5m'")}] })`,
      '`keep_firing_for` is not among the alerting rule fields the Loki ruler documents',
      "keep_firing_for: '5m'",
    ],
    [
      'LogQL that does not parse (one error, not a PromQL one beside it)',
      `ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'sum(rate({job="a"} |= [5m])) > 1', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })] })`,
      "`expr` is not valid LogQL (this system's rules load in Loki)",
      '[5m]',
    ],
    [
      'a PromQL expression',
      `ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'rate(http_requests_total[5m]) > 1', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })] })`,
      "`expr` is PromQL, but this system's rules load in Loki",
      'http_requests_total',
    ],
    [
      'an SLO',
      `slo({ name: 'availability', service: 'api', objective: '99.9%', sli: { errors: 'http_requests_total{code=~"5.."}', total: 'http_requests_total' } })`,
      'compiles to PromQL recording rules and burn-rate alerts, but system logs is a Loki ruler system',
      "name: 'availability'",
    ],
    [
      'a rule test',
      `ruleTest({ name: 'fires', interval: '1m', inputSeries: [{ series: 'up{job="a"}', values: '0x10' }], exprs: [{ expr: 'up', evalTime: '1m', samples: [{ labels: 'up{job="a"}', value: 0 }] }] })`,
      'rule test "fires" cannot run: promtool test rules evaluates Prometheus rule files',
      'ruleTest(',
    ],
  ])('%s is an error at its line', async (_name, expression, message, at) => {
    const source = `import { alertRule, ruleGroup, ruleTest, slo } from 'moncode';\n\nexport const it = ${expression};\n`;
    const result = await build({ cwd: system(source), check: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toHaveLength(1);
    expect(errors[0]!.message).toContain(message);
    const line = source.split('\n')[errors[0]!.line! - 1]!;
    expect(line.slice(errors[0]!.column! - 1).startsWith(at), line.slice(errors[0]!.column! - 1)).toBe(true);
    expect(result.exitCode).toBe(1);
  });

  it.each([
    ['a tenant with a slash', `logs: { prometheus: { flavor: 'loki', tenant: 'a/b' } }`, '`systems.logs.prometheus.tenant` is "a/b", not a Loki tenant ID', "tenant: 'a/b'"],
    ['the tenant ..', `logs: { prometheus: { flavor: 'loki', tenant: '..' } }`, 'not a Loki tenant ID', "tenant: '..'"],
    ['a tenant for a Prometheus system', `logs: { prometheus: { tenant: 'a' } }`, 'is set, but the flavor is prometheus', "tenant: 'a'"],
  ])('config: %s is unusable input at its line', (_name, setting, message, at) => {
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({\n  systems: { ${setting} },\n});\n`;
    const dir = makeProject({ 'mon.config.ts': config, 'definitions/logs/rules.ts': `import { ruleGroup } from 'moncode';\nexport const g = ruleGroup({ name: 'g', rules: [] });\n` });
    const result = runBin('mon-build', ['--check'], dir);
    expect(result.stderr).toContain(message);
    expect(result.code).toBe(2);
    const [, line, column] = /mon\.config\.ts:(\d+):(\d+)/.exec(result.stderr)!;
    expect(
      config
        .split('\n')
        [Number(line) - 1]!.slice(Number(column) - 1)
        .startsWith(at),
    ).toBe(true);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
