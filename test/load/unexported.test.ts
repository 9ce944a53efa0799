import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// definition/unexported: a resource a definition builds that no export reaches is reported at its
// factory call (line:col of the TS source), instead of vanishing from out/ without a word.

const IMPORTS = `import { alertRule, alertmanager, dashboard, datasource, prom, receiver, row, ruleGroup, slo, stat, timeseries } from 'moncode';\n`;
const RULE = (name: string) => `alertRule({ alert: '${name}', expr: 'up == 0', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } })`;
const PANEL = `timeseries({ title: 'T', unit: 's', targets: [prom('up')] })`;

interface Reported {
  file: string;
  line: number;
  column: number;
  message: string;
}

function build(files: Record<string, string>): { code: number | null; unexported: Reported[]; dir: string } {
  const dir = makeProject(files);
  const result = runBin('mon-build', ['--format', 'json'], dir);
  const report = JSON.parse(result.stdout) as { diagnostics: Array<Reported & { rule: string; severity: string }> };
  const unexported = report.diagnostics.filter((d) => d.rule === 'definition/unexported');
  for (const d of unexported) expect(d.severity).toBe('warning');
  return { code: result.code, unexported: unexported.map(({ file, line, column, message }) => ({ file, line, column, message })), dir };
}

const at = (reported: Reported[]) => reported.map((d) => `${d.file}:${d.line}:${d.column}`);

describe('definition/unexported', () => {
  // [case, definitions/web/main.ts after IMPORTS (line 2 on), the reported file:line:col]
  const cases: Array<[string, string, string[]]> = [
    ['an exported rule group', `export const g = ruleGroup({ name: 'g', rules: [${RULE('A')}] });`, []],
    ['a default-exported dashboard', `export default dashboard({ title: 'D', panels: [${PANEL}] });`, []],
    ['resources nested in an exported array and object', `export const all = [{ groups: [ruleGroup({ name: 'g', rules: [] })] }, [dashboard({ title: 'D', panels: [] })]];`, []],
    [
      'a rule and a panel used by exported resources',
      `const rule = ${RULE('A')};\nconst panel = ${PANEL};\nexport const g = ruleGroup({ name: 'g', rules: [rule] });\nexport const d = dashboard({ title: 'D', panels: [row('R', [panel])] });`,
      [],
    ],
    ['a receiver referenced by an exported route', `const pager = receiver({ name: 'pager' });\nexport default alertmanager({ route: { receiver: pager } });`, []],
    [
      'an SLO referenced by an exported alert',
      `const api = slo({ name: 'api', service: 'api', objective: '99.9%', period: '30d', sli: { errors: 'e_total{code="5"}', total: 'e_total' } });\nexport const g = ruleGroup({ name: 'g', rules: [{ ...${RULE('A')}, slo: api }] });`,
      [],
    ],
    ['a panel copied with a spread', `const base = ${PANEL};\nexport default dashboard({ title: 'D', panels: [{ ...base, description: 'x' }] });`, []],
    ['a rule group not exported', `export const d = dashboard({ title: 'D', panels: [] });\nconst lost = ruleGroup({ name: 'lost', rules: [${RULE('A')}] });`, ['definitions/web/main.ts:3:14']],
    [
      'a datasource not exported',
      `const ds = datasource({ name: 'P', type: 'prometheus', url: 'http://p:9090' });\nexport const d = dashboard({ title: 'D', panels: [] });`,
      ['definitions/web/main.ts:2:12'],
    ],
    ['an alert rule in no rule group, exported bare', `export const rules = [${RULE('A')}];`, ['definitions/web/main.ts:2:23']],
    ['a panel in no dashboard', `const spare = stat({ title: 'S', unit: 's', targets: [prom('up')] });\nexport default dashboard({ title: 'D', panels: [] });`, ['definitions/web/main.ts:2:15']],
    ['dashboards made in a loop, one exported', `const made = [1, 2, 3].map((i) => dashboard({ title: 'D' + i, panels: [] }));\nexport default made[0];`, ['definitions/web/main.ts:2:35']],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    const { code, unexported } = build({ 'definitions/web/main.ts': `${IMPORTS}${body}\n` });
    expect(at(unexported)).toEqual(expected);
    expect(code).toBe(0); // a warning: the build still writes what is exported
  });

  it('names what was lost and how often a loop built it', () => {
    const { unexported } = build({ 'definitions/web/main.ts': `${IMPORTS}for (const i of [1, 2, 3]) dashboard({ title: 'D' + i, panels: [] });\nconst orphan = ${RULE('A')};\n` });
    expect(unexported).toEqual([
      { file: 'definitions/web/main.ts', line: 2, column: 28, message: 'this dashboard is built 3 times but no definitions module exports it: it never reaches out/; export it, or remove it' },
      {
        file: 'definitions/web/main.ts',
        line: 3,
        column: 16,
        message: 'this alert rule is built but no exported resource holds it: it never reaches out/; put it in an exported resource, or remove it',
      },
    ]);
  });

  it('reports a lost rule group once, not also each rule inside it', () => {
    const { unexported } = build({ 'definitions/web/main.ts': `${IMPORTS}ruleGroup({ name: 'lost', rules: [${RULE('A')}, ${RULE('B')}] });\n` });
    expect(at(unexported)).toEqual(['definitions/web/main.ts:2:1']);
  });

  it('follows aliased and namespace imports of the factories', () => {
    const { unexported } = build({
      'definitions/web/main.ts': `import { dashboard as board } from 'moncode';\nimport * as mc from 'moncode';\nboard({ title: 'A', panels: [] });\nmc.ruleGroup({ name: 'b', rules: [] });\n`,
    });
    expect(at(unexported)).toEqual(['definitions/web/main.ts:3:1', 'definitions/web/main.ts:4:1']);
  });

  it('counts library modules: a helper building what an export holds is fine; what a library exports is there to be imported', () => {
    const helper = `${IMPORTS}export const common = ${RULE('Common')};\nexport function group(name: string) {\n  return ruleGroup({ name, rules: [${RULE('X')}] });\n}\n`;
    const { code, unexported, dir } = build({
      'definitions/shared/helpers.ts': helper,
      'definitions/_local.ts': `${IMPORTS}export const spare = dashboard({ title: 'Spare', panels: [] });\n`,
      'definitions/web/main.ts': `import { group } from '../shared/helpers.ts';\nimport { spare } from '../_local.ts';\nexport const used = group('used');\nconst lost = group('lost');\nexport const title = spare.title;\n`,
    });
    // Only the group no export holds, at the factory call in the helper (the report adds the system's call).
    expect(at(unexported)).toEqual(['definitions/shared/helpers.ts:4:10']);
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/prometheus/rules/web.rules.yml'), 'utf8')).toContain('name: used');
  });

  it('shows the call of the helper that built a lost resource', () => {
    const dir = makeProject({
      'definitions/shared/helpers.ts': `${IMPORTS}export function group(name: string) {\n  return ruleGroup({ name, rules: [] });\n}\n`,
      'definitions/web/main.ts': `import { group } from '../shared/helpers.ts';\ngroup('lost');\n`,
    });
    const result = runBin('mon-build', [], dir);
    expect(result.stdout + result.stderr).toMatch(
      /definitions\/shared\/helpers\.ts:3:10: warning: this rule group is built but no definitions module exports it[^\n]*\[definition\/unexported\][\s\S]*definitions\/web\/main\.ts:2:1: built by this call of group\(\)/,
    );
    expect(result.code).toBe(0);
  });

  it('says nothing more after a module failed (the build fails on that)', () => {
    const { code, unexported } = build({ 'definitions/web/main.ts': `${IMPORTS}dashboard({ title: 'D', panels: [] });\nthrow new Error('stop');\n` });
    expect(unexported).toEqual([]);
    expect(code).toBe(1);
  });

  it('ignores what mon.config.ts builds', () => {
    const { unexported } = build({
      'mon.config.ts': `import { defineConfig, dashboard } from 'moncode';\ndashboard({ title: 'C', panels: [] });\nexport default defineConfig({});\n`,
      'definitions/web/main.ts': `${IMPORTS}export default dashboard({ title: 'D', panels: [] });\n`,
    });
    expect(unexported).toEqual([]);
  });
});
