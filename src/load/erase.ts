import { typescript, type TS } from '../source/typescript.js';

/**
 * A definitions file with its type syntax replaced by spaces (line breaks kept): every value
 * is where it was, so the splice (splice.ts) can wrap the result and its offsets and source map
 * are the TypeScript file's. TypeScript's printer, which the splice otherwise leaves a typed file
 * to, was most of the editor's transpile of an edited file.
 *
 * Only syntax TypeScript's transpile removes without a trace is erased: annotations, type
 * parameters and arguments, `as`, `satisfies`, `!`, interfaces, type aliases, `declare`d
 * statements, type-only imports and exports, `implements`, member modifiers of visibility and
 * `readonly`. Anything that emits code or changes it (an enum, a namespace, a parameter property,
 * `<T>value`, a decorator, `import =`, an overload, an abstract or declared member, a `this`
 * parameter) leaves the file to the printer (undefined). So does a result that does not parse as
 * the same program: a removed type before a line that then continues the previous expression.
 */
export function eraseTypes(sourceFile: TS.SourceFile): { text: string; sourceFile: TS.SourceFile } | undefined {
  const ts = typescript();
  const text = sourceFile.text;
  const k = ts.SyntaxKind;
  const chars = text.split('');
  const blanked: Array<[number, number]> = [];
  const blank = (start: number, end: number): void => {
    for (let i = start; i < end; i++) if (chars[i] !== '\n') chars[i] = ' ';
    blanked.push([start, end]);
  };
  const child = (node: TS.Node, kind: TS.SyntaxKind): TS.Node | undefined => node.getChildren(sourceFile).find((c) => c.kind === kind);
  /** From `after` (the end of what precedes it) through `type`, when only trivia and a colon lie between. */
  const blankAnnotation = (after: number, type: TS.Node): boolean => {
    const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text, undefined, after, type.getStart(sourceFile) - after);
    if (scanner.scan() !== k.ColonToken || scanner.scan() !== k.EndOfFileToken) return false;
    blank(after, type.getEnd());
    return true;
  };
  const blankAngles = (node: TS.Node): boolean => {
    const open = child(node, k.LessThanToken);
    const close = child(node, k.GreaterThanToken);
    if (!open || !close) return false;
    blank(open.getStart(sourceFile), close.getEnd());
    return true;
  };
  const modifiers = (node: TS.Node): readonly TS.ModifierLike[] => (ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []) : []);
  const isDeclared = (node: TS.Node): boolean => modifiers(node).some((m) => m.kind === k.DeclareKeyword);

  let erasable = true;
  const visit = (node: TS.Node): void => {
    if (!erasable) return;
    if (ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0) return void (erasable = false);
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || (ts.isStatement(node) && isDeclared(node))) return blank(node.getStart(sourceFile), node.getEnd());
    if ((ts.isImportDeclaration(node) && node.importClause?.isTypeOnly) || (ts.isExportDeclaration(node) && node.isTypeOnly)) return blank(node.getStart(sourceFile), node.getEnd());
    if (ts.isImportSpecifier(node) && node.isTypeOnly) {
      // With the comma before it after a value import, else the one after it (a list left empty is the printer's, see the splice).
      const list = node.parent.elements;
      const at = list.indexOf(node);
      if (list.slice(0, at).some((element) => !element.isTypeOnly)) return blank(list[at - 1]!.getEnd(), node.getEnd());
      const next = list[at + 1];
      return blank(node.getStart(sourceFile), next ? next.getStart(sourceFile) : node.getEnd());
    }
    if (ts.isExportSpecifier(node) && node.isTypeOnly) return void (erasable = false);
    if (
      ts.isEnumDeclaration(node) ||
      ts.isModuleDeclaration(node) ||
      ts.isImportEqualsDeclaration(node) ||
      ts.isTypeAssertionExpression(node) ||
      (ts.isExportAssignment(node) && node.isExportEquals) ||
      ts.isIndexSignatureDeclaration(node) ||
      (ts.isParameter(node) && (modifiers(node).length > 0 || (ts.isIdentifier(node.name) && node.name.text === 'this')))
    )
      return void (erasable = false);
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node)) && node.body === undefined) return void (erasable = false);
    if (ts.isClassElement(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      for (const modifier of modifiers(node)) {
        if (
          modifier.kind === k.PublicKeyword ||
          modifier.kind === k.PrivateKeyword ||
          modifier.kind === k.ProtectedKeyword ||
          modifier.kind === k.ReadonlyKeyword ||
          modifier.kind === k.OverrideKeyword
        )
          blank(modifier.getStart(sourceFile), modifier.getEnd());
        else if (modifier.kind !== k.ExportKeyword && modifier.kind !== k.DefaultKeyword && modifier.kind !== k.StaticKeyword && modifier.kind !== k.AsyncKeyword) return void (erasable = false);
      }
    }
    if (ts.isHeritageClause(node) && node.token === k.ImplementsKeyword) return blank(node.getStart(sourceFile), node.getEnd());
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) {
      blank(node.expression.getEnd(), node.getEnd());
      return visit(node.expression);
    }
    const any = node as TS.Node & { type?: TS.TypeNode; typeParameters?: TS.NodeArray<TS.Node>; typeArguments?: TS.NodeArray<TS.Node>; questionToken?: TS.Node; exclamationToken?: TS.Node };
    if (any.typeParameters && !blankAngles(node)) return void (erasable = false);
    if (any.typeArguments && !blankAngles(node)) return void (erasable = false);
    if ((ts.isParameter(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && any.questionToken) blank(any.questionToken.getStart(sourceFile), any.questionToken.getEnd());
    if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && any.exclamationToken) blank(any.exclamationToken.getStart(sourceFile), any.exclamationToken.getEnd());
    if (any.type) {
      let after: number | undefined;
      if (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) after = (any.exclamationToken ?? any.questionToken ?? node.name).getEnd();
      else if (ts.isFunctionLike(node)) after = child(node, k.CloseParenToken)?.getEnd();
      if (after === undefined || !blankAnnotation(after, any.type)) return void (erasable = false);
    }
    ts.forEachChild(node, (next) => {
      if (next === any.type || (next.kind >= k.FirstTypeNode && next.kind <= k.LastTypeNode)) return;
      if (any.typeParameters?.includes(next as TS.TypeParameterDeclaration) || any.typeArguments?.includes(next as TS.TypeNode)) return;
      if (blanked.some(([start, end]) => next.getStart(sourceFile) >= start && next.getEnd() <= end)) return;
      visit(next);
    });
  };
  ts.forEachChild(sourceFile, visit);
  if (!erasable || blanked.length === 0) return undefined;
  const erased = chars.join('');
  const parsed = ts.createSourceFile(sourceFile.fileName, erased, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  return shape(ts, parsed, erased, []) === shape(ts, sourceFile, erased, blanked) ? { text: erased, sourceFile: parsed } : undefined;
}

/**
 * Every value node of a tree with its start in the erased text (past what was blanked before it: a modifier, type
 * parameters) and its depth, leaving out types, what was blanked and the expressions that only carried a type.
 */
function shape(ts: typeof TS, sourceFile: TS.SourceFile, erased: string, blanked: ReadonlyArray<[number, number]>): string {
  const skipTrivia = (ts as unknown as { skipTrivia(text: string, pos: number): number }).skipTrivia;
  const k = ts.SyntaxKind;
  const parts: string[] = [];
  const walk = (node: TS.Node, depth: number): void => {
    if (node.kind >= k.FirstTypeNode && node.kind <= k.LastTypeNode) return;
    const start = node.getStart(sourceFile);
    if (blanked.some(([from, to]) => start >= from && node.getEnd() <= to && node.getEnd() > from)) return;
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node)) return walk(node.expression, depth);
    if (ts.isTypeParameterDeclaration(node)) return;
    parts.push(`${node.kind}@${skipTrivia(erased, start)}/${depth}`);
    ts.forEachChild(node, (next) => walk(next, depth + 1));
  };
  ts.forEachChild(sourceFile, (node) => walk(node, 0));
  return parts.join(' ');
}
