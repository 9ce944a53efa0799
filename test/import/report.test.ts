import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runImport } from '../../src/commands/import.js';
import { compareAlertmanager } from '../../src/import/compare-alertmanager.js';
import { compareRuleGroups, ruleGroupsOf } from '../../src/import/compare-rules.js';
import { emptyCatalog } from '../../src/model/catalog.js';
import { emptyInputs, readInputFile } from '../../src/read/index.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import path from 'node:path';
import { readFileSync } from 'node:fs';

/**
 * `mon-import --report` for rule files and Alertmanager configs: the imported modules are built
 * in a throwaway project and compared with the input as values after normalising order and
 * defaults; each difference is an `import/round-trip` info at the input's field, with why.
 * (Over the whole corpus: rules-roundtrip.test.ts and alertmanager-roundtrip.test.ts assert
 * the comparison finds none.)
 */

const RULES = `groups:
  - name: delayed
    evaluation_delay: 5m
    rules:
      - alert: Down
        expr: up == 0
        for: 0s
        labels: { severity: critical, tier: 1 }
  - name: records
    limit: 0
    rules:
      - record: job:up:sum
        expr: |
          sum by (job) (up)
`;

const AM = `route:
  receiver: team
  routes:
    - match: { severity: critical }
      receiver: pager
receivers:
  - name: team
    webhook_configs:
      - url: http://hooks.internal/alerts
  - name: pager
    pagerduty_configs:
      - routing_key: 0123456789abcdef0123456789abcdef
`;

describe('mon-import --report for rules and Alertmanager configs', () => {
  it('finds no difference where the round trip reproduces the input, and names the target a field needs', { timeout: 120_000 }, () => {
    const dir = makeProject({ 'in/rules.yml': RULES, 'in/alertmanager.yml': AM });
    const result = runBin('mon-import', ['in', '--system', 'ops', '--dry-run', '--report', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string }> };
    const found = report.diagnostics.filter((d) => d.rule === 'import/round-trip').map((d) => `${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`);
    // `for: 0s`, `limit: 0`, the number label, the block scalar's newline, match → matchers and the moved
    // routing key are no differences; Mimir's evaluation_delay is built for the mimir flavor (group-fields.test.ts).
    expect(found).toEqual([]);
    const targets = report.diagnostics.filter((d) => d.rule === 'import/target').map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`);
    expect(targets).toEqual([
      `in/rules.yml:2:5 group "delayed" uses evaluation_delay: set systems['ops'] = { prometheus: { flavor: 'mimir' } } in mon.config.ts, or mon-build refuses it for the default target`,
    ]);
  });

  it('without --report it builds nothing and says nothing of the round trip', async () => {
    const dir = makeProject({ 'in/rules.yml': RULES });
    const result = await runImport({ cwd: dir, paths: ['in'], system: 'ops', dryRun: true });
    expect(result.diagnostics.filter((d) => d.rule === 'import/round-trip')).toEqual([]);
  });
});

describe('the rule comparison', () => {
  const input = (text: string) => {
    const dir = makeProject({ 'in/r.yml': text });
    const inputs = emptyInputs(emptyCatalog());
    readInputFile(path.join(dir, 'in/r.yml'), inputs, { system: 's' });
    return inputs.ruleGroups.map((g) => ({ ...g, file: path.join(dir, 'in/r.yml') }));
  };
  const base = `groups:\n  - name: g\n    interval: 1m\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5m\n        labels: { severity: critical }\n        annotations: { summary: down }\n`;
  it.each<{ name: string; built: string; want: string[] }>([
    {
      name: 'equal after order and defaults',
      built: `groups:\n  - rules:\n      - labels: { severity: critical }\n        annotations: { summary: down }\n        expr: "  up == 0\\n"\n        for: 5m\n        keep_firing_for: 0s\n        alert: A\n    interval: 1m\n    limit: 0\n    name: g\n`,
      want: [],
    },
    { name: 'an expression', built: base.replace('up == 0', 'up == 1'), want: ['6:15-6:22 rule "A": `expr` is "up == 0" in the input, "up == 1" in the build'] },
    { name: 'a group field', built: base.replace('interval: 1m', 'interval: 2m'), want: ['3:15-3:17 group "g": `interval` is "1m" in the input, "2m" in the build'] },
    {
      name: 'a label added',
      built: base.replace('{ severity: critical }', '{ severity: critical, team: x }'),
      want: ['8:17-8:37 rule "A": `labels` is {"severity":"critical"} in the input, {"severity":"critical","team":"x"} in the build'],
    },
    { name: 'a rule lost', built: `groups:\n  - name: g\n    interval: 1m\n    rules: []\n`, want: ['5:9-9:37 group "g": rule "A" is missing from the build'] },
    { name: 'a group lost', built: `groups: []\n`, want: ['2:5-9:37 group "g" is not in the built rule files'] },
  ])('$name', ({ built, want }) => {
    const models = input(base);
    const text = (file: string) => readFileSync(file, 'utf8');
    const found = compareRuleGroups(models, text, ruleGroupsOf(built));
    const dir = path.dirname(models[0]!.file);
    const lineCol = (offset: number) => {
      const before = text(models[0]!.file).slice(0, offset).split('\n');
      return `${before.length}:${before[before.length - 1]!.length + 1}`;
    };
    expect(
      found.map((d) => {
        const span = d.where as { file: string; start: number; end: number };
        expect(span.file.startsWith(dir)).toBe(true);
        return `${lineCol(span.start)}-${lineCol(span.end)} ${d.message}`;
      }),
    ).toEqual(want);
  });
});

describe('the Alertmanager comparison', () => {
  const input = `global:\n  slack_api_url: https://hooks.slack.com/services/T0/B0/x\nroute:\n  receiver: a\n  group_wait: 30s\n  routes:\n    - match: { team: db }\n      match_re: { env: "prod|staging" }\n      receiver: b\nreceivers:\n  - name: a\n  - name: b\n    email_configs: [{ to: db@example.com }]\nmute_time_intervals:\n  - name: nights\n    time_intervals: [{ times: [{ start_time: '00:00', end_time: '06:00' }] }]\ninhibit_rules:\n  - source_match: { severity: critical }\n    target_matchers: ['severity = warning']\n    equal: [alertname]\n`;
  const same = `global:\n  slack_api_url_file: /etc/alertmanager/secrets/global-slack_api_url\nroute:\n  group_wait: 30s\n  receiver: a\n  routes:\n    - receiver: b\n      matchers: ['env=~"prod|staging"', 'team="db"']\nreceivers:\n  - name: b\n    email_configs: [{ to: db@example.com }]\n  - name: a\ntime_intervals:\n  - name: nights\n    time_intervals: [{ times: [{ start_time: '00:00', end_time: '06:00' }] }]\ninhibit_rules:\n  - source_matchers: ['severity="critical"']\n    target_matchers: ['severity="warning"']\n    equal: [alertname]\n`;
  it.each<{ name: string; built: string; want: string[] }>([
    { name: 'equal: matchers in any form, a moved credential, receivers and intervals by name', built: same, want: [] },
    { name: 'a duration', built: same.replace('group_wait: 30s', 'group_wait: 1m'), want: ['/route/group_wait: "30s" in the input, "1m" in the build'] },
    { name: 'a matcher', built: same.replace('team="db"', 'team="web"'), want: ['/route/routes/0/matchers/1: "team=\\"db\\"" in the input, "team=\\"web\\"" in the build'] },
    { name: 'a receiver lost', built: same.replace('  - name: a\n', ''), want: ['/receivers/0: "a" is not in the build'] },
    { name: 'a receiver field', built: same.replace('db@example.com', 'ops@example.com'), want: ['/receivers/1/email_configs/0/to: "db@example.com" in the input, "ops@example.com" in the build'] },
    { name: 'a credential file elsewhere', built: same.replace('global-slack_api_url', 'other'), want: [] },
    { name: 'an inhibit rule side', built: same.replace('equal: [alertname]', 'equal: [alertname, job]'), want: ['/inhibit_rules/0/equal/1: absent in the input, "job" in the build'] },
  ])('$name', ({ built, want }) => {
    const found = compareAlertmanager(parseYaml(input) as Record<string, unknown>, parseYaml(built) as Record<string, unknown>);
    expect(found.map((d) => `${d.at}: ${d.message}`)).toEqual(want);
  });
});
