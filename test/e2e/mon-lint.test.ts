import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const CLEAN = `groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: API instance {{ $labels.instance }} is down
          description: The API has not answered scrapes for 5 minutes
          runbook_url: https://runbooks.example.com/api#down
`;

// One error (label/template-missing: `instance` is aggregated away) and one warning (no description);
// on any error at all (> 0), so no `for` is needed (alert/for-missing).
const FAULTY = `groups:
  - name: api
    rules:
      - alert: ApiErrors
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0
        labels:
          severity: warning
        annotations:
          summary: Errors on {{ $labels.instance }}
          runbook_url: https://runbooks.example.com/api#errors
`;

// Two systems call a shared helper with a percentage where it expects a ratio.
const HELPER_PROJECT: Record<string, string> = {
  'definitions/shared/hosts.ts': [
    `import { alertRule, type AlertRule } from 'moncode';`,
    `/** Busy CPU share (0–1) above \`above\`. */`,
    `export function cpuAlerts(above: number): AlertRule[] {`,
    `  return [alertRule({`,
    `      alert: 'HighCPU',`,
    `      expr: \`1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > \${above}\`,`,
    `      for: '10m',`,
    `      labels: { severity: 'warning' },`,
    `      annotations: { summary: 'CPU busy on {{ $labels.instance }}', description: 'd', runbook_url: 'https://runbooks.example.com/cpu' },`,
    `  })];`,
    `}`,
    '',
  ].join('\n'),
  'definitions/api/index.ts': [
    `import { ruleGroup } from 'moncode';`,
    `import { cpuAlerts } from '../shared/hosts.ts';`,
    `export const g = ruleGroup({ name: 'api', rules: cpuAlerts(80) });`,
    '',
  ].join('\n'),
  'definitions/web/index.ts': [
    `import { ruleGroup } from 'moncode';`,
    `import * as hosts from '../shared/hosts.ts';`,
    `export const g = ruleGroup({`,
    `  name: 'web', rules: [...hosts.cpuAlerts(80)],`,
    `});`,
    '',
  ].join('\n'),
};

interface JsonReport {
  diagnostics: Array<Record<string, unknown>>;
  summary: { errors: number; warnings: number; infos: number; files: number };
}

function lintJson(dir: string, args: string[]): { code: number | null; report: JsonReport; stderr: string } {
  const result = runBin('mon-lint', ['--format', 'json', ...args], dir);
  return { code: result.code, report: JSON.parse(result.stdout) as JsonReport, stderr: result.stderr };
}

describe('mon-lint', () => {
  it('exits 0 on clean files and prints the summary', () => {
    const dir = makeProject({ 'rules.yml': CLEAN });
    const result = runBin('mon-lint', ['rules.yml'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('✔ 0 errors, 0 warnings in 1 file\n');
  });

  it('prints DESIGN §4 JSON: every field, relative paths, a summary; exit 1 on errors', () => {
    const dir = makeProject({ 'rules/api.yml': FAULTY });
    const { code, report } = lintJson(dir, ['rules']);
    expect(code).toBe(1);
    expect(report.diagnostics).toEqual([
      {
        rule: 'alert/annotation-missing',
        severity: 'warning',
        message: expect.stringContaining('`description`'),
        file: 'rules/api.yml',
        line: 9,
        column: 11,
        endLine: 10,
        endColumn: 63,
        subject: 'ApiErrors',
      },
      {
        rule: 'label/template-missing',
        severity: 'error',
        message: expect.stringContaining('`$labels.instance` is always empty'),
        file: 'rules/api.yml',
        line: 9,
        column: 41,
        endLine: 9,
        endColumn: 49,
        subject: 'ApiErrors',
      },
    ]);
    expect(report.summary).toEqual({ errors: 1, warnings: 1, infos: 0, files: 1 });
  });

  it('exits 0 when only warnings remain, and --quiet hides them', () => {
    const dir = makeProject({ 'r.yml': FAULTY.replace('{{ $labels.instance }}', '{{ $labels.job }}') });
    expect(runBin('mon-lint', ['r.yml'], dir).code).toBe(0);
    const quiet = runBin('mon-lint', ['--quiet', 'r.yml'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
  });

  it('pretty output has the location, a code frame with a caret under the span, and the rule id', () => {
    const dir = makeProject({ 'r.yml': FAULTY });
    const result = runBin('mon-lint', ['r.yml'], dir);
    const lines = result.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('r.yml:9:41: error:'));
    expect(head).toBeGreaterThanOrEqual(0);
    expect(lines[head]).toMatch(/\(ApiErrors\) \[label\/template-missing\]$/);
    expect(lines[head + 2]).toBe('>  9 |           summary: Errors on {{ $labels.instance }}');
    expect(lines[head + 3]).toBe('     |                                         ^^^^^^^^');
    expect(lines[head + 4]).toBe('  r.yml:5:15: the label is removed here');
    expect(result.stdout).toMatch(/✖ 1 error, 1 warning in 1 file\n$/);
  });

  it('writes SARIF 2.1.0 with rule metadata and regions', () => {
    const dir = makeProject({ 'r.yml': FAULTY });
    const sarif = JSON.parse(runBin('mon-lint', ['--format', 'sarif', 'r.yml'], dir).stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['alert/annotation-missing', 'label/template-missing']);
    expect(run.tool.driver.rules[1].helpUri).toMatch(/docs\/rules\/label-template-missing\.md$/);
    const error = run.results.find((r: { ruleId: string }) => r.ruleId === 'label/template-missing');
    expect(error.level).toBe('error');
    expect(error.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'r.yml' }, region: { startLine: 9, startColumn: 41, endLine: 9, endColumn: 49 } });
    expect(error.relatedLocations[0].physicalLocation.region.startLine).toBe(5);
  });

  it('writes GitHub workflow annotations', () => {
    const dir = makeProject({ 'r.yml': FAULTY });
    const out = runBin('mon-lint', ['--format', 'github', 'r.yml'], dir).stdout.split('\n');
    expect(out).toContain(
      '::error file=r.yml,line=9,col=41,endLine=9,title=label/template-missing,endColumn=49::`$labels.instance` is always empty here: `sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))` removes it (ApiErrors)%0Ar.yml:5:15: the label is removed here',
    );
    expect(out.some((l) => l.startsWith('::warning file=r.yml,line=9,col=11,endLine=10,title=alert/annotation-missing::'))).toBe(true);
  });

  it('sets severities with --rule, and rejects a rule that does not exist with exit 2', () => {
    const dir = makeProject({ 'r.yml': FAULTY });
    const off = lintJson(dir, ['--rule', 'label/template-missing=off', '--rule', 'alert/annotation-missing=error', 'r.yml']);
    expect(off.report.diagnostics.map((d) => [d.rule, d.severity])).toEqual([['alert/annotation-missing', 'error']]);
    const unknown = runBin('mon-lint', ['--rule', 'label/nope=off', 'r.yml'], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('mon-lint: error: --rule label/nope=off: no rule "label/nope" (see docs/rules/)\n');
  });

  it('lints files together: a recording rule in one file feeds an alert in another, merge keys expand, Alertmanager routes every alert', () => {
    const dir = makeProject({
      'records.yml': 'groups:\n  - name: r\n    rules:\n      - record: job:http_errors:rate5m\n        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))\n',
      'alerts.yml': [
        'x-common: &common',
        '  labels:',
        '    severity: warning',
        'groups:',
        '  - name: a',
        '    rules:',
        '      - alert: Errors',
        '        expr: job:http_errors:rate5m > 1',
        '        <<: *common',
        '        annotations:',
        '          summary: Errors on {{ $labels.pod }}',
        '          description: d',
        '          runbook_url: https://runbooks.example.com/errors',
        '',
      ].join('\n'),
      'alertmanager.yml': 'route:\n  receiver: default\n  routes:\n    - matchers: [\'severity="critical"\']\n      receiver: pager\nreceivers:\n  - name: default\n  - name: pager\n',
    });
    const { report } = lintJson(dir, ['.']);
    expect(report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line} ${d.subject}`)).toEqual([
      'label/route-unmatched alerts.yml:3 Errors', // the labels the merge key brings in
      'alert/for-missing alerts.yml:7 Errors', // a rate recorded in the other file, and no for
      'label/template-missing alerts.yml:11 Errors',
    ]);
    expect(report.summary.files).toBe(3);
  });

  it('honours YAML suppression comments and reports those that silence nothing', () => {
    const dir = makeProject({
      'r.yml': FAULTY.replace(
        '      - alert: ApiErrors',
        '      # mon-lint disable label/template-missing, alert/annotation-missing -- instance label added by the API gateway\n      - alert: ApiErrors',
      ).replace('    rules:', '    rules:\n      # mon-lint disable runbook/missing -- nothing to silence'),
    });
    const { code, report } = lintJson(dir, ['r.yml']);
    expect(code).toBe(0);
    expect(report.diagnostics.map((d) => [d.rule, d.line, d.severity])).toEqual([['lint/unused-suppression', 4, 'warning']]);
  });

  it('reports unusable files at their position with exit 2, and still lints the others', () => {
    const dir = makeProject({
      'good.yml': FAULTY,
      'broken.yml': 'groups:\n  - name: g\n    rules: [\n',
      'list.yml': '- a\n- b\n',
      'binary.yml': Buffer.from([0, 1, 2, 3, 0, 255]).toString('latin1'),
      'dashboard.json': '{"title": "x", "panels": [}',
    });
    const { code, report, stderr } = lintJson(dir, ['good.yml', 'broken.yml', 'list.yml', 'binary.yml', 'dashboard.json', 'missing.yml']);
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const byFile = Object.fromEntries(report.diagnostics.filter((d) => d.rule === 'input/unreadable').map((d) => [d.file, `${d.line}:${d.column}`]));
    expect(byFile).toEqual({ 'broken.yml': '4:1', 'list.yml': '1:1', 'binary.yml': '1:1', 'dashboard.json': '1:27', 'missing.yml': expect.any(String) });
    expect(report.diagnostics.some((d) => d.file === 'good.yml' && d.rule === 'label/template-missing')).toBe(true);
  });

  it("skips known files it has nothing to lint in: promtool unit tests and Prometheus' own config", () => {
    const dir = makeProject({
      'monitoring/rules.yml': CLEAN,
      'monitoring/rules.test.yml': 'rule_files: [rules.yml]\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series: []\n    alert_rule_test: []\n',
      'monitoring/prometheus.yml': 'global:\n  scrape_interval: 15s\nrule_files: [rules.yml]\nscrape_configs:\n  - job_name: api\n    static_configs: [{ targets: ["api:8080"] }]\n',
      'monitoring/notes.yml': 'owner: team-a\n',
    });
    const walked = lintJson(dir, ['monitoring']);
    expect(walked.code).toBe(0);
    expect(walked.report.diagnostics).toEqual([]);
    // Named on the command line, a file of no known kind is still unusable.
    const named = lintJson(dir, ['monitoring/rules.yml', 'monitoring/notes.yml']);
    expect(named.code).toBe(2);
    expect(named.report.diagnostics.map((d) => `${d.rule} ${d.file}`)).toEqual(['input/unreadable monitoring/notes.yml']);
  });

  it('walking a folder skips what is not monitoring configuration: tsconfig.json, package files, lock files, the build in out/', () => {
    const dir = makeProject({
      'package.json': '{ "name": "monitoring", "private": true }\n',
      'package-lock.json': '{ "name": "monitoring", "lockfileVersion": 3, "packages": {} }\n',
      'pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters: {}\n",
      'tsconfig.json': '{\n  // comments are allowed here\n  "compilerOptions": { "strict": true },\n}\n',
      '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
      'definitions/tsconfig.json': '{ "extends": "../tsconfig.json" }\n',
      'definitions/api/rules.yml': CLEAN,
      'renovate.json': '{ "extends": ["config:recommended"] }\n',
      // mon-build's output (marked by it): linting it too would report every rule twice.
      'out/.moncode-out': 'Written by mon-build\n',
      'out/prometheus/rules/api.rules.yml': CLEAN,
    });
    for (const folder of ['.', 'definitions', 'definitions/']) {
      const { code, report, stderr } = lintJson(dir, [folder]);
      expect({ folder, code, stderr, diagnostics: report.diagnostics }).toEqual({ folder, code: 0, stderr: '', diagnostics: [] });
      expect(report.summary.files).toBe(1);
    }
    // Named, out/ is linted, and tooling files are not monitoring configuration.
    expect(lintJson(dir, ['out']).report.summary.files).toBe(1);
    for (const file of ['package.json', 'tsconfig.json', 'renovate.json', 'pnpm-lock.yaml']) {
      const { code, report } = lintJson(dir, [file]);
      expect({ file, code, rules: report.diagnostics.map((d) => d.rule) }).toEqual({ file, code: 2, rules: ['input/unreadable'] });
    }
  });

  it("takes the scrape interval from Prometheus' own config linted with the rules", () => {
    const rules = CLEAN.replace('up{job="api"} == 0', 'sum by (instance) (rate(http_requests_total{code=~"5.."}[1m])) > 1');
    const prometheus = 'global:\n  scrape_interval: 15s\nrule_files: [rules.yml]\nscrape_configs: []\n';
    const alone = lintJson(makeProject({ 'rules.yml': rules }), ['rules.yml']);
    expect(alone.report.diagnostics.map((d) => d.rule)).toEqual(['promql/range-too-short']);
    const together = lintJson(makeProject({ 'rules.yml': rules, 'prometheus.yml': prometheus }), ['.']);
    expect(together.code).toBe(0);
    expect(together.report.diagnostics).toEqual([]);
  });

  it('lints the project definitions when given no path, with TS suppressions', () => {
    const dir = makeProject({
      'definitions/api/rules.ts': [
        `import { alertRule, ruleGroup } from 'moncode';`,
        `export const g = ruleGroup({ name: 'api', rules: [`,
        `  alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd' } }),`,
        `  alertRule({ alert: 'B', expr: 'up == 0', labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd' }, lint: { disable: ['runbook/missing'], reason: 'decommissioned next week' } }),`,
        `] });`,
        '',
      ].join('\n'),
    });
    const { code, report } = lintJson(dir, []);
    expect(code).toBe(1);
    expect(report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line} ${d.subject}`)).toEqual(['runbook/missing definitions/api/rules.ts:3 A']);
  });

  it('reports a value with a type error once: the type error, not also the build restating it; other problems stay', () => {
    const dir = makeProject({
      'definitions/api/rules.ts': [
        `import { alertRule, ruleGroup } from 'moncode';`,
        `export const g = ruleGroup({ name: 'api', rules: [`,
        `  alertRule({ alert: 'A', expr: 'up == 0',`,
        `    for: '10mins',`,
        `    labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd' } }),`,
        `] });`,
        '',
      ].join('\n'),
    });
    const { code, report } = lintJson(dir, []);
    expect(code).toBe(1);
    expect(report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line}:${d.column}`)).toEqual(['typescript definitions/api/rules.ts:4:5', 'runbook/missing definitions/api/rules.ts:5:38']);
  });

  it('names the call that built a problem a shared helper writes, for each caller', () => {
    const dir = makeProject(HELPER_PROJECT);
    const pretty = runBin('mon-lint', ['--format', 'pretty'], dir);
    expect(pretty.code).toBe(1);
    const lines = pretty.stdout.split('\n');
    const errors = lines.flatMap((line, i) =>
      line.includes('[promql/unit-mismatch]')
        ? [
            [
              line.split(': ')[0],
              lines
                .slice(i + 1)
                .find((l) => l.includes('built by'))
                ?.trim(),
            ],
          ]
        : [],
    );
    expect(errors).toEqual([
      // At the substitution that wrote the threshold, not the whole template.
      ['definitions/shared/hosts.ts:6:86', 'definitions/api/index.ts:3:50: built by this call of cpuAlerts()'],
      ['definitions/shared/hosts.ts:6:86', 'definitions/web/index.ts:4:27: built by this call of hosts.cpuAlerts()'],
    ]);
    expect(lines.find((line) => line.includes('^'))?.trim()).toBe('| ' + ' '.repeat(85) + '^'.repeat('${above}'.length));
    const sarif = JSON.parse(runBin('mon-lint', ['--format', 'sarif'], dir).stdout);
    const related = sarif.runs[0].results.map((r: { relatedLocations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) =>
      r.relatedLocations.map((l) => `${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`),
    );
    expect(related).toEqual([['definitions/api/index.ts:3'], ['definitions/web/index.ts:4']]);
    const github = runBin('mon-lint', ['--format', 'github'], dir).stdout;
    expect(github).toContain('%0Adefinitions/api/index.ts:3:50: built by this call of cpuAlerts()');
  });

  it('points inside template literals: at the text written around substitutions', () => {
    const line = '      annotations: { summary: `Errors on {{ $labels.instance }} of ${sel}`, description: `more than ${limit} per second on {{ $labels.pod }}` },';
    const dir = makeProject({
      'definitions/api/index.ts': [
        `import { alertRule, ruleGroup } from 'moncode';`,
        `const sel = 'job="api"';`,
        `const limit = 5;`,
        `export const g = ruleGroup({ name: 'g', rules: [`,
        `  alertRule({`,
        "      alert: 'A', expr: `sum by (job) (rate(http_requests_total{${sel}, code=~\"5..\"}[5m])) > ${limit}`, for: '5m', labels: { severity: 'info' },",
        line,
        `  }),`,
        `] });`,
        '',
      ].join('\n'),
    });
    const { report } = lintJson(dir, []);
    expect(report.diagnostics.map((d) => [d.rule, d.line, d.column, d.endColumn])).toEqual([
      ['label/template-missing', 7, line.indexOf('instance }}') + 1, line.indexOf('instance }}') + 1 + 'instance'.length],
      ['label/template-missing', 7, line.indexOf('pod }}') + 1, line.indexOf('pod }}') + 1 + 'pod'.length],
    ]);
  });

  it('--changed-since keeps a problem of a shared helper when the call that built it changed', () => {
    const dir = makeProject({ ...HELPER_PROJECT, 'definitions/web/index.ts': HELPER_PROJECT['definitions/web/index.ts']!.replace('80', '0.8') });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'start');
    writeFileSync(path.join(dir, 'definitions/web/index.ts'), HELPER_PROJECT['definitions/web/index.ts']!);
    const { report } = lintJson(dir, ['--changed-since', 'HEAD']);
    expect(report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line}`)).toEqual(['promql/unit-mismatch definitions/shared/hosts.ts:6']);
  });

  it('--changed-since reports only what changed since a git ref', () => {
    const dir = makeProject({ 'old.yml': FAULTY, 'r.yml': CLEAN });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'start');
    writeFileSync(path.join(dir, 'r.yml'), CLEAN.replace('runbook_url: https://runbooks.example.com/api#down', 'runbook_url: TODO'));
    const { report } = lintJson(dir, ['--changed-since', 'HEAD', '.']);
    expect(report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line}`)).toEqual(['runbook/missing r.yml:12']);
    const badRef = runBin('mon-lint', ['--changed-since', 'no-such-ref', '.'], dir);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
