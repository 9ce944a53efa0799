import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { isSameParse, spliceDefinition } from '../../src/load/splice.js';
import { printedDefinition, type TransformOptions } from '../../src/load/transform.js';
import { typecheck } from '../../src/load/typecheck.js';
import { REPO_ROOT } from '../helpers/project.js';

// @ts-expect-error the bench's generator is plain JavaScript
const { generateTree } = (await import('../../bench/generate.js')) as { generateTree: (dir: string, shape: Record<string, number>) => void };

const work = mkdtempSync(path.join(tmpdir(), 'moncode-splice-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function optionsFor(file: string): TransformOptions {
  return { file, runtimeUrl: 'file:///moncode/model/source-location.js', rewriteSpecifier: (specifier) => (specifier.startsWith('.') ? `${specifier}.mjs` : `pkg:${specifier}`) };
}

const printer = ts.createPrinter({ removeComments: true });
/** A module as TypeScript prints it once parsed: formatting, quotes of made-up literals and comments aside, the program. */
function program(js: string): string {
  return printer.printFile(ts.createSourceFile('module.mjs', js.replace(/\/\/# sourceMappingURL=.*/, ''), ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

const dir = '/project/definitions/svc';

describe('spliced transform', () => {
  it("is the printed transform's program for every file it takes: the repo's definitions and examples, the bench's tree", () => {
    generateTree(path.join(work, 'tree'), { systems: 2, dashboardsPerSystem: 2, panels: 10, groupsPerSystem: 2, rules: 8 });
    const files = [...tsFiles(path.join(REPO_ROOT, 'definitions')), ...tsFiles(path.join(REPO_ROOT, 'examples')), ...tsFiles(path.join(work, 'tree'))];
    let spliced = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = spliceDefinition(text, file, optionsFor(file));
      if (fast === undefined) continue;
      spliced++;
      expect(program(fast), file).toBe(program(printedDefinition(text, file, optionsFor(file))));
    }
    // Every file of the bench's tree, and the repo's plain ones.
    expect(spliced).toBeGreaterThan(tsFiles(path.join(work, 'tree')).length + 20);
  });

  it("is the same made from the type-check's trees as from a parse of its own (the build transpiles from the program's trees)", () => {
    const tree = path.join(work, 'checked');
    generateTree(tree, { systems: 2, dashboardsPerSystem: 2, panels: 10, groupsPerSystem: 2, rules: 8 });
    const roots = [...tsFiles(path.join(tree, 'definitions')), ...tsFiles(path.join(REPO_ROOT, 'definitions'))];
    let trees: ReadonlyMap<string, ts.SourceFile> | undefined;
    mkdirSync(path.join(work, 'checked-cache'));
    const checked = typecheck(roots, path.join(tree, 'definitions'), path.join(work, 'checked-cache'), (parsed) => (trees = parsed));
    expect(checked.diagnostics).toEqual([]);
    expect([...trees!.keys()]).toEqual(expect.arrayContaining(roots));
    let spliced = 0;
    for (const file of roots) {
      const text = readFileSync(file, 'utf8');
      const own = spliceDefinition(text, file, optionsFor(file));
      expect(isSameParse(trees!.get(file)!, text), file).toBe(true);
      expect(spliceDefinition(text, file, optionsFor(file), trees!.get(file)), file).toBe(own);
      if (own !== undefined) spliced++;
    }
    expect(spliced).toBeGreaterThan(tsFiles(path.join(tree, 'definitions')).length + 20);
    // A tree parsed for another language version, or for another text, is not taken: the file is parsed again.
    const [first] = roots as [string];
    const text = readFileSync(first, 'utf8');
    const other = ts.createSourceFile(first, text, ts.ScriptTarget.ES2017, true, ts.ScriptKind.TS);
    expect(isSameParse(other, text)).toBe(false);
    expect(spliceDefinition(text, first, optionsFor(first), other)).toBe(spliceDefinition(text, first, optionsFor(first)));
    const stale = ts.createSourceFile(first, `${text}\nexport const later = { x: 1 };\n`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    expect(isSameParse(stale, text)).toBe(false);
    expect(spliceDefinition(text, first, optionsFor(first), stale)).toBe(spliceDefinition(text, first, optionsFor(first)));
  });

  const taken: Array<[string, string]> = [
    [
      'spreads, nested helpers, namespace imports',
      `import * as mc from 'moncode';\nimport { row, stat } from 'moncode';\nconst base = { unit: 'short' };\nexport default mc.dashboard({ title: 'x', rows: [row('r', [stat({ ...base, title: 'a' }), { ...mc.stat({ title: 'b' }) }])] });\n`,
    ],
    [
      'a helper imported from another definitions file',
      `import { panel } from './shared';\nimport * as lib from '../lib/index';\nexport const a = [panel({ n: 1 }), lib.more(2), (() => ({ f: 1 }))()];\n`,
    ],
    [
      'patterns, classes, templates, regular expressions, labels, import() and import.meta',
      `import { alertRule } from 'moncode';\nlet a, b;\n({ a, b } = { a: 1, b: { c: 2 } });\nfor ({ a } of [{ a: 3 }]) {}\nclass K { static n = { k: 1 }; #p = {}; m() { return { t: \`\${a}/\${/x}y/.source}\` }; } }\nouter: for (const x of [1]) { break outer; }\nconst later = await import('./later', { with: { type: 'json' } });\nexport const r = alertRule({ alert: 'A', expr: 'up == 0', labels: { at: import.meta.url, later, k: new K().m() } });\n`,
    ],
  ];
  for (const [name, text] of taken) {
    it(`is the printed transform's program: ${name}`, () => {
      const file = `${dir}/case.ts`;
      const fast = spliceDefinition(text, file, optionsFor(file));
      expect(fast).toBeDefined();
      expect(program(fast!)).toBe(program(printedDefinition(text, file, optionsFor(file))));
    });
  }

  // Typed files: their types erased in place (erase.ts), then spliced.
  const erased: Array<[string, string]> = [
    ['a type annotation', `export const a: number = 1;\n`],
    ['a cast', `export const a = { b: 1 } as const;\n`],
    ['satisfies', `export const a = { b: 1 } satisfies object;\n`],
    ['a non-null assertion', `export const a = [1].find(Boolean)!;\n`],
    ['a generic call', `export const a = new Map<string, number>();\n`],
    ['an interface and a type alias', `interface I { a: number }\nexport type T = I | undefined;\nexport const a = 1;\n`],
    ['an optional parameter', `export function f(a?) { return a; }\n`],
    ['a type-only import', `import type { Dashboard } from 'moncode';\nexport const a = 1;\n`],
    [
      'type-only specifiers first, between and last',
      `import { type Panel, stat, type Row, dashboard, type Dashboard } from 'moncode';\nexport const d: Dashboard = dashboard({ title: 'x', panels: [stat({ title: 'y' }) as Panel] });\nexport type R = Row;\n`,
    ],
    [
      'classes: generics, implements, member modifiers, definite fields, return types',
      `import { stat } from 'moncode';\ninterface Named { name: string }\nexport class Box<T extends object = {}> implements Named {\n  public readonly name: string = 'b';\n  private count!: number;\n  static made?: number;\n  protected make<U>(value: U, extra?: T): { value: U } {\n    return { value };\n  }\n  override toString(): string { return this.name; }\n}\nexport const made = <V,>(v: V): V => v;\nexport const panel = stat({ title: made<string>('t') });\n`,
    ],
    [
      'a module augmentation and declared values',
      `import { stat } from 'moncode';\ndeclare module 'moncode' {\n  interface Datasources { P: true }\n}\ndeclare const injected: string;\nexport const s = stat({ title: 'x' });\n`,
    ],
    ['an arrow function over lines with a return type', `export const f = (\n  a: number,\n  b: string,\n): { a: number; b: string } => ({\n  a,\n  b,\n});\n`],
  ];
  for (const [name, text] of erased) {
    it(`is the printed transform's program, its types erased: ${name}`, () => {
      const file = `${dir}/case.ts`;
      const fast = spliceDefinition(text, file, optionsFor(file));
      expect(fast).toBeDefined();
      expect(fast!.split('\n').length).toBe(text.split('\n').length);
      expect(program(fast!)).toBe(program(printedDefinition(text, file, optionsFor(file))));
    });
  }

  const left: Array<[string, string]> = [
    ['an enum', `export enum E { A }\n`],
    ['a namespace', `export namespace N { export const a = 1; }\n`],
    ['a parameter property', `export class K { constructor(private v = 1) {} }\n`],
    ['an angle-bracket cast', `export const a = <number>(1 as unknown);\n`],
    ['an overload', `export function f(a: string): string;\nexport function f(a: unknown) { return a; }\n`],
    ['a declared class field', `export class K { declare a: number; }\n`],
    ['a decorator', `const d = (c: unknown) => c;\n@d export class K {}\n`],
    // Erased, the next line would call the value: `f\n(1)` is `f(1)` in JavaScript.
    ['a cast ending before a line that would continue the expression', `const f = (x: number) => x;\nexport const a = f as typeof f\n(1);\n`],
    ['an import only a type uses', `import { Dashboard, dashboard } from 'moncode';\nexport default dashboard({ title: 'x' });\n`],
    ['an import nothing uses', `import { stat } from 'moncode';\nexport const a = 1;\n`],
    ['an import whose name is declared again', `import { stat } from 'moncode';\nexport const f = (stat) => stat;\nexport const s = stat({ title: 'x' });\n`],
    ['only type-only specifiers', `import { type Dashboard } from 'moncode';\nexport const a = 1;\n`],
    ['only types', `export interface I { a: number }\n`],
    ['a re-export', `export { a } from './a';\n`],
    ['a using declaration', `using r = null;\nexport const a = 1;\n`],
    ['a syntax error', `export const a = { b: ;\n`],
    ['a script (no import or export)', `const a = { b: 1 };\n`],
    ['CRLF line ends', `export const a = 1;\r\nexport const b = 2;\r\n`],
    ['a hashbang', `#!/usr/bin/env node\nexport const a = 1;\n`],
  ];
  for (const [name, text] of left) {
    it(`leaves to TypeScript's printer: ${name}`, () => {
      expect(spliceDefinition(text, `${dir}/case.ts`, optionsFor(`${dir}/case.ts`))).toBeUndefined();
    });
  }

  const throwing: Array<[string, string, string[]]> = [
    [
      'plain',
      `import { stat } from 'moncode';\nconst made = [stat({ title: 'a' }), { b: { c: 1 } }];\nexport const x = made.map((m) => ({ ...m, d: { e: 2 } }));\n   export const y = { z: [1, 2].map((n) => { if (n > 1) { throw new Error('boom ' + JSON.stringify({ n })); } return { n }; }) };\n`,
      ['4', '65'],
    ],
    [
      'typed (its types erased)',
      `import { stat, type StatPanel } from 'moncode';\nconst made: StatPanel[] = [stat({ title: 'a' })];\nexport const x = made.map((m) => ({ ...m, d: { e: 2 } as const }));\n   export const y = { z: [1, 2].map((n: number): { n: number } => { if (n! > 1) { throw new Error('boom ' + JSON.stringify({ n })); } return { n }; }) };\n`,
      ['4', '89'],
    ],
  ];
  it.each(throwing)('keeps every line, and a thrown error points where the printed module points (line and column through the source map): %s', async (name, text, expected) => {
    const runtime = pathToFileURL(path.join(REPO_ROOT, 'dist', 'model', 'source-location.js')).href;
    const file = path.join(work, `throws-${name.split(' ')[0]}.ts`);
    writeFileSync(file, text);
    const stackOf = async (js: string, name: string): Promise<string> => {
      const out = path.join(work, name);
      writeFileSync(out, js);
      process.setSourceMapsEnabled(true);
      try {
        await import(pathToFileURL(out).href);
      } catch (error) {
        return (error as Error).stack ?? '';
      }
      return 'did not throw';
    };
    const options = { file, runtimeUrl: runtime, rewriteSpecifier: (specifier: string) => (specifier === 'moncode' ? pathToFileURL(path.join(REPO_ROOT, 'dist', 'index.js')).href : specifier) };
    const fast = spliceDefinition(text, file, options)!;
    expect(fast.split('\n').length).toBe(text.split('\n').length);
    const at = (stack: string) => /throws-\w+\.ts:(\d+):(\d+)/.exec(stack)?.slice(1);
    const spliced = at(await stackOf(fast, `spliced-${name.split(' ')[0]}.mjs`));
    expect(spliced).toEqual(expected);
    expect(spliced).toEqual(at(await stackOf(printedDefinition(text, file, options), `printed-${name.split(' ')[0]}.mjs`)));
  });
});
