import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build } from '../../src/commands/build.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');
const BASE = 'https://git.example.com/org/repo/blob/main/';
const config = (lint: string): string => `import { defineConfig } from 'moncode';\nexport default defineConfig({ ${lint} });\n`;
const alerts = (...runbooks: string[]): string =>
  `import { alertRule, ruleGroup } from 'moncode';\n\nexport const api = ruleGroup({\n  name: 'api',\n  rules: [\n${runbooks
    .map(
      (r, i) =>
        `    alertRule({\n      alert: 'Down${i}',\n      expr: 'up == 0',\n      for: '5m',\n      labels: { severity: 'critical' },\n      annotations: { summary: 's', description: 'd', runbook_url: ${JSON.stringify(r)} },\n    }),\n`,
    )
    .join('')}  ],\n});\n`;

describe('runbook_url written as a path in the repository', () => {
  it.each([
    ['a path from the repository root, with its anchor', 'docs/runbooks/api.md#api-down', `${BASE}docs/runbooks/api.md#api-down`],
    ['a path with a leading slash', '/docs/runbooks/api.md', `${BASE}docs/runbooks/api.md`],
    ['a path relative to the definition', './runbooks/api.md', `${BASE}definitions/api/runbooks/api.md`],
    ['a path up from the definition', '../../docs/runbooks/api.md#api-down', `${BASE}docs/runbooks/api.md#api-down`],
    ['a space in the path', 'docs/run books/api.md', `${BASE}docs/run%20books/api.md`],
    ['a full URL, as written', 'https://runbooks.example.com/api#down', 'https://runbooks.example.com/api#down'],
    ['a template, as written', '{{ $labels.runbook }}', '{{ $labels.runbook }}'],
  ])('%s is written as %j', async (_name, written, emitted) => {
    const dir = makeProject({
      'mon.config.ts': config(`lint: { runbookBaseUrls: ['${BASE}'], rules: { 'runbook/unresolved': 'off' } }`),
      'definitions/api/alerts.ts': alerts(written),
    });
    const result = await build({ cwd: dir, check: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const file = result.outputs.find((o) => o.path === 'prometheus/rules/api.rules.yml')!.content;
    expect(YAML.parse(file).groups[0].rules[0].annotations.runbook_url).toBe(emitted);
    if (promtool) {
      const scratch = path.join(mkdtempSync(path.join(os.tmpdir(), 'moncode-runbook-')), 'api.rules.yml');
      writeFileSync(scratch, file);
      expect(runTool(promtool, ['check', 'rules', scratch]).code).toBe(0);
    }
  });

  it('the emitted URL is what runbook/unresolved checks: a missing page is reported at the annotation', async () => {
    const source = alerts('docs/runbooks/api.md#api-down', 'docs/runbooks/gone.md');
    const dir = makeProject({
      'mon.config.ts': config(`lint: { runbookBaseUrls: ['${BASE}'] }`),
      'definitions/api/alerts.ts': source,
      'docs/runbooks/api.md': '# API\n\n## API down\n',
    });
    const result = await build({ cwd: dir, check: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => [e.rule, e.subject, e.message])).toEqual([['runbook/unresolved', 'Down1', expect.stringContaining('runbook `docs/runbooks/gone.md` does not exist')]]);
    // The rule read the URL the path became, so its span is the whole annotation as written.
    const text = 'runbook_url: "docs/runbooks/gone.md"';
    const before = source.slice(0, source.indexOf(text)).split('\n');
    const column = before[before.length - 1]!.length + 1;
    expect(errors[0]).toMatchObject({ file: 'definitions/api/alerts.ts', line: before.length, column, endLine: before.length, endColumn: column + text.length });
  });

  it.each([
    ['no base URL', config(''), 'docs/runbooks/api.md', 'is a path in this repository, not a link a notification can open: set `lint.runbookBaseUrls`'],
    ['a path out of the repository', config(`lint: { runbookBaseUrls: ['${BASE}'] }`), '../../../outside.md', 'is outside the repository'],
  ])('%s is an error at the annotation', async (_name, mon, written, message) => {
    const source = alerts('https://runbooks.example.com/fine', written);
    const dir = makeProject({ 'mon.config.ts': mon, 'definitions/api/alerts.ts': source });
    const result = await build({ cwd: dir, check: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error' && d.rule === 'definition/invalid');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
    const text = `runbook_url: ${JSON.stringify(written)}`;
    const start = source.indexOf(text);
    const before = source.slice(0, start).split('\n');
    const column = before[before.length - 1]!.length + 1;
    expect(errors[0]).toMatchObject({ file: 'definitions/api/alerts.ts', line: before.length, column, endLine: before.length, endColumn: column + text.length, subject: 'Down1' });
    expect(result.exitCode).toBe(1);
  });
});
