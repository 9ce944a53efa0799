import type { TS } from '../source/typescript.js';
import { typescript } from '../source/typescript.js';

/**
 * Values as TypeScript: plain data (objects, arrays, strings, numbers, booleans) plus the few
 * forms idiomatic definitions need — a reference to a declared constant, a helper call, a cast,
 * a value with comments above it — printed with the compiler's own factory and printer, so the
 * text is always valid TS whatever the strings hold.
 */

/** A reference to a declared constant (`receiver: pager`). */
export class Ref {
  constructor(readonly name: string) {}
}

/** A helper call, `alertRule({ … })`. */
export class Call {
  constructor(
    readonly fn: string,
    readonly args: unknown[],
    /** Type arguments, written as given (`pluginPanel<Record<string, unknown>>(…)`). */
    readonly typeArgs: readonly string[] = [],
  ) {}
}

/** `value as Type`: a value TS cannot prove of the field's type (a duration of three units). */
export class Cast {
  constructor(
    readonly value: unknown,
    readonly type: string,
  ) {}
}

/** A value with `//` comments above it (carried over from the YAML it was read from). */
export class Commented {
  constructor(
    readonly value: unknown,
    readonly comments: readonly string[],
  ) {}
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The TS expression of a value. */
export function expression(value: unknown, multiLine = false): TS.Expression {
  const ts = typescript();
  const f = ts.factory;
  if (value instanceof Commented) return withComments(expression(value.value), value.comments);
  if (value instanceof Ref) return f.createIdentifier(value.name);
  // A helper's argument is written one field a line; prettier keeps it so and joins the small objects inside.
  if (value instanceof Call)
    return f.createCallExpression(
      f.createIdentifier(value.fn),
      value.typeArgs.length > 0 ? value.typeArgs.map((type) => f.createTypeReferenceNode(type)) : undefined,
      value.args.map((arg) => expression(arg, true)),
    );
  if (value instanceof Cast) return f.createAsExpression(expression(value.value), f.createTypeReferenceNode(value.type));
  if (value === null) return f.createNull();
  if (value === undefined) return f.createIdentifier('undefined');
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'boolean') return value ? f.createTrue() : f.createFalse();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return f.createIdentifier('NaN');
    if (!Number.isFinite(value)) return value > 0 ? f.createIdentifier('Infinity') : f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createIdentifier('Infinity'));
    return value < 0 || Object.is(value, -0) ? f.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, f.createNumericLiteral(-value)) : f.createNumericLiteral(value);
  }
  if (Array.isArray(value))
    return f.createArrayLiteralExpression(
      value.map((item) => expression(item)),
      false,
    );
  if (typeof value === 'object') {
    const properties = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => {
        const name = IDENTIFIER.test(key) ? f.createIdentifier(key) : f.createStringLiteral(key);
        if (item instanceof Commented) return withComments(f.createPropertyAssignment(name, expression(item.value)), item.comments);
        return f.createPropertyAssignment(name, expression(item));
      });
    return f.createObjectLiteralExpression(properties, multiLine && properties.length > 0);
  }
  throw new Error(`cannot print a ${typeof value} as TypeScript`);
}

/** Multi-line text (PromQL above all) as a template literal, so it reads as it was written. */
function stringLiteral(text: string): TS.Expression {
  const ts = typescript();
  // A lone surrogate or a carriage return would not survive a template literal's raw text as written.
  if (text.includes('\n') && !/[\r\u2028\u2029\uD800-\uDFFF]/.test(text)) {
    const raw = text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
    return ts.factory.createNoSubstitutionTemplateLiteral(text, raw);
  }
  return ts.factory.createStringLiteral(text);
}

function withComments<T extends TS.Node>(node: T, comments: readonly string[]): T {
  const ts = typescript();
  for (const comment of comments) ts.addSyntheticLeadingComment(node, ts.SyntaxKind.SingleLineCommentTrivia, comment === '' ? '' : ` ${comment}`, true);
  return node;
}

/** One statement of a module. */
export type Statement =
  | { kind: 'const'; name: string; value: unknown; exported: boolean; comments?: readonly string[] }
  | { kind: 'default'; value: unknown; comments?: readonly string[] }
  /** `declare module 'moncode' { interface Name { key: true } }`: extends an open union (severities). */
  | { kind: 'augment'; module: string; interfaceName: string; keys: string[]; comments?: readonly string[] };

/** A module importing `names` from `from`, then the statements; printed, not yet formatted. */
export function printModule(imports: Array<{ from: string; names: string[]; typeOnly?: boolean }>, statements: Statement[], header: readonly string[] = []): string {
  // Blank lines between top-level statements, as people write modules.
  return printStatements(imports, statements, header).join('\n\n') + '\n';
}

/** The top-level statements of `printModule`'s module, each printed alone (its comments with it). */
export function printStatements(imports: Array<{ from: string; names: string[]; typeOnly?: boolean }>, statements: Statement[], header: readonly string[] = []): string[] {
  const ts = typescript();
  const f = ts.factory;
  const nodes: TS.Statement[] = [];
  for (const entry of imports) {
    const names = [...new Set(entry.names)].sort();
    if (names.length === 0) continue;
    nodes.push(
      f.createImportDeclaration(
        undefined,
        f.createImportClause(entry.typeOnly ?? false, undefined, f.createNamedImports(names.map((name) => f.createImportSpecifier(false, undefined, f.createIdentifier(name))))),
        f.createStringLiteral(entry.from),
      ),
    );
  }
  for (const statement of statements) {
    let node: TS.Statement;
    if (statement.kind === 'const') {
      node = f.createVariableStatement(
        statement.exported ? [f.createModifier(ts.SyntaxKind.ExportKeyword)] : undefined,
        f.createVariableDeclarationList([f.createVariableDeclaration(statement.name, undefined, undefined, expression(statement.value))], ts.NodeFlags.Const),
      );
    } else if (statement.kind === 'default') {
      node = f.createExportAssignment(undefined, false, expression(statement.value));
    } else {
      const members = statement.keys.map((key) =>
        f.createPropertySignature(undefined, IDENTIFIER.test(key) ? f.createIdentifier(key) : f.createStringLiteral(key), undefined, f.createLiteralTypeNode(f.createTrue())),
      );
      node = f.createModuleDeclaration(
        [f.createModifier(ts.SyntaxKind.DeclareKeyword)],
        f.createStringLiteral(statement.module),
        f.createModuleBlock([f.createInterfaceDeclaration(undefined, statement.interfaceName, undefined, undefined, members)]),
      );
    }
    if (statement.comments) withComments(node, statement.comments);
    nodes.push(node);
  }
  if (header.length > 0 && nodes[0]) withComments(nodes[0], header);
  const file = f.createSourceFile(nodes, f.createToken(ts.SyntaxKind.EndOfFileToken), ts.NodeFlags.None);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  return nodes.map((node) => printer.printNode(ts.EmitHint.Unspecified, node, file));
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await undefined NaN Infinity'.split(
    ' ',
  ),
);

/** A camelCase identifier for `name`, unique among `used` (which it joins). */
export function identifierFor(name: string, used: Set<string>, suffix = ''): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^\w\s.:/-]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  // `foo-alerts` with the suffix `Alerts` is `fooAlerts`, not `fooAlertsAlerts`.
  if (suffix && words.length > 1 && words.at(-1)!.toLowerCase() === suffix.toLowerCase()) words.pop();
  let base =
    words.map((word, i) => (i === 0 ? (/^[A-Z0-9]+$/.test(word) ? word.toLowerCase() : word.charAt(0).toLowerCase() + word.slice(1)) : word.charAt(0).toUpperCase() + word.slice(1))).join('') + suffix;
  if (base === '' || base === suffix) base = `item${suffix}`;
  if (/^\d/.test(base)) base = `_${base}`;
  if (RESERVED.has(base)) base = `${base}_`;
  let candidate = base;
  for (let n = 2; used.has(candidate); n++) candidate = `${base}${n}`;
  used.add(candidate);
  return candidate;
}
