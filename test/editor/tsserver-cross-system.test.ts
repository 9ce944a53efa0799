import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editorProject, removeProject, TsServer, type ProtocolDiagnostic } from './tsserver.js';

/** System a records a series; system b alerts on it with a label a's aggregation removed (label/unknown reads a's rule). */
const recordingOf = (by: string, interval = '30s') => `import { recordingRule, ruleGroup } from 'moncode';

export const recorded = ruleGroup({
  name: 'a-recording',
  interval: '${interval}',
  rules: [recordingRule({ record: 'job:http_errors:rate5m', expr: 'sum by (${by}) (rate(http_requests_total{code=~"5.."}[5m]))' })],
});
`;
const alertsOf = (summary: string) => `import { alertRule, ruleGroup } from 'moncode';

export const alerts = ruleGroup({
  name: 'b-alerts',
  rules: [
    alertRule({
      alert: 'ApiErrors',
      expr: 'job:http_errors:rate5m{instance="api-1"} > 0',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: '${summary}', description: 'The API answers with errors.', runbook_url: 'https://runbooks.example.com/api-errors' },
    }),
  ],
});
`;
const A = recordingOf('job');
const B = alertsOf('API errors');

const moncode = (diagnostics: ProtocolDiagnostic[]) => diagnostics.filter((d) => d.code === 970001).map((d) => `${d.source} ${d.start.line}:${d.start.offset}-${d.end.line}:${d.end.offset}`);
/** At `instance` in b's selector. */
const UNKNOWN = 'moncode label/unknown 8:37-8:45';
/** a's record name once it keeps `instance` too (mon-lint says the same of those texts). */
const NAMING = 'moncode record/naming 6:27-6:59';

/** Replaces the whole buffer of `file` (`lines` lines long) with `text`. */
const replaceAll = (server: TsServer, file: string, before: string, text: string) => {
  const lines = before.split('\n');
  server.notify('change', { file, line: 1, offset: 1, endLine: lines.length, endOffset: lines[lines.length - 1]!.length + 1, insertString: text });
};

describe("a recording rule in one system and another system's alert on it, through a real tsserver", () => {
  let project: string;
  let server: TsServer;
  let a: string;
  let b: string;
  let textA = A;
  let textB = B;
  const edit = (file: 'a' | 'b', text: string) => {
    if (file === 'a') {
      replaceAll(server, a, textA, text);
      textA = text;
    } else {
      replaceAll(server, b, textB, text);
      textB = text;
    }
  };
  beforeAll(() => {
    project = editorProject({ 'definitions/a/rules.ts': A, 'definitions/b/alerts.ts': B }, { waitMs: 120_000 });
    a = path.join(project, 'definitions', 'a', 'rules.ts');
    b = path.join(project, 'definitions', 'b', 'alerts.ts');
    server = new TsServer(project);
    server.notify('open', { file: a, fileContent: A, projectRootPath: project });
    server.notify('open', { file: b, fileContent: B, projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  // Each step: the edit, then what each file shows (as mon-lint finds it for the same texts).
  const steps: Array<{ name: string; file?: 'a' | 'b'; text?: () => string; a: string[]; b: string[] }> = [
    { name: "b's alert on a label a's rule removed", a: [], b: [UNKNOWN] },
    { name: "b edited elsewhere: the finding, which reads a's rule, stays", file: 'b', text: () => alertsOf('API errors, 5xx'), a: [], b: [UNKNOWN] },
    { name: 'a edited without changing what it records: it stays', file: 'a', text: () => recordingOf('job', '1m'), a: [], b: [UNKNOWN] },
    { name: "a keeps the label: b's finding goes", file: 'a', text: () => recordingOf('job, instance', '1m'), a: [NAMING], b: [] },
    { name: 'b edited again: still none', file: 'b', text: () => alertsOf('API errors'), a: [NAMING], b: [] },
    { name: 'a drops it again: it is back in b', file: 'a', text: () => recordingOf('job'), a: [], b: [UNKNOWN] },
  ];
  for (const step of steps) {
    it(
      step.name,
      async () => {
        if (step.file && step.text) edit(step.file, step.text());
        // b first: after an edit of a, the file not edited is asked first.
        expect(moncode(await server.semanticDiagnostics(b))).toEqual(step.b);
        expect(moncode(await server.semanticDiagnostics(a))).toEqual(step.a);
      },
      180_000,
    );
  }

  it('starts the lint at the edit, before diagnostics are asked', async () => {
    const log = path.join(project, 'tsserver.log');
    const lints = () => readFileSync(log, 'utf8').split('[moncode] linted in').length - 1;
    // The last diagnostics request done (its suggestion diagnostics, checked after the semantic ones, would lint an edit made meanwhile).
    const completed = server.nextEvent((m) => m.event === 'requestCompleted');
    expect(moncode(await server.semanticDiagnostics(a))).toEqual([]);
    await completed;
    const before = lints();
    edit('b', alertsOf('API errors, again'));
    const deadline = Date.now() + 120_000;
    while (lints() === before) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The answer is that lint's: nothing is linted again.
    expect(moncode(await server.semanticDiagnostics(b))).toEqual([UNKNOWN]);
    expect(moncode(await server.semanticDiagnostics(a))).toEqual([]);
    expect(lints()).toBe(before + 1);
  }, 180_000);
});
