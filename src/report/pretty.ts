import { Chalk, type ChalkInstance } from 'chalk';
import type { SourceIndex } from '../source/source-index.js';
import { maskSecrets } from '../model/secrets.js';
import { escapeControls } from './escape.js';
import type { ReportedDiagnostic, Summary } from './resolve.js';

/** A code frame shows at most this many columns of a line, around the span (a minified file is one long line). */
export const FRAME_COLUMNS = 160;

interface PrettyOptions {
  color: boolean;
  /** Show the offending line with a caret under the span. */
  codeFrames: boolean;
}

/** Whether to colour: a terminal, and no NO_COLOR (https://no-color.org). */
export function wantsColor(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && process.env.TERM !== 'dumb';
}

/**
 * Human output: one `file:line:col: severity: message [rule]` line per problem
 * (clickable in editors and CI logs), a code frame, and a summary line.
 */
export function formatPretty(diagnostics: readonly ReportedDiagnostic[], summary: Summary, sources: SourceIndex, options: PrettyOptions): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const masked = new Map<string, string | undefined>();
  for (const diagnostic of diagnostics) {
    const place = diagnostic.file ? `${escapeControls(diagnostic.file)}:${diagnostic.line}:${diagnostic.column}: ` : '';
    const subject = diagnostic.subject && !diagnostic.message.includes(diagnostic.subject) ? ` (${diagnostic.subject})` : '';
    lines.push(`${chalk.bold(place)}${severityLabel(chalk, diagnostic.severity)}: ${escapeControls(`${diagnostic.message}${subject}`)} ${chalk.dim(`[${diagnostic.rule}]`)}`);
    if (options.codeFrames && diagnostic.absoluteFile && diagnostic.line) lines.push(...codeFrame(chalk, sources, diagnostic, masked));
    for (const related of diagnostic.related ?? []) lines.push(chalk.dim(escapeControls(`  ${related.file}:${related.line}:${related.column}: ${related.message}`)));
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

function codeFrame(chalk: ChalkInstance, sources: SourceIndex, diagnostic: ReportedDiagnostic, masked: Map<string, string | undefined>): string[] {
  const file = diagnostic.absoluteFile!;
  const line = diagnostic.line!;
  // Masked to the same length, so the caret still sits under the span.
  // Once per line: a minified file has thousands of problems on one long line.
  const sourceLine = (n: number) => {
    const key = `${n}:${file}`;
    if (!masked.has(key)) {
      const text = sources.line(file, n);
      masked.set(key, text === undefined ? undefined : maskSecrets(text));
    }
    return masked.get(key);
  };
  const text = sourceLine(line);
  if (text === undefined) return [];
  const start = Math.min(diagnostic.column! - 1, text.length);
  const end = diagnostic.endLine === line ? Math.max(diagnostic.endColumn! - 1, start + 1) : text.length;
  const { from, to } = frameWindow(text.length, start, end);
  const gutter = String(line).length + 1;
  const frame: string[] = [];
  const before = line > 1 ? sourceLine(line - 1) : undefined;
  if (before !== undefined && before.trim() !== '') frame.push(chalk.dim(`  ${String(line - 1).padStart(gutter)} | ${shown(before, from, Math.min(before.length, from + FRAME_COLUMNS)).text}`));
  const current = shown(text, from, to);
  frame.push(`${chalk.red('>')} ${String(line).padStart(gutter)} | ${current.text}`);
  const caretFrom = current.width(start);
  const caretTo = current.width(Math.min(end, to));
  frame.push(`  ${' '.repeat(gutter)} | ${' '.repeat(caretFrom)}${chalk.red('^'.repeat(Math.max(1, caretTo - caretFrom)))}`);
  return frame;
}

/** The columns `[from, to)` a frame shows: the whole line when it fits, else a window starting a little before the span. */
function frameWindow(length: number, start: number, end: number): { from: number; to: number } {
  if (length <= FRAME_COLUMNS) return { from: 0, to: length };
  const lead = Math.min(40, Math.max(0, FRAME_COLUMNS - (end - start)));
  let from = Math.max(0, start - lead);
  const to = Math.min(length, from + FRAME_COLUMNS);
  from = Math.max(0, to - FRAME_COLUMNS);
  return { from, to };
}

/** Columns `[from, to)` of a line as printed (controls escaped, `…` where it is cut), and the printed width before a column. */
function shown(line: string, from: number, to: number): { text: string; width: (column: number) => number } {
  const lead = from > 0 ? '…' : '';
  const pieces: string[] = [];
  const widths: number[] = [lead.length];
  for (let i = from; i < to; i++) {
    const piece = line[i] === '\t' ? ' ' : escapeControls(line[i]!);
    pieces.push(piece);
    widths.push(widths[widths.length - 1]! + piece.length);
  }
  return {
    text: `${lead}${pieces.join('')}${to < line.length ? '…' : ''}`,
    width: (column) => widths[Math.max(0, Math.min(column - from, widths.length - 1))]!,
  };
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
