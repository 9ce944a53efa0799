// Lists exports of src/**/*.ts that no file imports (src, test, bench, scripts, bin) and src/index.ts does
// not expose; exits 1 when there are any. `npm run dead-exports`.
// Exports reached by name at run time, not by an import: the helpers the location transform injects into
// definitions modules, the CLIs' entry points (bin/ imports them dynamically), the module resolve hook, and a
// diagnostic id test/registry.test.ts finds by its `export const` line.
const RUNTIME_ENTRY_POINTS = new Set([
  'src/model/source-location.ts:__mcLoc',
  'src/model/source-location.ts:__mcCall',
  'src/model/source-location.ts:__mcSeq',
  'src/model/source-location.ts:__mcVia',
  'src/model/source-location.ts:__mcMade',
  'src/model/source-location.ts:__mcSpread',
  'src/model/source-location.ts:__mcRan',
  'src/cli/mon-build.ts:main',
  'src/cli/mon-lint.ts:main',
  'src/load/generation-hook.ts:resolve',
  'src/lint/engine.ts:UNUSED_SUPPRESSION',
]);
import ts from 'typescript';
import path from 'node:path';
import fs from 'node:fs';
const root = process.cwd();
const cfg = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram([...cfg.fileNames], { ...cfg.options, allowJs: true });
const checker = program.getTypeChecker();
const resolve = (s) => (s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const used = new Set();
const srcFiles = program.getSourceFiles().filter((f) => f.fileName.startsWith(path.join(root, 'src/')));
for (const file of program.getSourceFiles()) {
  if (file.fileName.includes('node_modules')) continue;
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const mod = checker.getSymbolAtLocation(node.moduleSpecifier);
      const clause = ts.isImportDeclaration(node) ? node.importClause : node;
      if (ts.isExportDeclaration(node) && !node.exportClause && mod) for (const e of checker.getExportsOfModule(mod)) used.add(resolve(e));
      const named = ts.isImportDeclaration(node) ? clause?.namedBindings : node.exportClause;
      if (named && ts.isNamespaceImport?.(named) && mod) for (const e of checker.getExportsOfModule(mod)) used.add(resolve(e));
      if (named && (ts.isNamedImports(named) || ts.isNamedExports(named)))
        for (const el of named.elements) {
          const s = checker.getSymbolAtLocation(el.name);
          used.add(resolve(s));
          if (ts.isNamedExports(named) && mod) {
            const t = checker.getExportsOfModule(mod).find((e) => e.name === (el.propertyName ?? el.name).text);
            if (t) used.add(resolve(t));
          }
        }
      if (clause?.name) used.add(resolve(checker.getSymbolAtLocation(clause.name)));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}
// dist imports from bin/ and scripts/*.mjs: by name, loosely
const distUsers = [
  ...['bin/mon-build.js', 'bin/mon-lint.js'].map((f) => path.join(root, f)),
  ...fs.readdirSync(path.join(root, 'scripts')).map((f) => path.join(root, 'scripts', f)),
  ...fs
    .readdirSync(path.join(root, 'bench'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => path.join(root, 'bench', f)),
];
const distNames = new Set();
for (const f of distUsers)
  for (const m of fs.readFileSync(f, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*['"][^'"]*dist\/[^'"]*['"]/g)) for (const n of m[1].split(',')) distNames.add(n.trim().split(/\s+as\s+/)[0]);
let dead = 0;
for (const file of srcFiles) {
  const mod = checker.getSymbolAtLocation(file);
  if (!mod) continue;
  for (const e of checker.getExportsOfModule(mod)) {
    const s = resolve(e);
    const decl = s.declarations?.[0];
    if (!decl || decl.getSourceFile() !== file) continue;
    const relative = path.relative(root, file.fileName);
    if (used.has(s) || distNames.has(e.name) || RUNTIME_ENTRY_POINTS.has(`${relative}:${e.name}`)) continue;
    const { line } = file.getLineAndCharacterOfPosition(decl.getStart());
    console.log(`${relative}:${line + 1} ${e.name}: exported, imported nowhere`);
    dead++;
  }
}
process.exitCode = dead > 0 ? 1 : 0;
