import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer, type ProtocolDiagnostic } from './tsserver.js';

/** Two systems whose dashboards share a uid: one Grafana, so dashboard/duplicate-uid (a cross-system finding). */
const dashboardOf = (title: string, uid: string) => `import { dashboard, prom, row, timeseries } from 'moncode';

export const overview = dashboard({
  title: '${title}',
  uid: '${uid}',
  rows: [row('Traffic', [timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('sum(rate(http_requests_total[5m]))')] })])],
});
`;
const A = dashboardOf('A overview', 'overview');
const B = dashboardOf('B overview', 'overview');

const moncode = (diagnostics: ProtocolDiagnostic[]) => diagnostics.filter((d) => d.code === 970001).map((d) => `${d.source} ${d.start.line}:${d.start.offset}-${d.end.line}:${d.end.offset}`);

describe('edits in one system, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  let a: string;
  let b: string;
  let duplicate: string[];
  beforeAll(() => {
    project = editorProject({ 'definitions/a/dashboards.ts': A, 'definitions/b/dashboards.ts': B }, { waitMs: 120_000 });
    a = path.join(project, 'definitions', 'a', 'dashboards.ts');
    b = path.join(project, 'definitions', 'b', 'dashboards.ts');
    server = new TsServer(project);
    server.notify('open', { file: a, fileContent: A, projectRootPath: project });
    server.notify('open', { file: b, fileContent: B, projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  it("shows the other system's duplicate uid", async () => {
    expect(moncode(await server.semanticDiagnostics(a))).toEqual([]);
    duplicate = moncode(await server.semanticDiagnostics(b));
    // At the second dashboard's uid property.
    expect(duplicate).toEqual(['moncode dashboard/duplicate-uid 5:3-5:18']);
  }, 180_000);

  it("keeps it when system a is edited (its lint runs a's modules, b's resources are the last lint's)", async () => {
    server.notify('change', { file: a, line: 4, offset: 11, endLine: 4, endOffset: 12, insertString: 'The a' });
    expect(moncode(await server.semanticDiagnostics(a))).toEqual([]);
    expect(moncode(await server.semanticDiagnostics(b))).toEqual(duplicate);
  }, 180_000);

  it('shows no moncode problem in a buffer that does not parse, and keeps the other files linted as it last parsed', async () => {
    const lints = () => readFileSync(path.join(project, 'tsserver.log'), 'utf8').split('[moncode] linted in').length - 1;
    const before = lints();
    expect(before).toBeGreaterThan(0);
    // `uid: 'overview'` → `uid: 'overview` (an unterminated string): TypeScript's syntax error is what the file shows.
    server.notify('change', { file: a, line: 5, offset: 17, endLine: 5, endOffset: 18, insertString: '' });
    const syntax = await server.request<Array<{ text: string; start: { line: number; offset: number } }>>('syntacticDiagnosticsSync', { file: a });
    expect(syntax.map((d) => d.text)).toContain('Unterminated string literal.');
    const shown = await server.semanticDiagnostics(a);
    expect(moncode(shown)).toEqual([]);
    expect(shown.map((d) => d.text).join('\n')).not.toMatch(/threw|load\//);
    expect(moncode(await server.semanticDiagnostics(b))).toEqual(duplicate);
    // The buffers to lint are those of the last lint (a as it last parsed): its answer stands, nothing is linted again.
    expect(lints()).toBe(before);
  }, 180_000);

  it('clears the finding once the buffer parses again with a uid of its own', async () => {
    server.notify('change', { file: a, line: 5, offset: 17, endLine: 5, endOffset: 17, insertString: "-a'" });
    expect(moncode(await server.semanticDiagnostics(a))).toEqual([]);
    expect(moncode(await server.semanticDiagnostics(b))).toEqual([]);
  }, 180_000);
});
