/** PromQL expressions as moncode analyses them; offsets are into the expression text. */

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

interface Base {
  from: number;
  to: number;
}

export interface LabelRef extends Base {
  name: string;
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher extends Base {
  label: LabelRef;
  op: MatchOp;
  value: string;
}

export interface VectorSelector extends Base {
  kind: 'vector';
  /** Metric name, from the identifier or a `__name__="…"` matcher. */
  name?: string;
  matchers: Matcher[];
  offsetMs?: number;
}

interface MatrixSelector extends Base {
  kind: 'matrix';
  selector: VectorSelector;
  rangeMs?: number;
  range: Base & { text: string };
  offsetMs?: number;
}

interface Subquery extends Base {
  kind: 'subquery';
  expr: Expr;
  rangeMs?: number;
  stepMs?: number;
  range: Base & { text: string };
}

export interface Grouping {
  mode: 'by' | 'without';
  labels: LabelRef[];
  from: number;
  to: number;
}

interface Aggregate extends Base {
  kind: 'aggregate';
  op: string;
  opRange: Base;
  grouping?: Grouping;
  param?: Expr;
  expr: Expr;
}

export interface VectorMatching {
  mode: 'on' | 'ignoring';
  labels: LabelRef[];
  group?: { side: 'left' | 'right'; labels: LabelRef[] };
  from: number;
  to: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'and' | 'or' | 'unless' | '</' | '>/';

export interface Binary extends Base {
  kind: 'binary';
  op: BinaryOp;
  opRange: Base;
  bool: boolean;
  matching?: VectorMatching;
  lhs: Expr;
  rhs: Expr;
}

interface Call extends Base {
  kind: 'call';
  func: string;
  funcRange: Base;
  args: Expr[];
}

interface Paren extends Base {
  kind: 'paren';
  expr: Expr;
}

interface Unary extends Base {
  kind: 'unary';
  op: '-' | '+';
  expr: Expr;
}

interface NumberLiteral extends Base {
  kind: 'number';
  value: number;
}

interface StringLiteral extends Base {
  kind: 'string';
  value: string;
}

export type Expr = VectorSelector | MatrixSelector | Subquery | Aggregate | Binary | Call | Paren | Unary | NumberLiteral | StringLiteral;

export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set(['==', '!=', '>', '<', '>=', '<=']);
export const SET_OPS: ReadonlySet<BinaryOp> = new Set(['and', 'or', 'unless']);

/** Calls `visit` on `expr` and every expression below it (pre-order); return false to skip children. */
export function walk(expr: Expr, visit: (node: Expr, parent: Expr | undefined) => boolean | void, parent?: Expr): void {
  if (visit(expr, parent) === false) return;
  switch (expr.kind) {
    case 'matrix':
      walk(expr.selector, visit, expr);
      break;
    case 'subquery':
    case 'paren':
    case 'unary':
      walk(expr.expr, visit, expr);
      break;
    case 'aggregate':
      if (expr.param) walk(expr.param, visit, expr);
      walk(expr.expr, visit, expr);
      break;
    case 'binary':
      walk(expr.lhs, visit, expr);
      walk(expr.rhs, visit, expr);
      break;
    case 'call':
      for (const arg of expr.args) walk(arg, visit, expr);
      break;
    default:
      break;
  }
}

/** Every series selector of an expression (a range selector counts as its vector selector), in order. */
export function selectorsIn(expr: Expr): VectorSelector[] {
  const found: VectorSelector[] = [];
  walk(expr, (node) => {
    if (node.kind === 'vector') found.push(node);
    if (node.kind === 'matrix') {
      found.push(node.selector);
      return false;
    }
  });
  return found;
}

/** The expression without enclosing parentheses. */
export function unwrap(expr: Expr): Expr {
  let current = expr;
  while (current.kind === 'paren') current = current.expr;
  return current;
}
