import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runLint } from '../../src/commands/lint.js';
import { resolveDiagnostics } from '../../src/report/resolve.js';
import { SourceIndex } from '../../src/source/source-index.js';
import { makeProject } from '../helpers/project.js';

// mon-lint and the editor compile without rendering out/'s files (compileProject's `outputs: false`), except the
// Kubernetes resources, whose names can clash and whose size can be too large: they find what mon-build finds.

const SYSTEMS: Record<string, string> = { k8s: "{ deployment: { kubernetes: { namespace: 'monitoring' } } }", files: "{ deployment: 'files' }" };
/** The config of a project holding the one system `file` is in (a systems key naming no system is a bad config). */
const configFor = (file: string): string => {
  const system = file.split('/')[1]!;
  return `import { defineConfig } from 'moncode';\nexport default defineConfig({\n  systems: {\n    ${system}: ${SYSTEMS[system]},\n  },\n});\n`;
};
const bigPanels = `Array.from({ length: 300 }, (_, i) => timeseries({ title: 'Panel ' + i, description: 'x'.repeat(4000), targets: [prom('up')] }))`;

const cases: Array<{ name: string; file: string; source: string; expect: Array<{ message: string; line: number; column: number; endLine: number; endColumn: number }> }> = [
  {
    name: 'two dashboard uids with one Kubernetes name',
    file: 'definitions/k8s/dashboards.ts',
    source: `import { dashboard } from 'moncode';\nexport const a = dashboard({ title: 'A', uid: 'Shop_A' });\nexport const b = dashboard({ title: 'B', uid: 'shop-a' });\n`,
    expect: [{ message: 'get the same Kubernetes name', line: 3, column: 42, endLine: 3, endColumn: 55 }],
  },
  {
    name: 'a ConfigMap over 1 MiB',
    file: 'definitions/k8s/dashboards.ts',
    source: `import { dashboard, prom, timeseries } from 'moncode';\nexport default dashboard({ title: 'Big', uid: 'big', panels: ${bigPanels} });\n`,
    expect: [{ message: "over Kubernetes' 1 MiB", line: 2, column: 16, endLine: 2, endColumn: 193 }],
  },
  {
    name: 'two rule files with one PrometheusRule name',
    file: 'definitions/k8s/alerts.ts',
    source: `import { recordingRule, ruleGroup } from 'moncode';
export const a = ruleGroup({ name: 'a', file: 'Api', rules: [recordingRule({ record: 'job:up:sum', expr: 'sum by (job) (up)' })] });
export const b = ruleGroup({ name: 'b', file: 'api', rules: [recordingRule({ record: 'job:up:count', expr: 'count by (job) (up)' })] });
`,
    expect: [{ message: 'get the same PrometheusRule name', line: 3, column: 18, endLine: 3, endColumn: 136 }],
  },
  {
    name: 'nothing to find in plain files',
    file: 'definitions/files/dashboards.ts',
    source: `import { dashboard } from 'moncode';\nexport const a = dashboard({ title: 'A', uid: 'Shop_A' });\nexport const b = dashboard({ title: 'B', uid: 'shop-a' });\n`,
    expect: [],
  },
];

describe('problems found while rendering out/, in mon-lint as in mon-build', () => {
  for (const c of cases) {
    it(
      c.name,
      async () => {
        const cwd = makeProject({ 'mon.config.ts': configFor(c.file), [c.file]: c.source });
        const built = await build({ cwd, check: true });
        const linted = await runLint({ cwd, paths: [] });
        const lintErrors = resolveDiagnostics(linted.diagnostics, new SourceIndex(), cwd).filter((d) => d.severity === 'error');
        const buildErrors = built.diagnostics.filter((d) => d.severity === 'error');
        const shape = (d: { rule: string; message: string; file?: string; line?: number; column?: number; endLine?: number; endColumn?: number }) => ({
          rule: d.rule,
          message: d.message,
          file: d.file,
          line: d.line,
          column: d.column,
          endLine: d.endLine,
          endColumn: d.endColumn,
        });
        expect(lintErrors.map(shape)).toEqual(buildErrors.map(shape));
        expect(lintErrors.map((d) => ({ message: d.message, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn }))).toEqual(
          c.expect.map((e) => ({ ...e, message: expect.stringContaining(e.message) as unknown as string })),
        );
        expect(lintErrors.every((d) => d.file === c.file && d.rule === 'definition/invalid')).toBe(true);
      },
      120_000,
    );
  }
});
