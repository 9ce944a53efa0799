import type { Diagnostic } from '../model/diagnostic.js';
import { collectResources, listDefinitionFiles, systemOf, type LoadedResource } from './collect.js';
import { loadConfig, type ResolvedConfig } from './config.js';
import { ModuleRunner } from './modules.js';
import { findProject, type ProjectPaths } from './project.js';
import { typecheck } from './typecheck.js';

export type { LoadedResource } from './collect.js';
export type { ResolvedConfig, ResolvedTarget } from './config.js';
export { targetFor } from './config.js';

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
  const checked = typecheck(roots, config.definitionsDir, paths.cacheDir);
  // Emitting also saves the incremental state, so it happens even when there are type errors.
  if (checked.program) runner.emitFrom(checked.program);
  const timings = { typecheck: performance.now() - started, load: 0, typecheckCached: checked.cached };
  const diagnostics = [...checked.diagnostics];
  const resources: LoadedResource[] = [];
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
