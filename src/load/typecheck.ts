import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { typescript, type TS } from '../source/typescript.js';
import { INPUT_UNREADABLE, TYPE_ERROR, type Diagnostic } from '../model/diagnostic.js';
import { writeFileAtomic } from './modules.js';
import { MONCODE_DIST, MONCODE_VERSION } from './project.js';

interface TypecheckResult {
  diagnostics: Diagnostic[];
  /** True when nothing changed since the last clean check, so the check was skipped. */
  cached: boolean;
  /** The project's own files the check read (roots, what they import, tsconfig.json): node_modules and moncode left out. */
  files: string[];
  /** Only the changed files and what depends on them were checked (see partialCheck). */
  partial?: boolean;
  /**
   * Paths the check looked for and did not find (module resolution's probes: `x.ts` before `x/index.ts`,
   * package.json scopes, node_modules folders), sorted: one created later can change what an unchanged
   * import resolves to, so they are inputs too.
   */
  absent: string[];
}

/** A path looked for as a file or as a folder and not found as one. */
type Absent = [path: string, kind: 'file' | 'dir'];

interface Stamp {
  key: string;
  roots: string[];
  files: Record<string, string>;
  /** The check found nothing at all (no error, warning or message): what a later partial check may build on. */
  quiet?: boolean;
  /** Per local file, the local files it depends on, transitively (TS's own dependency graph of the program). */
  deps?: Record<string, string[]>;
  /** Local files that can change how every other file checks: scripts, global and module augmentations, triple-slash references. */
  global?: string[];
  /** What the check looked for and did not find: the stamp holds only while none of them appears. */
  absent?: Absent[];
}

/** The compiler options definitions are checked with: strict, ESM, bundler-style imports. */
function definitionsCompilerOptions(definitionsDir: string, buildInfoFile: string): TS.CompilerOptions {
  const ts = typescript();
  let options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    types: [],
  };
  const tsconfig = path.join(definitionsDir, 'tsconfig.json');
  if (existsSync(tsconfig)) {
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (parsed) options = { ...options, ...parsed.options };
  }
  return {
    ...options,
    // Checked only: the loader transpiles each file itself (load/modules.ts),
    // and emitting the program writes just the incremental state.
    noEmit: true,
    allowImportingTsExtensions: true,
    incremental: true,
    tsBuildInfoFile: buildInfoFile,
    // Definitions are checked against the moncode that runs them.
    paths: { ...options.paths, moncode: [path.join(MONCODE_DIST, 'index.d.ts')] },
  };
}

/**
 * Type-checks the definitions. Incremental: unchanged files reuse the previous
 * results, and a project whose files all match the last clean check is not
 * checked again.
 */
export function typecheck(rootNames: readonly string[], definitionsDir: string, cacheDir: string, onParsed?: (parsed: ReadonlyMap<string, TS.SourceFile>) => void): TypecheckResult {
  const result = check(rootNames, definitionsDir, cacheDir, onParsed);
  if (!result.cached) collectGarbage();
  return result;
}

let gc: (() => void) | undefined;

/**
 * The program is garbage once the check returns, but V8 sized its next full collection to the program's heap (as
 * large as tsc's): left to itself it keeps the program's pages while compile and lint allocate beside them, and the
 * build's peak memory is both. One full collection now gives them back.
 */
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

function check(rootNames: readonly string[], definitionsDir: string, cacheDir: string, onParsed: ((parsed: ReadonlyMap<string, TS.SourceFile>) => void) | undefined): TypecheckResult {
  // TS's incremental state does not notice changes behind re-exports of
  // moncode's own types, so the state is kept per version of those types.
  const typesKey = createHash('sha1')
    .update(JSON.stringify([typescriptVersion(), MONCODE_VERSION, moncodeTypesHash()]))
    .digest('hex')
    .slice(0, 16);
  // Per definitions folder: projects sharing one cache folder keep their own state.
  const projectKey = createHash('sha1').update(path.resolve(definitionsDir)).digest('hex').slice(0, 12);
  const buildInfoFile = path.join(cacheDir, `definitions-${projectKey}-${typesKey}.tsbuildinfo`);
  const tsconfig = path.join(definitionsDir, 'tsconfig.json');
  const stampFile = path.join(cacheDir, `definitions-${projectKey}.stamp.json`);
  // Decided without loading the compiler: an unchanged project needs none of it.
  const key = createHash('sha1')
    .update(JSON.stringify([typesKey, definitionsDir, existsSync(tsconfig) ? readFileSync(tsconfig, 'utf8') : '']))
    .digest('hex');
  const roots = [...rootNames].sort();
  const previous = readStamp(stampFile);
  // A file created where resolution looked before changes an import no file of which changed: only a full check sees it.
  const resolvesAsBefore = previous !== undefined && previous.key === key && sameList(previous.roots, roots) && stillAbsent(previous.absent);
  if (resolvesAsBefore && Object.entries(previous.files).every(([file, hash]) => hashFile(file) === hash)) {
    return { diagnostics: [], cached: true, files: withTsconfig(Object.keys(previous.files), tsconfig), absent: absentPaths(previous.absent) };
  }
  const ts = typescript();
  const partial = resolvesAsBefore ? partialCheck(previous, definitionsDir, buildInfoFile, onParsed) : undefined;
  if (partial) {
    if (partial.stamp) writeFileAtomic(stampFile, JSON.stringify(partial.stamp));
    return { diagnostics: partial.diagnostics, cached: false, partial: true, files: withTsconfig(partial.files, tsconfig), absent: absentPaths(partial.absent) };
  }
  removeStaleBuildInfo(cacheDir, projectKey, buildInfoFile);
  const options = definitionsCompilerOptions(definitionsDir, buildInfoFile);

  const host = ts.createIncrementalCompilerHost(options);
  const absent = recordMisses(host);
  // The incremental state is written whole or not at all (an interrupted build leaves the previous one).
  host.writeFile = (fileName, text) => writeFileAtomic(fileName, text);
  const program = ts.createIncrementalProgram({ rootNames: roots, options, host });
  const local = program.getSourceFiles().filter((file) => !file.fileName.includes('/node_modules/') && !path.resolve(file.fileName).startsWith(MONCODE_DIST));
  onParsed?.(byPath(local));

  // Whole-program queries let the builder consume its change set, so the next
  // run re-checks only what changed.
  const diagnostics = programDiagnostics(program);

  // With noEmit this writes only the incremental state, errors or not.
  program.emit();
  if (!diagnostics.some((d) => d.severity === 'error')) {
    const files: Record<string, string> = {};
    for (const file of local) files[path.resolve(file.fileName)] = hashFile(path.resolve(file.fileName)) ?? '';
    const stamp: Stamp = { key, roots, files, quiet: diagnostics.length === 0, absent: sortedAbsent(absent) };
    if (stamp.quiet) Object.assign(stamp, dependencyGraph(program, local));
    writeFileAtomic(stampFile, JSON.stringify(stamp));
  }
  return {
    diagnostics,
    cached: false,
    files: withTsconfig(
      local.map((file) => path.resolve(file.fileName)),
      tsconfig,
    ),
    absent: absentPaths(sortedAbsent(absent)),
  };
}

/**
 * Records the paths `host` is asked about and does not find, as TS's module resolution probes them
 * (moncode's own files and TypeScript's libraries left out: they are part of the stamp's key).
 */
function recordMisses(host: TS.CompilerHost): Map<string, Absent> {
  const misses = new Map<string, Absent>();
  const typescriptDir = path.dirname(path.dirname(typescript().getDefaultLibFilePath({})));
  const note = (name: string, kind: Absent[1]): void => {
    const full = path.resolve(name);
    if (full.startsWith(MONCODE_DIST) || full.startsWith(typescriptDir + path.sep)) return;
    misses.set(`${kind}:${full}`, [full, kind]);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => {
    const found = fileExists(name);
    if (!found) note(name, 'file');
    return found;
  };
  const directoryExists = host.directoryExists?.bind(host);
  if (directoryExists) {
    host.directoryExists = (name) => {
      const found = directoryExists(name);
      if (!found) note(name, 'dir');
      return found;
    };
  }
  return misses;
}

function sortedAbsent(misses: Map<string, Absent> | readonly Absent[]): Absent[] {
  const list = misses instanceof Map ? [...misses.values()] : [...misses];
  return list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

function absentPaths(absent: readonly Absent[] | undefined): string[] {
  return [...new Set((absent ?? []).map(([file]) => file))].sort();
}

/** Whether every path looked for and not found is still not there (as a file, or as a folder). A stamp without the list predates it: not trusted. */
function stillAbsent(absent: readonly Absent[] | undefined): boolean {
  if (!Array.isArray(absent)) return false;
  return absent.every(([file, kind]) => {
    try {
      const stat = statSync(file);
      return kind === 'file' ? !stat.isFile() : !stat.isDirectory();
    } catch {
      return true;
    }
  });
}

function isLocal(fileName: string): boolean {
  return !fileName.includes('/node_modules/') && !path.resolve(fileName).startsWith(MONCODE_DIST);
}

/** What a partial check needs of a quiet program: each local file's local dependencies, and the files every file depends on. */
function dependencyGraph(program: Pick<TS.BuilderProgram, 'getAllDependencies'>, local: readonly TS.SourceFile[]): Pick<Stamp, 'deps' | 'global'> {
  const deps: Record<string, string[]> = {};
  const global: string[] = [];
  for (const file of local) {
    const name = path.resolve(file.fileName);
    if (affectsEveryFile(file)) global.push(name);
    deps[name] = program
      .getAllDependencies(file)
      .filter(isLocal)
      .map((dep) => path.resolve(dep))
      .filter((dep) => dep !== name)
      .sort();
  }
  return { deps, global: global.sort() };
}

/** A script (its declarations are global), `declare global`, `declare module '…'` (an augmentation of moncode's types, say), a `/// <reference>`. */
function affectsEveryFile(file: TS.SourceFile): boolean {
  const ts = typescript();
  if (!ts.isExternalModule(file) || file.referencedFiles.length > 0 || file.typeReferenceDirectives.length > 0 || file.libReferenceDirectives.length > 0) return true;
  return file.statements.some((statement) => ts.isModuleDeclaration(statement) && (ts.isStringLiteral(statement.name) || (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0));
}

/**
 * After a quiet check, an edit that changed only the content of existing files is checked by a
 * program of those files, every local file depending on them (transitively), and the files that
 * affect every file: nothing else's diagnostics can differ, since nothing it depends on changed and
 * it had none. A full program would parse and bind the whole tree again to re-check one file.
 * Anything else (a file added or gone, a changed file that affects every file, a previous check
 * that said anything) is left to the full incremental check (undefined).
 */
function partialCheck(
  previous: Stamp,
  definitionsDir: string,
  buildInfoFile: string,
  onParsed: ((parsed: ReadonlyMap<string, TS.SourceFile>) => void) | undefined,
): { diagnostics: Diagnostic[]; files: string[]; absent: Absent[]; stamp?: Stamp } | undefined {
  if (!previous.quiet || !previous.deps || !previous.global) return undefined;
  const changed = Object.entries(previous.files)
    .filter(([file, hash]) => hashFile(file) !== hash)
    .map(([file]) => file);
  if (changed.length === 0 || changed.some((file) => !existsSync(file) || previous.global!.includes(file))) return undefined;
  const changedSet = new Set(changed);
  const affected = Object.entries(previous.deps)
    .filter(([file, deps]) => changedSet.has(file) || deps.some((dep) => changedSet.has(dep)))
    .map(([file]) => file);
  const ts = typescript();
  const { incremental: _incremental, tsBuildInfoFile: _tsBuildInfoFile, ...options } = definitionsCompilerOptions(definitionsDir, buildInfoFile);
  const host = ts.createIncrementalCompilerHost(options);
  const misses = recordMisses(host);
  const program = ts.createSemanticDiagnosticsBuilderProgram([...new Set([...affected, ...previous.global])].sort(), options, host);
  const local = program.getSourceFiles().filter((file) => isLocal(file.fileName));
  // An edit that made a file global (a `declare module`, no more imports) changes every file's check.
  if (local.some((file) => changedSet.has(path.resolve(file.fileName)) && affectsEveryFile(file))) return undefined;
  onParsed?.(byPath(local));
  const diagnostics = programDiagnostics(program);
  const files = { ...previous.files };
  for (const file of local) files[path.resolve(file.fileName)] = hashFile(path.resolve(file.fileName)) ?? '';
  const names = Object.keys(files).sort();
  for (const miss of previous.absent ?? []) misses.set(`${miss[1]}:${miss[0]}`, miss);
  const absent = sortedAbsent(misses);
  if (diagnostics.length > 0) return { diagnostics, files: names, absent };
  const graph = dependencyGraph(program, local);
  const stamp: Stamp = { ...previous, files, quiet: true, deps: { ...previous.deps, ...graph.deps }, global: [...new Set([...previous.global, ...graph.global!])].sort(), absent };
  return { diagnostics: [], files: names, absent, stamp };
}

/** The program's bound trees of the project's own files, by absolute path. */
function byPath(files: readonly TS.SourceFile[]): Map<string, TS.SourceFile> {
  return new Map(files.map((file) => [path.resolve(file.fileName), file]));
}

function withTsconfig(files: string[], tsconfig: string): string[] {
  return existsSync(tsconfig) ? [...files, tsconfig] : files;
}

function typescriptVersion(): string {
  const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

let typesHash: string | undefined;

/** A hash of moncode's shipped declaration files. */
function moncodeTypesHash(): string {
  if (typesHash === undefined) {
    const hash = createHash('sha1');
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.d.ts')) hash.update(entry.name).update(readFileSync(full));
      }
    };
    walk(MONCODE_DIST);
    typesHash = hash.digest('hex');
  }
  return typesHash;
}

function removeStaleBuildInfo(cacheDir: string, projectKey: string, keep: string): void {
  for (const entry of readdirSync(cacheDir)) {
    const full = path.join(cacheDir, entry);
    // Also the single state file of moncode 0.1 (definitions-<types>.tsbuildinfo, definitions.stamp.json).
    const own = entry.startsWith(`definitions-${projectKey}-`) || /^definitions-[0-9a-f]{16}\.tsbuildinfo$/.test(entry) || entry === 'definitions.stamp.json';
    if (own && (entry.endsWith('.tsbuildinfo') || entry.endsWith('.json')) && full !== keep) rmSync(full, { force: true });
  }
}

/** What to write instead, for values that miss one of moncode's own literal types. */
const HINTS: Array<[RegExp, string]> = [
  [/to type '(?:GrafanaTime|RelativeTime)\b/, "a time is `now` with Grafana's date math (now-6h, now/d, now-1d/d) or an ISO 8601 time (2024-03-01T08:00:00Z)"],
  [/to type '(?:Duration|RefreshInterval)\b/, 'a duration is a number and a unit, as Prometheus writes it: 30s, 5m, 1h30m, 7d'],
  [/to type 'Severity\b/, 'severities are the ones `Severities` declares: critical, warning, info, none and any the project adds by augmenting it (docs/authoring.md)'],
  [/to type 'SecretRef<"file">/, "credentials are never written in definitions: use fromFile('/path/to/secret')"],
  [/to type 'SecretRef\b/, "credentials are never written in definitions: use fromFile('/path/to/secret') or fromEnv('NAME')"],
  [/to type '(?:Unit|GrafanaUnit)\b/, "units are Grafana's unit ids (the editor completes them), or suffix:…, prefix:…, si:…, count:…, currency:…, time:…"],
];

/**
 * A file that does not parse cannot be read, as malformed YAML cannot: its syntax errors are `input/unreadable` (exit 2), the rest `typescript`.
 */
function programDiagnostics(program: {
  getOptionsDiagnostics(): readonly TS.Diagnostic[];
  getGlobalDiagnostics(): readonly TS.Diagnostic[];
  getSyntacticDiagnostics(): readonly TS.Diagnostic[];
  getSemanticDiagnostics(): readonly TS.Diagnostic[];
}): Diagnostic[] {
  return [
    ...[...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) => toDiagnostic(d, TYPE_ERROR)),
    ...program.getSyntacticDiagnostics().map((d) => toDiagnostic(d, INPUT_UNREADABLE)),
    ...program.getSemanticDiagnostics().map((d) => toDiagnostic(d, TYPE_ERROR)),
  ];
}

function toDiagnostic(diagnostic: TS.Diagnostic, rule: string): Diagnostic {
  const ts = typescript();
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ').replace(/\s+/g, ' ');
  const hint = HINTS.find(([pattern]) => pattern.test(text))?.[1];
  const message = `TS${diagnostic.code}: ${hint ? `${text.replace(/\.$/, '')} — ${hint}` : text}`;
  const severity = diagnostic.category === ts.DiagnosticCategory.Error ? 'error' : diagnostic.category === ts.DiagnosticCategory.Warning ? 'warning' : 'info';
  if (!diagnostic.file || diagnostic.start === undefined) return { rule, severity, message };
  const file = path.resolve(diagnostic.file.fileName);
  return { rule, severity, message, where: { file, start: diagnostic.start, end: diagnostic.start + (diagnostic.length ?? 0) } };
}

function readStamp(file: string): Stamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stamp> | null;
    const wellFormed = typeof stamp?.key === 'string' && Array.isArray(stamp.roots) && typeof stamp.files === 'object' && stamp.files !== null;
    return wellFormed ? (stamp as Stamp) : undefined;
  } catch {
    return undefined;
  }
}

function hashFile(file: string): string | undefined {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
