import type { SourceIndex } from '../source/source-index.js';
import { displayPath } from '../load/project.js';
import { INVALID, TYPE_ERROR, type Diagnostic, type DiagnosticSeverity } from '../model/diagnostic.js';
import { redactSecrets } from '../model/secrets.js';
import { callSitesOf } from '../model/source-location.js';

/** A diagnostic with its location resolved to what reports print (DESIGN §4's JSON shape). */
export interface ReportedDiagnostic {
  rule: string;
  severity: DiagnosticSeverity;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  subject?: string;
  related?: Array<{ message: string; file: string; line: number; column: number; endLine: number; endColumn: number }>;
  /** Absolute path, for code frames. */
  absoluteFile?: string;
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  files: number;
}

/**
 * Resolves locations (relative to `cwd`), drops exact repeats and the build's complaint about a
 * value whose type error already says what is wrong with it, sorts by file and position.
 * Every format prints what this returns, so this is where credentials in messages (a thrown
 * error quoting a URL, a type error quoting a literal) are redacted, once for all of them.
 */
export function resolveDiagnostics(diagnostics: readonly Diagnostic[], sources: SourceIndex, cwd: string): ReportedDiagnostic[] {
  const seen = new Set<string>();
  const resolved: ReportedDiagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const item: ReportedDiagnostic = { rule: diagnostic.rule, severity: diagnostic.severity, message: redactSecrets(diagnostic.message) };
    if (diagnostic.where) {
      const location = sources.locate(diagnostic.where, diagnostic.within);
      Object.assign(item, {
        file: displayPath(cwd, location.file),
        line: location.line,
        column: location.column,
        endLine: location.endLine,
        endColumn: location.endColumn,
        absoluteFile: location.file,
      });
    }
    if (diagnostic.subject !== undefined) item.subject = redactSecrets(diagnostic.subject);
    const related = [
      ...(diagnostic.related ?? []),
      ...(diagnostic.where ? callSitesOf(diagnostic.where) : []).map((site) => ({ message: `built by this call of ${site.callee}()`, where: site, within: undefined })),
    ];
    if (related.length) {
      item.related = related.map((entry) => {
        const location = sources.locate(entry.where, entry.within);
        return { message: redactSecrets(entry.message), file: displayPath(cwd, location.file), line: location.line, column: location.column, endLine: location.endLine, endColumn: location.endColumn };
      });
    }
    // A shared helper's line may carry the same problem for several callers: those stay apart.
    const key = JSON.stringify([item.rule, item.severity, item.message, item.file, item.line, item.column, item.related?.map((r) => [r.file, r.line, r.column])]);
    if (seen.has(key)) continue;
    seen.add(key);
    resolved.push(item);
  }
  const typeErrors = resolved.filter((d) => d.rule === TYPE_ERROR && d.severity === 'error');
  const restated = (d: ReportedDiagnostic) => d.rule === INVALID && typeErrors.some((t) => sameStart(t, d));
  return resolved.filter((d) => !restated(d)).sort(compareDiagnostics);
}

/** Whether two reports start at the same place: the same property, so the same value. */
function sameStart(a: ReportedDiagnostic, b: ReportedDiagnostic): boolean {
  return a.file !== undefined && a.file === b.file && a.line !== undefined && a.line === b.line && a.column === b.column;
}

function compareDiagnostics(a: ReportedDiagnostic, b: ReportedDiagnostic): number {
  return compare(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compare(a.rule, b.rule) || compare(a.message, b.message);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarize(diagnostics: readonly ReportedDiagnostic[], files: number): Summary {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'info').length,
    files,
  };
}
