import { escapeControls } from './escape.js';
import type { ReportedDiagnostic } from './resolve.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

function escapeData(text: string): string {
  return escapeControls(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions workflow commands: annotations on the changed lines of a pull request. */
export function formatGithub(diagnostics: readonly ReportedDiagnostic[]): string {
  return diagnostics
    .map((d) => {
      const properties = [`title=${escapeProperty(d.rule)}`];
      if (d.file) {
        properties.unshift(`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`, `endLine=${d.endLine}`);
        if (d.endLine === d.line) properties.push(`endColumn=${d.endColumn}`);
      }
      const headline = d.subject && !d.message.includes(d.subject) ? `${d.message} (${d.subject})` : d.message;
      const message = [headline, ...(d.related ?? []).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message}`)].join('\n');
      return `::${COMMAND[d.severity]} ${properties.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}
