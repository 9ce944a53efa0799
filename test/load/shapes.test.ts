import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const HEAD = `import { alertmanager, dashboard, datasource, ruleGroup, timeseries } from 'moncode';\n`;

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
