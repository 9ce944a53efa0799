import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/load/index.js';
import { SourceIndex } from '../../src/source/source-index.js';
import type { Dashboard } from '../../src/model/dashboard.js';
import type { PromTarget } from '../../src/model/query.js';
import type { TimeseriesPanel } from '../../src/model/panel.js';
import { callSitesOf, whereOf } from '../../src/model/source-location.js';
import type { RuleGroup } from '../../src/model/rule.js';
import { makeProject } from '../helpers/project.js';

const SOURCE = `import { dashboard, prom, timeseries } from 'moncode';
import * as mc from 'moncode';

let first: string, second: string;
({ first, second } = { first: 'a', second: 'b' });
const [{ nested }] = [{ nested: first + second }];

export default dashboard({
  title: 'Where',
  panels: [
    timeseries({
      title: nested,
      unit: 's',
      targets: [prom('up{job="a"}', { legend: '{{job}}' }), mc.prom('vector(1)')],
    }),
  ],
});
`;

describe('source locations of definitions', () => {
  it('points at object literals, their properties and positional helper arguments', async () => {
    const dir = makeProject({ 'definitions/x/where.ts': SOURCE });
    const project = await loadProject({ cwd: dir });
    expect(project.diagnostics).toEqual([]);
    const dashboard = project.resources[0]!.value as Dashboard;
    const panel = dashboard.panels![0] as TimeseriesPanel;
    const [first, second] = panel.targets as PromTarget[];
    const sources = new SourceIndex();
    const at = (value: unknown, property?: string) => {
      const where = whereOf(value, property);
      expect(where, property).toBeDefined();
      const loc = sources.locate(where!);
      return [path.basename(loc.file), loc.line, loc.column, sources.line(loc.file, loc.line)!.slice(loc.column - 1, loc.endLine === loc.line ? loc.endColumn - 1 : undefined)];
    };
    expect(panel.title).toBe('ab'); // destructuring patterns still work
    expect(at(dashboard, 'title')).toEqual(['where.ts', 9, 3, "title: 'Where'"]);
    expect(at(panel, 'unit')).toEqual(['where.ts', 13, 7, "unit: 's'"]);
    expect(at(first, 'expr')).toEqual(['where.ts', 14, 22, `'up{job="a"}'`]);
    expect(at(first, 'legend')).toEqual(['where.ts', 14, 39, "legend: '{{job}}'"]);
    expect(at(second, 'expr')).toEqual(['where.ts', 14, 69, "'vector(1)'"]);
    expect(at(panel)[1]).toBe(11);
  });

  it('remembers the calls of project helpers that built an object, innermost first', async () => {
    const dir = makeProject({
      'definitions/shared/base.ts': [`import { alertRule } from 'moncode';`, `export const down = (job: string) => alertRule({ alert: 'Down', expr: \`up{job="\${job}"} == 0\` });`, ''].join('\n'),
      'definitions/shared/hosts.ts': [
        `import { down } from './base.ts';`,
        `export function hostRules(job: string) {`,
        `  return { rules: [down(job), always] };`,
        `}`,
        `import { alertRule } from 'moncode';`,
        `const always = alertRule({ alert: 'Always', expr: 'vector(1)' });`,
        '',
      ].join('\n'),
      'definitions/api/index.ts': [
        `import { alertRule, ruleGroup } from 'moncode';`,
        `import { hostRules } from '../shared/hosts.ts';`,
        `const own = alertRule({ alert: 'Own', expr: 'vector(1)' });`,
        `export const g = ruleGroup({ name: 'api', rules: [own, ...hostRules('node').rules] });`,
        '',
      ].join('\n'),
    });
    const project = await loadProject({ cwd: dir });
    expect(project.diagnostics).toEqual([]);
    const group = project.resources.find((r) => (r.value as RuleGroup).name === 'api')!.value as RuleGroup;
    const [own, down, always] = group.rules;
    const sources = new SourceIndex();
    const sites = (value: unknown) =>
      callSitesOf(whereOf(value)!).map((site) => {
        const at = sources.locate(site);
        return `${path.relative(dir, at.file)}:${at.line}:${at.column} ${site.callee}`;
      });
    expect(sites(down)).toEqual(['definitions/shared/hosts.ts:3:20 down', 'definitions/api/index.ts:4:59 hostRules']);
    expect(sites(own)).toEqual([]);
    // Made once, before any call: shared by every caller, so no call claims it.
    expect(sites(always)).toEqual([]);
    expect(sites(group)).toEqual([]);
  });
});
