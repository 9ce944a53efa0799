import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { transpileDefinition, transpileDefinitions, type TransformOptions, type TranspileInput } from '../../src/load/transform.js';
import { REPO_ROOT } from '../helpers/project.js';

/** The options ModuleRunner gives, with specifiers rewritten to something visible. */
function optionsFor(file: string): TransformOptions {
  return { file, runtimeUrl: 'file:///moncode/model/source-location.js', rewriteSpecifier: (specifier) => (specifier.startsWith('.') ? `${specifier}.mjs` : `pkg:${specifier}`) };
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function inputsOf(files: Record<string, string>): TranspileInput[] {
  return Object.entries(files).map(([fileName, text]) => ({ fileName, text, options: optionsFor(fileName) }));
}

/** Each file as the per-file transpile (ts.transpileModule) makes it: the oracle the batch must equal. */
function oneByOne(inputs: readonly TranspileInput[]): Map<string, string> {
  return new Map(inputs.map((input) => [input.fileName, transpileDefinition(input.text, input.fileName, input.options)]));
}

describe('batched transpile', () => {
  it("equals transpileModule's output byte for byte over the repo's definitions and examples", () => {
    const files = [...tsFiles(path.join(REPO_ROOT, 'definitions')), ...tsFiles(path.join(REPO_ROOT, 'examples'))];
    expect(files.length).toBeGreaterThan(30);
    const inputs = files.map((fileName) => ({ fileName, text: readFileSync(fileName, 'utf8'), options: optionsFor(fileName) }));
    const batch = transpileDefinitions(inputs);
    const single = oneByOne(inputs);
    expect([...batch.keys()].sort()).toEqual(files);
    for (const file of files) expect(batch.get(file), file).toBe(single.get(file));
    // The location transform ran: object literals are wrapped.
    expect(batch.get(files.find((file) => file.endsWith('alerts.ts'))!)).toContain('__mcLoc(');
  });

  const dir = '/project/definitions/svc';
  const cases: Array<{ name: string; files: Record<string, string> }> = [
    {
      name: 'type-only imports, an import used only as a type, enums, namespaces, re-exports',
      files: {
        [`${dir}/a.ts`]: `import type { Dashboard } from 'moncode';\nimport { alertRule, Severity } from 'moncode';\nimport { helper } from './b';\nexport enum Level { Low = 1, High }\nexport namespace N { export const x = 1; }\nexport const s: Severity = 'info';\nexport { helper };\nexport type { Dashboard };\nexport const made = alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: s } });\n`,
        [`${dir}/b.ts`]: `export * from './c';\nexport { default as d } from './d';\nexport function helper(x: number): { x: number } { return { x }; }\nconst later = await import('./e');\nexport default later;\n`,
      },
    },
    {
      name: 'a script file (no import or export) next to modules',
      files: {
        [`${dir}/script.ts`]: `const local = { a: 1 } as const;\nconsole.log(local);\n`,
        [`${dir}/mod.ts`]: `import { local } from './script';\nexport const copy = { ...local, b: 2 };\n`,
      },
    },
    {
      name: 'a file with syntax errors beside a good one',
      files: {
        [`${dir}/broken.ts`]: `export const x = { a: ;\nexport function (\n`,
        [`${dir}/good.ts`]: `export const y = [{ a: 1 }, { b: 2 }];\n`,
      },
    },
    {
      name: 'decorators, classes with parameter properties, satisfies, non-null and generics',
      files: {
        [`${dir}/class.ts`]: `export class K<T> { constructor(private readonly v: T, public w?: number) {} get(): T { return this.v!; } }\nexport const cfg = { a: 1 } satisfies Record<string, number>;\nexport const f = <T,>(x: T) => ({ x });\n`,
        [`${dir}/other.ts`]: `import { K } from './class';\nexport const k = new K<string>('a');\n`,
      },
    },
    {
      name: 'files of two folders (each keeps its own sourceRoot)',
      files: {
        [`${dir}/one.ts`]: `export const a = { one: 1 };\n`,
        [`${dir}/two.ts`]: `export const b = { two: 2 };\n`,
        ['/project/definitions/other/three.ts']: `export const c = { three: 3 };\n`,
        ['/project/definitions/other/four.ts']: `export const d = { four: 4 };\n`,
      },
    },
  ];
  for (const { name, files } of cases) {
    it(`equals transpileModule's output: ${name}`, () => {
      const inputs = inputsOf(files);
      const batch = transpileDefinitions(inputs);
      const single = oneByOne(inputs);
      for (const file of Object.keys(files)) expect(batch.get(file), file).toBe(single.get(file));
    });
  }

  it('records the imports each file rewrites, as the per-file transpile does', () => {
    const seen: Record<string, string[]> = {};
    const inputs = inputsOf({
      [`${dir}/x.ts`]: `import { y } from './y';\nexport const x = { y };\n`,
      [`${dir}/y.ts`]: `import { alertRule } from 'moncode';\nexport * from './z';\nexport const y = 1;\n`,
    }).map((input) => ({
      ...input,
      options: { ...input.options, rewriteSpecifier: (specifier: string) => ((seen[input.fileName] ??= []).push(specifier), specifier) },
    }));
    transpileDefinitions(inputs);
    expect(seen).toEqual({ [`${dir}/x.ts`]: ['./y'], [`${dir}/y.ts`]: ['moncode', './z'] });
  });
});
