import { readFileSync } from 'node:fs';
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
      annotations: {
        summary: 'API down',
        description: 'The API target is down.',
        runbook_url: 'https://runbooks.example.com/api-down',
      },
    }),
  ],
});
`;

describe('the tsserver plugin, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  let file: string;
  beforeAll(async () => {
    // Each request waits for its lint (a loaded machine may take seconds): what it shows is the lint of that text.
    project = editorProject({ 'definitions/api/alerts.ts': ALERTS, 'docs/runbooks/api-down.md': '# API down\n' }, { waitMs: 120_000 });
    file = path.join(project, 'definitions', 'api', 'alerts.ts');
    server = new TsServer(project);
    server.notify('open', { file, fileContent: ALERTS, projectRootPath: project });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  it('shows no moncode problem for a clean definition', async () => {
    const diagnostics = await server.semanticDiagnostics(file);
    expect(diagnostics).toEqual([]);
  }, 180_000);

  it('shows runbook/missing on the alert once runbook_url is deleted, unsaved, with the rule page', async () => {
    // Delete line 14 (runbook_url) in the editor's buffer only.
    server.notify('change', { file, line: 14, offset: 1, endLine: 15, endOffset: 1, insertString: '' });
    const diagnostics = await server.semanticDiagnostics(file);
    expect(diagnostics).toEqual([
      {
        start: { line: 11, offset: 7 },
        end: { line: 14, offset: 8 },
        text: 'critical alert without a runbook: add `runbook_url` linking the page on-call should open (runbook/missing: https://github.com/moncode/moncode/blob/main/docs/rules/runbook-missing.md)',
        code: 970001,
        category: 'error',
        source: 'moncode runbook/missing',
      },
    ]);
    // The file on disk is as it was: the editor's buffer was linted.
    expect(readFileSync(file, 'utf8')).toBe(ALERTS);
  }, 180_000);

  it('clears the problem when the edit is undone', async () => {
    server.notify('change', { file, line: 14, offset: 1, endLine: 14, endOffset: 1, insertString: "        runbook_url: 'https://runbooks.example.com/api-down',\n" });
    expect(await server.semanticDiagnostics(file)).toEqual([]);
  }, 180_000);

  it('keeps showing lint problems beside a type error in the same buffer, as mon-lint does', async () => {
    // Line 14: runbook_url deleted; then, after the group, a type error of its own (TS2322).
    server.notify('change', { file, line: 14, offset: 1, endLine: 15, endOffset: 1, insertString: '' });
    server.notify('change', { file, line: 18, offset: 1, endLine: 18, endOffset: 1, insertString: "export const count: number = 'three';\n" });
    const diagnostics = await server.semanticDiagnostics(file);
    expect(diagnostics.map(({ start, source, code }) => ({ line: start.line, source: source ?? `ts${code}` }))).toEqual([
      { line: 18, source: 'ts2322' },
      { line: 11, source: 'moncode runbook/missing' },
    ]);
    server.notify('change', { file, line: 18, offset: 1, endLine: 19, endOffset: 1, insertString: '' });
    server.notify('change', { file, line: 14, offset: 1, endLine: 14, endOffset: 1, insertString: "        runbook_url: 'https://runbooks.example.com/api-down',\n" });
    expect(await server.semanticDiagnostics(file)).toEqual([]);
  }, 120_000);
});

describe('a lint slower than waitMs, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  let file: string;
  beforeAll(() => {
    // The lint starts at the edit: a definition that runs for 3 s keeps it from landing before the first answer.
    const slow = `${ALERTS}\nconst until = Date.now() + 3000;\nwhile (Date.now() < until);\n`;
    project = editorProject({ 'definitions/api/alerts.ts': slow, 'docs/runbooks/api-down.md': '# API down\n' }, { waitMs: 0 });
    file = path.join(project, 'definitions', 'api', 'alerts.ts');
    server = new TsServer(project);
    server.notify('open', { file, fileContent: slow, projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  it('shows the problem when the lint lands: tsserver sends the diagnostics again by itself', async () => {
    await server.semanticDiagnostics(file);
    server.notify('change', { file, line: 14, offset: 1, endLine: 15, endOffset: 1, insertString: '' });
    const landed = server.nextEvent((m) => m.event === 'semanticDiag' && (m.body as { diagnostics: ProtocolDiagnostic[] }).diagnostics.some((d) => d.source === 'moncode runbook/missing'));
    // Not waiting, the first answer cannot hold the new lint.
    const first = await server.semanticDiagnostics(file);
    expect(first.filter((d) => d.code === 970001)).toEqual([]);
    const event = await landed;
    expect((event.body as { file: string }).file).toBe(file);
  }, 120_000);
});

const SHARED = `export const apiAnnotations = {
  summary: 'API down',
  description: 'The API target is down.',
  runbook_url: 'https://runbooks.example.com/api-down',
};
`;
const IMPORTING = `import { alertRule, ruleGroup } from 'moncode';
import { apiAnnotations } from '../shared/annotations.ts';

export const api = ruleGroup({
  name: 'api',
  rules: [alertRule({ alert: 'ApiDown', expr: 'up{job="api"} == 0', for: '5m', labels: { severity: 'critical' }, annotations: apiAnnotations })],
});
`;

describe('an edit in a module imported by a definition, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  let shared: string;
  let alerts: string;
  beforeAll(() => {
    project = editorProject({ 'definitions/shared/annotations.ts': SHARED, 'definitions/api/alerts.ts': IMPORTING }, { waitMs: 120_000 });
    shared = path.join(project, 'definitions', 'shared', 'annotations.ts');
    alerts = path.join(project, 'definitions', 'api', 'alerts.ts');
    server = new TsServer(project);
    server.notify('open', { file: alerts, fileContent: IMPORTING, projectRootPath: project });
    server.notify('open', { file: shared, fileContent: SHARED, projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  it('shows the problem on the importing definition, then clears it when the edit is undone', async () => {
    expect(await server.semanticDiagnostics(alerts)).toEqual([]);
    // Delete line 4 (runbook_url) of the shared module's buffer: the alert, in the other file, loses its runbook.
    server.notify('change', { file: shared, line: 4, offset: 1, endLine: 5, endOffset: 1, insertString: '' });
    const broken = await server.semanticDiagnostics(alerts);
    expect(broken.map(({ start, end, source }) => ({ start, end, source }))).toEqual([{ start: { line: 6, offset: 114 }, end: { line: 6, offset: 141 }, source: 'moncode runbook/missing' }]);
    expect(await server.semanticDiagnostics(shared)).toEqual([]);
    server.notify('change', { file: shared, line: 4, offset: 1, endLine: 4, endOffset: 1, insertString: "  runbook_url: 'https://runbooks.example.com/api-down',\n" });
    expect(await server.semanticDiagnostics(alerts)).toEqual([]);
  }, 120_000);
});
