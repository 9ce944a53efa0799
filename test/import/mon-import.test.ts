import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const RULES = `# Alerts of the API.
groups:
  - name: api-alerts
    interval: 30s
    limit: 0
    rules:
      # The API answers.
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 0s
        labels:
          severity: page
        annotations:
          summary: API down
          runbook_url: https://runbooks.example.com/api#down
      # mon-lint disable runbook/missing -- a ticket, no page
      - alert: ApiSlow
        # p99 over the last five minutes, in seconds
        expr: |
          histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))
            > 0.5
        for: 1h30m15s
        labels:
          severity: warning
  - name: api-records
    rules:
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
`;

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { rules: { 'label/required': 'off', 'alert/annotation-missing': 'off', 'runbook/missing': 'off' } } });\n`;

describe('mon-import of a rule file', () => {
  it('writes idiomatic modules that build to the same rules', async () => {
    const dir = makeProject({ 'input/api.rules.yml': RULES, 'mon.config.ts': CONFIG });
    const result = await runImport({ cwd: dir, paths: ['input'], system: 'api' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual(['api/alerts.ts', 'api/recording.ts']);
    const alerts = readFileSync(path.join(dir, 'definitions/api/alerts.ts'), 'utf8');
    expect(alerts).toContain(`import { alertRule, ruleGroup } from 'moncode';`);
    expect(alerts).toContain(`import type { Duration } from 'moncode';`);
    // Severities beyond the built-in ones extend the type, as the type's doc says.
    expect(alerts).toMatch(/declare module 'moncode' \{\s+interface Severities \{\s+page: true;/);
    expect(alerts).toContain('// Alerts of the API.');
    expect(alerts).toContain('    // The API answers.\n    alertRule({');
    expect(alerts).toContain(
      '      // p99 over the last five minutes, in seconds\n      expr: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))\n  > 0.5`,',
    );
    expect(alerts).toContain(`lint: { disable: ['runbook/missing'], reason: 'a ticket, no page' }`);
    expect(alerts).toContain(`for: '1h30m15s' as Duration`);
    // Defaults are left out: \`for: 0s\`, \`limit: 0\`.
    expect(alerts).not.toMatch(/for: '0s'|limit: 0/);
    expect(alerts).not.toContain('mon-lint disable');
    const recording = readFileSync(path.join(dir, 'definitions/api/recording.ts'), 'utf8');
    expect(recording).toContain(`export const apiRecordsRules = ruleGroup({`);
    expect(recording).toContain(`    recordingRule({\n      record: 'job:http_requests:rate5m',\n      expr: 'sum by (job) (rate(http_requests_total[5m]))',\n    }),`);

    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const out = readFileSync(path.join(dir, 'out/prometheus/rules/api.rules.yml'), 'utf8');
    expect(out).toContain('- alert: ApiSlow');
    expect(out).toContain('for: 1h30m15s');

    // Importing again changes nothing and writes nothing; a changed module is not overwritten.
    const again = await runImport({ cwd: dir, paths: ['input'], system: 'api' });
    expect(again.written).toEqual([]);
    expect(again.files).toEqual(result.files);
    writeFileSync(path.join(dir, 'definitions/api/alerts.ts'), `${alerts}// edited\n`);
    const refused = runBin('mon-import', ['input', '--system', 'api'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('definitions/api/alerts.ts:1:1: error: this module exists and differs from what mon-import would write; not overwritten');
    expect(readFileSync(path.join(dir, 'definitions/api/alerts.ts'), 'utf8')).toBe(`${alerts}// edited\n`);
  });

  it.each<{ name: string; files: Record<string, string>; args: string[]; expect: RegExp }>([
    { name: 'invalid YAML', files: { 'bad.yml': 'groups:\n  - name: x\n    rules: [\n' }, args: ['bad.yml'], expect: /^bad\.yml:\d+:\d+: error/m },
    { name: 'a missing file', files: {}, args: ['nope.yml'], expect: /nope\.yml:1:1: error.*no such file or folder/ },
    { name: 'no path', files: {}, args: [], expect: /^mon-import: error: nothing to import/ },
    { name: 'a bad --system', files: { 'a.yml': RULES }, args: ['a.yml', '--system', '../x'], expect: /^mon-import: error: --system "\.\.\/x"/ },
    {
      name: 'an --out that is a file',
      files: { 'a.yml': RULES, out: 'mine\n' },
      args: ['a.yml', '--out', 'out'],
      expect: /^mon-import: error: cannot write out\/a\/alerts\.ts \(a file stands where a folder is needed\): choose another --out$/m,
    },
    {
      name: 'an --out below a file',
      files: { 'a.yml': RULES, out: 'mine\n' },
      args: ['a.yml', '--out', 'out/sub'],
      expect: /^mon-import: error: cannot write out\/sub\/a\/alerts\.ts \(a file stands/m,
    },
    {
      name: 'a folder where a module goes',
      files: { 'a.yml': RULES, 'o/a/alerts.ts/keep': '' },
      args: ['a.yml', '--out', 'o'],
      expect: /^o\/a\/alerts\.ts:1:1: error: a folder stands where this module would be written; nothing was written/m,
    },
  ])('exits 2 on $name with one line, no stack', ({ files, args, expect: pattern }) => {
    const dir = makeProject(files);
    const result = runBin('mon-import', args, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('names the target setting a Thanos group needs, and builds with it', async () => {
    const thanos = `groups:\n  - name: thanos-rules\n    partial_response_strategy: warn\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n`;
    const dir = makeProject({ 'rules/thanos.yml': thanos });
    const result = await runImport({ cwd: dir, paths: ['rules'], system: 'store' });
    expect(result.diagnostics.map((d) => `${d.rule} ${d.line}: ${d.message}`)).toEqual([
      `import/target 2: group "thanos-rules" uses partial_response_strategy: set systems['store'] = { prometheus: { flavor: 'thanos' } } in mon.config.ts, or mon-build refuses it for the default target`,
    ]);
    writeFileSync(path.join(dir, 'mon.config.ts'), `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { store: { prometheus: { flavor: 'thanos' } } } });\n`);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(readFileSync(path.join(dir, 'out/prometheus/rules/store.rules.yml'), 'utf8')).toContain('partial_response_strategy: warn');
  });

  it("names the deployment setting that writes a PrometheusRule's metadata again, and builds with it", async () => {
    const resource = `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: api-rules\n  namespace: observability\n  labels:\n    prometheus: k8s\n    app.kubernetes.io/part-of: api\n  annotations:\n    owner: team's\nspec:\n  groups:\n    - name: api\n      rules:\n        - record: job:up:sum\n          expr: sum by (job) (up)\n`;
    const dir = makeProject({ 'rules/api.yaml': resource });
    const result = await runImport({ cwd: dir, paths: ['rules'], system: 'api' });
    const setting = `{ deployment: { kubernetes: { namespace: 'observability', labels: { prometheus: 'k8s', 'app.kubernetes.io/part-of': 'api' }, annotations: { owner: 'team\\'s' } } } }`;
    expect(result.diagnostics.map((d) => `${d.rule} ${d.severity} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}: ${d.message}`)).toEqual([
      `import/not-imported warning 3:1-3:9: PrometheusRule "api-rules": its metadata is not in the definitions; set systems['api'] = ${setting} in mon.config.ts to write PrometheusRule resources again (out/kubernetes/api/)`,
    ]);
    writeFileSync(path.join(dir, 'mon.config.ts'), `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { api: ${setting} } });\n`);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const written = parseYaml(readFileSync(path.join(dir, 'out/kubernetes/api/prometheusrule-api.yaml'), 'utf8')) as { metadata: Record<string, unknown> };
    expect(written.metadata).toMatchObject({ namespace: 'observability', labels: { prometheus: 'k8s', 'app.kubernetes.io/part-of': 'api' }, annotations: { owner: "team's" } });
  });

  it('prints the modules with --dry-run and writes nothing', () => {
    const dir = makeProject({ 'api.rules.yml': RULES });
    const result = runBin('mon-import', ['api.rules.yml', '--dry-run', '--system', 'api'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('// definitions/api/alerts.ts\n');
    expect(runBin('mon-import', ['api.rules.yml', '--dry-run', '--system', 'api'], dir).stdout).toBe(result.stdout);
    expect(() => readFileSync(path.join(dir, 'definitions/api/alerts.ts'))).toThrow();
  });

  const AM = `route:\n  receiver: team\nreceivers:\n  - name: team\n`;
  const DASHBOARD = JSON.stringify({ uid: 'd1', title: 'D', schemaVersion: 39, panels: [] });
  const PROVISIONING = `apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    url: http://prometheus:9090\n`;
  it.each<{ name: string; files: Record<string, string>; args: string[]; modules: string[] }>([
    { name: 'a file is its own system, after its name', files: { 'tmp/am.yml': AM }, args: ['tmp/am.yml'], modules: ['am/alertmanager.ts'] },
    { name: 'a rule file loses its .rules', files: { 'rules/api.rules.yml': RULES }, args: ['rules/api.rules.yml'], modules: ['api/alerts.ts', 'api/recording.ts'] },
    { name: 'a name made a folder name', files: { 'x/My Rules!.yaml': RULES }, args: ['x/My Rules!.yaml'], modules: ['My-Rules/alerts.ts', 'My-Rules/recording.ts'] },
    {
      name: 'two files, two systems',
      files: { 'in/api.yml': RULES, 'in/alertmanager.yml': AM },
      args: ['in/api.yml', 'in/alertmanager.yml'],
      modules: ['alertmanager/alertmanager.ts', 'api/alerts.ts', 'api/recording.ts'],
    },
    {
      name: 'a folder is one system, subfolders and provisioning included',
      files: { 'shop/rules/api.yml': RULES, 'shop/alertmanager.yml': AM, 'shop/dashboards/d.json': DASHBOARD, 'shop/provisioning/datasources.yaml': PROVISIONING },
      args: ['shop'],
      modules: ['shop/alertmanager.ts', 'shop/alerts.ts', 'shop/dashboards.ts', 'shop/datasources.ts', 'shop/recording.ts'],
    },
    { name: 'two folders, two systems', files: { 'a/x.yml': RULES, 'b/am.yml': AM }, args: ['a', 'b/'], modules: ['a/alerts.ts', 'a/recording.ts', 'b/alertmanager.ts'] },
    {
      name: '--system puts all into one',
      files: { 'tmp/am.yml': AM, 'rules/api.yml': RULES },
      args: ['tmp/am.yml', 'rules', '--system', 'shop'],
      modules: ['shop/alertmanager.ts', 'shop/alerts.ts', 'shop/recording.ts'],
    },
  ])('names the system: $name', ({ files, args, modules }) => {
    const dir = makeProject({ ...files, 'mon.config.ts': CONFIG });
    const result = runBin('mon-import', args, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\n')
        .filter((line) => line.startsWith('  definitions/'))
        .map((line) => line.trim().slice('definitions/'.length))
        .sort(),
    ).toEqual(modules);
  });
});
