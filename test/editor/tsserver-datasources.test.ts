import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer } from './tsserver.js';

// Declared datasources as literal types in the editor: the `Datasources` augmentation next to the
// declarations makes a datasource string complete to the listed names and a typo a type error,
// and the plugin's lint (the build's check, on the unsaved buffers) flags a list that drifts from
// the datasource() declarations.

const DATASOURCES = `import { datasource } from 'moncode';

export const metrics = datasource({ name: 'Prometheus', type: 'prometheus', url: 'http://prometheus:9090' });
export const logs = datasource({ name: 'Loki', type: 'loki', url: 'http://loki:3100', uid: 'api-loki' });

declare module 'moncode' {
  interface Datasources {
    Prometheus: true;
    'api-loki': true;
  }
}
`;

const dashboardWith = (datasource: string) => `import { dashboard, prom, timeseries } from 'moncode';

export default dashboard({
  title: 'API',
  uid: 'api',
  panels: [timeseries({ title: 'Up', unit: 'none', datasource: '${datasource}', targets: [prom('sum(up{job="api"})')] })],
});
`;

describe('declared datasources in the editor, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  const datasources = () => path.join(project, 'definitions', 'api', 'datasources.ts');
  const dashboards = () => path.join(project, 'definitions', 'api', 'dashboards.ts');
  beforeAll(() => {
    project = editorProject({ 'definitions/api/datasources.ts': DATASOURCES, 'definitions/api/dashboards.ts': dashboardWith('Prometheus') }, { waitMs: 120_000 });
    server = new TsServer(project);
    server.notify('open', { file: datasources(), fileContent: DATASOURCES, projectRootPath: project });
    server.notify('open', { file: dashboards(), fileContent: dashboardWith('Prometheus'), projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  const shown = async (file: string) => (await server.semanticDiagnostics(file)).map((d) => `${d.source ?? `TS${d.code}`} ${d.start.line}:${d.start.offset}-${d.end.line}:${d.end.offset}`);
  const panelLine = dashboardWith('').split('\n')[5]!;
  const valueAt = panelLine.indexOf("datasource: '") + "datasource: '".length + 1;

  it.each([
    ['Prometheus', []],
    ['api-loki', []],
    // Any variable type-checks; the lint says this dashboard has none of that name.
    ['$datasource', ['moncode dashboard/datasource 6:52-6:77']],
    // TS2820 where TypeScript suggests the nearest name, TS2322 otherwise (at the property), beside the build's own finding.
    ['Promethues', ['TS2820 6:52-6:62', 'moncode dashboard/datasource 6:52-6:76']],
    ['Mimir', ['TS2322 6:52-6:62', 'moncode dashboard/datasource 6:52-6:71']],
    // Loki's name: the build resolves it, but the list holds its uid, so the type takes only that.
    ['Loki', ['TS2322 6:52-6:62']],
  ])(
    "datasource: '%s' shows %j",
    async (name, expected) => {
      server.notify('open', { file: dashboards(), fileContent: dashboardWith(name), projectRootPath: project });
      expect(await shown(dashboards())).toEqual(expected);
    },
    180_000,
  );

  it("completes datasource: '' with the listed names", async () => {
    server.notify('open', { file: dashboards(), fileContent: dashboardWith(''), projectRootPath: project });
    const body = await server.request<{ entries: Array<{ name: string }> }>('completionInfo', { file: dashboards(), line: 6, offset: valueAt });
    expect(body.entries.map((e) => e.name).sort()).toEqual(['Prometheus', 'api-loki']);
  }, 180_000);

  it('flags, in the unsaved buffer, a listed name no datasource() declares', async () => {
    server.notify('open', { file: dashboards(), fileContent: dashboardWith('Prometheus'), projectRootPath: project });
    // Line 9, `'api-loki'` → `'api-lok'`: the type-check is happy (the dashboard names Prometheus); the build's check is not.
    server.notify('change', { file: datasources(), line: 9, offset: 13, endLine: 9, endOffset: 14, insertString: '' });
    expect((await shown(datasources())).sort()).toEqual(['moncode definition/datasources-augmentation 4:34-4:46', 'moncode definition/datasources-augmentation 9:5-9:14']);
  }, 120_000);
});
