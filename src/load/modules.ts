import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../model/diagnostic.js';
import { MONCODE_DIST, MONCODE_VERSION } from './project.js';
import { transpileDefinition, type TransformOptions } from './transform.js';

/**
 * Identifies the transform and the runtime it calls: transpiled copies made by
 * another build of moncode (an upgrade, a local change) are not reused.
 */
let transformIdentity: string | undefined;
function transformVersion(): string {
  transformIdentity ??= createHash('sha1')
    .update(readFileSync(path.join(MONCODE_DIST, 'load', 'transform.js')))
    .update(readFileSync(path.join(MONCODE_DIST, 'model', 'source-location.js')))
    .digest('hex')
    .slice(0, 12);
  return transformIdentity;
}

interface ManifestEntry {
  hash: string;
  /** Local TS files this one imports. */
  deps: string[];
}

interface Manifest {
  version: string;
  files: Record<string, ManifestEntry>;
}

function readManifest(file: string, version: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return manifest.version === version ? manifest : undefined;
  } catch {
    return undefined;
  }
}

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

/**
 * Runs TS definitions without a build step: each local TS file is transpiled
 * (with the location transform) to an ES module under the cache folder, once
 * per content, and imported from there.
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
  /** Empty for the first runner of a process; later runners load a fresh module graph. */
  private readonly generationQuery: string;

  constructor(
    private readonly root: string,
    cacheDir: string,
  ) {
    this.jsDir = path.join(cacheDir, 'js');
    this.manifestFile = path.join(this.jsDir, 'manifest.json');
    const version = `${MONCODE_VERSION}+${transformVersion()}`;
    this.manifest = readManifest(this.manifestFile, version) ?? { version, files: {} };
    this.generationQuery = nextGeneration();
  }

  /** Root files whose transpiled copy is missing or older than the file (their imports not counted). */
  staleCount(files: readonly string[]): number {
    let stale = 0;
    for (const file of files) {
      let content: { text: string; hash: string };
      try {
        content = this.content(file);
      } catch {
        continue;
      }
      if (!this.isCurrent(file, content.hash)) stale++;
    }
    return stale;
  }

  /** Re-reads the manifest another runner (a transpile worker) wrote. */
  reload(): void {
    this.manifest = readManifest(this.manifestFile, this.manifest.version) ?? this.manifest;
  }

  /** Transpiles `entries` and every local TS file they import, reusing unchanged copies. */
  prepare(entries: readonly string[]): void {
    const queue = [...entries];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (this.files.has(file)) continue;
      this.files.add(file);
      queue.push(...this.transpile(file));
    }
    this.saveManifest();
  }

  private saveManifest(): void {
    mkdirSync(this.jsDir, { recursive: true });
    writeFileSync(this.manifestFile, JSON.stringify(this.manifest));
  }

  /** Imports a prepared file; a module that throws becomes a diagnostic at the line that threw. */
  async run(file: string): Promise<{ exports?: Record<string, unknown>; diagnostic?: Diagnostic }> {
    try {
      const url = pathToFileURL(this.outputPath(file)).href + this.generationQuery;
      const exports = (await import(url)) as Record<string, unknown>;
      return { exports };
    } catch (error) {
      return { diagnostic: this.errorDiagnostic(error, file) };
    }
  }

  /** The local file and position an error was thrown from, from its source-mapped stack. */
  errorDiagnostic(error: unknown, file: string): Diagnostic {
    const message = error instanceof Error ? error.message : String(error);
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    const frame = this.localFrame(stack);
    const text = `definition threw: ${firstLine(message)}`;
    if (!frame) return { rule: 'load/threw', severity: 'error', message: text, where: { file, start: 0, end: 0 } };
    let offset = 0;
    try {
      offset = offsetOf(readFileSync(frame.file, 'utf8'), frame.line, frame.column);
    } catch {
      offset = 0;
    }
    return { rule: 'load/threw', severity: 'error', message: text, where: { file: frame.file, start: offset, end: offset } };
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

  outputPath(file: string): string {
    const relative = path.relative(this.root, file).split(path.sep).map((part) => (part === '..' ? '__up__' : part));
    return path.join(this.jsDir, ...relative).replace(/\.[mc]?tsx?$/, '.mjs');
  }

  /** Transpiles one file when its content changed; returns the local TS files it imports. */
  private transpile(file: string): string[] {
    const { text, hash } = this.content(file);
    if (this.isCurrent(file, hash)) return this.manifest.files[file]!.deps;
    const deps: string[] = [];
    this.write(file, transpileDefinition(text, file, this.transformOptions(file, deps)), hash, deps);
    return deps;
  }

  /** A file's text and hash, read once per runner (the stale check and the transpile share them). */
  private content(file: string): { text: string; hash: string } {
    let content = this.contents.get(file);
    if (!content) {
      const text = readFileSync(file, 'utf8');
      content = { text, hash: createHash('sha1').update(text).digest('hex') };
      this.contents.set(file, content);
    }
    return content;
  }

  private isCurrent(file: string, hash: string): boolean {
    return this.manifest.files[file]?.hash === hash && existsSync(this.outputPath(file));
  }

  private write(file: string, js: string, hash: string, deps: string[]): void {
    const output = this.outputPath(file);
    mkdirSync(path.dirname(output), { recursive: true });
    writeFileSync(output, js);
    this.manifest.files[file] = { hash, deps };
  }

  /** How a file is transformed: `moncode` → the running package, relative imports → transpiled copies (recorded in `deps`). */
  private transformOptions(file: string, deps: string[]): TransformOptions {
    const output = this.outputPath(file);
    return {
      file,
      runtimeUrl: this.runtimeUrl,
      rewriteSpecifier: (specifier) => {
        if (specifier === 'moncode') return this.indexUrl;
        if (!specifier.startsWith('.')) return specifier;
        const target = resolveLocal(path.dirname(file), specifier);
        if (!target) return specifier;
        if (!TS_EXTENSIONS.includes(path.extname(target))) return pathToFileURL(target).href;
        deps.push(target);
        const relative = path.relative(path.dirname(output), this.outputPath(target)).split(path.sep).join('/');
        return relative.startsWith('.') ? relative : `./${relative}`;
      },
    };
  }
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
export function resolveLocal(fromDir: string, specifier: string): string | undefined {
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
function offsetOf(text: string, line: number, column: number): number {
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
