import { escapeJsonControls } from './escape.js';
import type { ReportedDiagnostic, Summary } from './resolve.js';

/**
 * DESIGN §4, field for field: `{ diagnostics: [...], summary: { errors, warnings, infos, files } }`.
 * Related locations are left to the pretty and SARIF formats, which have a place for them.
 */
export function formatJson(diagnostics: readonly ReportedDiagnostic[], summary: Summary): string {
  return `${escapeJsonControls(
    JSON.stringify(
      {
        diagnostics: diagnostics.map(({ rule, severity, message, file, line, column, endLine, endColumn, subject }) => ({ rule, severity, message, file, line, column, endLine, endColumn, subject })),
        summary,
      },
      null,
      2,
    ),
  )}\n`;
}
