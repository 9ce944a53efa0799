import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UnusableInputError, type Diagnostic } from '../model/diagnostic.js';
import { listDefinitionFiles } from './collect.js';
import type { LoadedResource } from '../model/project-model.js';
import { loadConfig, type ResolvedConfig } from './config.js';
import { editorEvaluation, Evaluation, type EvaluationRequest } from './evaluate.js';
import { mergeEvaluation, modulesToRun } from './editor-evaluation.js';
import { mergePlanned, planEvaluation, recordEvaluation, type SystemDigest } from './evaluation-cache.js';
import { ModuleRunner } from './modules.js';
import { findProject, isWithin, type ProjectPaths } from './project.js';
import { augmentedMembers } from './augmentation.js';
import { checkDatasourceNames } from './datasource-names.js';
import { declaredSeverities } from './severities.js';
import { typecheck } from './typecheck.js';
import { decodeUtf8, notUtf8Message } from '../model/utf8.js';
import type { TS } from '../source/typescript.js';

export type { ResolvedConfig, ResolvedTarget } from './config.js';
export { targetFor } from './config.js';
export { DEFAULT_TIME_LIMIT_MS, startSpareEvaluation } from './evaluate.js';
export { forgetEditorEvaluations, lastEditorEvaluation } from './editor-evaluation.js';

/** Only mon.config.ts (for linting files without definitions). */
export async function loadConfigOnly(options: LoadOptions): Promise<{ paths: ProjectPaths; config: ResolvedConfig }> {
  const paths = findProject(options.cwd, options.config);
  const evaluation = new Evaluation({ root: paths.root, cacheDir: paths.cacheDir, configFile: paths.configFile, configOnly: true }, options.timeLimitMs);
  try {
    const config = await loadConfig(paths, evaluation, { requireDefinitions: false });
    // The severities the definitions declare hold for the files linted with the project's config.
    let definitions: { systems: string[]; libraries: string[] } = { systems: [], libraries: [] };
    try {
      definitions = listDefinitionFiles(config.definitionsDir);
    } catch {
      // No definitions folder: only mon.config.ts can declare any.
    }
    const declared = declaredSeverities([...definitions.systems, ...definitions.libraries, ...(paths.configFile ? [paths.configFile] : [])]);
    return { paths, config: { ...config, severities: declared.severities } };
  } finally {
    evaluation.stop();
  }
}

export interface LoadOptions {
  cwd: string;
  /** `--config FILE`. */
  config?: string;
  /** How long mon.config.ts, and then the definitions, may run (default 60 s). */
  timeLimitMs?: number;
  /**
   * Run the definitions even when they do not type-check (mon-lint reports the type errors
   * and lints what loaded; mon-build stops at them).
   */
  runDespiteTypeErrors?: boolean;
  /**
   * An editor's view of the project: these texts (by absolute path) run instead of what is
   * on disk, in a cache folder of their own, and the type-check is left to the editor's
   * language service, which already reports it.
   */
  editor?: { overlay: Record<string, string> };
}

export interface LoadedProject {
  paths: ProjectPaths;
  config: ResolvedConfig;
  /** Definition files that belong to systems, sorted. */
  files: string[];
  /** YAML files of definitions/ outside libraries (OpenSLO and Sloth specs among them), sorted. */
  yamlFiles: string[];
  resources: LoadedResource[];
  diagnostics: Diagnostic[];
  timings: {
    typecheck: number;
    load: number;
    typecheckCached: boolean;
    /** How many system files mon-build's evaluation ran, of how many (the others' resources were recorded: evaluation-cache.ts). */
    evaluated?: { ran: number; of: number };
  };
  /**
   * Every file of the project loading read: mon.config.ts, definitions, what they import, the files they read, tsconfig.json,
   * and the paths the type-check's module resolution looked for and did not find (sorted).
   */
  readFiles: string[];
  /** The environment variables mon.config.ts and the definitions read (null: not set). */
  env: Record<string, string | null>;
  /**
   * A digest of each system's evaluated resources (mon-build, after an evaluation without problems;
   * a system without one is compiled afresh): equal digests, equal resources (evaluation-cache.ts).
   */
  digests?: Map<string, SystemDigest>;
}

/**
 * An editor's buffers, transpiled here before the worker starts: the editor's process keeps the
 * TypeScript compiler loaded from one lint to the next, and the worker, finding every copy
 * current, never loads it. One that fails here is transpiled, and reported, by the worker.
 */
function transpileAhead(root: string, cacheDir: string, overlay: Record<string, string>): void {
  for (const file of Object.keys(overlay)) {
    if (!isWithin(root, file)) continue;
    try {
      new ModuleRunner(root, cacheDir, overlay).prepare([file]);
    } catch {
      continue;
    }
  }
}

/** Transpiles ahead of the worker; a file that fails here is transpiled, and reported, by the worker. */
function transpileQuietly(root: string, cacheDir: string, files: readonly string[], parsed?: ReadonlyMap<string, TS.SourceFile>): void {
  try {
    new ModuleRunner(root, cacheDir).prepare(files, parsed);
  } catch {
    return;
  }
}

/**
 * The system files an editor's evaluation runs (see editor-evaluation.ts): the definitions folder
 * as mon.config.ts names it is known only after the config ran, so it is the last evaluation's.
 */
function editorReuse(paths: ProjectPaths, overlay: Record<string, string>): { key: string; systems: string[]; modules: string[] | undefined; hashes: Map<string, string | undefined> } | undefined {
  const key = `${paths.root}\0${paths.configFile ?? ''}`;
  const definitionsDir = lastDefinitionsDir.get(key);
  if (!definitionsDir) return { key, systems: [], modules: undefined, hashes: new Map() };
  let systems: string[];
  try {
    systems = listDefinitionFiles(definitionsDir).systems;
  } catch {
    return { key, systems: [], modules: undefined, hashes: new Map() };
  }
  return { key, systems, ...modulesToRun(key, paths.configFile, systems, overlay) };
}

const lastDefinitionsDir = new Map<string, string>();

/**
 * Loads a project: reads mon.config.ts, type-checks definitions/ and runs it
 * (in a worker, beside the type-check; see evaluate.ts), collecting every
 * exported resource. Problems in definitions are diagnostics; an unusable
 * project throws `UnusableInputError`.
 */
export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  const paths = findProject(options.cwd, options.config);
  const cacheDir = options.editor ? path.join(paths.cacheDir, 'editor') : paths.cacheDir;
  if (options.editor) transpileAhead(paths.root, cacheDir, options.editor.overlay);
  // The worker then finds mon.config.ts transpiled and, waiting for the definitions the type-check transpiles (below), need not load TypeScript.
  if (!options.editor && paths.configFile) transpileQuietly(paths.root, cacheDir, [paths.configFile]);
  const request: EvaluationRequest = { root: paths.root, cacheDir, configFile: paths.configFile, overlay: options.editor?.overlay, transpiledAhead: !options.editor };
  const reuse = options.editor ? editorReuse(paths, options.editor.overlay) : undefined;
  if (reuse?.modules) request.modules = reuse.modules;
  const loadStarted = Date.now();
  const plan = options.editor ? undefined : planEvaluation(paths);
  if (plan) Object.assign(request, { modules: plan.run, callerChecksShared: true });
  let evaluation = options.editor ? editorEvaluation(request, options.timeLimitMs) : new Evaluation(request, options.timeLimitMs);
  try {
    const loaded = await loadConfig(paths, evaluation);
    const { systems: files, libraries, yaml: yamlFiles } = listDefinitionFiles(loaded.definitionsDir);

    let started = performance.now();
    const roots = [...files, ...libraries, ...(paths.configFile ? [paths.configFile] : [])];
    if (!options.editor) refuseNonUtf8(roots);
    const declared = declaredSeverities(roots, options.editor?.overlay);
    const datasourceNames = augmentedMembers('Datasources', 'the datasource names', roots, options.editor?.overlay);
    const config: ResolvedConfig = { ...loaded, severities: declared.severities };
    // The type-check parses every definition: the definitions are transpiled from those trees (not parsed again in the worker), then run beside the check.
    const checked = options.editor
      ? { diagnostics: [], cached: false, files: [], absent: [] }
      : typecheck(roots, config.definitionsDir, paths.cacheDir, (parsed) => {
          transpileQuietly(paths.root, cacheDir, files, parsed);
          evaluation.transpiled();
        });
    if (!options.editor) evaluation.transpiled();
    const timings: LoadedProject['timings'] = { typecheck: performance.now() - started, load: 0, typecheckCached: checked.cached };
    const diagnostics = [...declared.diagnostics, ...datasourceNames.diagnostics, ...checked.diagnostics];
    const resources: LoadedResource[] = [];
    const read = new Set([...roots, ...checked.files, ...checked.absent]);
    const readFiles = () => [...read].sort();
    if (!options.runDespiteTypeErrors && diagnostics.some((d) => d.severity === 'error')) return { paths, config, files, yamlFiles, resources, diagnostics, timings, readFiles: readFiles(), env: {} };

    started = performance.now();
    let evaluated = await evaluation.definitions();
    let digests: Map<string, SystemDigest> | undefined;
    if (reuse && options.editor) {
      lastDefinitionsDir.set(reuse.key, loaded.definitionsDir);
      if (request.modules && (evaluated.shared || files.join('\n') !== reuse.systems.join('\n'))) {
        // What ran exports a resource another module exports too (or the system files changed meanwhile): only a run of every module counts it right.
        evaluation.stop();
        evaluation = editorEvaluation({ ...request, modules: undefined }, options.timeLimitMs);
        await loadConfig(paths, evaluation);
        evaluated = await evaluation.definitions();
        request.modules = undefined;
      }
      evaluated = mergeEvaluation(reuse.key, paths.configFile, files, request.modules, reuse.hashes, options.editor.overlay, evaluated);
    } else if (!options.editor) {
      const merged = plan && mergePlanned(plan, loaded.definitionsDir, files, evaluated);
      if (plan && !merged) {
        // The systems that ran might not give what a full evaluation gives beside the recorded ones (see evaluation-cache.ts).
        evaluation.stop();
        evaluation = new Evaluation({ ...request, modules: undefined, callerChecksShared: undefined }, options.timeLimitMs);
        evaluation.transpiled(); // the copies the first evaluation ran are written
        await loadConfig(paths, evaluation);
        evaluated = await evaluation.definitions();
      }
      digests = recordEvaluation(paths, loadStarted, loaded.definitionsDir, files, merged ? plan!.run : files, evaluated, checked.absent);
      if (merged) for (const [system, record] of plan!.cached) digests.set(system, record.digest);
      timings.evaluated = { ran: merged ? plan!.run.length : files.length, of: files.length };
      if (merged) evaluated = merged;
    }
    resources.push(...evaluated.resources);
    diagnostics.push(...evaluated.diagnostics);
    // A definition that failed leaves datasources out: the list is judged against a whole project only.
    if (!evaluated.diagnostics.some((d) => d.severity === 'error')) diagnostics.push(...checkDatasourceNames(datasourceNames.members, evaluated.resources, paths.root));
    for (const file of evaluated.files) read.add(file);
    timings.load = performance.now() - started;
    return { paths, config, files, yamlFiles, resources, diagnostics, timings, readFiles: readFiles(), env: evaluated.env, digests };
  } finally {
    evaluation.stop();
  }
}

/** TypeScript and Node would read a byte that is not UTF-8 as U+FFFD and build something else than what was written. */
function refuseNonUtf8(files: readonly string[]): void {
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    const decoded = decodeUtf8(bytes);
    if ('invalidAt' in decoded) throw new UnusableInputError(notUtf8Message(decoded.byte), { file, start: decoded.invalidAt, end: decoded.invalidAt });
  }
}
