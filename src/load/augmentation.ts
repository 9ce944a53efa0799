import { readFileSync } from 'node:fs';
import { INVALID, type Diagnostic } from '../model/diagnostic.js';
import { typescript, type TS } from '../source/typescript.js';

/** A member of an interface the project augments in `declare module 'moncode'`, where its name is written. */
export interface AugmentedMember {
  name: string;
  file: string;
  start: number;
  end: number;
}

/**
 * The members the project's files add to one of moncode's interfaces by module augmentation
 * (`declare module 'moncode' { interface Severities { page: true } }`), read from the text of the
 * roots of the type-check (definitions and mon.config.ts) rather than from the checker: a cached
 * type-check, the editor (whose type-check is tsserver's) and mon-lint of YAML files get them too.
 * A member whose name the source does not spell out, or an `extends` clause, is an error at it,
 * never a guess. `what` names the members in that message (`the severities`).
 */
export function augmentedMembers(
  interfaceName: string,
  what: string,
  files: readonly string[],
  overlay: Readonly<Record<string, string>> = {},
): { members: AugmentedMember[]; diagnostics: Diagnostic[] } {
  const members: AugmentedMember[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = overlay[file] ?? readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // Most files never mention it: they cost a substring search, not a parse.
    if (!text.includes(interfaceName)) continue;
    read(interfaceName, what, file, text, members, diagnostics);
  }
  return { members, diagnostics };
}

function read(interfaceName: string, what: string, file: string, text: string, members: AugmentedMember[], diagnostics: Diagnostic[]): void {
  const ts = typescript();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const refuse = (node: TS.Node, message: string) => diagnostics.push({ rule: INVALID, severity: 'error', message, where: { file, start: node.getStart(source), end: node.getEnd() } });
  for (const statement of source.statements) {
    if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name) || statement.name.text !== 'moncode') continue;
    if (!statement.body || !ts.isModuleBlock(statement.body)) continue;
    for (const declaration of statement.body.statements) {
      if (!ts.isInterfaceDeclaration(declaration) || declaration.name.text !== interfaceName) continue;
      for (const clause of declaration.heritageClauses ?? []) {
        refuse(clause, `moncode reads ${what} \`${interfaceName}\` declares from its members: list each as \`name: true\` instead of extending another type`);
      }
      for (const member of declaration.members) {
        const name = member.name;
        if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name))) members.push({ name: name.text, file, start: name.getStart(source), end: name.getEnd() });
        else refuse(member, `moncode reads ${what} \`${interfaceName}\` declares from its members: write this one as \`name: true\` with the name spelled out`);
      }
    }
  }
}
