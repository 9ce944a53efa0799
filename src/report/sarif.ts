import { escapeJsonControls } from './escape.js';
import { ALL_RULES } from '../lint/rules/index.js';
import { DOCS_BASE_URL } from '../lint/types.js';
import type { Log } from 'sarif';
import type { ReportedDiagnostic } from './resolve.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** SARIF 2.1.0, as GitHub code scanning uploads it. Paths are relative to the working directory. */
export function formatSarif(diagnostics: readonly ReportedDiagnostic[], version: string): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.rule))].sort();
  const metas = new Map(ALL_RULES.map((r) => [r.meta.id as string, r.meta]));
  // Typed by @types/sarif, so a field the format does not have is a compile error.
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'moncode',
            version,
            informationUri: 'https://github.com/moncode/moncode',
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: metas.get(id)?.summary ?? id },
              defaultConfiguration: { level: LEVEL[metas.get(id)?.defaultSeverity ?? 'error'] },
              helpUri: metas.has(id) ? DOCS_BASE_URL + metas.get(id)!.docs : undefined,
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d) => ({
          ruleId: d.rule,
          ruleIndex: ruleIds.indexOf(d.rule),
          level: LEVEL[d.severity],
          message: { text: d.subject ? `${d.message} (${d.subject})` : d.message },
          locations: d.file
            ? [
                {
                  physicalLocation: {
                    artifactLocation: { uri: d.file.split('\\').join('/') },
                    region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: Math.max(d.endColumn ?? 0, (d.column ?? 0) + (d.endLine === d.line ? 1 : 0)) },
                  },
                },
              ]
            : [],
          relatedLocations: d.related?.map((r, i) => ({
            id: i,
            message: { text: r.message },
            physicalLocation: { artifactLocation: { uri: r.file }, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } },
          })),
        })),
      },
    ],
  };
  return `${escapeJsonControls(JSON.stringify(sarif, null, 2))}\n`;
}
