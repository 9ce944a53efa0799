import { Chalk, type ChalkInstance } from 'chalk';
import type { SourceIndex } from '../source/source-index.js';
import { maskSecrets } from '../model/secrets.js';
import type { ReportedDiagnostic, Summary } from './resolve.js';

export interface PrettyOptions {
  color: boolean;
  /** Show the offending line with a caret under the span. */
  codeFrames: boolean;
}

/** Whether to colour: a terminal, and no NO_COLOR (https://no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/**
 * Human output: one `file:line:col: severity: message [rule]` line per problem
 * (clickable in editors and CI logs), a code frame, and a summary line.
 */
export function formatPretty(diagnostics: readonly ReportedDiagnostic[], summary: Summary, sources: SourceIndex, options: PrettyOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  for (const diagnostic of diagnostics) {
    const place = diagnostic.file ? `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ` : '';
    const subject = diagnostic.subject && !diagnostic.message.includes(diagnostic.subject) ? ` (${diagnostic.subject})` : '';
    lines.push(`${chalk.bold(place)}${severityLabel(chalk, diagnostic.severity)}: ${diagnostic.message}${subject} ${chalk.dim(`[${diagnostic.rule}]`)}`);
    if (options.codeFrames && diagnostic.absoluteFile && diagnostic.line) lines.push(...codeFrame(chalk, sources, diagnostic));
    for (const related of diagnostic.related ?? []) lines.push(chalk.dim(`  ${related.file}:${related.line}:${related.column}: ${related.message}`));
  }
  const parts = [plural(summary.errors, 'error'), plural(summary.warnings, 'warning')];
  if (summary.infos) parts.push(plural(summary.infos, 'info'));
  const line = `${parts.join(', ')} in ${plural(summary.files, 'file')}`;
  lines.push(summary.errors ? chalk.red.bold(`✖ ${line}`) : summary.warnings ? chalk.yellow(`⚠ ${line}`) : chalk.green(`✔ ${line}`));
  return `${lines.join('\n')}\n`;
}

function severityLabel(chalk: ChalkInstance, severity: ReportedDiagnostic['severity']): string {
  return severity === 'error' ? chalk.red.bold('error') : severity === 'warning' ? chalk.yellow.bold('warning') : chalk.blue('info');
}

function codeFrame(chalk: ChalkInstance, sources: SourceIndex, diagnostic: ReportedDiagnostic): string[] {
  const file = diagnostic.absoluteFile!;
  const line = diagnostic.line!;
  // Masked to the same length, so the caret still sits under the span.
  const sourceLine = (n: number) => {
    const text = sources.line(file, n);
    return text === undefined ? undefined : maskSecrets(text);
  };
  const text = sourceLine(line);
  if (text === undefined) return [];
  const gutter = String(line).length + 1;
  const frame: string[] = [];
  const before = line > 1 ? sourceLine(line - 1) : undefined;
  if (before !== undefined && before.trim() !== '') frame.push(chalk.dim(`  ${String(line - 1).padStart(gutter)} | ${before}`));
  frame.push(`${chalk.red('>')} ${String(line).padStart(gutter)} | ${text}`);
  const start = diagnostic.column! - 1;
  const end = diagnostic.endLine === line ? Math.max(diagnostic.endColumn! - 1, start + 1) : text.length;
  const width = Math.max(1, Math.min(end, text.length) - start);
  frame.push(`  ${' '.repeat(gutter)} | ${' '.repeat(Math.max(0, start))}${chalk.red('^'.repeat(width))}`);
  return frame;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
