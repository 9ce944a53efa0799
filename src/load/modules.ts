import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../model/diagnostic.js';
import { MONCODE_DIST, MONCODE_VERSION } from './project.js';
import type { TS } from '../source/typescript.js';
import { transpileDefinitions, type TransformOptions } from './transform.js';

/**
 * Identifies the transform and the runtime it calls: transpiled copies made by
 * another build of moncode (an upgrade, a local change, another install) are not reused.
 */
let transformIdentity: string | undefined;
function transformVersion(): string {
  transformIdentity ??= createHash('sha1')
    .update(MONCODE_VERSION)
    .update(MONCODE_DIST)
    .update(readFileSync(path.join(MONCODE_DIST, 'load', 'transform.js')))
    .update(readFileSync(path.join(MONCODE_DIST, 'load', 'splice.js')))
    .update(readFileSync(path.join(MONCODE_DIST, 'load', 'erase.js')))
    .update(readFileSync(path.join(MONCODE_DIST, 'model', 'source-location.js')))
    .digest('hex')
    .slice(0, 16);
  return transformIdentity;
}

interface ManifestEntry {
  /** Hash of the file's text. */
  hash: string;
  /** Its relative imports and the file each resolved to (null: not a local file). */
  imports: Array<[string, string | null]>;
}

interface Manifest {
  version: string;
  files: Record<string, ManifestEntry>;
}

const MANIFEST_VERSION = 2;

function readManifest(file: string, version: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return manifest.version === version && typeof manifest.files === 'object' && manifest.files !== null ? manifest : undefined;
  } catch {
    return undefined;
  }
}

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

/** Writes a file whole or not at all: beside it, then renamed over it. */
export function writeFileAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Runs TS definitions without a build step: each local TS file is transpiled
 * (with the location transform) to an ES module under the cache folder, once
 * per content, and imported from there.
 *
 * A cached copy is used only when it provably is what transpiling would make
 * now: its last line names a key of the source's path and text, moncode's
 * build and the files its imports resolve to, plus a hash of the rest of the
 * copy. Copies are named by the source's absolute path (two projects sharing
 * one cache folder, a moved or copied project never meet each other's), and
 * written whole (temp file, then rename). The manifest only saves re-reading
 * imports; a missing, stale or corrupt one costs a transpile, never a wrong module.
 */
export class ModuleRunner {
  private readonly jsDir: string;
  private readonly manifestFile: string;
  private manifest: Manifest;
  private readonly indexUrl = pathToFileURL(path.join(MONCODE_DIST, 'index.js')).href;
  private readonly runtimeUrl = pathToFileURL(path.join(MONCODE_DIST, 'model', 'source-location.js')).href;
  /** Every local TS file transpiled or reused in this run. */
  readonly files = new Set<string>();
  private readonly contents = new Map<string, { text: string; hash: string }>();
  private readonly verified = new Map<string, string[] | undefined>();
  private manifestChanged = false;
  /** The type-check's trees of the files being prepared, by absolute path (see `prepare`). */
  private parsed: ReadonlyMap<string, TS.SourceFile> | undefined;
  /** Empty for the first runner of a process that runs modules; later ones load a fresh module graph. */
  private generationQuery: string | undefined;

  constructor(
    private readonly root: string,
    cacheDir: string,
    /** Texts to run instead of what is on disk (an editor's unsaved buffers), by absolute path. */
    private readonly overlay: Readonly<Record<string, string>> = {},
  ) {
    this.jsDir = path.join(cacheDir, 'modules');
    this.manifestFile = path.join(this.jsDir, 'manifest.json');
    // Copies in the layout of moncode 0.1 (named by relative path, trusted by name).
    rmSync(path.join(cacheDir, 'js'), { recursive: true, force: true });
    const version = `${MANIFEST_VERSION}+${transformVersion()}`;
    this.manifest = readManifest(this.manifestFile, version) ?? { version, files: {} };
  }

  /** Root files whose transpiled copy is missing or not current (their imports not counted). */
  staleCount(files: readonly string[]): number {
    let stale = 0;
    for (const file of files) {
      try {
        if (!this.currentDeps(file)) stale++;
      } catch {
        continue;
      }
    }
    return stale;
  }

  /** The local TS files a prepared file imports (none known: none). */
  localImports(file: string): string[] {
    return this.verified.get(file) ?? [];
  }

  /** Re-reads the manifest another runner (a transpile worker) wrote. */
  reload(): void {
    this.manifest = readManifest(this.manifestFile, this.manifest.version) ?? this.manifest;
    this.verified.clear();
  }

  /**
   * Transpiles `entries` and every local TS file they import, reusing unchanged copies. In waves:
   * the files found so far that need transpiling are transpiled together (load/transform.ts),
   * then the files they import are the next wave.
   */
  prepare(entries: readonly string[], parsed?: ReadonlyMap<string, TS.SourceFile>): void {
    this.parsed = parsed;
    let wave = [...entries];
    while (wave.length > 0) {
      const next: string[] = [];
      const stale: string[] = [];
      for (const file of wave) {
        if (this.files.has(file)) continue;
        this.files.add(file);
        const current = this.currentDeps(file);
        if (current) next.push(...current);
        else stale.push(file);
      }
      next.push(...this.transpile(stale));
      wave = next;
    }
    this.parsed = undefined;
    this.saveManifest();
  }

  /** Takes in the manifest another runner wrote meanwhile (the build's main thread transpiling ahead), keeping what this one verified. */
  adoptManifest(): void {
    const current = readManifest(this.manifestFile, this.manifest.version);
    if (!current) return;
    this.manifest = { version: this.manifest.version, files: { ...this.manifest.files, ...current.files } };
    for (const [file, deps] of this.verified) if (deps === undefined) this.verified.delete(file);
  }

  private saveManifest(): void {
    if (!this.manifestChanged) return;
    // Other runners (a transpile worker, a build of another project sharing the cache) may have added entries.
    const current = readManifest(this.manifestFile, this.manifest.version);
    const files = { ...current?.files, ...this.manifest.files };
    writeFileAtomic(this.manifestFile, JSON.stringify({ version: this.manifest.version, files }));
    this.manifestChanged = false;
  }

  /** Imports a prepared file; a module that throws becomes a diagnostic at the line that threw. */
  async run(file: string): Promise<{ exports?: Record<string, unknown>; diagnostic?: Diagnostic; error?: unknown }> {
    try {
      this.generationQuery ??= nextGeneration();
      const url = pathToFileURL(this.outputPath(file)).href + this.generationQuery;
      const exports = (await import(url)) as Record<string, unknown>;
      return { exports };
    } catch (error) {
      return { diagnostic: this.errorDiagnostic(error, file), error };
    }
  }

  /** Whether `stack` passes through a local TS file (a definition, not moncode or a package). */
  hasLocalFrame(stack: string): boolean {
    return this.localFrame(stack) !== undefined;
  }

  /** The local file and position an error was thrown from, from its source-mapped stack. */
  errorDiagnostic(error: unknown, file: string): Diagnostic {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    // V8's own words for a stack overflow read like a crash of moncode; it is the definition's recursion.
    if (error instanceof RangeError && /call stack size/i.test(message)) {
      return this.stackDiagnostic('load/threw', 'definition recursed too deeply (the call stack overflowed): a function that calls itself without end?', stack, file);
    }
    return this.stackDiagnostic('load/threw', `definition threw: ${firstLine(message)}`, stack, file);
  }

  /** A diagnostic at the first frame of `stack` in a local TS file (else at the start of `file`). */
  stackDiagnostic(rule: string, message: string, stack: string, file: string): Diagnostic {
    const frame = this.localFrame(stack);
    if (!frame) return { rule, severity: 'error', message, where: { file, start: 0, end: 0 } };
    let offset = 0;
    try {
      offset = offsetOf(this.overlay[frame.file] ?? readFileSync(frame.file, 'utf8'), frame.line, frame.column);
    } catch {
      offset = 0;
    }
    return { rule, severity: 'error', message, where: { file: frame.file, start: offset, end: offset } };
  }

  private localFrame(stack: string): { file: string; line: number; column: number } | undefined {
    for (const match of stack.matchAll(/(file:\/\/[^\s)]+?|\/[^\s():]+?):(\d+):(\d+)/g)) {
      let file = match[1]!;
      if (file.startsWith('file://')) file = decodeURIComponent(new URL(file).pathname);
      if (file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(MONCODE_DIST)) continue;
      if (!TS_EXTENSIONS.some((ext) => file.endsWith(ext))) continue;
      return { file, line: Number(match[2]), column: Number(match[3]) };
    }
    return undefined;
  }

  /** `<cache>/modules/<hash of the absolute source path>/<name>.mjs`. */
  outputPath(file: string): string {
    const id = createHash('sha1').update(path.resolve(file)).digest('hex').slice(0, 20);
    return path.join(this.jsDir, id, path.basename(file).replace(/\.[mc]?tsx?$/, '.mjs'));
  }

  /** Transpiles files whose copies are not current; returns the local TS files they import. */
  private transpile(files: readonly string[]): string[] {
    // Nothing stale: loading the compiler (a few hundred milliseconds) would be all this did.
    if (files.length === 0) return [];
    // A folder at a time (one program each, see transpileDefinitions), each written before the
    // next is made: the copies of a whole tree are not held in memory together.
    const byFolder = new Map<string, string[]>();
    for (const file of files) byFolder.set(path.dirname(file), [...(byFolder.get(path.dirname(file)) ?? []), file]);
    return [...byFolder.values()].flatMap((folder) => this.transpileTogether(folder));
  }

  private transpileTogether(files: readonly string[]): string[] {
    const imports = new Map<string, Array<[string, string | null]>>();
    const inputs = files.map((file) => {
      const found: Array<[string, string | null]> = [];
      imports.set(file, found);
      return { fileName: file, text: this.content(file).text, options: this.transformOptions(file, found), parsed: this.parsed?.get(file) };
    });
    const outputs = transpileDefinitions(inputs);
    const deps: string[] = [];
    for (const file of files) {
      const js = outputs.get(file)!;
      const { hash } = this.content(file);
      const found = imports.get(file)!;
      const key = this.keyOf(file, hash, found);
      writeFileAtomic(this.outputPath(file), `${js}${trailer(key, js)}`);
      this.manifest.files[file] = { hash, imports: found };
      this.manifestChanged = true;
      const local = localDeps(found);
      this.verified.set(file, local);
      deps.push(...local);
    }
    return deps;
  }

  /** The local TS files a current copy imports, or undefined when the copy is missing, stale or damaged. */
  private currentDeps(file: string): string[] | undefined {
    if (this.verified.has(file)) return this.verified.get(file);
    const { hash } = this.content(file);
    const entry = this.manifest.files[file];
    let deps: string[] | undefined;
    if (entry?.hash === hash && Array.isArray(entry.imports)) {
      const dir = path.dirname(file);
      const resolvedNow = entry.imports.every(([specifier, target]) => (resolveLocal(dir, specifier) ?? null) === target);
      if (resolvedNow && this.copyMatches(file, this.keyOf(file, hash, entry.imports))) deps = localDeps(entry.imports);
    }
    this.verified.set(file, deps);
    return deps;
  }

  private keyOf(file: string, hash: string, imports: ReadonlyArray<[string, string | null]>): string {
    return createHash('sha1')
      .update(JSON.stringify([transformVersion(), path.resolve(file), hash, imports]))
      .digest('hex');
  }

  private copyMatches(file: string, key: string): boolean {
    let copy: string;
    try {
      copy = readFileSync(this.outputPath(file), 'utf8');
    } catch {
      return false;
    }
    const at = copy.lastIndexOf(TRAILER);
    return at >= 0 && copy.slice(at) === trailer(key, copy.slice(0, at));
  }

  /** A file's text and hash, read once per runner (the stale check and the transpile share them). */
  private content(file: string): { text: string; hash: string } {
    let content = this.contents.get(file);
    if (!content) {
      const text = this.overlay[file] ?? readFileSync(file, 'utf8');
      content = { text, hash: createHash('sha1').update(text).digest('hex') };
      this.contents.set(file, content);
    }
    return content;
  }

  /** How a file is transformed: `moncode` → the running package, relative imports → transpiled copies (recorded in `imports`). */
  private transformOptions(file: string, imports: Array<[string, string | null]>): TransformOptions {
    const output = this.outputPath(file);
    return {
      file,
      runtimeUrl: this.runtimeUrl,
      rewriteSpecifier: (specifier) => {
        if (specifier === 'moncode') return this.indexUrl;
        if (!specifier.startsWith('.')) return specifier;
        const target = resolveLocal(path.dirname(file), specifier);
        if (!imports.some(([known]) => known === specifier)) imports.push([specifier, target ?? null]);
        if (!target) return specifier;
        if (!TS_EXTENSIONS.includes(path.extname(target))) return pathToFileURL(target).href;
        const relative = path.relative(path.dirname(output), this.outputPath(target)).split(path.sep).join('/');
        return relative.startsWith('.') ? relative : `./${relative}`;
      },
    };
  }
}

const TRAILER = '\n// moncode-cache ';

/** The last line of a cached copy (after its source map, so lines keep their numbers): the key it was made for and a hash of the rest. */
function trailer(key: string, body: string): string {
  return `${TRAILER}${key} ${createHash('sha1').update(body).digest('hex')}\n`;
}

function localDeps(imports: ReadonlyArray<[string, string | null]>): string[] {
  return imports.flatMap(([, target]) => (target && TS_EXTENSIONS.includes(path.extname(target)) ? [target] : []));
}

let generation = 0;
let hookRegistered = false;

function nextGeneration(): string {
  generation += 1;
  if (generation === 1) return '';
  if (!hookRegistered) {
    register(pathToFileURL(path.join(MONCODE_DIST, 'load', 'generation-hook.js')));
    hookRegistered = true;
  }
  return `?mcgen=${generation}`;
}

/** How TS (bundler resolution) finds a relative import: exact, `.js`→`.ts`, extensionless, folder index. */
function resolveLocal(fromDir: string, specifier: string): string | undefined {
  const base = path.resolve(fromDir, specifier);
  const candidates = [base];
  const jsExt = /\.(m|c)?js$/.exec(base);
  if (jsExt) candidates.push(base.slice(0, -jsExt[0].length) + `.${jsExt[1] ?? ''}ts`);
  for (const ext of TS_EXTENSIONS) candidates.push(base + ext);
  for (const ext of TS_EXTENSIONS) candidates.push(path.join(base, `index${ext}`));
  return candidates.find((candidate) => existsSync(candidate) && !isDirectory(candidate));
}

function isDirectory(file: string): boolean {
  return statSync(file).isDirectory();
}

/** The offset of a 1-based line and column in `text`. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column - 1);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
