import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescript } from '../../src/source/typescript.js';
import { REPO_ROOT } from '../helpers/project.js';

const GUIDES = ['docs/authoring.md', 'docs/slos.md', 'docs/linting.md'];

/** Runtime exports of `moncode`, for snippets that leave out their imports. */
function runtimeExports(): string[] {
  const index = readFileSync(path.join(REPO_ROOT, 'src/index.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of index.matchAll(/^export \{([^}]*)\} from/gm)) {
    for (const part of match[1]!.split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()!;
      if (name && !name.startsWith('type ')) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * A guide's TypeScript blocks as modules: fragments get moncode's helpers and a
 * `metrics` datasource in scope; `…` placeholders become the smallest valid value.
 */
function snippetFiles(): Map<string, string> {
  const prelude = `import { ${runtimeExports().join(', ')} } from 'moncode';\nconst metrics = datasource({ name: 'Prometheus', type: 'prometheus', url: 'http://prometheus:9090' });\n`;
  const files = new Map<string, string>();
  for (const guide of GUIDES) {
    const text = readFileSync(path.join(REPO_ROOT, guide), 'utf8');
    let index = 0;
    for (const match of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      const line = text.slice(0, match.index).split('\n').length + 1;
      const code = match[1]!.replace(/\{…\}/g, "{ title: 'x' }").replace(/\[ … \]/g, '[]');
      const standalone = /^import .* from 'moncode';$/m.test(code) || /^declare module/m.test(code);
      files.set(`/snippets/${path.basename(guide, '.md')}-${++index}-line-${line}.ts`, standalone ? code : `${prelude}export {};\n${code}`);
    }
  }
  return files;
}

describe('guides', () => {
  it('every TypeScript example type-checks against the current API', () => {
    const ts = typescript();
    const files = snippetFiles();
    expect(files.size).toBeGreaterThan(10);
    const options: import('typescript').CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      baseUrl: REPO_ROOT,
      paths: { moncode: ['src/index.ts'] },
      types: ['node'],
    };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => files.get(file) ?? readFile(file);
    host.fileExists = (file) => files.has(file) || fileExists(file);
    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    expect(problems).toEqual([]);
  });
});
