import path from 'node:path';
import { typescript, type TS } from '../source/typescript.js';
import { callKinds, isAssignmentTarget, spliceDefinition } from './splice.js';
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

    const { isHelperCall, isLocalCall, helperOf } = callKinds(ts, { names: helperNames, namespaces: helperNamespaces }, { names: localNames, namespaces: localNamespaces });

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

/** What transpiling a definitions file takes: its text and how it is transformed. */
export interface TranspileInput {
  fileName: string;
  text: string;
  options: TransformOptions;
  /** The file as the type-check parsed it, when it did (the splice then need not parse it again). */
  parsed?: TS.SourceFile;
}

function transpileOptions(fileName: string): TS.CompilerOptions {
  const ts = typescript();
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    inlineSourceMap: true,
    // Stack traces then name the original .ts file, wherever the copy is.
    sourceRoot: `${path.dirname(fileName)}/`,
    inlineSources: false,
    verbatimModuleSyntax: false,
    isolatedModules: true,
    esModuleInterop: true,
  };
}

/** Transpiles one definitions file to an ES module with an inline source map. */
export function transpileDefinition(text: string, fileName: string, options: TransformOptions): string {
  const spliced = spliceDefinition(text, fileName, options);
  if (spliced !== undefined) return spliced;
  return printedDefinition(text, fileName, options);
}

/** `transpileDefinition` through TypeScript's transform and printer (for any file `spliceDefinition` leaves). */
export function printedDefinition(text: string, fileName: string, options: TransformOptions): string {
  const ts = typescript();
  const result = ts.transpileModule(text, {
    fileName,
    compilerOptions: transpileOptions(fileName),
    transformers: { before: [locationTransformer(() => options)] },
    reportDiagnostics: false,
  });
  return result.outputText;
}

/**
 * Transpiles many definitions files, each to what `transpileDefinition` makes of it, with one
 * program per folder (the folder is in the source map's sourceRoot) instead of one per file:
 * transpileModule builds a program and a checker for every file, which cost more than the
 * printing on a tree of a thousand files. Settings are transpileModule's own (the options it
 * forces on every transpile, its defaults for the rest); test/load/transpile.test.ts holds the
 * two byte for byte equal. A folder whose batch fails is transpiled file by file, so a failure
 * is the one file's, as before.
 */
export function transpileDefinitions(inputs: readonly TranspileInput[]): Map<string, string> {
  const outputs = new Map<string, string>();
  const byFolder = new Map<string, TranspileInput[]>();
  for (const input of inputs) {
    const spliced = spliceDefinition(input.text, input.fileName, input.options, input.parsed);
    if (spliced !== undefined) {
      outputs.set(input.fileName, spliced);
      continue;
    }
    const folder = path.dirname(input.fileName);
    const list = byFolder.get(folder) ?? [];
    list.push(input);
    byFolder.set(folder, list);
  }
  for (const group of byFolder.values()) {
    if (group.length === 1) {
      const [only] = group as [TranspileInput];
      outputs.set(only.fileName, printedDefinition(only.text, only.fileName, only.options));
      continue;
    }
    try {
      for (const [file, js] of transpileFolder(typescript(), group)) outputs.set(file, js);
    } catch {
      for (const input of group) outputs.set(input.fileName, printedDefinition(input.text, input.fileName, input.options));
    }
  }
  return outputs;
}

function transpileFolder(ts: typeof TS, group: readonly TranspileInput[]): Map<string, string> {
  const options: TS.CompilerOptions = transpileOptions(group[0]!.fileName);
  for (const option of (ts as unknown as { transpileOptionValueCompilerOptions: Array<{ name: string; transpileOptionValue: unknown }> }).transpileOptionValueCompilerOptions)
    options[option.name] = option.transpileOptionValue as TS.CompilerOptionsValue;
  Object.assign(options, { suppressOutputPathCheck: true, allowNonTsExtensions: true, declaration: false, declarationMap: false });
  for (const [key, value] of Object.entries(ts.getDefaultCompilerOptions())) if (options[key] === undefined) options[key] = value;
  const byName = new Map(group.map((input) => [input.fileName, input]));
  const host: TS.CompilerHost = {
    getSourceFile: (fileName, languageVersion) => {
      const input = byName.get(fileName);
      return input ? ts.createSourceFile(fileName, input.text, languageVersion) : undefined;
    },
    writeFile: () => undefined,
    getDefaultLibFileName: () => 'lib.d.ts',
    useCaseSensitiveFileNames: () => false,
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: () => '',
    getNewLine: () => '\n',
    fileExists: (fileName) => byName.has(fileName),
    readFile: () => '',
    directoryExists: () => true,
    getDirectories: () => [],
  };
  const program = ts.createProgram([...byName.keys()], options, host);
  const transformer = locationTransformer((sourceFile) => byName.get(sourceFile.fileName)!.options);
  const outputs = new Map<string, string>();
  for (const input of group) {
    const sourceFile = program.getSourceFile(input.fileName);
    if (!sourceFile) throw new Error(`not in the program: ${input.fileName}`);
    let js: string | undefined;
    program.emit(
      sourceFile,
      (name, text) => {
        if (!name.endsWith('.map')) js = text;
      },
      undefined,
      false,
      { before: [transformer] },
    );
    if (js === undefined) throw new Error(`nothing emitted for ${input.fileName}`);
    outputs.set(input.fileName, js);
  }
  return outputs;
}
