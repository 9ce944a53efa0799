import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer } from './tsserver.js';

// The Severities augmentation in the editor: tsserver's type-check and moncode's lint (the plugin,
// reading the unsaved buffer) agree on the declared severities.

const ALERTS = `import { alertRule, ruleGroup } from 'moncode';

declare module 'moncode' {
  interface Severities {
    page: true;
  }
}

export const api = ruleGroup({
  name: 'api',
  rules: [
    alertRule({
      alert: 'ApiDown',
      expr: 'up{job="api"} == 0',
      labels: { severity: 'page' },
      annotations: { summary: 'API down', description: 'The API target is down.', runbook_url: 'https://runbooks.example.com/api-down' },
    }),
  ],
});
`;

describe('a declared severity in the editor, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  let file: string;
  beforeAll(async () => {
    project = editorProject({ 'definitions/api/alerts.ts': ALERTS }, { waitMs: 120_000 });
    file = path.join(project, 'definitions', 'api', 'alerts.ts');
    server = new TsServer(project);
    server.notify('open', { file, fileContent: ALERTS, projectRootPath: project });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  const shown = async () => (await server.semanticDiagnostics(file)).map((d) => `${d.source ?? `TS${d.code}`} ${d.start.line}:${d.start.offset}-${d.end.line}:${d.end.offset}`);

  it('takes severity: page as declared', async () => {
    expect(await shown()).toEqual([]);
  }, 180_000);

  it('shows severity: pgae as a type error and as label/required, on its line', async () => {
    // 'page' → 'pgae' on line 15, in the buffer only.
    server.notify('change', { file, line: 15, offset: 28, endLine: 15, endOffset: 32, insertString: 'pgae' });
    expect((await shown()).sort()).toEqual(['TS2322 15:17-15:25', 'moncode label/required 15:17-15:33']);
  }, 180_000);

  it('shows severity: page as both once the unsaved buffer drops the declaration', async () => {
    server.notify('change', { file, line: 15, offset: 28, endLine: 15, endOffset: 32, insertString: 'page' });
    // Lines 3–7, the augmentation, deleted.
    server.notify('change', { file, line: 3, offset: 1, endLine: 8, endOffset: 1, insertString: '' });
    expect((await shown()).sort()).toEqual(['TS2322 10:17-10:25', 'moncode label/required 10:17-10:33']);
  }, 180_000);
});
