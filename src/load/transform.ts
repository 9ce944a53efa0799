import path from 'node:path';
import { typescript, type TS } from '../source/typescript.js';
import { isResourceFactory } from './unexported.js';

/**
 * The transform applied to definitions before they run:
 * - every object literal becomes `__mcLoc({...}, file, start, end)`,
 * - every call of a helper imported from `moncode` becomes `__mcCall(f(...), file, start, end)`,
 * so model objects know where they were written (see model/source-location.ts); a
 * resource factory's becomes `__mcMade(f(...), file, start, end, 'dashboard')`, which also
 * records the result, so one no export reaches is reported (load/unexported.ts), and what
 * an object literal spreads becomes `__mcSpread(x)` (a resource copied that way is used);
 * and `__mcRan(file)` records that the module ran;
 * - every call of a function imported from another definitions file becomes
 *   `__mcVia(__mcSeq(), f(...), file, start, end, 'f')`, so objects a shared
 *   helper makes also know which call made them;
 * - module specifiers are rewritten by `rewriteSpecifier` (relative imports to the
 *   transpiled copies, `moncode` to the running package).
 */
export interface TransformOptions {
  /** The file's path as diagnostics show it (relative to the project root). */
  file: string;
  /** Absolute URL of moncode's location runtime. */
  runtimeUrl: string;
  rewriteSpecifier(specifier: string): string;
}

const LOC = '__mcLoc';
const CALL = '__mcCall';
const VIA = '__mcVia';
const SEQ = '__mcSeq';
const MADE = '__mcMade';
const SPREAD = '__mcSpread';
const RAN = '__mcRan';

function locationTransformer(optionsFor: (sourceFile: TS.SourceFile) => TransformOptions): TS.TransformerFactory<TS.SourceFile> {
  const ts = typescript();
  return (context) => (sourceFile) => {
    const { factory } = context;
    const options = optionsFor(sourceFile);
    /** Local name of each moncode import → the name moncode exports it as. */
    const helperNames = new Map<string, string>();
    const helperNamespaces = new Set<string>();
    const localNames = new Map<string, string>();
    const localNamespaces = new Set<string>();
    for (const statement of sourceFile.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const clause = statement.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const specifier = statement.moduleSpecifier.text;
      const fromMoncode = specifier === 'moncode';
      if (!fromMoncode && !specifier.startsWith('.')) continue;
      const [names, namespaces] = fromMoncode ? [helperNames, helperNamespaces] : [localNames, localNamespaces];
      if (clause.name) names.set(clause.name.text, 'default');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) if (!element.isTypeOnly) names.set(element.name.text, (element.propertyName ?? element.name).text);
      } else if (bindings && ts.isNamespaceImport(bindings)) {
        namespaces.add(bindings.name.text);
      }
    }

    const fileLiteral = () => factory.createStringLiteral(options.file);
    const wrap = (helper: string, node: TS.Expression, original: TS.Node): TS.Expression =>
      factory.createCallExpression(factory.createIdentifier(helper), undefined, [
        node,
        fileLiteral(),
        factory.createNumericLiteral(original.getStart(sourceFile)),
        factory.createNumericLiteral(original.getEnd()),
      ]);

    const calls =
      (names: ReadonlyMap<string, string>, namespaces: Set<string>) =>
      (node: TS.CallExpression): boolean => {
        const callee = node.expression;
        if (ts.isIdentifier(callee)) return names.has(callee.text);
        return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && namespaces.has(callee.expression.text);
      };
    const isHelperCall = calls(helperNames, helperNamespaces);
    const isLocalCall = calls(localNames, localNamespaces);
    /** The moncode export a helper call calls (`mc.dashboard(…)`, `dash(…)` imported as `dashboard as dash`). */
    const helperOf = (node: TS.CallExpression): string | undefined => {
      const callee = node.expression;
      if (ts.isIdentifier(callee)) return helperNames.get(callee.text);
      return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    };

    const visit = (node: TS.Node): TS.Node => {
      if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
        const specifier = node.moduleSpecifier;
        if (specifier && ts.isStringLiteral(specifier)) {
          const rewritten = factory.createStringLiteral(options.rewriteSpecifier(specifier.text));
          return ts.isImportDeclaration(node)
            ? factory.updateImportDeclaration(node, node.modifiers, node.importClause, rewritten, node.attributes)
            : factory.updateExportDeclaration(node, node.modifiers, node.isTypeOnly, node.exportClause, rewritten, node.attributes);
        }
        return node;
      }
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [first, ...rest] = node.arguments;
        if (first && ts.isStringLiteral(first)) {
          return factory.updateCallExpression(node, node.expression, node.typeArguments, [factory.createStringLiteral(options.rewriteSpecifier(first.text)), ...rest]);
        }
      }
      const visited = ts.visitEachChild(node, visit, context);
      if (ts.isSpreadAssignment(node) && ts.isObjectLiteralExpression(node.parent) && !isAssignmentTarget(node.parent)) {
        const spread = visited as TS.SpreadAssignment;
        return factory.updateSpreadAssignment(spread, factory.createCallExpression(factory.createIdentifier(SPREAD), undefined, [spread.expression]));
      }
      if (ts.isObjectLiteralExpression(node) && !isAssignmentTarget(node)) return ts.setTextRange(wrap(LOC, visited as TS.Expression, node), node);
      if (ts.isCallExpression(node) && isHelperCall(node)) {
        const helper = helperOf(node);
        if (helper && isResourceFactory(helper)) {
          const made = wrap(MADE, visited as TS.Expression, node) as TS.CallExpression;
          return ts.setTextRange(factory.updateCallExpression(made, made.expression, undefined, [...made.arguments, factory.createStringLiteral(helper)]), node);
        }
        return ts.setTextRange(wrap(CALL, visited as TS.Expression, node), node);
      }
      if (ts.isCallExpression(node) && isLocalCall(node)) {
        const call = wrap(VIA, visited as TS.Expression, node) as TS.CallExpression;
        const since = factory.createCallExpression(factory.createIdentifier(SEQ), undefined, []);
        const callee = factory.createStringLiteral(node.expression.getText(sourceFile));
        return ts.setTextRange(factory.updateCallExpression(call, call.expression, undefined, [since, ...call.arguments, callee]), node);
      }
      return visited;
    };

    const transformed = ts.visitEachChild(sourceFile, visit, context);
    const runtimeImport = factory.createImportDeclaration(
      undefined,
      factory.createImportClause(
        false,
        undefined,
        factory.createNamedImports([
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(LOC)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(CALL)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(VIA)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(SEQ)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(MADE)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(SPREAD)),
          factory.createImportSpecifier(false, undefined, factory.createIdentifier(RAN)),
        ]),
      ),
      factory.createStringLiteral(options.runtimeUrl),
    );
    const ran = factory.createExpressionStatement(factory.createCallExpression(factory.createIdentifier(RAN), undefined, [fileLiteral()]));
    const [imports, body] = [transformed.statements.filter(ts.isImportDeclaration), transformed.statements.filter((statement) => !ts.isImportDeclaration(statement))];
    return factory.updateSourceFile(transformed, [runtimeImport, ...imports, ran, ...body]);
  };
}

/** `({ a } = value)` and `for ({ a } of list)` parse as object literals but are patterns, not values. */
function isAssignmentTarget(node: TS.Node): boolean {
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

/** Transpiles one definitions file to an ES module with an inline source map. */
export function transpileDefinition(text: string, fileName: string, options: TransformOptions): string {
  const ts = typescript();
  const result = ts.transpileModule(text, {
    fileName,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      inlineSourceMap: true,
      // Stack traces then name the original .ts file, wherever the copy is.
      sourceRoot: `${path.dirname(fileName)}/`,
      inlineSources: false,
      verbatimModuleSyntax: false,
      isolatedModules: true,
      esModuleInterop: true,
    },
    transformers: { before: [locationTransformer(() => options)] },
    reportDiagnostics: false,
  });
  return result.outputText;
}
