import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT, writeFiles } from '../helpers/project.js';

const DASHBOARD = `import { dashboard, datasource, prom, row, stat, timeseries } from 'moncode';

export const metrics = datasource({ name: 'Prometheus', type: 'prometheus', url: 'http://prometheus:9090' });

export default dashboard({
  title: 'Checkout API',
  tags: ['checkout'],
  rows: [
    row('Traffic', [
      timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('sum by (job) (rate(http_requests_total[$__rate_interval]))', { legend: '{{job}}' })] }),
      stat({ title: 'Errors', unit: 'percentunit', thresholds: { 0: 'green', 0.05: 'red' }, targets: [prom('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))')] }),
    ]),
  ],
});
`;

const RULES = `import { alertRule, ruleGroup } from 'moncode';

export const groups = [
  ruleGroup({
    name: 'checkout',
    rules: [alertRule({ alert: 'CheckoutDown', expr: 'up{job="checkout"} == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: 'Checkout is down', description: 'No checkout instance answers scrapes', runbook_url: 'https://runbooks.example.com/checkout#checkout-down' } })],
  }),
];
`;

function project(extra: Record<string, string> = {}): string {
  return makeProject({ 'definitions/checkout/dashboard.ts': DASHBOARD, 'definitions/checkout/rules.ts': RULES, 'docs/runbooks/checkout.md': '# Checkout\n\n## Checkout down\n', ...extra });
}

describe('mon-build', () => {
  it('builds a project that has only definitions/, and a second build changes nothing', () => {
    const dir = project();
    const first = runBin('mon-build', [], dir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const tree = readTree(path.join(dir, 'out'));
    expect(Object.keys(tree)).toEqual([
      '.moncode-out',
      'grafana/dashboards/checkout/checkout-api.json',
      'grafana/provisioning/dashboards/checkout.yaml',
      'grafana/provisioning/datasources/checkout.yaml',
      'prometheus/rules/checkout.rules.yml',
    ]);
    const mtime = statSync(path.join(dir, 'out/prometheus/rules/checkout.rules.yml')).mtimeMs;

    const second = runBin('mon-build', [], dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('out/ is up to date');
    expect(readTree(path.join(dir, 'out'))).toEqual(tree);
    expect(statSync(path.join(dir, 'out/prometheus/rules/checkout.rules.yml')).mtimeMs).toBe(mtime);

    // A clean rebuild from scratch (no caches) is byte-identical too.
    rmSync(path.join(dir, 'out'), { recursive: true });
    rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(readTree(path.join(dir, 'out'))).toEqual(tree);
  });

  it('says so when definitions/ holds nothing to build: a warning, exit 0, again from the cache', () => {
    const dir = makeProject({ 'definitions/README.md': '# Our systems\n', 'mon.config.ts': 'export default {};\n' });
    for (const run of [runBin('mon-build', [], dir), runBin('mon-build', [], dir)]) {
      expect(run.stdout).toContain('warning: definitions/ holds no definitions (no .ts module, OpenSLO or Sloth file): nothing was built [definition/none]');
      expect(run.stdout).toContain('0 errors, 1 warning');
      expect(run.code).toBe(0);
    }
    writeFiles(dir, { 'definitions/checkout/rules.ts': RULES });
    expect(runBin('mon-build', [], dir).stdout).not.toContain('definition/none');
  });

  it('transpiles a large project beside the type-check, and maps a throw in it to the TS line', () => {
    const system = (i: number, body = `'up'`) =>
      `import { dashboard, prom, timeseries } from 'moncode';\nconst expr: string = ${body};\nexport default dashboard({ title: 'System ${i}', panels: [timeseries({ title: 'Up', unit: 'short', targets: [prom(expr)] })] });\n`;
    const files = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`definitions/s${i}/index.ts`, system(i)]));
    const dir = makeProject({ ...files, 'definitions/s42/index.ts': system(42, `(() => { throw new Error('no expr'); })()`) });
    const broken = runBin('mon-build', [], dir);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/definitions\/s42\/index\.ts:2:\d+: error: definition threw: no expr/);
    writeFiles(dir, { 'definitions/s42/index.ts': system(42) });
    const fixed = runBin('mon-build', [], dir);
    expect(fixed.code).toBe(0);
    const tree = readTree(path.join(dir, 'out'));
    expect(Object.keys(tree).filter((f) => f.startsWith('grafana/dashboards/'))).toHaveLength(80);
    expect(JSON.parse(tree['grafana/dashboards/s42/system-42.json']!).panels[0].targets[0].expr).toBe('up');
  });

  it('answers --help, and rejects an unknown option, a missing --config file or a path in one line with exit 2', () => {
    const dir = project();
    const help = runBin('mon-build', ['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: mon-build \[options\]/);
    for (const args of [['--bogus'], ['--config', 'missing.ts'], ['definitions/checkout']]) {
      const result = runBin('mon-build', args, dir);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^mon-build: error: /);
    }
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('fails on a definition that throws: names the file and line, no stack trace, out/ untouched', () => {
    const dir = project();
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const before = readTree(path.join(dir, 'out'));
    writeFiles(dir, {
      'definitions/checkout/broken.ts': `import { ruleGroup } from 'moncode';\nconst owners: Record<string, string[]> = {};\nexport const g = ruleGroup({ name: 'x', rules: owners['team'].map(() => ({ record: 'a', expr: 'b' })) });\n`,
    });
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/definitions\/checkout\/broken\.ts:3:\d+: error: definition threw: .*\[load\/threw\]/);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toContain('out/ left unchanged');
    expect(readTree(path.join(dir, 'out'))).toEqual(before);
  });

  it.each([
    ['throws while it runs', `export const x = (() => {\n  throw new Error('boom');\n})();\n`],
    ['exports a Proxy whose traps throw', `export const x = new Proxy({}, {\n  get() { throw new Error('proxy boom'); },\n  ownKeys() { throw new Error('ownKeys boom'); },\n});\n`],
    ['exports an object whose getter throws', `export const x = {\n  get name(): string { throw new Error('getter boom'); },\n};\n`],
    ['exports a getter that throws deeper down', `export const x = { nested: [{\n  get name(): string { throw new Error('getter boom'); },\n}] };\n`],
  ])('a definition that %s does not hide the findings of the others, in mon-build and mon-lint', (_name, broken) => {
    const dir = project({
      'definitions/checkout/rules.ts': RULES.replace(", runbook_url: 'https://runbooks.example.com/checkout#checkout-down'", ''),
      'definitions/other/broken.ts': broken,
    });
    for (const bin of ['mon-build', 'mon-lint'] as const) {
      const result = runBin(bin, ['--format', 'json'], dir);
      expect(result.code, bin).toBe(1);
      const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics
        .filter((d) => d.rule !== 'alert/annotation-missing')
        .map((d) => `${d.file}:${d.line} ${d.rule}`);
      expect(found, bin).toEqual(['definitions/checkout/rules.ts:6 runbook/missing', 'definitions/other/broken.ts:2 load/threw']);
    }
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('reports type errors at their line: a duration in words, an unknown unit, a severity outside the set, a literal credential', () => {
    const dir = project({
      'definitions/checkout/typos.ts': [
        `import { alertRule, receiver, ruleGroup, stat, dashboard } from 'moncode';`,
        `export const g = ruleGroup({ name: 'typos', rules: [`,
        `  alertRule({ alert: 'A', expr: 'up == 0', for: '5 minutes' }),`,
        `  alertRule({ alert: 'B', expr: 'up == 0', labels: { severity: 'urgent' } }),`,
        `] });`,
        `export const d = dashboard({ title: 'Typos', panels: [stat({ title: 's', unit: 'millis' })] });`,
        `export const r = receiver({ name: 'chat', slack_configs: [{ channel: '#a', api_url: 'https://hooks.slack.com/services/T0/B0/x' }] });`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; message: string }> };
    const typeErrors = report.diagnostics.filter((d) => d.rule === 'typescript').map((d) => [d.file, d.line, d.message.slice(0, 6), d.message.split(' — ')[1]]);
    // Each says what to write instead.
    expect(typeErrors).toEqual([
      ['definitions/checkout/typos.ts', 3, 'TS2322', 'a duration is a number and a unit, as Prometheus writes it: 30s, 5m, 1h30m, 7d'],
      ['definitions/checkout/typos.ts', 4, 'TS2322', expect.stringMatching(/^severities are the ones `Severities` declares: critical, warning, info, none and any the project adds/)],
      ['definitions/checkout/typos.ts', 6, 'TS2322', expect.stringMatching(/^units are Grafana's unit ids/)],
      ['definitions/checkout/typos.ts', 7, 'TS2322', "credentials are never written in definitions: use fromFile('/path/to/secret')"],
    ]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('exits 2 for a definition that does not parse, at its line, beside the other files’ type errors; mon-lint too', () => {
    const dir = project({
      'definitions/checkout/unparsed.ts': `import { dashboard } from 'moncode';\nexport const d = dashboard({ title: 'x', uid: 'x' ;\n`,
      'definitions/checkout/typed.ts': `import { alertRule } from 'moncode';\nexport const a = alertRule({ alert: 'A', expr: 'up == 0', for: '5 minutes' });\n`,
    });
    for (const bin of ['mon-build', 'mon-lint'] as const) {
      const result = runBin(bin, ['--format', 'json'], dir);
      expect(result.code, bin).toBe(2);
      const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; column: number; message: string }> };
      const where = report.diagnostics.filter((d) => d.rule === 'input/unreadable' || d.rule === 'typescript').map((d) => [d.rule, d.file, d.line, d.column, d.message.slice(0, 6)]);
      expect(where, bin).toEqual([
        ['typescript', 'definitions/checkout/typed.ts', 2, 59, 'TS2322'],
        ['input/unreadable', 'definitions/checkout/unparsed.ts', 2, 51, 'TS1005'],
        ['input/unreadable', 'definitions/checkout/unparsed.ts', 3, 1, 'TS1005'],
      ]);
    }
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    // Fixed, it builds.
    writeFiles(dir, { 'definitions/checkout/unparsed.ts': `import { dashboard } from 'moncode';\nexport const d = dashboard({ title: 'x', uid: 'x' });\n`, 'definitions/checkout/typed.ts': '' });
    expect(runBin('mon-build', [], dir).code).toBe(0);
  });

  it('reports values the types cannot catch at the property that holds them', () => {
    const dir = project({
      'definitions/checkout/values.ts': [
        `import { alertRule, dashboard, prom, ruleGroup, timeseries } from 'moncode';`,
        `const window = ['5', 'minutes'].join(' ') as '5m';`,
        `export const g = ruleGroup({ name: 'values', rules: [alertRule({ alert: 'A', expr: 'up == 0', for: window })] });`,
        `export const d = dashboard({ title: 'Values', panels: [`,
        `  timeseries({ title: 'p', datasource: 'Promethus', targets: [prom('up')] }),`,
        `] });`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; line: number; column: number; message: string; subject?: string }> };
    const values = report.diagnostics.filter((d) => d.rule === 'definition/invalid' || d.rule === 'dashboard/datasource');
    expect(values.map((d) => [d.rule, d.line, d.column])).toEqual([
      ['definition/invalid', 3, 95],
      ['dashboard/datasource', 5, 28],
    ]);
    expect(values[0]!.message).toContain('"5 minutes", not a duration');
    expect(values[1]!.message).toBe('unknown datasource "Promethus": declared are "Prometheus"');
    expect(values[1]!.subject).toBe('Values / p');
  });

  it('reports two dashboards with the same uid at both places', () => {
    const dir = project({
      'definitions/other/dashboard.ts': `import { dashboard } from 'moncode';\nexport default dashboard({ title: 'Checkout API' });\n`,
    });
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/definitions\/other\/dashboard\.ts:2:\d+: error: uid "checkout-api" is also the uid of "Checkout API".*\[dashboard\/duplicate-uid\]/);
    expect(result.stdout).toMatch(/definitions\/checkout\/dashboard\.ts:\d+:\d+: the other dashboard/);
  });

  it('rejects a field the declared Prometheus version cannot load, at its line', () => {
    const rules = `import { ruleGroup } from 'moncode';\nexport const g = ruleGroup({\n  name: 'offset',\n  query_offset: '1m',\n  rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }],\n});\n`;
    const dir = makeProject({ 'definitions/x/rules.ts': rules });
    const old = runBin('mon-build', [], dir);
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(/definitions\/x\/rules\.ts:4:3: error: `query_offset` needs Prometheus 2\.53 or later; the target is prometheus 2\.42/);
    writeFiles(dir, { 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ prometheus: { version: '3.1' } });\n` });
    expect(runBin('mon-build', [], dir).code).toBe(0);
  });

  it('--check writes nothing and exits 1 when out/ is stale or has files of removed definitions', () => {
    const dir = project();
    expect(runBin('mon-build', ['--check'], dir).code).toBe(1);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const current = runBin('mon-build', ['--check'], dir);
    expect(current.code).toBe(0);
    expect(current.stdout).toContain('out/ is up to date');

    rmSync(path.join(dir, 'definitions/checkout/rules.ts'));
    const before = readTree(path.join(dir, 'out'));
    const stale = runBin('mon-build', ['--check'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('stale: prometheus/rules/checkout.rules.yml');
    expect(readTree(path.join(dir, 'out'))).toEqual(before);

    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(Object.keys(readTree(path.join(dir, 'out')))).not.toContain('prometheus/rules/checkout.rules.yml');
  });

  it('puts the previous out/ back when a build was interrupted mid-swap', () => {
    const dir = project();
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const before = readTree(path.join(dir, 'out'));
    // State after a crash between the two renames: out/ moved aside, new tree half-written.
    renameSync(path.join(dir, 'out'), path.join(dir, '.out.previous-999999999'));
    mkdirSync(path.join(dir, '.out.staging-999999999'));
    writeFileSync(path.join(dir, '.out.staging-999999999', 'half.json'), '{');
    expect(runBin('mon-build', ['--check'], dir).code).toBe(0);
    expect(readTree(path.join(dir, 'out'))).toEqual(before);
    expect(existsSync(path.join(dir, '.out.staging-999999999'))).toBe(false);
  });

  it('collects resources inside exported arrays and objects, and not from shared libraries', () => {
    const dir = makeProject({
      'definitions/shared/panels.ts': `import { dashboard, timeseries, prom } from 'moncode';\nexport const up = (job: string) => timeseries({ title: job, targets: [prom(\`up{job="\${job}"}\`)] });\nexport const unused = dashboard({ title: 'Library dashboard' });\n`,
      'definitions/web/index.ts': `import { dashboard } from 'moncode';\nimport { up } from '../shared/panels';\nexport const all = { main: [dashboard({ title: 'Web A', panels: [up('a')] })], extra: { b: dashboard({ title: 'Web B' }) } };\n`,
    });
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(Object.keys(readTree(path.join(dir, 'out/grafana/dashboards')))).toEqual(['web/web-a.json', 'web/web-b.json']);
  });

  it('exits 2 with one line for unusable input', () => {
    const empty = makeProject({});
    const missing = runBin('mon-build', [], empty);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('mon-build: error: no definitions folder at definitions: create it, or set `definitions` in a mon.config.ts\n');

    const badKey = project({ 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({\n  prometheus: { version: '2.42', scrape: '1m' } as never,\n});\n` });
    const bad = runBin('mon-build', [], badKey);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mon\.config\.ts:3:\d+: error: bad config: `prometheus\.scrape` is not a known setting\n$/);

    const badDuration = project({ 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ prometheus: { scrapeInterval: '1 min' as '1m' } });\n` });
    const duration = runBin('mon-build', [], badDuration);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toMatch(/^mon\.config\.ts:2:\d+: error: bad config: `prometheus\.scrapeInterval` is "1 min", not a duration/);

    const usage = runBin('mon-build', ['--format', 'xml'], project());
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('mon-build: error: unknown --format "xml": use pretty, json, sarif, github\n');

    const unknownFlag = runBin('mon-build', ['--frobnicate'], project());
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
