import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Diagnostic } from '../model/diagnostic.js';
import { collectResources, listDefinitionFiles, systemOf, type LoadedResource } from './collect.js';
import { loadConfig, type ResolvedConfig } from './config.js';
import { ModuleRunner } from './modules.js';
import { findProject, MONCODE_DIST, type ProjectPaths } from './project.js';
import { typecheck } from './typecheck.js';

export type { LoadedResource } from './collect.js';
export type { ResolvedConfig, ResolvedTarget } from './config.js';
export { targetFor } from './config.js';

/** Below this many files to transpile, a worker thread costs more than it saves. */
const BACKGROUND_TRANSPILE_MIN = 64;

/**
 * Transpiles `files` in a worker thread, beside the type-check on this one;
 * resolves to whether it finished. A worker that fails leaves the files to
 * `ModuleRunner.prepare` here.
 */
function transpileInBackground(paths: ProjectPaths, files: readonly string[]): Promise<boolean> | undefined {
  if (availableParallelism() < 2) return undefined;
  return new Promise((resolve) => {
    try {
      const worker = new Worker(path.join(MONCODE_DIST, 'load', 'transpile-worker.js'), { workerData: { root: paths.root, cacheDir: paths.cacheDir, files } });
      worker.once('message', () => resolve(true));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    } catch {
      resolve(false);
    }
  });
}

/** Only mon.config.ts (for linting files without definitions). */
export async function loadConfigOnly(options: LoadOptions): Promise<{ paths: ProjectPaths; config: ResolvedConfig }> {
  process.setSourceMapsEnabled(true);
  const paths = findProject(options.cwd, options.config);
  const config = await loadConfig(paths, new ModuleRunner(paths.root, paths.cacheDir), { requireDefinitions: false });
  return { paths, config };
}

export interface LoadOptions {
  cwd: string;
  /** `--config FILE`. */
  config?: string;
}

export interface LoadedProject {
  paths: ProjectPaths;
  config: ResolvedConfig;
  /** Definition files that belong to systems, sorted. */
  files: string[];
  resources: LoadedResource[];
  diagnostics: Diagnostic[];
  timings: { typecheck: number; load: number; typecheckCached: boolean };
}

/**
 * Loads a project: reads mon.config.ts, type-checks definitions/ and runs it,
 * collecting every exported resource. Problems in definitions are diagnostics;
 * an unusable project throws `UnusableInputError`.
 */
export async function loadProject(options: LoadOptions): Promise<LoadedProject> {
  process.setSourceMapsEnabled(true);
  const paths = findProject(options.cwd, options.config);
  const runner = new ModuleRunner(paths.root, paths.cacheDir);
  const config = await loadConfig(paths, runner);
  const { systems: files, libraries } = listDefinitionFiles(config.definitionsDir);

  let started = performance.now();
  const roots = [...files, ...libraries, ...(paths.configFile ? [paths.configFile] : [])];
  const transpiled = runner.staleCount(files) >= BACKGROUND_TRANSPILE_MIN ? transpileInBackground(paths, files) : undefined;
  const checked = typecheck(roots, config.definitionsDir, paths.cacheDir);
  const timings = { typecheck: performance.now() - started, load: 0, typecheckCached: checked.cached };
  const diagnostics = [...checked.diagnostics];
  const resources: LoadedResource[] = [];
  if (transpiled && (await transpiled)) runner.reload();
  if (diagnostics.some((d) => d.severity === 'error')) return { paths, config, files, resources, diagnostics, timings };

  started = performance.now();
  runner.prepare(files);
  const seen = new Set<unknown>();
  for (const file of files) {
    const { exports, diagnostic } = await runner.run(file);
    if (diagnostic) diagnostics.push(diagnostic);
    if (exports) resources.push(...collectResources(exports, file, systemOf(config.definitionsDir, file), seen));
  }
  timings.load = performance.now() - started;
  return { paths, config, files, resources, diagnostics, timings };
}
