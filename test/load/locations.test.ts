import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/load/index.js';
import { SourceIndex } from '../../src/load/source-index.js';
import type { Dashboard } from '../../src/model/dashboard.js';
import type { PromTarget } from '../../src/model/query.js';
import type { TimeseriesPanel } from '../../src/model/panel.js';
import { whereOf } from '../../src/model/source-location.js';
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
});
