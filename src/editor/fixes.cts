import type * as TS from 'typescript/lib/tsserverlibrary';

/** A moncode problem at its place in the file's current text. */
export interface PlacedProblem {
  rule: string;
  message: string;
  subject?: string;
  start: number;
  end: number;
  /** A lint rule (it has a page): it can be suppressed. */
  suppressible: boolean;
}

/** The helper that builds each panel type a deprecated panel becomes (dashboard/deprecated-panel's replacements). */
const PANEL_HELPERS: Record<string, string> = {
  timeseries: 'timeseries',
  stat: 'stat',
  table: 'table',
  piechart: 'piechart',
  geomap: 'geomap',
  'state-timeline': 'stateTimeline',
  heatmap: 'heatmap',
  text: 'text',
};

/**
 * The code fixes of one problem where the fix is mechanical: a runbook placeholder for
 * runbook/missing, the successor of a deprecated plugin panel, and a suppression (with
 * its reason left for the user to write: an empty one is reported until it is).
 */
export function fixesFor(ts: typeof TS, source: TS.SourceFile, checker: TS.TypeChecker, problem: PlacedProblem): TS.CodeFixAction[] {
  const fixes: TS.CodeFixAction[] = [];
  const fix = (fixName: string, description: string, textChanges: TS.TextChange[]) => fixes.push({ fixName, description, changes: [{ fileName: source.fileName, textChanges }] });
  const at = innermost(ts, source, problem.start);

  if (problem.rule === 'runbook/missing') {
    const key = /add `([^`]+)`/.exec(problem.message)?.[1] ?? 'runbook_url';
    const page = `docs/runbooks/${kebab(problem.subject ?? 'alert')}.md`;
    const property = at && ancestor(ts, at, (n): n is TS.PropertyAssignment => ts.isPropertyAssignment(n) && n.getStart(source) === problem.start);
    const add = `${key}: ${quote(source, page)}`;
    if (property && propertyName(ts, property) === key && ts.isStringLiteralLike(property.initializer)) {
      fix('moncode-runbook', `Link the runbook page ${page}`, [{ span: spanOf(source, property.initializer), newText: quote(source, page) }]);
    } else if (property && propertyName(ts, property) === 'annotations' && ts.isObjectLiteralExpression(property.initializer)) {
      fix('moncode-runbook', `Add ${key}: '${page}'`, [insertProperty(ts, source, property.initializer, add)]);
    } else if (!property) {
      // The alert itself: its object literal is the first one written in the span.
      const alert = firstObjectIn(ts, source, problem.start, problem.end);
      const annotations = alert && propertyNamed(ts, alert, 'annotations');
      if (alert && propertyNamed(ts, alert, 'alert') && !annotations) fix('moncode-runbook', `Add ${key}: '${page}'`, [insertProperty(ts, source, alert, `annotations: { ${add} }`)]);
    }
  }

  if (problem.rule === 'dashboard/deprecated-panel') {
    const replacement = /use `([\w-]+)`$/.exec(problem.message)?.[1];
    const helper = replacement && PANEL_HELPERS[replacement];
    const property = at && ancestor(ts, at, (n): n is TS.PropertyAssignment => ts.isPropertyAssignment(n) && propertyName(ts, n) === 'type');
    const object = property?.parent;
    const call = object && ts.isObjectLiteralExpression(object) && ts.isCallExpression(object.parent) ? object.parent : undefined;
    if (helper && property && call && ts.isIdentifier(call.expression) && call.expression.text === 'pluginPanel') {
      const callee = {
        span: { start: call.expression.getStart(source), length: (call.typeArguments ? call.typeArguments.end + 1 : call.expression.end) - call.expression.getStart(source) },
        newText: helper,
      };
      fix('moncode-panel', `Use the ${replacement} panel (${helper}())`, [callee, removeProperty(source, object as TS.ObjectLiteralExpression, property), ...importOf(ts, source, helper)]);
    }
  }

  if (problem.suppressible && at) {
    const owner = ancestor(ts, at, (n): n is TS.ObjectLiteralExpression => ts.isObjectLiteralExpression(n) && acceptsLint(checker, n));
    if (owner) {
      const existing = propertyNamed(ts, owner, 'lint');
      const disable = existing && ts.isObjectLiteralExpression(existing.initializer) ? propertyNamed(ts, existing.initializer, 'disable') : undefined;
      const rule = quote(source, problem.rule);
      if (disable && ts.isArrayLiteralExpression(disable.initializer)) {
        const list = disable.initializer;
        fix('moncode-suppress', `Suppress ${problem.rule} here (with a reason)`, [{ span: { start: list.elements.end, length: 0 }, newText: list.elements.length ? `, ${rule}` : rule }]);
      } else if (!existing) {
        fix('moncode-suppress', `Suppress ${problem.rule} here (with a reason)`, [insertProperty(ts, source, owner, `lint: { disable: [${rule}], reason: ${quote(source, '')} }`)]);
      }
    }
  }
  return fixes;
}

/** Whether the object literal is written where moncode takes a `lint` suppression (its contextual type has `lint`). */
function acceptsLint(checker: TS.TypeChecker, node: TS.ObjectLiteralExpression): boolean {
  const type = checker.getContextualType(node);
  if (!type) return false;
  const types = type.isUnion() ? type.types : [type];
  return types.some((t) => checker.getPropertyOfType(checker.getApparentType(t), 'lint') !== undefined);
}

function firstObjectIn(ts: typeof TS, source: TS.SourceFile, start: number, end: number): TS.ObjectLiteralExpression | undefined {
  let found: TS.ObjectLiteralExpression | undefined;
  const visit = (node: TS.Node): void => {
    if (found || node.getEnd() <= start || node.getStart(source) >= end) return;
    if (ts.isObjectLiteralExpression(node) && node.getStart(source) >= start) {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

function innermost(ts: typeof TS, source: TS.SourceFile, position: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (node: TS.Node): void => {
    if (position < node.getStart(source) || position >= node.getEnd()) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(source, visit);
  return found;
}

function ancestor<T extends TS.Node>(ts: typeof TS, node: TS.Node, test: (node: TS.Node) => node is T): T | undefined {
  for (let current: TS.Node | undefined = node; current && !ts.isSourceFile(current); current = current.parent) if (test(current)) return current;
  return undefined;
}

function propertyName(ts: typeof TS, property: TS.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  return name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
}

function propertyNamed(ts: typeof TS, object: TS.ObjectLiteralExpression, name: string): TS.PropertyAssignment | undefined {
  return object.properties.find((p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(ts, p) === name);
}

function spanOf(source: TS.SourceFile, node: TS.Node): TS.TextSpan {
  return { start: node.getStart(source), length: node.getEnd() - node.getStart(source) };
}

/** A property added first in an object literal, on a line of its own when the object spans lines. */
function insertProperty(ts: typeof TS, source: TS.SourceFile, object: TS.ObjectLiteralExpression, text: string): TS.TextChange {
  const open = object.getStart(source) + 1;
  const first = object.properties[0];
  if (!first) return { span: { start: open, length: 0 }, newText: ` ${text} ` };
  const line = (position: number) => ts.getLineAndCharacterOfPosition(source, position).line;
  if (line(first.getStart(source)) === line(object.getStart(source))) return { span: { start: open, length: 0 }, newText: ` ${text},` };
  const lineStart = source.getLineStarts()[line(first.getStart(source))]!;
  const indent = source.text.slice(lineStart, first.getStart(source));
  return { span: { start: open, length: 0 }, newText: `\n${indent}${text},` };
}

/** Deletes a property with its comma (and its line, when it has one of its own). */
function removeProperty(source: TS.SourceFile, object: TS.ObjectLiteralExpression, property: TS.ObjectLiteralElementLike): TS.TextChange {
  const index = object.properties.indexOf(property);
  const next = object.properties[index + 1];
  const start = property.getFullStart();
  const end = next ? next.getFullStart() : object.properties.hasTrailingComma ? source.text.indexOf(',', property.getEnd()) + 1 : property.getEnd();
  // With no next property, the comma before this one goes instead.
  if (!next && index > 0) {
    const previous = object.properties[index - 1]!;
    return { span: { start: previous.getEnd(), length: end - previous.getEnd() }, newText: '' };
  }
  return { span: { start, length: end - start }, newText: '' };
}

/** `name` added to the file's `import { … } from 'moncode'` (or a new one), unless it is imported. */
function importOf(ts: typeof TS, source: TS.SourceFile, name: string): TS.TextChange[] {
  const declaration = source.statements.find(
    (s): s is TS.ImportDeclaration => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === 'moncode' && !s.importClause?.isTypeOnly,
  );
  const named = declaration?.importClause?.namedBindings;
  if (named && ts.isNamedImports(named)) {
    if (named.elements.some((e) => e.name.text === name)) return [];
    const last = named.elements[named.elements.length - 1];
    return [{ span: { start: last ? last.getEnd() : named.getStart(source) + 1, length: 0 }, newText: last ? `, ${name}` : ` ${name} ` }];
  }
  return [{ span: { start: 0, length: 0 }, newText: `import { ${name} } from ${quote(source, 'moncode')};\n` }];
}

/** A string literal in the file's quote style. */
function quote(source: TS.SourceFile, text: string): string {
  const single = (source.text.match(/'/g)?.length ?? 0) >= (source.text.match(/"/g)?.length ?? 0);
  return single ? `'${text.replace(/['\\]/g, '\\$&')}'` : JSON.stringify(text);
}

function kebab(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'alert'
  );
}
