import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer, type ProtocolDiagnostic } from './tsserver.js';

// Grafana's option enums, reducer ids in options and dashboard times, through a real tsserver:
// completionInfo offers Grafana's literals, a value Grafana does not have is a type error.

/** definitions/api/dashboards.ts with `field` written on line 6 inside a timeseries panel, `time` on line 4. */
const dashboardWith = (field: string, time = "{ from: 'now-6h', to: 'now' }") => `import { dashboard, prom, timeseries } from 'moncode';

export default dashboard({
  title: 'API', uid: 'api', time: ${time},
  panels: [timeseries({ title: 'Up', unit: 'none', targets: [prom('sum(up{job="api"})')],
    ${field} })],
});
`;

describe('Grafana option literals in a real tsserver', () => {
  let project: string;
  let server: TsServer;
  const file = () => path.join(project, 'definitions', 'api', 'dashboards.ts');
  beforeAll(() => {
    project = editorProject({ 'definitions/api/dashboards.ts': dashboardWith("legend: { placement: 'bottom' }") }, { waitMs: 120_000 });
    server = new TsServer(project);
    server.notify('open', { file: file(), fileContent: dashboardWith("legend: { placement: 'bottom' }"), projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  const typeErrors = async (text: string) => {
    server.notify('open', { file: file(), fileContent: text, projectRootPath: project });
    return (await server.semanticDiagnostics(file())).filter((d: ProtocolDiagnostic) => d.source === undefined).map((d) => `TS${d.code === 2820 ? 2322 : d.code} ${d.start.line}:${d.start.offset}`);
  };

  it.each([
    ["legend: { placement: '|' }", ['bottom', 'right']],
    ["legend: { displayMode: '|' }", ['hidden', 'list', 'table']],
    ["tooltip: { mode: '|' }", ['multi', 'none', 'single']],
    ["tooltip: { sort: '|' }", ['asc', 'desc', 'none']],
    ["thresholds: { mode: '|', steps: { 0: 'green' } }", ['absolute', 'percentage']],
    ["color: { mode: 'fixed', fixedColor: 'red' }, custom: { drawStyle: '|' }", ['bars', 'line', 'points']],
    ["custom: { stacking: { mode: '|' } }", ['none', 'normal', 'percent']],
  ])(
    'completes %s with exactly Grafana’s values',
    async (field, expected) => {
      const text = dashboardWith(field.replace('|', ''));
      server.notify('open', { file: file(), fileContent: text, projectRootPath: project });
      const line = dashboardWith(field).split('\n')[5]!;
      const body = await server.request<{ entries: Array<{ name: string }> }>('completionInfo', { file: file(), line: 6, offset: line.indexOf('|') + 1 });
      expect(body.entries.map((e) => e.name).sort()).toEqual(expected);
    },
    180_000,
  );

  it("completes legend calcs: [''] with Grafana's reducer ids, without the aliases", async () => {
    const field = "legend: { calcs: ['|'] }";
    server.notify('open', { file: file(), fileContent: dashboardWith(field.replace('|', '')), projectRootPath: project });
    const line = dashboardWith(field).split('\n')[5]!;
    const body = await server.request<{ entries: Array<{ name: string }> }>('completionInfo', { file: file(), line: 6, offset: line.indexOf('|') + 1 });
    const names = body.entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['lastNotNull', 'mean', 'max', 'p95', 'distinctCount']));
    expect(names).not.toContain('avg');
  }, 180_000);

  it.each([
    ["legend: { calcs: ['mean', 'lastNotNull', 'p99'] }", []],
    ["legend: { calcs: ['avg'] }", ['TS2322 6:23']],
    ["legend: { placement: 'left' }", ['TS2322 6:15']],
    ["tooltip: { mode: 'all' }", ['TS2322 6:16']],
    ["custom: { drawStyle: 'area' }", ['TS2322 6:15']],
  ])(
    '%s gives %j',
    async (field, expected) => {
      expect(await typeErrors(dashboardWith(field))).toEqual(expected);
    },
    180_000,
  );

  it.each([
    ["{ from: 'now-6h', to: 'now' }", []],
    ["{ from: 'now-1d/d', to: 'now/d' }", []],
    ["{ from: 'now/fy', to: 'now+1h' }", []],
    ["{ from: '2024-03-01T08:00:00Z', to: '2024-03-01||+1d' }", []],
    ["{ from: 'now-6hours', to: 'now' }", ['TS2322 4:37']],
    ["{ from: 'now-6h', to: 'today' }", ['TS2322 4:53']],
    ["{ from: 'now/2d', to: 'now' }", ['TS2322 4:37']],
  ])(
    'time: %s gives %j',
    async (time, expected) => {
      expect(await typeErrors(dashboardWith("legend: { placement: 'bottom' }", time))).toEqual(expected);
    },
    180_000,
  );
});
