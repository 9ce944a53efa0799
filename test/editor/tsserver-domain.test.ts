import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer, type ProtocolDiagnostic } from './tsserver.js';

const ALERTS = `import { alertRule, ruleGroup } from 'moncode';

export const api = ruleGroup({
  name: 'api',
  rules: [
    alertRule({
      alert: 'ApiDown',
      expr: 'up{job="api"} == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'API down', description: 'The API target is down.', runbook_url: 'docs/runbooks/api.md#api-down' },
    }),
  ],
});
`;

const dashboardWith = (reduce: string) => `import { dashboard, prom, stat } from 'moncode';

export default dashboard({
  title: 'API',
  uid: 'api',
  panels: [stat({ title: 'Up', unit: 'none', reduce: '${reduce}', targets: [prom('sum(up{job="api"})')] })],
});
`;

const RUNBOOK = '# API\n\nIntro.\n\n## API down\n\nRestart it.\n';

describe('domain types and navigation in a real tsserver', () => {
  let project: string;
  let server: TsServer;
  const alerts = () => path.join(project, 'definitions', 'api', 'alerts.ts');
  const dashboards = () => path.join(project, 'definitions', 'api', 'dashboards.ts');
  beforeAll(() => {
    project = editorProject({ 'definitions/api/alerts.ts': ALERTS, 'definitions/api/dashboards.ts': dashboardWith('avg'), 'docs/runbooks/api.md': RUNBOOK }, { waitMs: 120_000 });
    server = new TsServer(project);
    server.notify('open', { file: alerts(), fileContent: ALERTS, projectRootPath: project });
    server.notify('open', { file: dashboards(), fileContent: dashboardWith('avg'), projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  const typeErrors = async (file: string) => (await server.semanticDiagnostics(file)).filter((d: ProtocolDiagnostic) => d.code !== 970001);

  it.each([
    ['avg', 1],
    ['current', 1],
    ['p0', 1],
    ['p100', 1],
    ['mean', 0],
    ['lastNotNull', 0],
    ['p95', 0],
    ['p1', 0],
    ['uniqueValues', 0],
  ])(
    "reduce: '%s' gives %i type error(s) (Grafana's reducer ids)",
    async (reduce, count) => {
      const text = dashboardWith(reduce);
      server.notify('open', { file: dashboards(), fileContent: text, projectRootPath: project });
      const errors = await typeErrors(dashboards());
      // TS2322 (not assignable), or TS2820 when TypeScript also suggests the nearest id.
      expect(errors.map((e) => (e.code === 2820 ? 2322 : e.code))).toEqual(count ? [2322] : []);
      if (count) expect(errors[0]!.start).toEqual({ line: 6, offset: text.split('\n')[5]!.indexOf('reduce') + 1 });
    },
    180_000,
  );

  it("completes reduce: '' with the reducer ids", async () => {
    const text = dashboardWith('');
    server.notify('open', { file: dashboards(), fileContent: text, projectRootPath: project });
    const line = text.split('\n')[5]!;
    const body = await server.request<{ entries: Array<{ name: string }> }>('completionInfo', { file: dashboards(), line: 6, offset: line.indexOf("reduce: '") + 10 });
    const names = body.entries.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['lastNotNull', 'mean', 'p95', 'distinctCount']));
    expect(names).not.toContain('avg');
  }, 180_000);

  it("shows a helper's JSDoc, with Grafana's page, on hover", async () => {
    const text = dashboardWith('mean');
    server.notify('open', { file: dashboards(), fileContent: text, projectRootPath: project });
    const line = text.split('\n')[5]!;
    const body = await server.request<{ documentation: string; tags: Array<{ name: string; text: string }> }>('quickinfo', { file: dashboards(), line: 6, offset: line.indexOf('stat(') + 2 });
    expect(body.documentation).toMatch(/^A stat panel/);
    expect(body.tags).toEqual([{ name: 'see', text: 'https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/stat/' }]);
  }, 180_000);

  it('goes from a repo-relative runbook_url to the Markdown page, at its #anchor heading', async () => {
    const line = ALERTS.split('\n')[10]!;
    const offset = line.indexOf('docs/runbooks') + 5;
    const body = await server.request<{
      definitions: Array<{ file: string; start: { line: number; offset: number } }>;
      textSpan: { start: { line: number; offset: number }; end: { line: number; offset: number } };
    }>('definitionAndBoundSpan', {
      file: alerts(),
      line: 11,
      offset,
    });
    expect(body.definitions).toEqual([expect.objectContaining({ file: path.join(project, 'docs', 'runbooks', 'api.md'), start: { line: 5, offset: 1 } })]);
    expect(body.textSpan).toEqual({ start: { line: 11, offset: line.indexOf('docs/runbooks') + 1 }, end: { line: 11, offset: line.indexOf('#api-down') + '#api-down'.length + 1 } });
    // Elsewhere, TypeScript's own definitions.
    const own = await server.request<{ definitions: Array<{ file: string }> }>('definitionAndBoundSpan', { file: alerts(), line: 6, offset: 6 });
    expect(own.definitions[0]!.file).toMatch(/rule\.d\.ts$/);
  }, 180_000);
});
