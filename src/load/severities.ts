import { readFileSync } from 'node:fs';
import { INVALID, type Diagnostic } from '../model/diagnostic.js';
import { BUILT_IN_SEVERITIES } from '../model/severity.js';
import { typescript, type TS } from '../source/typescript.js';

/**
 * The severities of a project: moncode's own and those its sources add by augmenting
 * `Severities` (`declare module 'moncode' { interface Severities { page: true } }`).
 *
 * The augmentation is the one place a severity is declared: the type checker reads it for
 * the `Severity` type, and this reads the same declaration from the same files (the roots of
 * the type-check: definitions and mon.config.ts) for lint, which judges label values on the
 * evaluated model where no type survives. Read from the text rather than from the checker, so
 * a cached type-check, the editor (whose type-check is tsserver's) and mon-lint of YAML files
 * get it too. A member whose name the source does not spell out is an error, never a guess.
 */
export function declaredSeverities(files: readonly string[], overlay: Readonly<Record<string, string>> = {}): { severities: string[]; diagnostics: Diagnostic[] } {
  const severities: string[] = [...BUILT_IN_SEVERITIES];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = overlay[file] ?? readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // Most files never mention it: they cost a substring search, not a parse.
    if (!text.includes('Severities')) continue;
    for (const name of augmentedNames(file, text, diagnostics)) if (!severities.includes(name)) severities.push(name);
  }
  return { severities, diagnostics };
}

function augmentedNames(file: string, text: string, diagnostics: Diagnostic[]): string[] {
  const ts = typescript();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names: string[] = [];
  const refuse = (node: TS.Node, message: string) => diagnostics.push({ rule: INVALID, severity: 'error', message, where: { file, start: node.getStart(source), end: node.getEnd() } });
  for (const statement of source.statements) {
    if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name) || statement.name.text !== 'moncode') continue;
    if (!statement.body || !ts.isModuleBlock(statement.body)) continue;
    for (const declaration of statement.body.statements) {
      if (!ts.isInterfaceDeclaration(declaration) || declaration.name.text !== 'Severities') continue;
      for (const clause of declaration.heritageClauses ?? []) {
        refuse(clause, 'moncode reads the severities `Severities` declares from its members: list each as `name: true` instead of extending another type');
      }
      for (const member of declaration.members) {
        const name = member.name;
        if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))) names.push(name.text);
        else refuse(member, 'moncode reads the severities `Severities` declares from its members: write this one as `name: true` with the name spelled out');
      }
    }
  }
  return names;
}
