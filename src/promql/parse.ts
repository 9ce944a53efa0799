import type { SyntaxNode, Tree, TreeCursor } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { parseDuration } from '../model/duration.js';
import { regexProblem } from '../model/matcher.js';
import {
  childrenOf,
  COMPARISON_OPS,
  SET_OPS,
  type Binary,
  type BinaryOp,
  type Expr,
  type Grouping,
  type LabelRef,
  type MatchOp,
  type Matcher,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { firstEscapeFault } from './escapes.js';
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
  const escape = firstEscapeFault(original);
  if (escape) return { error: escape };
  try {
    text = flattenParens(text);
    const expr = parseExpr(text, renamedAt);
    check(expr);
    return { expr };
  } catch (caught) {
    if (caught instanceof Fail) return { error: { message: caught.message, from: caught.from, to: caught.to } };
    if (caught instanceof RangeError) return { error: { message: TOO_DEEP, from: 0, to: original.length } };
    throw caught;
  }
}

const TOO_DEEP = 'nested too deeply for moncode to analyse (Prometheus may accept it; split it into recording rules)';

function parseExpr(text: string, renamedAt: Map<number, string>): Expr {
  return parseLongChain(text, renamedAt) ?? convert(text, renamedAt);
}

/** Parses `text` with lezer into the AST; throws `Fail` for a syntax error. */
function convert(text: string, renamedAt: Map<number, string>): Expr {
  const tree = parseTree(text);
  const error = firstError(tree.topNode, text);
  if (error) {
    // lezer forces reductions once its stack is ~2,800 states deep, so very deep nesting fails where Prometheus does not.
    if (bracketDepth(text) > MAX_BRACKET_DEPTH) throw new Fail(TOO_DEEP, 0, text.length);
    throw new Fail(error.message, error.from, error.to);
  }
  const cursor = tree.cursor();
  let found = cursor.firstChild();
  while (found && !EXPRESSIONS.has(cursor.name)) found = cursor.nextSibling();
  if (!found) throw new Fail('empty expression', 0, text.length);
  return new Converter(text, renamedAt).expr(cursor);
}

/** Brackets nested deeper than this may exceed lezer's parse stack. */
const MAX_BRACKET_DEPTH = 1000;

function bracketDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === '(' || c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return deepest;
}

/** Binary operators by precedence (higher binds tighter), as Prometheus' grammar has them. */
const PRECEDENCE: Record<string, number> = { or: 1, and: 2, unless: 2, '==': 3, '!=': 3, '<=': 3, '>=': 3, '<': 3, '>': 3, '+': 4, '-': 4, '*': 5, '/': 5, '%': 5, atan2: 5, '^': 6 };

/** More top-level binary operators than this are parsed by `parseLongChain` instead of lezer. */
const LONG_CHAIN = 200;

/**
 * `m0 + m1 + … + m4999`: lezer flattens a tree deeper than 2,500 nodes (silently dropping structure),
 * so an expression with many binary operators at its top level is split there. Each operand is
 * parsed with lezer on its own, and the operators are applied by precedence climbing. Returns
 * undefined for expressions this does not apply to.
 */
function parseLongChain(text: string, renamedAt: Map<number, string>): Expr | undefined {
  if (text.length < 2 * LONG_CHAIN) return undefined;
  const split = splitTopLevel(text);
  if (!split) {
    const inner = /^(\s*)\(([\s\S]*)\)\s*$/.exec(text);
    if (!inner || !closesAtEnd(text, inner[1]!.length)) return undefined;
    const start = inner[1]!.length;
    const expr = parseLongChain(' '.repeat(start + 1) + inner[2]!, renamedAt);
    return expr && { kind: 'paren', expr, from: start, to: text.trimEnd().length };
  }
  const { operands, operators } = split;
  if (operators.some((op) => op.op === '^') && operands.some((o) => /^[-+]/.test(text.slice(o.from, o.to).trimStart()))) return undefined;
  const part = (source: string, from: number): Expr => {
    const local = new Map([...renamedAt].filter(([at]) => at >= from && at < from + source.length).map(([at, name]) => [at - from, name]));
    try {
      return shifted(parseExpr(source, local), from);
    } catch (caught) {
      if (caught instanceof Fail) throw new Fail(caught.message, caught.from + from, caught.to + from);
      throw caught;
    }
  };
  const exprs = operands.map((o) => part(text.slice(o.from, o.to), o.from));
  const ops = operators.map((o) => {
    // The operator and its modifiers, parsed between two stand-in operands.
    const binary = part(`x ${text.slice(o.from, o.to)} x`, o.from - 2);
    if (binary.kind !== 'binary') throw new Fail(`unexpected ${JSON.stringify(text.slice(o.from, o.to).trim())}`, o.from, o.to);
    return binary;
  });
  // Precedence climbing with explicit stacks: operands and pending operators.
  const values: Expr[] = [exprs[0]!];
  const pending: Binary[] = [];
  const reduce = () => {
    const op = pending.pop()!;
    const rhs = values.pop()!;
    const lhs = values.pop()!;
    values.push({ ...op, lhs, rhs, from: lhs.from, to: rhs.to });
  };
  ops.forEach((op, i) => {
    const precedence = PRECEDENCE[op.op]!;
    while (pending.length > 0) {
      const top = PRECEDENCE[pending[pending.length - 1]!.op]!;
      if (top > precedence || (top === precedence && op.op !== '^')) reduce();
      else break;
    }
    pending.push(op);
    values.push(exprs[i + 1]!);
  });
  while (pending.length > 0) reduce();
  return values[0]!;
}

/**
 * The pieces of an expression that lezer can parse on its own without building a tree too deep for
 * it (offsets into the expression): the whole text, or, for a long chain of binary operators, each
 * operand and each operator with its modifiers between two stand-in operands (`x <op> x`).
 */
export function lezerPieces(expr: string): Array<{ text: string; offset: number }> {
  const pieces: Array<{ text: string; offset: number }> = [];
  const collect = (source: string, offset: number): void => {
    if (source.length >= 2 * LONG_CHAIN) {
      const split = splitTopLevel(source);
      if (split) {
        for (const o of split.operands) collect(source.slice(o.from, o.to), offset + o.from);
        for (const o of split.operators) pieces.push({ text: `x ${source.slice(o.from, o.to)} x`, offset: offset + o.from - 2 });
        return;
      }
      const inner = /^(\s*)\(([\s\S]*)\)\s*$/.exec(source);
      if (inner && closesAtEnd(source, inner[1]!.length)) return collect(' '.repeat(inner[1]!.length + 1) + inner[2]!, offset);
    }
    pieces.push({ text: source, offset });
  };
  collect(flattenParens(expr), 0);
  return pieces;
}

/** Whether the `(` at `at` is closed by the last non-space character of `text`. */
function closesAtEnd(text: string, at: number): boolean {
  let depth = 0;
  const end = text.trimEnd().length - 1;
  for (const token of scan(text)) {
    if (token.from < at) continue;
    if (token.text === '(') depth++;
    else if (token.text === ')' && --depth === 0) return token.from === end;
  }
  return false;
}

interface Token {
  text: string;
  from: number;
  to: number;
  depth: number;
}

/** PromQL's tokens as far as splitting needs them: brackets, operators, words, numbers, strings (comments skipped). */
function* scan(text: string): Generator<Token> {
  const pattern = /\s+|#[^\n]*|"(?:[^"\\]|\\[\s\S])*"?|'(?:[^'\\]|\\[\s\S])*'?|`[^`]*`?|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[A-Za-z_:][\w:]*|==|!=|<=|>=|=~|!~|[()[\]{}]|[\s\S]/y;
  let depth = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const value = match[0];
    if (/^\s|^#/.test(value)) continue;
    // A bracket has the depth of what is outside it.
    if (value === ')' || value === ']' || value === '}') depth--;
    yield { text: value, from: match.index, to: match.index + value.length, depth };
    if (value === '(' || value === '[' || value === '{') depth++;
  }
}

const OPERATOR_WORDS = new Set(['and', 'or', 'unless', 'atan2']);
const MODIFIER_WORDS = new Set(['bool', 'on', 'ignoring', 'group_left', 'group_right']);

/**
 * The operands and operators (with their modifiers) at the top level of `text`, when there are more
 * than `LONG_CHAIN` operators; undefined otherwise or when the text has something this does not know.
 */
function splitTopLevel(text: string): { operands: Array<{ from: number; to: number }>; operators: Array<{ op: string; from: number; to: number }> } | undefined {
  const operands: Array<{ from: number; to: number }> = [];
  const operators: Array<{ op: string; from: number; to: number }> = [];
  let operandFrom = 0;
  let operandEnd = -1;
  let afterOperand = false;
  let inModifiers: { op: string; from: number; to: number } | undefined;
  for (const token of scan(text)) {
    const closing = token.text === ')' || token.text === ']' || token.text === '}';
    if (token.depth > 0 || closing) {
      if (inModifiers) inModifiers.to = token.to;
      else operandEnd = token.to;
      afterOperand = closing && token.depth === 0;
      continue;
    }
    const word = token.text.toLowerCase();
    if (inModifiers && (MODIFIER_WORDS.has(word) || token.text === '(')) {
      inModifiers.to = token.to;
      afterOperand = false;
      continue;
    }
    if (inModifiers) {
      operators.push(inModifiers);
      inModifiers = undefined;
      operandFrom = token.from;
    }
    const binary = afterOperand && (PRECEDENCE[word] !== undefined || token.text === '</' || token.text === '>/');
    if (binary) {
      if (PRECEDENCE[word] === undefined) return undefined;
      operands.push({ from: operandFrom, to: operandEnd });
      inModifiers = { op: word, from: token.from, to: token.to };
      afterOperand = false;
      continue;
    }
    if (token.text === '(' || token.text === '[' || token.text === '{') afterOperand = false;
    else afterOperand = !(OPERATOR_WORDS.has(word) || MODIFIER_WORDS.has(word) || word === 'offset' || word === '@' || /^[-+*/%^<>=!,]/.test(token.text));
    operandEnd = token.to;
  }
  if (inModifiers || operators.length <= LONG_CHAIN) return undefined;
  operands.push({ from: operandFrom, to: operandEnd });
  return { operands, operators };
}

/** Moves every position of a freshly converted tree by `delta`. */
function shifted(expr: Expr, delta: number): Expr {
  if (delta === 0) return expr;
  const seen = new Set<object>();
  const stack: object[] = [expr];
  while (stack.length > 0) {
    const node = stack.pop()! as Record<string, unknown>;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'from' || key === 'to') && typeof value === 'number') node[key] = value + delta;
      else if (value && typeof value === 'object') stack.push(value);
    }
  }
  return expr;
}

/**
 * lezer guards against trees too deep for recursive walks by forcing reductions once more than 300
 * left-associative reductions span 2,000+ characters, which cuts a long `a + b + … + z` short with a
 * false syntax error (Prometheus has no such limit). The conversion walks iteratively and refuses a
 * tree lezer flattened (deeper than 2,500), so the guard is switched off for this parse. (lezer 1.4:
 * the counter is a field of the parse; lezer is pinned.)
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

/** What a node of lezer's tree contributed to the expression node above it. */
type Part =
  | { kind: 'expr'; expr: Expr }
  | { kind: 'args'; args: Expr[]; from: number; to: number }
  | { kind: 'token'; name: string; from: number; to: number; text: string; grouping?: Grouping; matching?: VectorMatching };

interface Frame {
  name: string;
  from: number;
  to: number;
  parts: Part[];
}

/** Expression nodes with no expression below them, converted in one step. */
const LEAVES = new Set(['VectorSelector', 'NumberDurationLiteral', 'StringLiteral']);

/**
 * Builds the AST with a TreeCursor: no node objects are allocated while walking lezer's tree, and no
 * recursion: each expression node is a frame on an explicit stack (Prometheus accepts a sum of
 * 20,000 terms, a tree 20,000 levels deep), built when the cursor leaves it.
 */
class Converter {
  constructor(
    private readonly text: string,
    private readonly renamedAt: Map<number, string>,
  ) {}

  private slice(c: { from: number; to: number }): string {
    return this.text.slice(c.from, c.to);
  }

  /** Calls `visit` with the cursor on each child, then returns the cursor to the parent. */
  private each(c: TreeCursor, visit: (c: TreeCursor) => void): void {
    if (!c.firstChild()) return;
    do visit(c);
    while (c.nextSibling());
    c.parent();
  }

  /** The expression whose node the cursor is on; the cursor ends where it started. */
  expr(c: TreeCursor): Expr {
    const frames: Frame[] = [];
    const close = (): Expr | undefined => {
      const frame = frames.pop()!;
      const parent = frames[frames.length - 1];
      if (frame.name === 'FunctionCallBody') {
        parent!.parts.push({ kind: 'args', args: exprsOf(frame.parts), from: frame.from, to: frame.to });
        return undefined;
      }
      const built = this.build(frame);
      if (!parent) return built;
      parent.parts.push({ kind: 'expr', expr: built });
      return undefined;
    };
    for (;;) {
      const name = c.name;
      if (LEAVES.has(name)) {
        const leaf = this.leaf(c);
        if (frames.length === 0) return leaf;
        frames[frames.length - 1]!.parts.push({ kind: 'expr', expr: leaf });
      } else if (EXPRESSIONS.has(name) || name === 'FunctionCallBody') {
        frames.push({ name, from: c.from, to: c.to, parts: [] });
        // lezer flattens what lies deeper than 2,500 nodes, so the structure below here is not to be trusted.
        if (frames.length > 2400) throw new Fail(TOO_DEEP, 0, this.text.length);
        if (c.firstChild()) continue;
        const root = close();
        if (root) return root;
      } else {
        frames[frames.length - 1]!.parts.push(this.token(c));
      }
      while (!c.nextSibling()) {
        c.parent();
        const root = close();
        if (root) return root;
      }
    }
  }

  private leaf(c: TreeCursor): Expr {
    const span = { from: c.from, to: c.to };
    if (c.name === 'NumberDurationLiteral') return { kind: 'number', value: parseNumber(this.slice(c)), ...span };
    if (c.name === 'StringLiteral') return { kind: 'string', value: unquote(this.slice(c)), ...span };
    return this.selector(c);
  }

  private token(c: TreeCursor): Part {
    const token = { kind: 'token' as const, name: c.name, from: c.from, to: c.to, text: this.slice(c) };
    if (c.name === 'AggregateModifier') return { ...token, grouping: this.grouping(c) };
    if (c.name === 'MatchingModifierClause') return { ...token, matching: this.matching(c) };
    return token;
  }

  private build(frame: Frame): Expr {
    const span = { from: frame.from, to: frame.to };
    const exprs = exprsOf(frame.parts);
    const tokens = frame.parts.filter((part) => part.kind === 'token');
    const token = (name: string) => tokens.find((part) => part.name === name);
    switch (frame.name) {
      case 'MatrixSelector': {
        const inner = exprs[0];
        const duration = token('DurationExpr');
        const range = duration && { from: duration.from, to: duration.to, text: duration.text };
        if (!inner || inner.kind !== 'vector' || !range) {
          throw new Fail('ranges are only allowed after a vector selector, e.g. metric[5m]', span.from, span.to);
        }
        return { kind: 'matrix', selector: inner, range, rangeMs: durationOf(range.text), offsetMs: inner.offsetMs, ...span };
      }
      case 'SubqueryExpr': {
        const [range, step] = tokens.filter((part) => part.name === 'DurationExpr').map(({ from, to, text }) => ({ from, to, text }));
        return { kind: 'subquery', expr: exprs[exprs.length - 1]!, range: range!, rangeMs: durationOf(range!.text), stepMs: step ? durationOf(step.text) : undefined, ...span };
      }
      case 'OffsetExpr': {
        const inner = exprs[exprs.length - 1]!;
        const offsetText = token('OffsetDurationExpr')?.text;
        const ms = offsetText ? durationOf(offsetText.replace(/^[-+]\s*/, '')) : undefined;
        if (inner.kind === 'vector' || inner.kind === 'matrix') inner.offsetMs = ms;
        return { ...inner, ...span };
      }
      case 'StepInvariantExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        return { ...exprs[0]!, ...span };
      case 'ParenExpr':
        return { kind: 'paren', expr: exprs[0]!, ...span };
      case 'UnaryExpr': {
        const op = (token('UnaryOp')?.text.trim() ?? '-') as '-' | '+';
        return { kind: 'unary', op, expr: exprs[exprs.length - 1]!, ...span };
      }
      case 'FunctionCall': {
        const identifier = token('FunctionIdentifier');
        const func = identifier ? (this.renamedAt.get(identifier.from) ?? identifier.text) : '';
        const args = frame.parts.find((part) => part.kind === 'args')?.args ?? [];
        return { kind: 'call', func, funcRange: { from: identifier?.from ?? 0, to: identifier?.to ?? 0 }, args, ...span };
      }
      case 'AggregateExpr': {
        const opToken = token('AggregateOp');
        const op = opToken?.text.toLowerCase() ?? '';
        const body = frame.parts.find((part) => part.kind === 'args') ?? { args: [], from: 0, to: 0 };
        const args = body.args;
        const spec = AGGREGATIONS[op]!;
        if (args.length !== (spec.param ? 2 : 1)) {
          throw new Fail(`${op} takes ${spec.param ? 'a parameter and an expression' : 'one expression'}, got ${args.length} argument${args.length === 1 ? '' : 's'}`, body.from, body.to);
        }
        return {
          kind: 'aggregate',
          op,
          opRange: { from: opToken?.from ?? 0, to: opToken?.to ?? 0 },
          grouping: token('AggregateModifier')?.grouping,
          param: spec.param ? args[0] : undefined,
          expr: args[args.length - 1]!,
          ...span,
        };
      }
      case 'BinaryExpr': {
        const opToken = tokens.find((part) => BINARY_OPS[part.name] !== undefined);
        return {
          kind: 'binary',
          op: opToken ? BINARY_OPS[opToken.name]! : '+',
          opRange: { from: opToken?.from ?? 0, to: opToken?.to ?? 0 },
          bool: token('BoolModifier') !== undefined,
          matching: token('MatchingModifierClause')?.matching,
          lhs: exprs[0]!,
          rhs: exprs[1]!,
          ...span,
        };
      }
      default:
        throw new Fail(`unexpected ${frame.name}`, span.from, span.to);
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
    let valueRange = { from, to };
    this.each(c, (child) => {
      if (child.name === 'LabelName') label = { name: this.slice(child), from: child.from, to: child.to };
      else if (child.name === 'QuotedLabelName') label = { name: unquote(this.slice(child)), from: child.from, to: child.to };
      else if (child.name === 'MatchOp') {
        this.each(child, (token) => {
          op = MATCH_OPS[token.name] ?? op;
        });
      } else if (child.name === 'StringLiteral') {
        value = unquote(this.slice(child));
        valueRange = { from: child.from, to: child.to };
      }
    });
    // `op` is assigned in the callback above, which TypeScript's narrowing does not see.
    if ((op as MatchOp) === '=~' || (op as MatchOp) === '!~') {
      const fault = regexProblem(value);
      if (fault) throw new Fail(fault, valueRange.from, valueRange.to);
    }
    return { label, op, value, from, to };
  }
}

function exprsOf(parts: Part[]): Expr[] {
  return parts.flatMap((part) => (part.kind === 'expr' ? [part.expr] : []));
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

/**
 * The value type of an expression; throws `Fail` where Prometheus would reject it. Iterative
 * (children before parents on an explicit stack), so depth is no limit.
 */
function check(root: Expr): ValueType {
  const types = new Map<Expr, ValueType>();
  const stack: Array<[Expr, boolean]> = [[root, false]];
  while (stack.length > 0) {
    const [expr, childrenDone] = stack.pop()!;
    if (childrenDone) {
      types.set(
        expr,
        typeOf(expr, (child) => types.get(child)!),
      );
      continue;
    }
    checkBeforeChildren(expr);
    stack.push([expr, true]);
    // The aggregated expression is checked before the parameter, as Prometheus reports them.
    const children = expr.kind === 'aggregate' ? [expr.expr, ...(expr.param ? [expr.param] : [])] : childrenOf(expr);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, false]);
  }
  return types.get(root)!;
}

function checkBeforeChildren(expr: Expr): void {
  if (expr.kind === 'vector' && !expr.name && !expr.matchers.some((m) => matchesEmpty(m) === false)) {
    throw new Fail('a vector selector needs a metric name or a matcher that does not match the empty string', expr.from, expr.to);
  }
  if (expr.kind === 'call') {
    const signature = FUNCTIONS[expr.func];
    if (!signature) throw new Fail(`unknown function "${expr.func}"`, expr.funcRange.from, expr.funcRange.to);
    const max = signature.variadic ? Infinity : signature.args.length;
    const min = signature.args.length - (signature.optional ?? 0);
    if (expr.args.length < min || expr.args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      throw new Fail(`${expr.func}() takes ${expected} argument${min === 1 && max === 1 ? '' : 's'}, got ${expr.args.length}`, expr.from, expr.to);
    }
  }
}

/** The value type of `expr` given its children's (`typeOfChild`); throws `Fail` where Prometheus would reject it. */
function typeOf(expr: Expr, typeOfChild: (child: Expr) => ValueType): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector':
      return 'vector';
    case 'matrix':
      if (expr.rangeMs === undefined) return 'matrix';
      if (expr.rangeMs <= 0) throw new Fail('a range must be greater than zero', expr.range.from, expr.range.to);
      return 'matrix';
    case 'subquery': {
      const inner = typeOfChild(expr.expr);
      if (inner !== 'vector') throw new Fail(`a subquery needs an instant vector, got ${describe(inner)}`, expr.expr.from, expr.expr.to);
      return 'matrix';
    }
    case 'paren':
      return typeOfChild(expr.expr);
    case 'unary': {
      const inner = typeOfChild(expr.expr);
      if (inner !== 'scalar' && inner !== 'vector') throw new Fail(`unary ${expr.op} needs a scalar or instant vector, got ${describe(inner)}`, expr.from, expr.to);
      return inner;
    }
    case 'aggregate': {
      const inner = typeOfChild(expr.expr);
      if (inner !== 'vector') throw new Fail(`${expr.op} needs an instant vector, got ${describe(inner)}`, expr.expr.from, expr.expr.to);
      const wanted = AGGREGATIONS[expr.op]?.param;
      if (wanted && expr.param) {
        const got = typeOfChild(expr.param);
        if (got !== wanted) throw new Fail(`the parameter of ${expr.op} must be a ${describe(wanted)}, got ${describe(got)}`, expr.param.from, expr.param.to);
      }
      return 'vector';
    }
    case 'call': {
      const signature = FUNCTIONS[expr.func]!;
      expr.args.forEach((arg, i) => {
        const wanted = signature.args[Math.min(i, signature.args.length - 1)]!;
        const got = typeOfChild(arg);
        if (got !== wanted) throw new Fail(`argument ${i + 1} of ${expr.func}() must be ${describe(wanted)}, got ${describe(got)}`, arg.from, arg.to);
      });
      return signature.returns;
    }
    case 'binary': {
      const lhs = typeOfChild(expr.lhs);
      const rhs = typeOfChild(expr.rhs);
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
