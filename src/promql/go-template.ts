/**
 * A checker for Go `text/template` syntax, as Prometheus parses alert labels and
 * annotations (`promtool check rules` and rule loading): actions, pipelines,
 * variables and their scopes, `if`/`range`/`with`/`else`/`end`, `define`/`block`/
 * `template`, `break`/`continue`, comments, trim markers and literals, and the
 * functions the template may call. It answers whether Go would parse the text and,
 * when not, where the first fault is; it does not execute anything.
 */

interface TemplateFault {
  message: string;
  /** Offsets into the template text. */
  from: number;
  to: number;
}

interface TemplateSyntax {
  /** Functions the template may call (Go's builtins plus the host's). */
  functions: ReadonlySet<string>;
  /** Variables defined before the text starts (`$labels`, `$value`, …), without the `$`. */
  variables: readonly string[];
  /** `{{else with}}` (Go 1.23). */
  elseWith: boolean;
  /** `{{break}}` and `{{continue}}` (Go 1.18). */
  breakContinue: boolean;
}

/** Tokens a command may start with (Go's pipeline loop). */
const STARTS_COMMAND: ReadonlySet<string> = new Set(['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'raw', 'string', 'variable', 'lparen']);

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);

type TokenKind =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'string'
  | 'raw'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'keyword'
  | 'identifier'
  | 'field'
  | 'dot'
  | 'variable'
  | 'declare'
  | 'assign'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'comma'
  | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  from: number;
  to: number;
}

class Fault extends Error {
  constructor(
    message: string,
    readonly from: number,
    readonly to: number,
  ) {
    super(message);
  }
}

/** The first syntax fault of a Go template, or undefined when Go parses it. */
export function checkGoTemplate(text: string, syntax: TemplateSyntax): TemplateFault | undefined {
  try {
    new Parser(lex(text), syntax).template();
    return undefined;
  } catch (error) {
    if (error instanceof Fault) return { message: error.message, from: error.from, to: Math.max(error.to, error.from + 1) };
    // Thousands of nested parentheses or blocks: more than this checker can follow (Go stops parentheses at 10,000).
    if (error instanceof RangeError) return { message: 'nested too deeply to check', from: 0, to: Math.min(text.length, 2) };
    throw error;
  }
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}_]/u;
const isAlnum = (c: string | undefined): boolean => {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code < 0x80) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return LETTER_OR_DIGIT.test(c);
};

/** Go's lexer: text and actions into tokens; comments and trim markers are consumed here. */
function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const open = input.indexOf('{{', pos);
    if (open < 0) break;
    if (open > pos) tokens.push({ kind: 'text', text: input.slice(pos, open), from: pos, to: open });
    let at = open + 2;
    if (input[at] === '-' && isSpace(input[at + 1])) at += 2;
    if (input.startsWith('/*', at)) {
      const close = input.indexOf('*/', at + 2);
      if (close < 0) throw new Fault('unclosed comment', open, input.length);
      let after = close + 2;
      if (isSpace(input[after]) && input[after + 1] === '-' && input.startsWith('}}', after + 2)) after += 2;
      if (!input.startsWith('}}', after)) throw new Fault('comment ends before closing delimiter', close, close + 2);
      pos = after + 2;
      continue;
    }
    tokens.push({ kind: 'left', text: input.slice(open, at), from: open, to: at });
    pos = lexAction(input, at, tokens);
  }
  if (pos < input.length) tokens.push({ kind: 'text', text: input.slice(pos), from: pos, to: input.length });
  tokens.push({ kind: 'eof', text: '', from: input.length, to: input.length });
  return tokens;
}

/** Lexes one action from `start` to its `}}`; returns the offset after it. */
function lexAction(input: string, start: number, tokens: Token[]): number {
  let pos = start;
  let depth = 0;
  const push = (kind: TokenKind, from: number, to: number): void => {
    tokens.push({ kind, text: input.slice(from, to), from, to });
  };
  for (;;) {
    if (pos >= input.length) throw new Fault('unclosed action', start - 2, input.length);
    // ` -}}`: a right trim marker needs the space before it.
    if (isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) {
      if (depth > 0) throw new Fault('unclosed left paren', pos, pos + 4);
      push('right', pos + 1, pos + 4);
      return pos + 4;
    }
    if (input.startsWith('}}', pos)) {
      if (depth > 0) throw new Fault('unclosed left paren', pos, pos + 2);
      push('right', pos, pos + 2);
      return pos + 2;
    }
    const c = input[pos]!;
    const from = pos;
    if (isSpace(c)) {
      while (isSpace(input[pos]) && !(input[pos + 1] === '-' && input.startsWith('}}', pos + 2))) pos++;
      if (pos === from) pos++;
      push('space', from, pos);
      continue;
    }
    if (c === '=') {
      push('assign', from, ++pos);
      continue;
    }
    if (c === ':') {
      if (input[pos + 1] !== '=') throw new Fault('expected :=', pos, pos + 1);
      pos += 2;
      push('declare', from, pos);
      continue;
    }
    if (c === '|') {
      push('pipe', from, ++pos);
      continue;
    }
    if (c === ',') {
      push('comma', from, ++pos);
      continue;
    }
    if (c === '(') {
      depth++;
      push('lparen', from, ++pos);
      continue;
    }
    if (c === ')') {
      if (depth === 0) throw new Fault('unexpected right paren', pos, pos + 1);
      depth--;
      push('rparen', from, ++pos);
      continue;
    }
    if (c === '"') {
      pos++;
      for (;;) {
        const ch = input[pos];
        if (ch === undefined || ch === '\n') throw new Fault('unterminated quoted string', from, pos);
        if (ch === '\\') {
          pos += 2;
          continue;
        }
        pos++;
        if (ch === '"') break;
      }
      if (unquoteGo(input.slice(from, pos)) === undefined) throw new Fault('invalid syntax in quoted string', from, pos);
      push('string', from, pos);
      continue;
    }
    if (c === '`') {
      const close = input.indexOf('`', pos + 1);
      if (close < 0) throw new Fault('unterminated raw quoted string', from, input.length);
      pos = close + 1;
      push('raw', from, pos);
      continue;
    }
    if (c === "'") {
      pos++;
      for (;;) {
        const ch = input[pos];
        if (ch === undefined || ch === '\n') throw new Fault('unterminated character constant', from, pos);
        if (ch === '\\') {
          pos += 2;
          continue;
        }
        pos++;
        if (ch === "'") break;
      }
      const value = unquoteGo(input.slice(from, pos));
      if (value === undefined || [...value].length !== 1) {
        throw new Fault(`malformed character constant: ${input.slice(from, pos)}`, from, pos);
      }
      push('char', from, pos);
      continue;
    }
    if (c === '$') {
      pos++;
      while (isAlnum(input[pos])) pos++;
      atTerminator(input, pos);
      push('variable', from, pos);
      continue;
    }
    if (c === '.') {
      // `.5` is a number; `.Field` a field; `.` alone the dot.
      if (/[0-9]/.test(input[pos + 1] ?? '')) {
        pos = lexNumber(input, pos);
        push('number', from, pos);
        continue;
      }
      pos++;
      if (isAlnum(input[pos])) {
        while (isAlnum(input[pos])) pos++;
        atTerminator(input, pos);
        push('field', from, pos);
      } else {
        push('dot', from, pos);
      }
      continue;
    }
    if (c === '+' || c === '-' || /[0-9]/.test(c)) {
      pos = lexNumber(input, pos);
      // A complex number: `1+2i`, no spaces, ending in `i`.
      if (input[pos] === '+' || input[pos] === '-') {
        pos = lexNumber(input, pos);
        if (input[pos - 1] !== 'i') throw new Fault(`bad number syntax: ${JSON.stringify(input.slice(from, pos))}`, from, pos);
      }
      push('number', from, pos);
      continue;
    }
    if (isAlnum(c)) {
      while (isAlnum(input[pos])) pos++;
      atTerminator(input, pos);
      const word = input.slice(from, pos);
      const kind: TokenKind = KEYWORDS.has(word) ? (word === 'nil' ? 'nil' : 'keyword') : word === 'true' || word === 'false' ? 'bool' : 'identifier';
      push(kind, from, pos);
      continue;
    }
    // Go lexes other printable ASCII as a character its parser then refuses.
    if (/[!-~]/.test(c)) throw new Fault(`unexpected ${JSON.stringify(c)} in operand`, pos, pos + 1);
    throw new Fault(`unrecognized character in action: ${JSON.stringify(c)}`, pos, pos + 1);
  }
}

/** Go wants a word (name, keyword, field, variable) followed by a space, `.`, `,`, `|`, `:`, a parenthesis or `}}`. */
function atTerminator(input: string, pos: number): void {
  const c = input[pos];
  if (c === undefined || isSpace(c) || '.,|:()'.includes(c) || input.startsWith('}}', pos)) return;
  throw new Fault(`bad character ${JSON.stringify(c)}`, pos, pos + 1);
}

const NUMBER_FORMS = [
  // A hex mantissa with a fraction needs its `p` exponent.
  /^[+-]?0[xX](?:_?[0-9a-fA-F])+(?:(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?[pP][+-]?[0-9](?:_?[0-9])*)?i?$/,
  /^[+-]?0[xX]\.[0-9a-fA-F](?:_?[0-9a-fA-F])*[pP][+-]?[0-9](?:_?[0-9])*i?$/,
  /^[+-]?0[oO](?:_?[0-7])+i?$/,
  /^[+-]?0[bB](?:_?[01])+i?$/,
  /^[+-]?(?:[0-9](?:_?[0-9])*)?(?:\.(?:[0-9](?:_?[0-9])*)?)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?i?$/,
];

/** Go's scanNumber: the longest run a number could be, then a check that it is one. */
function lexNumber(input: string, start: number): number {
  let pos = start;
  if (input[pos] === '+' || input[pos] === '-') pos++;
  let digits = '0123456789_';
  if (input[pos] === '0' && /[xXoObB]/.test(input[pos + 1] ?? '')) {
    const base = input[pos + 1]!.toLowerCase();
    digits = base === 'x' ? '0123456789abcdefABCDEF_' : base === 'o' ? '01234567_' : '01_';
    pos += 2;
  }
  const run = (set: string): void => {
    while (pos < input.length && set.includes(input[pos]!)) pos++;
  };
  run(digits);
  if (input[pos] === '.') {
    pos++;
    run(digits);
  }
  if (digits.length === 11 && /[eE]/.test(input[pos] ?? '')) {
    pos++;
    if (input[pos] === '+' || input[pos] === '-') pos++;
    run('0123456789_');
  }
  if (digits.length > 11 && /[pP]/.test(input[pos] ?? '')) {
    pos++;
    if (input[pos] === '+' || input[pos] === '-') pos++;
    run('0123456789_');
  }
  if (input[pos] === 'i') pos++;
  const text = input.slice(start, pos);
  if (isAlnum(input[pos]) || input[pos] === '.') throw new Fault(`bad number syntax: ${JSON.stringify(input.slice(start, pos + 1))}`, start, pos + 1);
  if (!NUMBER_FORMS.some((form) => form.test(text)) || /^[+-]?\.?$/.test(text.replace(/i$/, ''))) {
    throw new Fault(`bad number syntax: ${JSON.stringify(text)}`, start, Math.max(pos, start + 1));
  }
  if (!text.endsWith('i') && !numberFits(text)) throw new Fault(`illegal number syntax: ${JSON.stringify(text)}`, start, pos);
  return pos;
}

/**
 * Go reads a number without `.`, `e` or `p` as an integer: a leading 0 means octal,
 * and it must fit 64 bits (signed, or unsigned when positive); a float must be finite.
 */
function numberFits(text: string): boolean {
  const hex = /^[+-]?0[xX]/.test(text);
  // A float: Go's ParseFloat refuses one beyond float64's range.
  if (hex ? /[.pP]/.test(text) : /[.eE]/.test(text)) return Number.isFinite(hex ? hexFloat(text) : Number(text.replace(/_/g, '')));
  const negative = text.startsWith('-');
  const digits = text.replace(/^[+-]/, '').replace(/_/g, '');
  let value: bigint;
  if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (/^0[oO]/.test(digits)) value = BigInt(digits);
  else if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else if (/^(?:0|[1-9][0-9]*)$/.test(digits)) value = BigInt(digits);
  else return false;
  return negative ? value <= 2n ** 63n : value < 2n ** 64n;
}

function hexFloat(text: string): number {
  const [, whole = '', fraction = '', exponent = '0'] = /^[+-]?0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?(?:[pP]([+-]?[0-9_]+))?$/.exec(text) ?? [];
  const mantissa = parseInt(`${whole}${fraction}`.replace(/_/g, '') || '0', 16);
  return mantissa * 2 ** (Number(exponent.replace(/_/g, '')) - 4 * fraction.replace(/_/g, '').length);
}

const SIMPLE_ESCAPES = 'abfnrtv\\"\'';

/** The value of a Go interpreted string or character literal, or undefined when Go rejects its escapes. */
function unquoteGo(literal: string): string | undefined {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return undefined;
    if (SIMPLE_ESCAPES.includes(e)) {
      if ((e === "'" || e === '"') && e !== quote) return undefined;
      out += e;
      continue;
    }
    const lengths: Record<string, [number, RegExp]> = { x: [2, /^[0-9a-fA-F]{2}$/], u: [4, /^[0-9a-fA-F]{4}$/], U: [8, /^[0-9a-fA-F]{8}$/] };
    if (e in lengths) {
      const [n, form] = lengths[e]!;
      const hex = body.slice(i + 1, i + 1 + n);
      if (!form.test(hex)) return undefined;
      const code = parseInt(hex, 16);
      if (e !== 'x' && (code > 0x10ffff || (code >= 0xd800 && code < 0xe000))) return undefined;
      i += n;
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      continue;
    }
    if (/[0-7]/.test(e)) {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal) || parseInt(octal, 8) > 255) return undefined;
      i += 2;
      out += String.fromCharCode(parseInt(octal, 8));
      continue;
    }
    return undefined;
  }
  return out;
}

type Block = 'if' | 'range' | 'with' | 'define' | 'block';

/** Go's parser over the tokens: the structure of the template and the names it uses. */
class Parser {
  private index = 0;
  /** Variables in scope, innermost last (Go keeps them until the `{{end}}` of their block). */
  private readonly variables: string[];
  private rangeDepth = 0;
  /** The blocks open around the current item, innermost last. */
  private readonly open: Block[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly syntax: TemplateSyntax,
  ) {
    this.variables = ['$', ...syntax.variables.map((v) => `$${v}`)];
  }

  template(): void {
    const end = this.list();
    if (end) throw new Fault(`unexpected {{${end.text}}}`, end.from, end.to);
  }

  /**
   * Items until `{{end}}` or `{{else}}` (returned, the keyword token) or the end
   * of the text (undefined).
   */
  private list(): Token | undefined {
    const open = this.open;
    for (;;) {
      const token = this.next();
      if (token.kind === 'eof') {
        if (open.length > 0) throw new Fault(`unexpected EOF: {{${open[open.length - 1]}}} has no {{end}}`, token.from, token.to);
        return undefined;
      }
      if (token.kind === 'text') continue;
      // token is `{{`
      this.skipSpace();
      const word = this.peek();
      if (word.kind === 'keyword') {
        switch (word.text) {
          case 'end':
          case 'else':
            this.next();
            if (open.length === 0) throw new Fault(`unexpected {{${word.text}}}`, word.from, word.to);
            return word;
          case 'if':
          case 'range':
          case 'with':
            this.next();
            this.control(word.text);
            continue;
          case 'define':
            this.next();
            if (open.length > 0) throw new Fault('unexpected {{define}}: define is only allowed at the top level', word.from, word.to);
            this.defineOrBlock('define');
            continue;
          case 'block':
            this.next();
            this.defineOrBlock('block');
            continue;
          case 'template':
            this.next();
            this.templateCall();
            continue;
          case 'break':
          case 'continue':
            this.next();
            if (!this.syntax.breakContinue) throw new Fault(`function "${word.text}" not defined`, word.from, word.to);
            if (this.rangeDepth === 0) throw new Fault(`{{${word.text}}} outside {{range}}`, word.from, word.to);
            this.skipSpace();
            this.expect('right', `unexpected ${this.describe(this.peek())} in {{${word.text}}}`);
            continue;
          default:
            break;
        }
      }
      this.pipeline('command');
      this.expect('right', `unexpected ${this.describe(this.peek())} in command`);
    }
  }

  private inside(block: Block): Token | undefined {
    this.open.push(block);
    const end = this.list();
    this.open.pop();
    return end;
  }

  /** `{{if|range|with pipeline}} list [{{else}} list | {{else if …}}] {{end}}`; variables live until `{{end}}`. */
  private control(keyword: string): void {
    const block = keyword as Block;
    const scope = this.variables.length;
    this.pipeline(keyword);
    this.expect('right', `unexpected ${this.describe(this.peek())} in {{${keyword}}}`);
    if (block === 'range') this.rangeDepth++;
    let end = this.inside(block);
    if (block === 'range') this.rangeDepth--;
    while (end?.text === 'else') {
      this.skipSpace();
      const chained = this.peek();
      if (chained.kind === 'keyword' && (chained.text === 'if' || chained.text === 'with')) {
        if (chained.text !== keyword || (keyword === 'with' && !this.syntax.elseWith)) {
          throw new Fault(`unexpected {{else ${chained.text}}} in {{${keyword}}}`, chained.from, chained.to);
        }
        // `{{else if x}}` is `{{else}}{{if x}}…{{end}}{{end}}` sharing one end.
        this.next();
        this.pipeline(keyword);
        this.expect('right', `unexpected ${this.describe(this.peek())} in {{else ${keyword}}}`);
        end = this.inside(block);
        continue;
      }
      this.expect('right', `unexpected ${this.describe(this.peek())} in {{else}}`);
      end = this.inside(block);
      if (end?.text === 'else') throw new Fault('expected end; found {{else}}', end.from, end.to);
    }
    this.endAction();
    this.variables.length = scope;
  }

  private defineOrBlock(keyword: 'define' | 'block'): void {
    this.skipSpace();
    const name = this.next();
    if (name.kind !== 'string' && name.kind !== 'raw') throw new Fault(`name of {{${keyword}}} must be a quoted string`, name.from, name.to);
    if (keyword === 'define') {
      this.skipSpace();
      this.expect('right', `unexpected ${this.describe(this.peek())} in {{define}}`);
    } else {
      this.pipeline('block clause');
      this.expect('right', `unexpected ${this.describe(this.peek())} in {{block}}`);
    }
    // The body is a template of its own: only `$` is defined, and no range is open.
    const saved = this.variables.splice(0, this.variables.length, '$');
    const depth = this.rangeDepth;
    this.rangeDepth = 0;
    const end = this.inside(keyword);
    if (end?.text === 'else') throw new Fault(`unexpected {{else}} in {{${keyword}}}`, end.from, end.to);
    this.endAction();
    this.variables.splice(0, this.variables.length, ...saved);
    this.rangeDepth = depth;
  }

  private templateCall(): void {
    this.skipSpace();
    const name = this.next();
    if (name.kind !== 'string' && name.kind !== 'raw') throw new Fault('name of {{template}} must be a quoted string', name.from, name.to);
    this.skipSpace();
    if (this.peek().kind !== 'right') this.pipeline('template');
    this.expect('right', `unexpected ${this.describe(this.peek())} in {{template}}`);
  }

  /** The `}}` after `end`. */
  private endAction(): void {
    this.skipSpace();
    this.expect('right', `unexpected ${this.describe(this.peek())} in {{end}}`);
  }

  /** `[$x := | $x = | $x, $y :=] command [| command]…`, up to `}}` or `)`. */
  private pipeline(context: string): void {
    this.skipSpace();
    const start = this.peek();
    if (start.kind === 'variable') {
      const save = this.index;
      this.next();
      this.skipSpace();
      const after = this.peek();
      if (after.kind === 'declare' || after.kind === 'assign') {
        // Go defines the name at once, for `=` too (an undefined one fails only when run).
        this.next();
        this.variables.push(start.text);
      } else if (after.kind === 'comma') {
        this.next();
        this.variables.push(start.text);
        if (context !== 'range') throw new Fault(`too many declarations in ${context}`, after.from, after.to);
        this.skipSpace();
        const second = this.peek();
        if (second.kind === 'variable') {
          const beforeSecond = this.index;
          this.next();
          this.skipSpace();
          const op = this.peek();
          if (op.kind === 'declare' || op.kind === 'assign') {
            this.next();
            this.variables.push(second.text);
          } else if (op.kind === 'comma') {
            throw new Fault('too many declarations in range', op.from, op.to);
          } else {
            this.index = beforeSecond;
          }
        } else if (second.kind !== 'right' && second.kind !== 'rparen') {
          throw new Fault('range can only initialize variables', second.from, second.to);
        }
      } else {
        this.index = save;
      }
    }
    let stage = 0;
    for (;;) {
      this.skipSpace();
      const first = this.peek();
      if (first.kind === 'right' || first.kind === 'rparen' || first.kind === 'eof') {
        // A trailing `|` before the end is accepted by Go.
        if (stage === 0) throw new Fault(`missing value for ${context}`, first.from, first.to);
        return;
      }
      const executable = this.command(context);
      stage++;
      if (stage > 1 && !executable) throw new Fault(`non executable command in pipeline stage ${stage}`, first.from, first.to);
      if (this.peek().kind !== 'pipe') return;
      this.next();
    }
  }

  /** Operands separated by spaces; returns whether the command can take piped input. */
  private command(context: string): boolean {
    let operands = 0;
    let executable = true;
    for (;;) {
      this.skipSpace();
      const token = this.peek();
      if (operands > 0 && (token.kind === 'right' || token.kind === 'rparen' || token.kind === 'pipe')) break;
      if (token.kind === 'eof') break;
      if (operands === 0 && !STARTS_COMMAND.has(token.kind)) throw new Fault(`unexpected ${this.describe(token)} in ${context}`, token.from, token.to);
      const kind = this.operand();
      if (operands === 0) executable = kind !== 'literal';
      operands++;
      const after = this.peek();
      if (after.kind !== 'space' && after.kind !== 'right' && after.kind !== 'rparen' && after.kind !== 'pipe') {
        throw new Fault(`unexpected ${this.describe(after)} in operand`, after.from, after.to);
      }
    }
    return executable;
  }

  /** One operand: a term and the fields chained to it; `literal` for what cannot take piped input. */
  private operand(): 'literal' | 'other' {
    const token = this.next();
    let literal = false;
    switch (token.kind) {
      case 'identifier':
        if (!this.syntax.functions.has(token.text)) throw new Fault(`function "${token.text}" not defined`, token.from, token.to);
        break;
      case 'variable':
        if (!this.variables.includes(token.text)) throw new Fault(`undefined variable "${token.text}"`, token.from, token.to);
        break;
      case 'lparen':
        this.pipeline('parenthesized pipeline');
        this.expect('rparen', `unclosed left paren: unexpected ${this.describe(this.peek())}`);
        break;
      case 'field':
        break;
      case 'dot':
      case 'nil':
      case 'string':
      case 'raw':
      case 'number':
      case 'bool':
      case 'char':
        literal = true;
        break;
      default:
        throw new Fault(`unexpected ${this.describe(token)} in operand`, token.from, token.to);
    }
    if (this.peek().kind === 'field' && literal) {
      throw new Fault(`unexpected . after term ${JSON.stringify(token.text)}`, this.peek().from, this.peek().to);
    }
    while (this.peek().kind === 'field') this.next();
    return literal ? 'literal' : 'other';
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.tokens[this.index]!;
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  private skipSpace(): void {
    while (this.peek().kind === 'space') this.index++;
  }

  private expect(kind: TokenKind, message: string): Token {
    const token = this.peek();
    if (token.kind !== kind) throw new Fault(message, token.from, token.to);
    return this.next();
  }

  private describe(token: Token): string {
    if (token.kind === 'eof') return 'end of text';
    if (token.kind === 'right') return '"}}"';
    return JSON.stringify(token.text);
  }
}
