import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const HEAD = `import { alertmanager, dashboard, datasource, ruleGroup, slo, timeseries } from 'moncode';\n`;

// Definitions can bypass their types (`as any`, values read at run time): each such value is an error
// at its field, never an internal error, and the resource is not compiled.
describe('resources whose values bypass the types are errors at the field', () => {
  const cases: Array<[string, string, RegExp[]]> = [
    ['a null rule', `export const g = ruleGroup({ name: 'g', rules: [null] } as any);`, [/index\.ts:2:18: error: `rules\[0\]` is null: a list in a definition cannot have empty entries/]],
    ['null and undefined panels', `export default dashboard({ title: 'D', panels: [null, undefined] } as any);`, [/`panels\[0\]` is null/, /`panels\[1\]` is undefined/]],
    [
      'a null target',
      `export default dashboard({ title: 'D', panels: [timeseries({ title: 'T', unit: 'short', targets: [null] } as any)] });`,
      [/index\.ts:2:\d+: error: `panels\[0\]\.targets\[0\]` is null/],
    ],
    ['a null receiver', `export default alertmanager({ route: { receiver: 'x' }, receivers: [null] } as any);`, [/`receivers\[0\]` is null/]],
    [
      'a rule of wrong types',
      `export const g = ruleGroup({ name: 5, rules: [{ alert: [], expr: null }] } as any);`,
      [/index\.ts:2:18: error: `name` must be text, got the number 5/, /index\.ts:2:\d+: error: `rules\[0\]\.alert` must be text, got a list/, /`rules\[0\]\.expr` must be text, got null/],
    ],
    [
      'labels of wrong types',
      `export const g = ruleGroup({ name: 'g', rules: [{ alert: 'A', expr: 'up', labels: 5, annotations: { a: 1 } }] } as any);`,
      [/`rules\[0\]\.labels` must be a mapping/, /`rules\[0\]\.annotations\.a` must be text/],
    ],
    [
      'a datasource of wrong types',
      `export const d = datasource({ name: 5, type: null, url: [] } as any);`,
      [/`name` must be text/, /`type` must be text, got null/, /`url` must be text, got a list/],
    ],
    ['a dashboard of wrong types', `export default dashboard({ title: 5, panels: 7, tags: 'x' } as any);`, [/`panels` must be a list/, /`title` must be text/]],
    ['a route of the wrong type', `export default alertmanager({ route: 5 } as any);`, [/index\.ts:2:\d+: error: `route` must be a mapping, got the number 5/]],
    // Values JSON cannot show: each reads as what it is, never "a undefined undefined" or "a bigint 5".
    ['an undefined name', `export const g = ruleGroup({ name: undefined, rules: [] } as any);`, [/index\.ts:2:\d+: error: `name` must be text, got undefined \[/]],
    [
      'a bigint name and label',
      `export const g = ruleGroup({ name: 5n, rules: [{ alert: 'A', expr: 'up', labels: { a: 1n } }] } as any);`,
      [/`name` must be text, got the bigint 5n \[/, /`rules\[0\]\.labels\.a` must be text, got the bigint 1n \[/],
    ],
    [
      'a bigint objective',
      `export const s = slo({ name: 's', service: 'api', objective: 10n, sli: { errors: 'e', total: 't' } } as any);`,
      [/index\.ts:2:\d+: error: objective must be .*, got the bigint 10n \(SLO s\) \[/],
    ],
    [
      'an SLO without a name or service',
      `export const s = slo({ service: 5n, objective: 0.9, sli: { errors: 'e', total: 't' } } as any);`,
      [/SLO name must be lower-case letters, digits and dashes, got undefined/],
    ],
    ['a bigint route receiver', `export default alertmanager({ route: { receiver: 5n }, receivers: [] } as any);`, [/`route\.receiver` must be a receiver, got the bigint 5n \(default\) \[/]],
  ];
  it.each(cases)('%s: definition/invalid at its place, exit 1, no internal error', (_name, body, messages) => {
    const dir = makeProject({ 'definitions/app/index.ts': `${HEAD}${body}\n` });
    const result = runBin('mon-build', ['--time-limit', '20'], dir);
    const output = result.stdout + result.stderr;
    for (const message of messages) expect(output).toMatch(message);
    expect(output).toContain('[definition/invalid]');
    expect(output).not.toMatch(/internal error|Cannot read properties|is not a function/);
    expect(result.code).toBe(1);
  });

  it('a well-typed resource beside a broken one is still judged on its own', () => {
    const dir = makeProject({
      'definitions/app/index.ts': `${HEAD}export const g = ruleGroup({ name: 'g', rules: [null] } as any);\n`,
      'definitions/other/index.ts': `${HEAD}export const ok = ruleGroup({ name: 'ok', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] });\n`,
    });
    const result = runBin('mon-build', ['--time-limit', '20', '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ file: string; line: number }> };
    expect(report.diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(['definitions/app/index.ts:2']);
    expect(result.code).toBe(1);
  });
});

// Exports that are not resources (constants, helpers' data) are allowed, so a cyclic plain object is
// nothing to build: exit 0. A cycle inside a resource cannot become a file (out/ is a tree): an error
// where the cycle closes, never a stack overflow or a hang.
describe('cyclic exports', () => {
  const RULE = `{ alert: 'A', expr: 'up == 0', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd' } }`;
  const cases: Array<[string, string, number, string[]]> = [
    ['a cyclic plain object', `const c: any = { name: 'c' };\nc.self = c;\nc.rules = [c];\nexport const g = c;`, 0, []],
    ['a cyclic plain object holding a rule group', `const c: any = { group: ruleGroup({ name: 'g', rules: [${RULE}] }) };\nc.self = c;\nc.all = [c, c.group];\nexport const all = c;`, 0, []],
    [
      'a rule group holding itself',
      `const g: any = ruleGroup({ name: 'g', rules: [${RULE}] });\ng.rules[0].labels.self = g;\ng.rules.push(g);\nexport default g;`,
      1,
      ['2:16: `rules[1]` refers back', '2:86: `self` refers back'],
    ],
    ['a dashboard holding itself', `const d: any = dashboard({ title: 'D', panels: [] });\nd.panels.push(d);\nexport default d;`, 1, ['2:16: `panels[0]` refers back']],
  ];
  it.each(cases)('%s', (_name, body, code, errors) => {
    const dir = makeProject({ 'definitions/app/index.ts': `${HEAD}${body}\n` });
    const started = Date.now();
    const result = runBin('mon-build', ['--time-limit', '20', '--format', 'json'], dir);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.stderr).not.toMatch(/internal error|call stack/);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; message: string; line: number; column: number }> };
    const found = report.diagnostics.filter((d) => d.rule === 'definition/invalid').map((d) => `${d.line}:${d.column}: ${d.message}`);
    expect(found.map((d) => d.slice(0, d.indexOf(' refers back') + ' refers back'.length))).toEqual(errors);
    expect(result.code).toBe(code);
  });
});
