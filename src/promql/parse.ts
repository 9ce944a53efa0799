import type { SyntaxNode, Tree, TreeCursor } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDuration } from '../model/duration.js';
import { COMPARISON_OPS, SET_OPS, type BinaryOp, type Expr, type Grouping, type LabelRef, type MatchOp, type Matcher, type ValueType, type VectorMatching, type VectorSelector } from './ast.js';
import { AGGREGATIONS, FUNCTIONS } from './functions.js';

interface PromqlError {
  message: string;
  from: number;
  to: number;
}

export type ParseResult = { expr: Expr; error?: undefined } | { expr?: undefined; error: PromqlError };

const EXPRESSIONS = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'AnchoredExpr',
  'SmoothedExpr',
  'ParenExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
  'StepInvariantExpr',
]);

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Gte: '>=',
  Gtr: '>',
  TrimUpper: '</',
  TrimLower: '>/',
  Lte: '<=',
  Lss: '<',
  Neq: '!=',
  And: 'and',
  Unless: 'unless',
  Or: 'or',
};

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** Functions Prometheus 2.x knew under a name the current grammar lacks, with a same-length stand-in. */
const RENAMED = [{ name: 'holt_winters', standIn: 'day_of_month' }];

class Fail extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
  ) {
    super(message);
  }
}

const cache = new Map<string, ParseResult>();

/** Parses and type-checks a PromQL expression, as Prometheus would before loading it. Memoised by text. */
export function parsePromql(text: string): ParseResult {
  let result = cache.get(text);
  if (!result) {
    result = parseUncached(text);
    if (cache.size > 200_000) cache.clear();
    cache.set(text, result);
  }
  return result;
}

function parseUncached(original: string): ParseResult {
  let text = original;
  const renamedAt = new Map<number, string>();
  for (const { name, standIn } of RENAMED) {
    for (const match of original.matchAll(new RegExp(`\\b${name}(?=\\s*\\()`, 'g'))) {
      renamedAt.set(match.index, name);
      text = text.slice(0, match.index) + standIn + text.slice(match.index + name.length);
    }
  }
  if (text.trim() === '') return { error: { message: 'empty expression', from: 0, to: 0 } };
  try {
    text = flattenParens(text);
    const tree = parseTree(text);
    const error = firstError(tree.topNode, text);
    if (error) return { error };
    const cursor = tree.cursor();
    let found = cursor.firstChild();
    while (found && !EXPRESSIONS.has(cursor.name)) found = cursor.nextSibling();
    if (!found) return { error: { message: 'empty expression', from: 0, to: text.length } };
    const expr = new Converter(text, renamedAt).expr(cursor);
    check(expr);
    return { expr };
  } catch (caught) {
    if (caught instanceof Fail) return { error: { message: caught.message, from: caught.from, to: caught.to } };
    if (caught instanceof RangeError) {
      return { error: { message: 'nested too deeply for moncode to analyse (Prometheus may accept it; split it into recording rules)', from: 0, to: original.length } };
    }
    throw caught;
  }
}

/**
 * lezer guards against trees too deep for recursive walks by forcing reductions once more than 300
 * left-associative reductions span 2,000+ characters, which cuts a long `a + b + … + z` short with a
 * false syntax error (Prometheus has no such limit). Our walk is shallow enough for what fits the
 * stack, and a RangeError is reported, so the guard is switched off for this parse. (lezer 1.4: the
 * counter is a field of the parse; lezer is pinned.)
 */
function parseTree(text: string): Tree {
  if (text.length < 2000) return parser.parse(text);
  const parse = parser.startParse(text);
  if ('bigReductionCount' in parse) Object.defineProperty(parse, 'bigReductionCount', { get: () => 0, set: () => undefined });
  for (;;) {
    const tree = parse.advance();
    if (tree) return tree;
  }
}

/** Parentheses nested deeper than this have their redundant inner pairs blanked out before parsing. */
const PAREN_DEPTH = 128;

/**
 * `((((x))))` means `(x)`: where parentheses nest very deeply, a pair that directly wraps another pair
 * is replaced by spaces (offsets stay), so the tree stays shallow enough to walk.
 */
function flattenParens(text: string): string {
  const open: number[] = [];
  const pairs: Array<[number, number]> = [];
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(') {
      open.push(i);
      deepest = Math.max(deepest, open.length);
    } else if (c === ')') {
      const start = open.pop();
      if (start !== undefined) pairs.push([start, i]);
    }
  }
  const minusRuns = longMinusRuns(text);
  if (deepest <= PAREN_DEPTH && minusRuns.length === 0) return text;
  const closeOf = new Map(pairs);
  const chars = text.split('');
  // `----x` is `--x`: a long run of minus signs keeps its first one or two (the parity), the rest become spaces.
  for (const run of minusRuns) for (const at of run.slice(2 - (run.length % 2))) chars[at] = ' ';
  if (deepest <= PAREN_DEPTH) return chars.join('');
  for (const [start, end] of pairs) {
    // An outer pair whose content, trimmed, is exactly one inner pair: the inner one goes.
    let inner = start + 1;
    while (inner < end && /\s/.test(text[inner]!)) inner++;
    if (text[inner] !== '(' || !isExpressionParen(text, start)) continue;
    const innerEnd = closeOf.get(inner);
    if (innerEnd === undefined || text.slice(innerEnd + 1, end).trim() !== '') continue;
    chars[inner] = ' ';
    chars[innerEnd] = ' ';
  }
  return chars.join('');
}

/** Offsets of the minus signs of each run of more than 64 (spaces between them allowed), outside strings and comments. */
function longMinusRuns(text: string): number[][] {
  if (text.split('-', 66).length < 66) return [];
  const runs: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '-') run.push(i);
    else if (c === ' ' || c === '\t' || c === '\n') continue;
    else {
      if (run.length > 64) runs.push(run);
      run = [];
      if (c === '"' || c === "'" || c === '`') {
        for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\' && c !== '`') i++;
      } else if (c === '#') {
        while (i < text.length && text[i] !== '\n') i++;
      }
    }
  }
  if (run.length > 64) runs.push(run);
  return runs;
}

/** Whether the `(` at `at` opens a parenthesised expression or call arguments (not `by (…)` label lists). */
function isExpressionParen(text: string, at: number): boolean {
  const before = /([A-Za-z_][\w]*)\s*$/.exec(text.slice(Math.max(0, at - 40), at));
  return !before || !/^(by|without|on|ignoring|group_left|group_right)$/i.test(before[1]!);
}

function firstError(top: SyntaxNode, text: string): PromqlError | undefined {
  let found: SyntaxNode | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError && (!found || cursor.from < found.from)) found = cursor.node;
  } while (cursor.next());
  if (!found) return undefined;
  const from = found.from;
  const rest = text.slice(from).trimStart();
  const before = /([A-Za-z_:][\w:]*)\s*$/.exec(text.slice(0, from));
  if (rest.startsWith('(') && before) {
    const start = from - before[0].length;
    return { message: `unknown function "${before[1]}"`, from: start, to: start + before[1]!.length };
  }
  if (rest === '') return { message: 'unexpected end of expression', from: text.length, to: text.length };
  const token = /^("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[\w:.]+|\S)/.exec(rest)![0];
  const at = text.indexOf(token, from);
  return { message: `unexpected ${JSON.stringify(token)}`, from: at, to: at + token.length };
}

/** Builds the AST with a TreeCursor: no node objects are allocated while walking lezer's tree. */
class Converter {
  constructor(
    private readonly text: string,
    private readonly renamedAt: Map<number, string>,
  ) {}

  private slice(c: TreeCursor): string {
    return this.text.slice(c.from, c.to);
  }

  /** Calls `visit` with the cursor on each child, then returns the cursor to the parent. */
  private each(c: TreeCursor, visit: (c: TreeCursor) => void): void {
    if (!c.firstChild()) return;
    do visit(c);
    while (c.nextSibling());
    c.parent();
  }

  private exprChildren(c: TreeCursor): Expr[] {
    const list: Expr[] = [];
    this.each(c, (child) => {
      if (EXPRESSIONS.has(child.name)) list.push(this.expr(child));
    });
    return list;
  }

  expr(c: TreeCursor): Expr {
    const span = { from: c.from, to: c.to };
    switch (c.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: parseNumber(this.slice(c)), ...span };
      case 'StringLiteral':
        return { kind: 'string', value: unquote(this.slice(c)), ...span };
      case 'VectorSelector':
        return this.selector(c);
      case 'MatrixSelector': {
        let inner: Expr | undefined;
        let range: { from: number; to: number; text: string } | undefined;
        this.each(c, (child) => {
          if (child.name === 'DurationExpr') range = { from: child.from, to: child.to, text: this.slice(child) };
          else if (EXPRESSIONS.has(child.name)) inner = this.expr(child);
        });
        if (!inner || inner.kind !== 'vector' || !range) {
          throw new Fail('ranges are only allowed after a vector selector, e.g. metric[5m]', span.from, span.to);
        }
        return { kind: 'matrix', selector: inner, range, rangeMs: durationOf(range.text), offsetMs: inner.offsetMs, ...span };
      }
      case 'SubqueryExpr': {
        let inner: Expr | undefined;
        const durations: Array<{ from: number; to: number; text: string }> = [];
        this.each(c, (child) => {
          if (child.name === 'DurationExpr') durations.push({ from: child.from, to: child.to, text: this.slice(child) });
          else if (EXPRESSIONS.has(child.name)) inner = this.expr(child);
        });
        const [range, step] = durations;
        return { kind: 'subquery', expr: inner!, range: range!, rangeMs: durationOf(range!.text), stepMs: step ? durationOf(step.text) : undefined, ...span };
      }
      case 'OffsetExpr': {
        let inner: Expr | undefined;
        let offsetText: string | undefined;
        this.each(c, (child) => {
          if (child.name === 'OffsetDurationExpr') offsetText = this.slice(child);
          else if (EXPRESSIONS.has(child.name)) inner = this.expr(child);
        });
        const ms = offsetText ? durationOf(offsetText.replace(/^[-+]\s*/, '')) : undefined;
        if (inner!.kind === 'vector' || inner!.kind === 'matrix') inner!.offsetMs = ms;
        return { ...inner!, ...span };
      }
      case 'StepInvariantExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return { ...this.exprChildren(c)[0]!, ...span };
      case 'ParenExpr':
        return { kind: 'paren', expr: this.exprChildren(c)[0]!, ...span };
      case 'UnaryExpr': {
        let op: '-' | '+' = '-';
        let inner: Expr | undefined;
        this.each(c, (child) => {
          if (child.name === 'UnaryOp') op = this.slice(child).trim() as '-' | '+';
          else if (EXPRESSIONS.has(child.name)) inner = this.expr(child);
        });
        return { kind: 'unary', op, expr: inner!, ...span };
      }
      case 'FunctionCall': {
        let func = '';
        let funcRange = { from: 0, to: 0 };
        let args: Expr[] = [];
        this.each(c, (child) => {
          if (child.name === 'FunctionIdentifier') {
            func = this.renamedAt.get(child.from) ?? this.slice(child);
            funcRange = { from: child.from, to: child.to };
          } else if (child.name === 'FunctionCallBody') {
            args = this.exprChildren(child);
          }
        });
        return { kind: 'call', func, funcRange, args, ...span };
      }
      case 'AggregateExpr': {
        let op = '';
        let opRange = { from: 0, to: 0 };
        let grouping: Grouping | undefined;
        let args: Expr[] = [];
        let body = { from: 0, to: 0 };
        this.each(c, (child) => {
          if (child.name === 'AggregateOp') {
            op = this.slice(child).toLowerCase();
            opRange = { from: child.from, to: child.to };
          } else if (child.name === 'AggregateModifier') {
            grouping = this.grouping(child);
          } else if (child.name === 'FunctionCallBody') {
            body = { from: child.from, to: child.to };
            args = this.exprChildren(child);
          }
        });
        const spec = AGGREGATIONS[op]!;
        if (args.length !== (spec.param ? 2 : 1)) {
          throw new Fail(`${op} takes ${spec.param ? 'a parameter and an expression' : 'one expression'}, got ${args.length} argument${args.length === 1 ? '' : 's'}`, body.from, body.to);
        }
        return { kind: 'aggregate', op, opRange, grouping, param: spec.param ? args[0] : undefined, expr: args[args.length - 1]!, ...span };
      }
      case 'BinaryExpr': {
        const operands: Expr[] = [];
        let op: BinaryOp = '+';
        let opRange = { from: 0, to: 0 };
        let bool = false;
        let matching: VectorMatching | undefined;
        this.each(c, (child) => {
          const name = child.name;
          if (EXPRESSIONS.has(name)) operands.push(this.expr(child));
          else if (BINARY_OPS[name] !== undefined) {
            op = BINARY_OPS[name]!;
            opRange = { from: child.from, to: child.to };
          } else if (name === 'BoolModifier') bool = true;
          else if (name === 'MatchingModifierClause') matching = this.matching(child);
        });
        return { kind: 'binary', op, opRange, bool, matching, lhs: operands[0]!, rhs: operands[1]!, ...span };
      }
      default:
        throw new Fail(`unexpected ${c.name}`, span.from, span.to);
    }
  }

  private grouping(c: TreeCursor): Grouping {
    const from = c.from;
    const to = c.to;
    let mode: 'by' | 'without' = 'by';
    let labels: LabelRef[] = [];
    this.each(c, (child) => {
      if (child.name === 'Without') mode = 'without';
      else if (child.name === 'GroupingLabels') labels = this.groupingLabels(child);
    });
    return { mode, labels, from, to };
  }

  private matching(c: TreeCursor): VectorMatching {
    const from = c.from;
    const to = c.to;
    let mode: 'on' | 'ignoring' = 'ignoring';
    let side: 'left' | 'right' | undefined;
    const lists: LabelRef[][] = [];
    this.each(c, (child) => {
      if (child.name === 'On') mode = 'on';
      else if (child.name === 'GroupLeft') side = 'left';
      else if (child.name === 'GroupRight') side = 'right';
      else if (child.name === 'GroupingLabels') lists.push(this.groupingLabels(child));
    });
    return { mode, labels: lists[0] ?? [], group: side ? { side, labels: lists[1] ?? [] } : undefined, from, to };
  }

  private groupingLabels(c: TreeCursor): LabelRef[] {
    const labels: LabelRef[] = [];
    this.each(c, (child) => {
      if (child.name === 'LabelName') labels.push({ name: this.slice(child), from: child.from, to: child.to });
      else if (child.name === 'QuotedLabelName') labels.push({ name: unquote(this.slice(child)), from: child.from, to: child.to });
    });
    return labels;
  }

  private selector(c: TreeCursor): VectorSelector {
    const from = c.from;
    const to = c.to;
    const matchers: Matcher[] = [];
    let name: string | undefined;
    this.each(c, (child) => {
      if (child.name === 'Identifier') name = this.slice(child);
      else if (child.name === 'LabelMatchers') {
        this.each(child, (item) => {
          if (item.name === 'QuotedLabelName') name = unquote(this.slice(item));
          else if (item.name === 'UnquotedLabelMatcher' || item.name === 'QuotedLabelMatcher') {
            const matcher = this.matcher(item);
            if (matcher.label.name === '__name__' && matcher.op === '=') name = matcher.value;
            matchers.push(matcher);
          }
        });
      }
    });
    return { kind: 'vector', name, matchers, from, to };
  }

  private matcher(c: TreeCursor): Matcher {
    const from = c.from;
    const to = c.to;
    let label: LabelRef = { name: '', from, to };
    let op: MatchOp = '=';
    let value = '';
    this.each(c, (child) => {
      if (child.name === 'LabelName') label = { name: this.slice(child), from: child.from, to: child.to };
      else if (child.name === 'QuotedLabelName') label = { name: unquote(this.slice(child)), from: child.from, to: child.to };
      else if (child.name === 'MatchOp') {
        this.each(child, (token) => {
          op = MATCH_OPS[token.name] ?? op;
        });
      } else if (child.name === 'StringLiteral') value = unquote(this.slice(child));
    });
    return { label, op, value, from, to };
  }
}

function parseNumber(text: string): number {
  const clean = text.replace(/[_\s]/g, '');
  const lower = clean.toLowerCase().replace(/^[+-]/, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  if (lower === 'inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x/.test(lower)) return sign * parseInt(lower, 16);
  const duration = parseDuration(lower);
  if (duration !== undefined && /[a-z]$/.test(lower)) return (sign * duration) / 1000;
  return Number(clean);
}

function durationOf(text: string): number | undefined {
  return parseDuration(text.trim());
}

/** A PromQL string literal's value: Go escapes in "…" and '…', raw in `…`. */
function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, literal.endsWith(quote!) && literal.length > 1 ? -1 : undefined);
  if (quote === '`') return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
    switch (esc[0]) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'a':
        return '\x07';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'x':
      case 'u':
      case 'U':
        return String.fromCodePoint(parseInt(esc.slice(1), 16));
      default:
        return /^[0-7]{3}$/.test(esc) ? String.fromCharCode(parseInt(esc, 8)) : esc;
    }
  });
}

/** Whether a label matcher also matches a missing (empty) label. */
export function matchesEmpty(matcher: Pick<Matcher, 'op' | 'value'>): boolean | undefined {
  switch (matcher.op) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    default: {
      let regex: RegExp;
      try {
        regex = new RegExp(`^(?:${matcher.value})$`);
      } catch {
        return undefined;
      }
      const matches = regex.test('');
      return matcher.op === '=~' ? matches : !matches;
    }
  }
}

/** The value type of an expression; throws `Fail` where Prometheus would reject it. */
function check(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector': {
      if (!expr.name && !expr.matchers.some((m) => matchesEmpty(m) === false)) {
        throw new Fail('a vector selector needs a metric name or a matcher that does not match the empty string', expr.from, expr.to);
      }
      return 'vector';
    }
    case 'matrix':
      check(expr.selector);
      if (expr.rangeMs === undefined) return 'matrix';
      if (expr.rangeMs <= 0) throw new Fail('a range must be greater than zero', expr.range.from, expr.range.to);
      return 'matrix';
    case 'subquery': {
      const inner = check(expr.expr);
      if (inner !== 'vector') throw new Fail(`a subquery needs an instant vector, got ${describe(inner)}`, expr.expr.from, expr.expr.to);
      return 'matrix';
    }
    case 'paren':
      return check(expr.expr);
    case 'unary': {
      const inner = check(expr.expr);
      if (inner !== 'scalar' && inner !== 'vector') throw new Fail(`unary ${expr.op} needs a scalar or instant vector, got ${describe(inner)}`, expr.from, expr.to);
      return inner;
    }
    case 'aggregate': {
      const inner = check(expr.expr);
      if (inner !== 'vector') throw new Fail(`${expr.op} needs an instant vector, got ${describe(inner)}`, expr.expr.from, expr.expr.to);
      const wanted = AGGREGATIONS[expr.op]?.param;
      if (wanted && expr.param) {
        const got = check(expr.param);
        if (got !== wanted) throw new Fail(`the parameter of ${expr.op} must be a ${describe(wanted)}, got ${describe(got)}`, expr.param.from, expr.param.to);
      }
      return 'vector';
    }
    case 'call': {
      const signature = FUNCTIONS[expr.func];
      if (!signature) throw new Fail(`unknown function "${expr.func}"`, expr.funcRange.from, expr.funcRange.to);
      const max = signature.variadic ? Infinity : signature.args.length;
      const min = signature.args.length - (signature.optional ?? 0);
      if (expr.args.length < min || expr.args.length > max) {
        const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
        throw new Fail(`${expr.func}() takes ${expected} argument${min === 1 && max === 1 ? '' : 's'}, got ${expr.args.length}`, expr.from, expr.to);
      }
      expr.args.forEach((arg, i) => {
        const wanted = signature.args[Math.min(i, signature.args.length - 1)]!;
        const got = check(arg);
        if (got !== wanted) throw new Fail(`argument ${i + 1} of ${expr.func}() must be ${describe(wanted)}, got ${describe(got)}`, arg.from, arg.to);
      });
      return signature.returns;
    }
    case 'binary': {
      const lhs = check(expr.lhs);
      const rhs = check(expr.rhs);
      for (const [side, type] of [
        [expr.lhs, lhs],
        [expr.rhs, rhs],
      ] as const) {
        if (type !== 'scalar' && type !== 'vector') throw new Fail(`operands of ${expr.op} must be scalars or instant vectors, got ${describe(type)}`, side.from, side.to);
      }
      if (expr.bool && !COMPARISON_OPS.has(expr.op)) throw new Fail('bool can only follow a comparison operator', expr.opRange.from, expr.to);
      if (SET_OPS.has(expr.op) && (lhs !== 'vector' || rhs !== 'vector')) throw new Fail(`${expr.op} works only between instant vectors`, expr.opRange.from, expr.opRange.to);
      if (expr.matching && (lhs !== 'vector' || rhs !== 'vector')) throw new Fail('vector matching (on/ignoring) works only between instant vectors', expr.matching.from, expr.matching.to);
      if (lhs === 'scalar' && rhs === 'scalar') {
        if (COMPARISON_OPS.has(expr.op) && !expr.bool) throw new Fail('a comparison between two scalars needs bool', expr.opRange.from, expr.opRange.to);
        return 'scalar';
      }
      return 'vector';
    }
  }
}

function describe(type: ValueType): string {
  return type === 'vector' ? 'an instant vector' : type === 'matrix' ? 'a range vector' : `a ${type}`;
}
