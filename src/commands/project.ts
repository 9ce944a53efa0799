import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileProject, type CompiledProject, type DefinitionSloFiles } from '../compile/index.js';
import { loadProject, type LoadedProject, type LoadOptions } from '../load/index.js';
import { emptyCatalog } from '../model/catalog.js';
import { INPUT_UNREADABLE, INVALID, TYPE_ERROR, type Diagnostic } from '../model/diagnostic.js';
import { emptyInputs, readInputFile } from '../read/index.js';
import { readCompileMemo, writeCompileMemo } from './compile-records.js';

interface CompiledDefinitions {
  project: LoadedProject;
  /** Absent when definitions were not run (type errors, for a build) or could not be compiled. */
  compiled?: CompiledProject;
  /** What loading and compiling found, in that order. */
  diagnostics: Diagnostic[];
  /** Milliseconds spent compiling. */
  compileTime: number;
  /** OpenSLO and Sloth files of definitions/, compiled with the project. */
  sloFiles: string[];
  /** With `compileRecords`: the systems whose dashboards and rule groups were taken from their records. */
  compileReused?: string[];
}

/**
 * The sequence every command runs on a project's definitions: load (type-check, run,
 * collect), then compile to the project model and out/'s files (none with `outputs: false`,
 * for a lint). Throws
 * `UnusableInputError` for an unusable project.
 */
export async function loadAndCompile(options: LoadOptions & { onPhase?: (phase: string) => void; outputs?: boolean; compileRecords?: boolean }): Promise<CompiledDefinitions> {
  const project = await loadProject(options);
  const diagnostics: Diagnostic[] = [...project.diagnostics];
  const { files: sloFiles, read: sloInputs } = readDefinitionSlos(project, diagnostics);
  // Definitions that do not type-check are not run by mon-build, and values found invalid while
  // loading are not compiled (what they hold would only restate the error). A definition that threw
  // gave no values: it does not hide the others, which are compiled and linted while its error keeps out/ as it is.
  const notRun = !options.runDespiteTypeErrors && project.diagnostics.some((d) => d.severity === 'error' && (d.rule === TYPE_ERROR || d.rule === INPUT_UNREADABLE));
  const invalid = project.diagnostics.some((d) => d.severity === 'error' && d.rule === INVALID);
  if (notRun || invalid) return { project, diagnostics, compileTime: 0, sloFiles };
  const loadErrors = project.diagnostics.some((d) => d.severity === 'error');
  options.onPhase?.('compiling');
  const started = performance.now();
  let compiled: CompiledProject;
  // mon-build: a system whose resources and what its compile reads of the others are unchanged is not compiled again.
  const memo = options.compileRecords && project.digests ? readCompileMemo(project.paths, project.digests.keys()) : undefined;
  try {
    compiled = compileProject(project, sloInputs, { testFiles: !options.editor, outputs: options.outputs, memo });
    if (memo) writeCompileMemo(project.paths, memo);
  } catch (error) {
    // Values that do not type-check, or a project missing what a definition that threw would have
    // declared, can trip the compiler; their errors already say why.
    if (!loadErrors) throw error;
    return { project, diagnostics, compileTime: performance.now() - started, sloFiles };
  }
  const compileTime = performance.now() - started;
  diagnostics.push(...compiled.diagnostics);
  return { project, compiled, diagnostics, compileTime, sloFiles, compileReused: memo && [...memo.reused].sort() };
}

/** What marks a YAML file as an SLO spec; other YAML in definitions/ (files read by fromFile()) is left alone. */
const SLO_SPEC = /^\s*(apiVersion:\s*["']?openslo\/|version:\s*["']?prometheus\/v1)/im;

/**
 * The OpenSLO and Sloth files of definitions/, read (not yet resolved: that needs the
 * compiled metric catalog). Each belongs to the system of the folder it is in.
 */
function readDefinitionSlos(project: LoadedProject, diagnostics: Diagnostic[]): { files: string[]; read: DefinitionSloFiles } {
  const inputs = emptyInputs(emptyCatalog());
  const files: string[] = [];
  const definitionsDir = project.config.definitionsDir;
  for (const file of project.yamlFiles) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (!SLO_SPEC.test(text)) continue;
    const segments = path.relative(definitionsDir, file).split(path.sep);
    if (segments.length < 2) {
      diagnostics.push({
        rule: INVALID,
        severity: 'error',
        message: `an SLO file belongs to the system of its folder: move it to definitions/<system>/${segments[0]}`,
        where: { file, start: 0, end: 0 },
      });
      continue;
    }
    files.push(file);
    readInputFile(file, inputs, { system: segments[0]! });
  }
  diagnostics.push(...inputs.diagnostics);
  return { files, read: { openslo: inputs.openslo, sloth: inputs.sloth } };
}
