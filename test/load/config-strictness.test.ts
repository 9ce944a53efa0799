import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// A mon.config.ts setting that would configure nothing (a `systems` key naming no system) or a
// Prometheus moncode knows nothing of is a bad config: exit 2, one line at its mon.config.ts line:col.

const RULES = `import { alertRule, ruleGroup } from 'moncode';\nexport const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })] });\n`;
const DEFINITIONS = { 'definitions/api/rules.ts': RULES, 'definitions/web.ts': RULES, 'definitions/shared/util.ts': 'export const x = 1;\n' };
/** mon.config.ts: `body` is line 3 onwards of the defineConfig({ … }) object. */
const config = (body: string) => `import { defineConfig } from 'moncode';\nexport default defineConfig({\n${body}\n});\n`;

describe('config strictness', () => {
  // [case, lines of the config object (from line 3), the one stderr line, or '' for a clean build]
  const cases: Array<[string, string, string]> = [
    [
      'a typo of a system folder',
      `  systems: {\n    apii: { prometheus: { version: '2.53' } },\n  },`,
      'mon.config.ts:4:5: error: bad config: `systems.apii` names no system (a system is a folder or file of definitions/; definitions/ has api, web): did you mean `api`?',
    ],
    [
      'a name like no system',
      `  systems: { checkout: {} },`,
      'mon.config.ts:3:14: error: bad config: `systems.checkout` names no system (a system is a folder or file of definitions/; definitions/ has api, web)',
    ],
    [
      'a library folder is no system',
      `  systems: { shared: {} },`,
      'mon.config.ts:3:14: error: bad config: `systems.shared` names no system (a system is a folder or file of definitions/; definitions/ has api, web)',
    ],
    ['systems by folder and by file', `  systems: { api: { prometheus: { version: '3.0' } }, web: {} },`, ''],
    [
      'a Prometheus newer than moncode knows',
      `  prometheus: { version: '9.99' },`,
      'mon.config.ts:3:17: error: bad config: `prometheus.version` is "9.99", not a Prometheus version moncode compiles for (2.0–3.14, as major.minor or major.minor.patch)',
    ],
    [
      'a Prometheus 1.x',
      `  prometheus: { version: '1.8' },`,
      'mon.config.ts:3:17: error: bad config: `prometheus.version` is "1.8", not a Prometheus version moncode compiles for (2.0–3.14, as major.minor or major.minor.patch)',
    ],
    [
      "one system's version",
      `  systems: {\n    api: { prometheus: { version: '3.15' } },\n  },`,
      'mon.config.ts:4:26: error: bad config: `systems.api.prometheus.version` is "3.15", not a Prometheus version moncode compiles for (2.0–3.14, as major.minor or major.minor.patch)',
    ],
    [
      "a lint rule's severity misspelt",
      `  lint: { rules: { 'label/required': 'of' } },`,
      'mon.config.ts:3:20: error: bad config: `lint.rules.label/required` is "of", not one of "error", "warning", "info", "off"',
    ],
    ['the oldest and newest known, and a patch release', `  prometheus: { version: '2.0' },\n  systems: { api: { prometheus: { version: '3.14' } }, web: { prometheus: { version: '3.14.1' } } },`, ''],
  ];
  it.each(cases)('%s', (_name, body, line) => {
    const dir = makeProject({ ...DEFINITIONS, 'mon.config.ts': config(body) });
    const run = runBin('mon-build', [], dir);
    if (line === '') {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return;
    }
    expect(run.stderr).toBe(`${line}\n`);
    expect(run.code).toBe(2);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it.each([['3'], ['v3.1'], ['3.1-rc.0']])('a version that is no major.minor (%s) in a config the type checker did not see', (version) => {
    const dir = makeProject({ ...DEFINITIONS, 'mon.config.ts': `export default {\n  prometheus: { version: '${version}' },\n};\n` });
    const run = runBin('mon-build', [], dir);
    expect(run.stderr).toBe(
      `mon.config.ts:2:17: error: bad config: \`prometheus.version\` is "${version}", not a Prometheus version moncode compiles for (2.0–3.14, as major.minor or major.minor.patch)\n`,
    );
    expect(run.code).toBe(2);
  });

  it.each([
    [
      'an unclosed object whose recovered value names no system',
      `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { a: {`,
      "mon.config.ts:2:46: error: bad config: TS1005: '}' expected.",
    ],
    [
      'a missing comma before a setting of the wrong type',
      `import { defineConfig } from 'moncode';\nexport default defineConfig({ out: 'out'\n  prometheus: 3 });\n`,
      "mon.config.ts:3:3: error: bad config: TS1005: ',' expected.",
    ],
  ])('a syntax error is the reason given, not what the recovered config lacks: %s', (_name, text, line) => {
    const dir = makeProject({ ...DEFINITIONS, 'mon.config.ts': text });
    const run = runBin('mon-build', [], dir);
    expect(run.stderr).toBe(`${line}\n`);
    expect(run.code).toBe(2);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('mon-lint of rule files in a project without definitions/ takes any systems key', () => {
    const dir = makeProject({
      'mon.config.ts': config(`  systems: { rules: { prometheus: { version: '3.0' } } },`),
      'rules/r.yml': 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n',
    });
    const run = runBin('mon-lint', ['rules/r.yml'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
