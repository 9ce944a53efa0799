import { compileProject, type CompiledProject } from '../compile/index.js';
import { loadProject, type LoadedProject, type LoadOptions } from '../load/index.js';
import type { Diagnostic } from '../model/diagnostic.js';

export interface CompiledDefinitions {
  project: LoadedProject;
  /** Absent when loading found errors: nothing is compiled from definitions that did not load. */
  compiled?: CompiledProject;
  /** What loading and compiling found, in that order. */
  diagnostics: Diagnostic[];
  /** Milliseconds spent compiling. */
  compileTime: number;
}

/**
 * The sequence every command runs on a project's definitions: load (type-check, run,
 * collect), then compile to the project model and out/'s files. Throws
 * `UnusableInputError` for an unusable project.
 */
export async function loadAndCompile(options: LoadOptions): Promise<CompiledDefinitions> {
  const project = await loadProject(options);
  const diagnostics: Diagnostic[] = [...project.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return { project, diagnostics, compileTime: 0 };
  const started = performance.now();
  const compiled = compileProject(project);
  const compileTime = performance.now() - started;
  diagnostics.push(...compiled.diagnostics);
  return { project, compiled, diagnostics, compileTime };
}
