import type { ReportedDiagnostic, Summary } from './resolve.js';

/** DESIGN §4: `{ diagnostics: [...], summary: { errors, warnings, infos, files } }`. */
export function formatJson(diagnostics: readonly ReportedDiagnostic[], summary: Summary): string {
  return `${JSON.stringify(
    {
      diagnostics: diagnostics.map(({ absoluteFile: _absolute, ...rest }) => rest),
      summary,
    },
    null,
    2,
  )}\n`;
}
