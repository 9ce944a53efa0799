import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// A severity declared once, by augmenting `Severities`, is a type (the editor and the type-check)
// and lint's data (label/required's allowed values): `page` passes both, `pgae` fails both, at its line.

const AUGMENT = `declare module 'moncode' {\n  interface Severities {\n    page: true;\n  }\n}\n`;
const ANNOTATIONS = `annotations: { summary: 's', description: 'd', runbook_url: 'https://runbooks.example.com/x' }`;
/** definitions/api/rules.ts: line 1 the import, then `lines`, then a rule group with one alert per severity (its `severity:` at column 57). */
function rulesTs(severities: string[], lines = ''): string {
  const alerts = severities.map((severity, i) => `    alertRule({ alert: 'A${i}', expr: 'up == 0', labels: { severity: '${severity}' }, ${ANNOTATIONS} }),`);
  return `import { alertRule, ruleGroup } from 'moncode';\n${lines}export const api = ruleGroup({\n  name: 'api',\n  rules: [\n${alerts.join('\n')}\n  ],\n});\n`;
}

interface Reported {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

function lint(files: Record<string, string>, args: string[] = []): { code: number | null; diagnostics: string[] } {
  const dir = makeProject(files);
  const result = runBin('mon-lint', ['--format', 'json', ...args], dir);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { diagnostics: Reported[] };
  return { code: result.code, diagnostics: report.diagnostics.map((d) => `${d.rule} ${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message.slice(0, 60)}`) };
}

// With the augmentation after the import (lines 2–6), the group's alerts start on line 10.
const PGAE_TYPE = "typescript definitions/api/rules.ts:11:57-11:65 TS2322: Type '\"pgae\"' is not assignable to type 'Severity | ";
const PGAE_LINT = 'label/required definitions/api/rules.ts:11:57-11:73 `severity: pgae` is not one of the allowed values critical, ';

describe('custom severities', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['declared in the system file: page passes, pgae fails the type-check and label/required', { 'definitions/api/rules.ts': rulesTs(['page', 'pgae'], AUGMENT) }, [PGAE_LINT, PGAE_TYPE]],
    [
      'declared in mon.config.ts',
      {
        'mon.config.ts': `import { defineConfig } from 'moncode';\n${AUGMENT}export default defineConfig({});\n`,
        'definitions/api/rules.ts': rulesTs(['page', 'pgae'], '\n\n\n\n\n'),
      },
      [PGAE_LINT, PGAE_TYPE],
    ],
    ['declared in a shared library module', { 'definitions/shared/severities.ts': `export {};\n${AUGMENT}`, 'definitions/api/rules.ts': rulesTs(['page', 'critical'], '\n\n\n\n\n') }, []],
    ['none is built in: an alert that never notifies (a Watchdog) passes both', { 'definitions/api/rules.ts': rulesTs(['none', 'critical'], '\n\n\n\n\n') }, []],
    ['a quoted name', { 'definitions/api/rules.ts': rulesTs(['on-call'], `declare module 'moncode' {\n  interface Severities {\n    'on-call': true;\n  }\n}\n`) }, []],
    [
      'undeclared, page is both errors',
      { 'definitions/api/rules.ts': rulesTs(['page'], '\n\n\n\n\n') },
      [
        'label/required definitions/api/rules.ts:10:57-10:73 `severity: page` is not one of the allowed values critical, ',
        "typescript definitions/api/rules.ts:10:57-10:65 TS2322: Type '\"page\"' is not assignable to type 'Severity | ",
      ],
    ],
    [
      'a member whose name is computed is refused, not guessed',
      { 'definitions/api/rules.ts': rulesTs(['critical'], `const P = 'page';\ndeclare module 'moncode' {\n  interface Severities {\n    [P]: true;\n  }\n}\n`) },
      ['definition/invalid definitions/api/rules.ts:5:5-5:15 moncode reads the severities `Severities` declares from its '],
    ],
    [
      'an extends clause is refused',
      { 'definitions/api/rules.ts': rulesTs(['critical'], `type P = { page: true };\ndeclare module 'moncode' {\n  interface Severities extends P {}\n}\n\n`) },
      ['definition/invalid definitions/api/rules.ts:4:24-4:33 moncode reads the severities `Severities` declares from its '],
    ],
    [
      'lint.alertLabels, when set, is the list label/required allows',
      {
        'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { alertLabels: { severity: ['critical'] } } });\n`,
        'definitions/api/rules.ts': rulesTs(['page'], AUGMENT),
      },
      ['label/required definitions/api/rules.ts:10:57-10:73 `severity: page` is not one of the allowed values critical'],
    ],
  ];
  it.each(cases)('%s', (_name, files, expected) => {
    const { code, diagnostics } = lint(files);
    expect(diagnostics).toEqual(expected);
    expect(code).toBe(expected.length > 0 ? 1 : 0);
  });

  it('holds for rule files mon-lint reads beside the project', () => {
    const yaml = (severity: string) =>
      `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels:\n          severity: ${severity}\n        annotations:\n          summary: s\n          description: d\n          runbook_url: https://runbooks.example.com/x\n`;
    const files = { 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`, 'definitions/shared/severities.ts': `export {};\n${AUGMENT}` };
    expect(lint({ ...files, 'rules/ok.yml': yaml('page') }, ['rules/ok.yml']).diagnostics).toEqual([]);
    expect(lint({ ...files, 'rules/bad.yml': yaml('pgae') }, ['rules/bad.yml']).diagnostics).toEqual([
      'label/required rules/bad.yml:7:21-7:25 `severity: pgae` is not one of the allowed values critical, ',
    ]);
  });

  it('mon-build writes an alert of a declared severity', () => {
    const dir = makeProject({ 'definitions/api/rules.ts': rulesTs(['page'], AUGMENT) });
    const result = runBin('mon-build', [], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'out/prometheus/rules/api.rules.yml'))).toBe(true);
  });
});
