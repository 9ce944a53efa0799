import { describe, expect, it } from 'vitest';
import { SourceIndex } from '../../src/source/source-index.js';
import { runLint } from '../../src/commands/lint.js';
import type { LintSeverity } from '../../src/model/config.js';
import { resolveDiagnostics, type ReportedDiagnostic } from '../../src/report/resolve.js';
import { makeProject } from '../helpers/project.js';

/**
 * One expected problem. Both ends of its span are pinned (1-based, the end exclusive as editors
 * show it), so a rule that starts reporting a wider or narrower span fails its test.
 */
export interface Expected {
  rule: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  subject?: string;
  /** A fragment the message must contain. */
  message?: string;
}

export interface Case {
  name: string;
  /** Files by path (relative to a fresh project folder). */
  files: Record<string, string>;
  /** Problems of the rule under test, in order; empty for a valid case. */
  expect?: Expected[];
  severities?: Record<string, LintSeverity | 'off'>;
}

/** Lints files (no definitions) the way `mon-lint <files>` does. */
export async function lintFiles(files: Record<string, string>, severities?: Record<string, LintSeverity | 'off'>): Promise<ReportedDiagnostic[]> {
  const dir = makeProject(files);
  const run = await runLint({ cwd: dir, paths: Object.keys(files), severities });
  return resolveDiagnostics(run.diagnostics, new SourceIndex(), dir);
}

/**
 * Table-driven tests for one rule: valid cases must give no problem of the rule, invalid ones
 * exactly the expected problems, in order (rule, both ends of the span, subject and message when given).
 */
export function ruleTester(rule: string, cases: { valid: Case[]; invalid: Case[] }): void {
  describe(rule, () => {
    it.each(cases.valid.map((c) => [c.name, c]))('valid: %s', async (_name, c) => {
      const found = (await lintFiles(c.files, c.severities)).filter((d) => d.rule === rule);
      expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([]);
    });
    it.each(cases.invalid.map((c) => [c.name, c]))('invalid: %s', async (_name, c) => {
      const found = (await lintFiles(c.files, c.severities)).filter((d) => d.rule === rule);
      expect(found.map((d) => ({ rule: d.rule, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, subject: d.subject, message: d.message }))).toEqual(
        (c.expect ?? []).map((e) => ({
          rule: e.rule,
          line: e.line,
          column: e.column,
          endLine: e.endLine,
          endColumn: e.endColumn,
          subject: e.subject ?? expect.anything(),
          message: e.message ? expect.stringContaining(e.message) : expect.any(String),
        })),
      );
    });
  });
}

/** A rule file with one group of the given rules (YAML list items, indented by the helper). */
export function rules(...items: string[]): string {
  return `groups:\n  - name: test\n    rules:\n${items.map((item) => item.replace(/^/gm, '      ')).join('\n')}\n`;
}

export function alert(name: string, expr: string, extra = 'labels:\n  severity: warning\nannotations:\n  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x'): string {
  return `- alert: ${name}\n  expr: ${JSON.stringify(expr)}\n${extra.replace(/^/gm, '  ')}`;
}

export function record(name: string, expr: string, labels?: Record<string, string>): string {
  const labelText = labels
    ? `\n  labels:\n${Object.entries(labels)
        .map(([k, v]) => `    ${k}: ${v}`)
        .join('\n')}`
    : '';
  return `- record: ${name}\n  expr: ${JSON.stringify(expr)}${labelText}`;
}

/** A minimal dashboard JSON with the given panels and variables. */
export function dashboardJson(panels: unknown[], variables: unknown[] = [], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ title: 'Test', uid: 'test', schemaVersion: 42, templating: { list: variables }, panels, ...extra }, null, 2);
}

/** The 1-based line of the first `needle` in `text` (after `after`, when given). */
export function lineOf(text: string, needle: string, after = ''): number {
  const start = after ? text.indexOf(after) : 0;
  const index = text.indexOf(needle, start);
  if (index < 0) throw new Error(`${needle} not in text`);
  return text.slice(0, index).split('\n').length;
}
