import { compileProject, type CompiledProject } from '../compile/index.js';
import { loadProject, type LoadedProject, type LoadOptions } from '../load/index.js';
import { TYPE_ERROR, type Diagnostic } from '../model/diagnostic.js';

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
  const typeErrors = diagnostics.some((d) => d.severity === 'error' && d.rule === TYPE_ERROR);
  const stops = (d: Diagnostic) => d.severity === 'error' && !(options.runDespiteTypeErrors && d.rule === TYPE_ERROR);
  if (diagnostics.some(stops)) return { project, diagnostics, compileTime: 0 };
  const started = performance.now();
  let compiled: CompiledProject;
  try {
    compiled = compileProject(project);
  } catch (error) {
    // Values that do not type-check can trip the compiler; their type errors already say why.
    if (!typeErrors) throw error;
    return { project, diagnostics, compileTime: performance.now() - started };
  }
  const compileTime = performance.now() - started;
  diagnostics.push(...compiled.diagnostics);
  return { project, compiled, diagnostics, compileTime };
}
