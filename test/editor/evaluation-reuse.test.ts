import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintForEditor, type EditorLint } from '../../src/commands/editor.js';
import { forgetEditorEvaluations } from '../../src/load/index.js';
import { REPO_ROOT } from '../helpers/project.js';

/**
 * The editor's lint runs only the system files an edit reaches and takes the others' resources
 * from its last evaluation: for each edit of this repository's seed project, what it finds is
 * exactly what a lint running every module finds for the same buffers.
 */
interface Edit {
  name: string;
  file: string;
  edit: (text: string) => string;
  /**
   * How many system files the lint after the edit runs: those reaching the edited file and the
   * system files they import or are imported by (agent-api/alerts.ts: itself, slos.ts it imports,
   * tests.ts importing it, alertmanager.ts tests.ts imports); 'some' (more than one, fewer than all), 'all'.
   */
  ran: number | 'some' | 'all';
  /** A problem the edit causes, as `rule file` (relative to definitions/). */
  finds?: string[];
}

const remove = (line: string) => (text: string) => {
  expect(text).toContain(line);
  return text.replace(line, '');
};
const replace = (from: string, to: string) => (text: string) => {
  expect(text).toContain(from);
  return text.replace(from, to);
};

const EDITS: Edit[] = [
  {
    name: 'a runbook removed from one alert',
    file: 'agent-api/alerts.ts',
    edit: remove("runbook_url: runbook('agent-api/high-token-usage'),"),
    ran: 4,
    finds: ['runbook/missing agent-api/alerts.ts'],
  },
  {
    name: 'a shared module most systems import',
    file: 'shared/hosts.ts',
    edit: replace("runbook_url: runbook('hosts/high-cpu-usage'),", ''),
    ran: 'some',
    finds: ['runbook/missing shared/hosts.ts'],
  },
  { name: "a system's datasource its dashboards import", file: 'agent-api/datasources.ts', edit: replace("name: 'agent-api Prometheus'", "name: 'agent-api Prom'"), ran: 2 },
  {
    name: "a uid another system's dashboard has (cross-system)",
    file: 'bot-core/dashboards.ts',
    edit: replace("uid: 'system-overview'", "uid: 'agent-metrics'"),
    ran: 'some',
    finds: ['dashboard/duplicate-uid bot-core/dashboards.ts'],
  },
  { name: "another module's dashboard exported again", file: 'agent-api/alerts.ts', edit: (text) => `${text}\nexport { agentMetrics } from './dashboards.ts';\n`, ran: 'all' },
  { name: 'mon.config.ts', file: '../mon.config.ts', edit: replace("scrapeInterval: '15s', evaluationInterval: '30s'", "scrapeInterval: '15s', evaluationInterval: '1m'"), ran: 'all' },
  { name: 'a module that throws', file: 'toolboxai/alerts.ts', edit: (text) => `${text}\nthrow new Error('not yet');\n`, ran: 3, finds: ['load/threw toolboxai/alerts.ts'] },
];

describe("the editor's evaluation runs what an edit reaches", () => {
  let root: string;
  let definitions: string;
  const lint = (overlay: Record<string, string>): Promise<EditorLint> => lintForEditor({ file: path.join(definitions, 'agent-api', 'alerts.ts'), overlay });
  const found = (result: EditorLint) => result.diagnostics.map((d) => `${d.rule} ${path.relative(definitions, d.file)}`);

  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'moncode-editor-reuse-'));
    mkdirSync(path.join(root, '.git'));
    for (const part of ['definitions', 'docs/runbooks', 'mon.config.ts']) cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
    definitions = path.join(root, 'definitions');
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it.each(EDITS)(
    '$name',
    async ({ file, edit, ran, finds }) => {
      // Each edit is of the project as it is on disk, which the lint before it evaluated whole.
      forgetEditorEvaluations();
      await lint({});
      const absolute = path.join(definitions, file);
      const overlay = { [absolute]: edit(readFileSync(absolute, 'utf8')) };
      const reused = await lint(overlay);
      const of = reused.modules!.of;
      expect(of).toBeGreaterThan(10);
      if (ran === 'all') expect(reused.modules!.ran).toBe(of);
      else if (ran === 'some') expect(reused.modules!.ran).toSatisfy((n: number) => n > 1 && n < of);
      else expect(reused.modules!.ran).toBe(ran);
      for (const finding of finds ?? []) expect(found(reused), JSON.stringify(found(reused))).toContain(finding);
      forgetEditorEvaluations();
      const full = await lint(overlay);
      expect(full.modules!.ran).toBe(of);
      expect(reused.diagnostics).toEqual(full.diagnostics);
    },
    300_000,
  );

  it('runs everything after a lint that found a problem in evaluating (any module may have caused it)', async () => {
    forgetEditorEvaluations();
    await lint({});
    const absolute = path.join(definitions, 'toolboxai', 'alerts.ts');
    const text = readFileSync(absolute, 'utf8');
    const threw = await lint({ [absolute]: `${text}\nthrow new Error('not yet');\n` });
    expect(threw.modules!.ran).toBe(3);
    const fixed = await lint({ [absolute]: `${text}\n// fixed\n` });
    expect(fixed.modules!.ran).toBe(fixed.modules!.of);
    expect(found(fixed)).not.toContain('load/threw toolboxai/alerts.ts');
  }, 300_000);
});
