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

/** The direct subexpressions of an expression, in source order. */
export function childrenOf(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'matrix':
      return [expr.selector];
    case 'subquery':
    case 'paren':
    case 'unary':
      return [expr.expr];
    case 'aggregate':
      return expr.param ? [expr.param, expr.expr] : [expr.expr];
    case 'binary':
      return [expr.lhs, expr.rhs];
    case 'call':
      return expr.args;
    default:
      return [];
  }
}

/**
 * Calls `visit` on `expr` and every expression below it (pre-order); return false to skip children.
 * Iterative: Prometheus accepts `m0 + m1 + … + m19999`, a tree thousands of levels deep.
 */
export function walk(expr: Expr, visit: (node: Expr, parent: Expr | undefined) => boolean | void, parent?: Expr): void {
  const stack: Array<[Expr, Expr | undefined]> = [[expr, parent]];
  while (stack.length > 0) {
    const [node, above] = stack.pop()!;
    if (visit(node, above) === false) continue;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, node]);
  }
}

/**
 * Memoises a function defined recursively over the tree, and fills the memo bottom-up first so that
 * its recursive calls find their answers there: the call stack stays one level deep however deep
 * the expression is, and each node is computed once (a left-leaning chain would otherwise be O(n²)).
 */
export function memoisedOverTree<T>(compute: (node: Expr) => T): (expr: Expr) => T {
  const memo = new WeakMap<Expr, T>();
  return (expr) => {
    if (memo.has(expr)) return memo.get(expr)!;
    // Children before parents, skipping subtrees already known.
    const order: Expr[] = [];
    const stack: Expr[] = [expr];
    while (stack.length > 0) {
      const node = stack.pop()!;
      order.push(node);
      for (const child of childrenOf(node)) if (!memo.has(child)) stack.push(child);
    }
    for (let i = order.length - 1; i >= 0; i--) memo.set(order[i]!, compute(order[i]!));
    return memo.get(expr)!;
  };
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
