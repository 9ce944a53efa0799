import { readFileSync, statSync } from 'node:fs';
import { typescript as tsApi, type TS } from './typescript.js';
import { isSpan, type SourceLocation, type Span, type Where } from '../model/source-location.js';

/**
 * Turns spans (offsets) into line/column locations, reading and indexing each
 * file once, and finds properties of TS object literals on demand.
 */
/** Files larger than mon-lint's input limit are not read for positions (mon-lint refuses them). */
const MAX_SOURCE_BYTES = Math.max(64, Number(process.env.MONCODE_MAX_INPUT_MIB) || 0) * 1024 * 1024;

export class SourceIndex {
  private readonly texts = new Map<string, string | undefined>();
  private readonly lineStarts = new Map<string, number[]>();
  private readonly tsFiles = new Map<string, TS.SourceFile>();

  /** Registers text already in memory (files read by a reader), so it is not read twice. */
  addText(file: string, text: string): void {
    this.texts.set(file, text);
    this.lineStarts.delete(file);
  }

  text(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        // Only regular files of a readable size: a FIFO or device named on the command line would block here.
        const stats = statSync(file);
        text = stats.isFile() && stats.size <= MAX_SOURCE_BYTES ? readFileSync(file, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }

  /** The files whose text was asked for (read, registered or found unreadable): what the locations given depend on. */
  textFiles(): string[] {
    return [...this.texts.keys()];
  }

  /** The span a `Where` denotes; a property that cannot be found falls back to its object. */
  span(where: Where): Span {
    if (isSpan(where)) return where;
    const { origin } = where;
    if (where.property === undefined && where.argument === undefined) return origin;
    const node = this.nodeAt(origin);
    if (!node) return origin;
    const found = where.argument !== undefined ? argumentOf(node, where.argument) : propertyOf(node, where.property!);
    if (!found) return origin;
    const file = this.tsFile(origin.file)!;
    return { file: origin.file, start: found.getStart(file), end: found.getEnd() };
  }

  /**
   * Where a problem sits: `where`, narrowed to characters `[from, to)` of the
   * string value written there (a PromQL fault inside an `expr`, a template
   * reference inside an annotation).
   */
  locate(where: Where, within?: { value: string; from: number; to: number }): SourceLocation {
    let span = this.span(where);
    if (within) span = this.narrow(where, span, within) ?? span;
    const start = this.position(span.file, span.start);
    const end = this.position(span.file, Math.max(span.start, span.end));
    return { file: span.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  private narrow(where: Where, span: Span, within: { value: string; from: number; to: number }): Span | undefined {
    const text = this.text(span.file);
    if (text === undefined) return undefined;
    let start = span.start;
    let end = span.end;
    if (!isSpan(where) && (where.property !== undefined || where.argument !== undefined)) {
      // A TS property or argument: narrow inside its string literal.
      const literal = this.stringLiteralIn(span);
      if (!literal) return undefined;
      if ('template' in literal) return narrowTemplate(span.file, literal.template, within);
      start = literal.start;
      end = literal.end;
    }
    const source = text.slice(start, end);
    const from = alignOffset(source, within.value, within.from);
    const to = alignOffset(source, within.value, Math.max(within.from, within.to - 1));
    if (from === undefined || to === undefined) return undefined;
    return { file: span.file, start: start + from, end: start + to + (within.to > within.from ? 1 : 0) };
  }

  /** The first string written in `span`: a literal's text, or a template with substitutions. */
  private stringLiteralIn(span: Span): Span | { template: TemplateParts } | undefined {
    const file = this.tsFile(span.file);
    if (!file) return undefined;
    const ts = tsApi();
    let found: TS.Node | undefined;
    const visit = (node: TS.Node): void => {
      if (found || node.getEnd() <= span.start || node.getStart(file) >= span.end) return;
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && node.getStart(file) >= span.start) {
        found = node;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    if (!found) return undefined;
    if (ts.isTemplateExpression(found)) return { template: templateParts(found, file) };
    return { file: span.file, start: (found as TS.Node).getStart(file) + 1, end: (found as TS.Node).getEnd() - 1 };
  }

  /** 1-based line and column of an offset (UTF-16 code units, as editors and SARIF count). */
  position(file: string, offset: number): { line: number; column: number } {
    const starts = this.starts(file);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  }

  /** The text of a line (1-based), without its line break. */
  line(file: string, line: number): string | undefined {
    const text = this.text(file);
    if (text === undefined) return undefined;
    const starts = this.starts(file);
    if (line < 1 || line > starts.length) return undefined;
    const end = line < starts.length ? starts[line]! : text.length;
    return text.slice(starts[line - 1], end).replace(/\r?\n$/, '');
  }

  private starts(file: string): number[] {
    let starts = this.lineStarts.get(file);
    if (!starts) {
      const text = this.text(file) ?? '';
      starts = [0];
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts.set(file, starts);
    }
    return starts;
  }

  private tsFile(file: string): TS.SourceFile | undefined {
    let source = this.tsFiles.get(file);
    if (!source) {
      const text = this.text(file);
      if (text === undefined) return undefined;
      const ts = tsApi();
      source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      this.tsFiles.set(file, source);
    }
    return source;
  }

  private nodeAt(span: Span): TS.Node | undefined {
    const file = this.tsFile(span.file);
    if (!file) return undefined;
    const ts = tsApi();
    let found: TS.Node | undefined;
    const visit = (node: TS.Node): void => {
      if (found || node.getEnd() < span.end || node.getStart(file) > span.start) return;
      if (node.getStart(file) === span.start && node.getEnd() === span.end && (ts.isObjectLiteralExpression(node) || ts.isCallExpression(node))) {
        found = node;
        return;
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  }
}

/**
 * A template literal with substitutions, as alternating pieces: the text
 * written between substitutions (its source span and its cooked value) and the
 * `${…}` substitutions themselves (source span only).
 */
type TemplateParts = Array<{ start: number; end: number; text?: string; source?: string }>;

function templateParts(node: TS.TemplateExpression, file: TS.SourceFile): TemplateParts {
  const text = file.text;
  const head = { start: node.head.getStart(file) + 1, end: node.head.getEnd() - 2 };
  const parts: TemplateParts = [{ ...head, text: node.head.text, source: text.slice(head.start, head.end) }];
  let previousEnd = head.end;
  for (const span of node.templateSpans) {
    const literalStart = span.literal.getStart(file);
    parts.push({ start: previousEnd, end: literalStart + 1 });
    const last = span.literal.kind === tsApi().SyntaxKind.TemplateTail;
    const piece = { start: literalStart + 1, end: span.literal.getEnd() - (last ? 1 : 2) };
    parts.push({ ...piece, text: span.literal.text, source: text.slice(piece.start, piece.end) });
    previousEnd = piece.end;
  }
  return parts;
}

/**
 * Narrows to characters `[from, to)` of the value a template produced: inside
 * the text written around the substitutions, or onto the substitution (`${rule.above}`)
 * that produced them. Undefined when the value cannot be split unambiguously.
 */
function narrowTemplate(fileName: string, parts: TemplateParts, within: { value: string; from: number; to: number }): Span | undefined {
  const value = within.value;
  // Where each piece sits in the value: written pieces are found in order, substitutions fill the gaps.
  const placed: Array<{ from: number; to: number }> = [];
  let position = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part.text === undefined) continue;
    let at: number;
    if (i === 0) at = value.startsWith(part.text) ? 0 : -1;
    else if (i === parts.length - 1) at = value.endsWith(part.text) && value.length - part.text.length >= position ? value.length - part.text.length : -1;
    else at = part.text === '' ? -1 : value.indexOf(part.text, position);
    if (at < 0) return undefined;
    if (i > 0) placed[i - 1] = { from: position, to: at };
    placed[i] = { from: at, to: at + part.text.length };
    position = at + part.text.length;
  }
  const sourceOffset = (index: number, edge: 'start' | 'end'): number | undefined => {
    const i = placed.findIndex((p, k) => index >= p.from && index < p.to && (parts[k]!.text !== undefined || p.to > p.from));
    if (i < 0) return undefined;
    const part = parts[i]!;
    if (part.text === undefined) return edge === 'start' ? part.start : part.end;
    const offset = alignOffset(part.source!, part.text, index - placed[i]!.from);
    return offset === undefined ? undefined : part.start + offset + (edge === 'end' ? 1 : 0);
  };
  const start = sourceOffset(within.from, 'start');
  const end = sourceOffset(Math.max(within.from, within.to - 1), 'end');
  if (start === undefined || end === undefined) return undefined;
  return { file: fileName, start, end: within.to > within.from ? end : start };
}

function argumentOf(node: TS.Node, index: number): TS.Node | undefined {
  const ts = tsApi();
  return ts.isCallExpression(node) ? node.arguments[index] : undefined;
}

/** The property assignment named `name` in an object literal, or in an object-literal argument of a call. */
function propertyOf(node: TS.Node, name: string): TS.Node | undefined {
  const ts = tsApi();
  if (ts.isObjectLiteralExpression(node)) {
    for (const property of node.properties) {
      const key = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) || ts.isNumericLiteral(property.name)) ? property.name.text : undefined;
      if (key === name) return property;
    }
    return undefined;
  }
  if (ts.isCallExpression(node)) {
    for (const argument of node.arguments) {
      const found = ts.isObjectLiteralExpression(argument) ? propertyOf(argument, name) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The offset in `source` (a string as written: quoted, escaped, indented)
 * of character `index` of its decoded `value`; undefined when they do not line up.
 */
export function alignOffset(source: string, value: string, index: number): number | undefined {
  let j = 0;
  for (let i = 0; i <= index && i < value.length; i++) {
    const c = value[i]!;
    let guard = 0;
    while (j < source.length && source[j] !== c) {
      if (/\s/.test(c) && /\s/.test(source[j]!)) break;
      if (source[j] === '\\' && i < value.length) break;
      j++;
      if (++guard > 400) return undefined;
    }
    if (j >= source.length) return undefined;
    if (i === index) return j;
    if (source[j] === '\\' && c !== '\\') {
      j += 2;
    } else if (/\s/.test(c)) {
      j++;
      while (j < source.length && /\s/.test(source[j]!) && !/\s/.test(value[i + 1] ?? '')) j++;
    } else {
      j++;
    }
  }
  return index >= value.length ? Math.min(j, source.length) : undefined;
}
