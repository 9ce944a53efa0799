import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFix, editorProject, removeProject, TsServer, type ProtocolCodeFix, type ProtocolDiagnostic } from './tsserver.js';

const MONCODE_CODE = 970001;

// Repo-relative runbook paths are written as links under the repository's URL.
const CONFIG = "import { defineConfig } from 'moncode';\n\nexport default defineConfig({ lint: { runbookBaseUrls: ['https://example.com/repo/blob/main/'] } });\n";

const alert = (name: string, annotations: string) => `    alertRule({
      alert: '${name}',
      expr: 'up{job="api"} == 0',
      for: '5m',
      labels: { severity: 'critical' },${annotations}
    }),
`;

const alerts = (rules: string) => `import { alertRule, ruleGroup } from 'moncode';

export const api = ruleGroup({
  name: 'api',
  rules: [
${rules}  ],
});
`;

const DASHBOARD = `import { dashboard, pluginPanel, prom } from 'moncode';

export default dashboard({
  title: 'API',
  uid: 'api',
  panels: [
    pluginPanel({
      type: 'grafana-piechart-panel',
      title: 'Requests by code',
      targets: [prom('sum by (code) (rate(http_requests_total[5m]))')],
    }),
  ],
});
`;

const cases: Array<{ name: string; rules: string; rule: string; fix: string; expected: string; after: string[] }> = [
  {
    name: 'adds runbook_url to annotations that lack it',
    rules: alert('ApiDown', "\n      annotations: {\n        summary: 'API down',\n        description: 'The API target is down.',\n      },"),
    rule: 'runbook/missing',
    fix: 'moncode-runbook',
    expected: alert('ApiDown', "\n      annotations: {\n        runbook_url: 'docs/runbooks/api-down.md',\n        summary: 'API down',\n        description: 'The API target is down.',\n      },"),
    after: [],
  },
  {
    name: 'replaces a placeholder runbook',
    rules: alert('ApiDown', "\n      annotations: { summary: 'API down', description: 'The API target is down.', runbook_url: 'TODO' },"),
    rule: 'runbook/missing',
    fix: 'moncode-runbook',
    expected: alert('ApiDown', "\n      annotations: { summary: 'API down', description: 'The API target is down.', runbook_url: 'docs/runbooks/api-down.md' },"),
    after: [],
  },
  {
    name: 'adds annotations to an alert without any',
    rules: alert('ApiDown', ''),
    rule: 'runbook/missing',
    fix: 'moncode-runbook',
    expected: alert('ApiDown', '').replace("      alert: 'ApiDown',", "      annotations: { runbook_url: 'docs/runbooks/api-down.md' },\n      alert: 'ApiDown',"),
    after: ['alert/annotation-missing'],
  },
  {
    name: 'suppresses the rule on the alert, the reason left to write',
    rules: alert('ApiDown', "\n      annotations: { summary: 'API down', description: 'The API target is down.' },"),
    rule: 'runbook/missing',
    fix: 'moncode-suppress',
    expected: alert('ApiDown', "\n      annotations: { summary: 'API down', description: 'The API target is down.' },").replace(
      "      alert: 'ApiDown',",
      "      lint: { disable: ['runbook/missing'], reason: '' },\n      alert: 'ApiDown',",
    ),
    after: ['lint/unused-suppression'],
  },
];

const moncode = (diagnostics: ProtocolDiagnostic[]) => diagnostics.filter((d) => d.code === MONCODE_CODE);
const ruleOf = (d: ProtocolDiagnostic) => d.source!.replace(/^moncode /, '');

describe('code fixes of the tsserver plugin, through a real tsserver', () => {
  let project: string;
  let server: TsServer;
  const alertsFile = () => path.join(project, 'definitions', 'api', 'alerts.ts');
  const dashboardsFile = () => path.join(project, 'definitions', 'api', 'dashboards.ts');
  beforeAll(() => {
    project = editorProject(
      { 'definitions/api/alerts.ts': alerts(''), 'definitions/api/dashboards.ts': DASHBOARD, 'docs/runbooks/api-down.md': '# API down\n', 'mon.config.ts': CONFIG },
      { waitMs: 120_000 },
    );
    server = new TsServer(project);
    server.notify('open', { file: alertsFile(), fileContent: alerts(''), projectRootPath: project });
    server.notify('open', { file: dashboardsFile(), fileContent: DASHBOARD, projectRootPath: project });
  });
  afterAll(async () => {
    await server?.stop();
    if (project) removeProject(project);
  });

  /** Replaces the whole buffer (unsaved) and returns moncode's problems in it. */
  const edit = async (file: string, before: string, after: string) => {
    const lines = before.split('\n');
    server.notify('change', { file, line: 1, offset: 1, endLine: lines.length, endOffset: lines[lines.length - 1]!.length + 1, insertString: after });
    return moncode(await server.semanticDiagnostics(file));
  };

  let current = alerts('');
  for (const c of cases) {
    it(
      c.name,
      async () => {
        const text = alerts(c.rules);
        const found = await edit(alertsFile(), current, text);
        current = text;
        const problem = found.find((d) => ruleOf(d) === c.rule);
        expect(problem, JSON.stringify(found)).toBeDefined();
        const fixes = await server.request<ProtocolCodeFix[]>('getCodeFixes', {
          file: alertsFile(),
          startLine: problem!.start.line,
          startOffset: problem!.start.offset,
          endLine: problem!.end.line,
          endOffset: problem!.end.offset,
          errorCodes: [MONCODE_CODE],
        });
        const fix = fixes.find((f) => f.fixName === c.fix);
        expect(fix, JSON.stringify(fixes.map((f) => f.description))).toBeDefined();
        const fixed = applyFix(text, fix!, alertsFile());
        expect(fixed).toBe(alerts(c.expected));
        const left = await edit(alertsFile(), current, fixed);
        current = fixed;
        expect(left.map(ruleOf)).toEqual(c.after);
      },
      180_000,
    );
  }

  it('replaces a deprecated plugin panel by its successor, imported', async () => {
    const found = moncode(await server.semanticDiagnostics(dashboardsFile()));
    const problem = found.find((d) => ruleOf(d) === 'dashboard/deprecated-panel');
    expect(problem, JSON.stringify(found)).toBeDefined();
    expect(problem!.category).toBe('warning');
    const fixes = await server.request<ProtocolCodeFix[]>('getCodeFixes', {
      file: dashboardsFile(),
      startLine: problem!.start.line,
      startOffset: problem!.start.offset,
      endLine: problem!.end.line,
      endOffset: problem!.end.offset,
      errorCodes: [MONCODE_CODE],
    });
    const fix = fixes.find((f) => f.fixName === 'moncode-panel')!;
    expect(fix.description).toBe('Use the piechart panel (piechart())');
    const fixed = applyFix(DASHBOARD, fix, dashboardsFile());
    expect(fixed).toBe(DASHBOARD.replace('pluginPanel, prom }', 'pluginPanel, prom, piechart }').replace("pluginPanel({\n      type: 'grafana-piechart-panel',\n", 'piechart({\n'));
    const left = await edit(dashboardsFile(), DASHBOARD, fixed);
    expect(left.map(ruleOf)).toEqual([]);
    // The fixed file type-checks: no TypeScript error either.
    expect((await server.semanticDiagnostics(dashboardsFile())).filter((d) => d.code !== MONCODE_CODE)).toEqual([]);
  }, 180_000);

  it('lists its code among the fixable ones', async () => {
    const codes = await server.request<string[]>('getSupportedCodeFixes', { file: alertsFile(), projectFileName: path.join(project, 'tsconfig.json') });
    expect(codes).toContain(String(MONCODE_CODE));
  }, 180_000);
});
