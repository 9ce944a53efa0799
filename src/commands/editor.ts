import path from 'node:path';
import { findProject } from '../load/project.js';
import { lastEditorEvaluation, startSpareEvaluation } from '../load/index.js';
import { DOCS_BASE_URL } from '../lint/types.js';
import { ALL_RULES } from '../lint/rules/index.js';
import { TYPE_ERROR, UnusableInputError, type DiagnosticSeverity } from '../model/diagnostic.js';
import { resolveDiagnostics } from '../report/resolve.js';
import { SourceIndex } from '../source/source-index.js';
import { runLint, type LintRun } from './lint.js';

/** A problem as the editor shows it: in one file, 1-based lines and columns (end exclusive). */
export interface EditorDiagnostic {
  rule: string;
  severity: DiagnosticSeverity;
  message: string;
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  subject?: string;
  /** The rule's page, for a lint rule. */
  docs?: string;
}

export interface EditorLint {
  /** The project's root (where mon.config.ts is, else the folder holding definitions/). */
  root: string;
  diagnostics: EditorDiagnostic[];
  /** Milliseconds from the request to the result. */
  took: number;
  /** Where they went (see `LintRun.timings`); absent for a project that could not be used. */
  timings?: LintRun['timings'];
  /** How many system files its evaluation ran, of how many (the others' resources were the last lint's). */
  modules?: { ran: number; of: number };
}

const DOCS = new Map<string, string>(ALL_RULES.map((rule) => [rule.meta.id, DOCS_BASE_URL + rule.meta.docs]));

/**
 * The project's lint as an editor shows it: the open buffers (`overlay`, absolute path → text)
 * stand in for their files, and type errors are left to the language service (it reports
 * them itself, as the user types). The same load, compile and lint as `mon-lint`.
 */
export async function lintForEditor(options: { file: string; overlay: Record<string, string> }): Promise<EditorLint> {
  const started = performance.now();
  const cwd = path.dirname(options.file);
  const root = findProject(cwd).root;
  const sources = new SourceIndex();
  for (const [file, text] of Object.entries(options.overlay)) sources.addText(file, text);
  let diagnostics: EditorDiagnostic[];
  let timings: LintRun['timings'] | undefined;
  let modules: EditorLint['modules'];
  try {
    const run = await runLint({ cwd: root, paths: [], editor: { overlay: options.overlay } });
    timings = run.timings;
    modules = { ...lastEditorEvaluation };
    diagnostics = resolveDiagnostics(
      run.diagnostics.filter((d) => d.rule !== TYPE_ERROR),
      sources,
      root,
    ).flatMap((d) => {
      if (!d.absoluteFile || d.line === undefined) return [];
      const docs = DOCS.get(d.rule);
      const item: EditorDiagnostic = { rule: d.rule, severity: d.severity, message: d.message, file: d.absoluteFile, line: d.line, column: d.column!, endLine: d.endLine!, endColumn: d.endColumn! };
      if (d.subject !== undefined) item.subject = d.subject;
      if (docs) item.docs = docs;
      return [item];
    });
  } catch (error) {
    // A project that cannot be used (a bad mon.config.ts) says so at the place it names.
    if (!(error instanceof UnusableInputError)) throw error;
    const at = error.where ? sources.locate(error.where) : undefined;
    diagnostics = at ? [{ rule: 'config/invalid', severity: 'error', message: error.message, file: at.file, line: at.line, column: at.column, endLine: at.endLine, endColumn: at.endColumn }] : [];
  }
  return { root, diagnostics, took: performance.now() - started, ...(timings ? { timings } : {}), ...(modules ? { modules } : {}) };
}

/**
 * Readies the evaluation of the next lint (a worker with moncode loaded, see `startSpareEvaluation`).
 * The lint thread calls it once an answer is sent: its start-up would otherwise compete with the
 * compile and lint of the edit being answered.
 */
export function prepareNextLint(): void {
  startSpareEvaluation();
}
