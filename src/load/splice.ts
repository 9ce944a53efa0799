import path from 'node:path';
import { typescript, type TS } from '../source/typescript.js';
import { eraseTypes } from './erase.js';
import { isResourceFactory } from './unexported.js';

/**
 * The location transform (see transform.ts) for a definitions file that is plain JavaScript once
 * its types are erased in place (erase.ts), made by inserting the wrappers into its text instead
 * of printing a transformed tree: TypeScript's printer was most of a cold build's transpile (24 s
 * CPU for a tree of 1,600 files, against 2 s to parse them). What runs is what the printed module
 * runs: the same calls, with the same arguments, in the same order; every line stays on its line
 * and a source map takes each token back to its column.
 *
 * Anything the printer would change beyond the wrappers makes the file not eligible (undefined),
 * and it is transpiled by TypeScript as before: TypeScript-only syntax that emits code (see
 * erase.ts), an import binding TypeScript would leave out (one no value refers to, or whose name
 * is declared again in the file, so that references are not provably to it), re-exports, JSX,
 * `using`, decorators, syntax errors, a hashbang and line terminators other than `\n`.
 */
export function spliceDefinition(text: string, fileName: string, options: SpliceOptions, parsed?: TS.SourceFile): string | undefined {
  if (!/\.m?ts$/.test(fileName) || text.startsWith('#!') || /[\r\u2028\u2029]/.test(text)) return undefined;
  const ts = typescript();
  const sourceFile = parsed && isSameParse(parsed, text) ? parsed : ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const spliced = spliceTree(ts, text, sourceFile, fileName, options);
  if (spliced !== undefined || hasParseErrors(sourceFile)) return spliced;
  // A typed file: its types erased in place, the offsets (and so the locations and the source map) are the file's own.
  const erased = eraseTypes(sourceFile);
  return erased && spliceTree(ts, erased.text, erased.sourceFile, fileName, options);
}

function hasParseErrors(sourceFile: TS.SourceFile): boolean {
  return (sourceFile as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0;
}

function spliceTree(ts: typeof TS, text: string, sourceFile: TS.SourceFile, fileName: string, options: SpliceOptions): string | undefined {
  if (hasParseErrors(sourceFile)) return undefined;
  if (!ts.isExternalModule(sourceFile)) return undefined;

  const helperNames = new Map<string, string>();
  const helperNamespaces = new Set<string>();
  const localNames = new Map<string, string>();
  const localNamespaces = new Set<string>();
  const imported = new Set<string>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue;
    const clause = statement.importClause;
    if (!clause) continue;
    if (clause.isTypeOnly || !ts.isStringLiteral(statement.moduleSpecifier)) return undefined;
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamedImports(bindings) && (bindings.elements.length === 0 || bindings.elements.some((element) => element.isTypeOnly))) return undefined;
    const specifier = statement.moduleSpecifier.text;
    const fromMoncode = specifier === 'moncode';
    const tracked = fromMoncode || specifier.startsWith('.');
    const [names, namespaces] = fromMoncode ? [helperNames, helperNamespaces] : [localNames, localNamespaces];
    if (clause.name) {
      imported.add(clause.name.text);
      if (tracked) names.set(clause.name.text, 'default');
    }
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        imported.add(element.name.text);
        if (tracked) names.set(element.name.text, (element.propertyName ?? element.name).text);
      }
    } else if (bindings) {
      imported.add(bindings.name.text);
      if (tracked) namespaces.add(bindings.name.text);
    }
  }

  const edits: Edit[] = [];
  const referenced = new Set<string>();
  const fileLiteral = JSON.stringify(options.file);
  let depth = 0;
  let eligible = true;
  const wrap = (node: TS.Node, open: string, close: string): void => {
    edits.push({ at: node.getStart(sourceFile), text: open, depth, opens: true });
    edits.push({ at: node.getEnd(), text: `, ${fileLiteral}, ${node.getStart(sourceFile)}, ${node.getEnd()}${close})`, depth, opens: false });
  };
  /** Specifiers to rewrite, once the file is known to be eligible (rewriting records the import). */
  const rewrites: Array<[Edit, TS.StringLiteral]> = [];
  const rewrite = (literal: TS.StringLiteral): void => {
    // A literal continued over lines (a backslash before the newline) would take its lines with it.
    if (literal.getText(sourceFile).includes('\n')) eligible = false;
    const edit: Edit = { at: literal.getStart(sourceFile), end: literal.getEnd(), text: '', depth, opens: true };
    edits.push(edit);
    rewrites.push([edit, literal]);
  };
  const { isHelperCall, isLocalCall, helperOf } = callKinds(ts, { names: helperNames, namespaces: helperNamespaces }, { names: localNames, namespaces: localNamespaces });

  const points: number[] = [];
  const visit = (node: TS.Node): void => {
    if (!eligible) return;
    if (!isPlainJavaScript(ts, node)) {
      eligible = false;
      return;
    }
    points.push(node.getStart(sourceFile));
    if (ts.isIdentifier(node)) {
      // Import bindings are not visited (below): a declaration of the name is another binding, which references may be to.
      if (imported.has(node.text)) {
        if (declares(ts, node)) eligible = false;
        else if (!namesProperty(ts, node)) referenced.add(node.text);
      }
      return;
    }
    if (ts.isImportDeclaration(node)) {
      rewrite(node.moduleSpecifier as TS.StringLiteral);
      return;
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      // As the printed transform: the specifier rewritten, nothing inside the call wrapped.
      if (first && ts.isStringLiteral(first)) return rewrite(first);
    }
    depth++;
    if (ts.isSpreadAssignment(node) && ts.isObjectLiteralExpression(node.parent) && !isAssignmentTarget(node.parent)) {
      edits.push({ at: node.expression.getStart(sourceFile), text: '__mcSpread(', depth, opens: true });
      edits.push({ at: node.expression.getEnd(), text: ')', depth, opens: false });
    } else if (ts.isObjectLiteralExpression(node) && !isAssignmentTarget(node)) {
      wrap(node, '__mcLoc(', '');
    } else if (ts.isCallExpression(node) && isHelperCall(node)) {
      const helper = helperOf(node);
      if (helper && isResourceFactory(helper)) wrap(node, '__mcMade(', `, ${JSON.stringify(helper)}`);
      else wrap(node, '__mcCall(', '');
    } else if (ts.isCallExpression(node) && isLocalCall(node)) {
      wrap(node, '__mcVia(__mcSeq(), ', `, ${JSON.stringify(node.expression.getText(sourceFile))}`);
    }
    ts.forEachChild(node, visit);
    depth--;
  };
  ts.forEachChild(sourceFile, visit);
  if (!eligible || [...imported].some((name) => !referenced.has(name))) return undefined;
  for (const [edit, literal] of rewrites) edit.text = JSON.stringify(options.rewriteSpecifier(literal.text));

  const firstBody = sourceFile.statements.find((statement) => !ts.isImportDeclaration(statement));
  const runtime = `import { __mcLoc, __mcCall, __mcVia, __mcSeq, __mcMade, __mcSpread, __mcRan } from ${JSON.stringify(options.runtimeUrl)}; `;
  const ran = `__mcRan(${fileLiteral}); `;
  edits.push({ at: 0, text: runtime, depth: -2, opens: true });
  edits.push(firstBody ? { at: firstBody.getStart(sourceFile), text: ran, depth: -1, opens: true } : { at: text.length, text: `\n${ran}`, depth: -1, opens: true });
  // At one offset: what closes first (innermost first), then what opens (outermost first).
  edits.sort((a, b) => a.at - b.at || (a.opens === b.opens ? (a.opens ? a.depth - b.depth : b.depth - a.depth) : a.opens ? 1 : -1));
  return assemble(
    text,
    sourceFile,
    edits,
    points.sort((a, b) => a - b),
    fileName,
  );
}

/**
 * Whether a tree the type-check's program parsed (and bound, which sets every node's parent) is the tree
 * `createSourceFile` would make of `text` here: the same text, language version and script kind, and a module
 * for the same reason (not only because the program's options force every file to be one).
 */
export function isSameParse(parsed: TS.SourceFile, text: string): boolean {
  const ts = typescript();
  const own = parsed as TS.SourceFile & { scriptKind?: TS.ScriptKind; externalModuleIndicator?: unknown };
  return (
    parsed.text === text &&
    parsed.languageVersion === ts.ScriptTarget.ES2022 &&
    own.scriptKind === ts.ScriptKind.TS &&
    own.externalModuleIndicator !== true &&
    parsed.statements.every((statement) => statement.parent === parsed)
  );
}

/** transform.ts's TransformOptions (declared here too: that module imports this one). */
interface SpliceOptions {
  file: string;
  runtimeUrl: string;
  rewriteSpecifier(specifier: string): string;
}

interface Edit {
  at: number;
  /** The text replaced ends here (a rewritten specifier); otherwise the edit inserts. */
  end?: number;
  text: string;
  depth: number;
  opens: boolean;
}

/**
 * The output text and its inline source map. Edits insert text within a line (a rewritten specifier replaces one
 * string literal of a line), so every line is still the line it was; the map takes the start of each node (where a
 * stack trace's frames point) and of each inserted wrapper back to its column in the original.
 */
function assemble(text: string, sourceFile: TS.SourceFile, edits: readonly Edit[], points: readonly number[], fileName: string): string {
  const lineStarts = sourceFile.getLineStarts();
  const segments: string[][] = lineStarts.map(() => []);
  const parts: string[] = [];
  let read = 0;
  let line = 0;
  /** Characters the edits so far added to the current line (before `read`). */
  let shift = 0;
  let point = 0;
  let previous = { column: 0, line: 0, originalColumn: 0 };
  const toLine = (offset: number): void => {
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) {
      line++;
      shift = 0;
    }
  };
  const map = (original: number): void => {
    toLine(original);
    const originalColumn = original - lineStarts[line]!;
    const column = originalColumn + shift;
    const lineSegments = segments[line]!;
    const fromColumn = lineSegments.length === 0 ? 0 : previous.column;
    if (lineSegments.length > 0 && column === previous.column) return;
    lineSegments.push(vlq(column - fromColumn) + vlq(0) + vlq(line - previous.line) + vlq(originalColumn - previous.originalColumn));
    previous = { column, line, originalColumn };
  };
  const copyTo = (to: number): void => {
    for (; point < points.length && points[point]! < to; point++) if (points[point]! >= read) map(points[point]!);
    parts.push(text.slice(read, to));
    read = to;
    toLine(read);
  };
  for (const edit of edits) {
    copyTo(edit.at);
    if (edit.opens) map(edit.at);
    parts.push(edit.text);
    shift += edit.text.length;
    if (edit.end !== undefined) {
      shift -= edit.end - edit.at;
      read = edit.end;
      for (; point < points.length && points[point]! < read; point++);
    }
  }
  copyTo(text.length);
  const base = path.basename(fileName);
  const sourceMap = {
    version: 3,
    file: base.replace(/\.m?ts$/, (ext) => (ext === '.mts' ? '.mjs' : '.js')),
    sourceRoot: `${path.dirname(fileName)}/`,
    sources: [base],
    names: [],
    mappings: segments.map((list) => list.join(',')).join(';'),
  };
  const body = parts.join('');
  return `${body}${body.endsWith('\n') ? '' : '\n'}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(sourceMap)).toString('base64')}`;
}

const VLQ_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let encoded = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    encoded += VLQ_DIGITS[digit];
  } while (rest > 0);
  return encoded;
}

/** `({ a } = value)` and `for ({ a } of list)` parse as object literals but are patterns, not values. */
export function isAssignmentTarget(node: TS.Node): boolean {
  const ts = typescript();
  let current = node;
  let parent = current.parent;
  while (
    parent &&
    (ts.isArrayLiteralExpression(parent) ||
      ts.isObjectLiteralExpression(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isShorthandPropertyAssignment(parent) ||
      ts.isSpreadElement(parent) ||
      ts.isSpreadAssignment(parent) ||
      ts.isParenthesizedExpression(parent))
  ) {
    if (ts.isPropertyAssignment(parent) && parent.name === current) return false;
    current = parent;
    parent = current.parent;
  }
  if (!parent) return false;
  if (ts.isBinaryExpression(parent) && parent.left === current && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) return true;
  return (ts.isForOfStatement(parent) || ts.isForInStatement(parent)) && parent.initializer === current;
}

/** An identifier that names a binding where it is declared (a variable, parameter, function, class, import). */
function declares(ts: typeof TS, node: TS.Identifier): boolean {
  const parent = node.parent;
  return (
    (ts.isVariableDeclaration(parent) ||
      ts.isParameter(parent) ||
      ts.isFunctionDeclaration(parent) ||
      ts.isFunctionExpression(parent) ||
      ts.isClassDeclaration(parent) ||
      ts.isClassExpression(parent) ||
      ts.isBindingElement(parent)) &&
    parent.name === node
  );
}

/** An identifier that is a name, not a reference: a property, a member, a label, `import.meta`'s `meta`, what an import specifier imports. */
function namesProperty(ts: typeof TS, node: TS.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) || ts.isMetaProperty(parent)) return parent.name === node;
  if (ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isGetAccessorDeclaration(parent) || ts.isSetAccessorDeclaration(parent))
    return parent.name === node;
  if (ts.isBindingElement(parent) || ts.isImportSpecifier(parent)) return parent.propertyName === node;
  return ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent);
}

let allowed: Set<number> | undefined;

/** The node kinds of JavaScript (ES2022 modules), each printed by TypeScript as written. */
function plainKinds(ts: typeof TS): Set<number> {
  const k = ts.SyntaxKind;
  allowed ??= new Set<number>([
    k.EndOfFileToken,
    k.Identifier,
    k.PrivateIdentifier,
    k.NumericLiteral,
    k.BigIntLiteral,
    k.StringLiteral,
    k.RegularExpressionLiteral,
    k.NoSubstitutionTemplateLiteral,
    k.TemplateHead,
    k.TemplateMiddle,
    k.TemplateTail,
    k.TemplateExpression,
    k.TemplateSpan,
    k.TaggedTemplateExpression,
    k.TrueKeyword,
    k.FalseKeyword,
    k.NullKeyword,
    k.ThisKeyword,
    k.SuperKeyword,
    k.ImportKeyword,
    k.ArrayLiteralExpression,
    k.ObjectLiteralExpression,
    k.PropertyAccessExpression,
    k.ElementAccessExpression,
    k.CallExpression,
    k.NewExpression,
    k.ParenthesizedExpression,
    k.FunctionExpression,
    k.ArrowFunction,
    k.DeleteExpression,
    k.TypeOfExpression,
    k.VoidExpression,
    k.AwaitExpression,
    k.PrefixUnaryExpression,
    k.PostfixUnaryExpression,
    k.BinaryExpression,
    k.ConditionalExpression,
    k.YieldExpression,
    k.SpreadElement,
    k.ClassExpression,
    k.OmittedExpression,
    k.MetaProperty,
    k.PropertyAssignment,
    k.ShorthandPropertyAssignment,
    k.SpreadAssignment,
    k.ComputedPropertyName,
    k.MethodDeclaration,
    k.GetAccessor,
    k.SetAccessor,
    k.Constructor,
    k.PropertyDeclaration,
    k.ClassStaticBlockDeclaration,
    k.SemicolonClassElement,
    k.HeritageClause,
    k.ExpressionWithTypeArguments,
    k.Block,
    k.VariableStatement,
    k.VariableDeclarationList,
    k.VariableDeclaration,
    k.EmptyStatement,
    k.ExpressionStatement,
    k.IfStatement,
    k.DoStatement,
    k.WhileStatement,
    k.ForStatement,
    k.ForInStatement,
    k.ForOfStatement,
    k.ContinueStatement,
    k.BreakStatement,
    k.ReturnStatement,
    k.SwitchStatement,
    k.CaseBlock,
    k.CaseClause,
    k.DefaultClause,
    k.LabeledStatement,
    k.ThrowStatement,
    k.TryStatement,
    k.CatchClause,
    k.DebuggerStatement,
    k.FunctionDeclaration,
    k.ClassDeclaration,
    k.ImportDeclaration,
    k.ImportClause,
    k.NamedImports,
    k.ImportSpecifier,
    k.NamespaceImport,
    k.ImportAttributes,
    k.ImportAttribute,
    k.ExportAssignment,
    k.ObjectBindingPattern,
    k.ArrayBindingPattern,
    k.BindingElement,
    k.Parameter,
    k.ExportKeyword,
    k.DefaultKeyword,
    k.AsyncKeyword,
    k.StaticKeyword,
    k.AwaitKeyword,
    k.InKeyword,
    k.InstanceOfKeyword,
  ]);
  return allowed;
}

/** Whether a node is JavaScript that TypeScript's transpile prints unchanged (its children are checked as they are visited). */
function isPlainJavaScript(ts: typeof TS, node: TS.Node): boolean {
  const k = ts.SyntaxKind;
  const isPunctuation = node.kind >= k.FirstPunctuation && node.kind <= k.LastPunctuation;
  if (!isPunctuation && !plainKinds(ts).has(node.kind)) return false;
  if (isPunctuation) {
    // `!` and `?` appear as nodes only where TypeScript adds them (definite assignment, optional members); `?.` and
    // `? :`, `...`, `*`, `=>`, `=` and the binary operators are JavaScript.
    return node.kind !== k.ExclamationToken && !(node.kind === k.QuestionToken && !ts.isConditionalExpression(node.parent));
  }
  const any = node as TS.Node & {
    type?: unknown;
    typeParameters?: unknown;
    typeArguments?: unknown;
    questionToken?: unknown;
    exclamationToken?: unknown;
    body?: unknown;
  };
  if (any.type !== undefined || any.typeParameters !== undefined || any.typeArguments !== undefined || any.exclamationToken !== undefined) return false;
  if (any.questionToken !== undefined && !ts.isConditionalExpression(node) && !ts.isPropertyAssignment(node) && !ts.isShorthandPropertyAssignment(node)) return false;
  if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
    if ((node as { questionToken?: unknown }).questionToken !== undefined) return false;
  }
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    if (any.body === undefined) return false;
  }
  if (ts.isParameter(node) && (node.modifiers !== undefined || (ts.isIdentifier(node.name) && node.name.text === 'this'))) return false;
  if (ts.isHeritageClause(node) && node.token !== k.ExtendsKeyword) return false;
  if (ts.isExportAssignment(node) && node.isExportEquals) return false;
  if (ts.isVariableDeclarationList(node)) {
    const declared = node.flags & ts.NodeFlags.BlockScoped;
    if (declared === ts.NodeFlags.Using || declared === ts.NodeFlags.AwaitUsing) return false;
  }
  if (ts.canHaveModifiers(node)) {
    for (const modifier of ts.getModifiers(node) ?? []) {
      if (modifier.kind !== k.ExportKeyword && modifier.kind !== k.DefaultKeyword && modifier.kind !== k.AsyncKeyword && modifier.kind !== k.StaticKeyword) return false;
    }
  }
  if (ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0) return false;
  return true;
}

interface ImportedNames {
  /** Local name → the exported name it imports. */
  names: ReadonlyMap<string, string>;
  /** Names of namespace imports (`import * as mc`). */
  namespaces: ReadonlySet<string>;
}

/**
 * Which calls call a moncode helper (`dashboard(…)`, `mc.dashboard(…)`, `dash(…)` imported as
 * `dashboard as dash`) or a local module's export, and which helper: both transpile paths wrap
 * the same calls, so both ask here.
 */
export function callKinds(
  ts: typeof TS,
  helpers: ImportedNames,
  locals: ImportedNames,
): { isHelperCall(node: TS.CallExpression): boolean; isLocalCall(node: TS.CallExpression): boolean; helperOf(node: TS.CallExpression): string | undefined } {
  const calls =
    ({ names, namespaces }: ImportedNames) =>
    (node: TS.CallExpression): boolean => {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) return names.has(callee.text);
      return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text);
    };
  return {
    isHelperCall: calls(helpers),
    isLocalCall: calls(locals),
    helperOf: (node) => {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) return helpers.names.get(callee.text);
      return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    },
  };
}
