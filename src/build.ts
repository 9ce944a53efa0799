import { compileProject, type OutputFile } from './compile/index.js';
import { diffOut, isClean, writeOut, type OutDiff } from './emit/out-dir.js';
import { loadProject, type LoadedProject } from './load/index.js';
import { SourceIndex } from './load/source-index.js';
import { lintCompiled } from './lint/run.js';
import type { Diagnostic } from './model/diagnostic.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic, type Summary } from './report/resolve.js';

export interface BuildOptions {
  cwd: string;
  config?: string;
  /** Compare out/ with what would be written instead of writing. */
  check?: boolean;
}

export interface BuildTimings {
  typecheck: number;
  typecheckCached: boolean;
  load: number;
  compile: number;
  lint: number;
  write: number;
}

export interface BuildResult {
  project: LoadedProject;
  diagnostics: ReportedDiagnostic[];
  summary: Summary;
  outputs: OutputFile[];
  /** How out/ differed from the build (before writing, or for --check). */
  diff?: OutDiff;
  /** Whether out/ was (re)written. */
  wrote: boolean;
  sources: SourceIndex;
  timings: BuildTimings;
  exitCode: 0 | 1;
}

/**
 * `mon-build`: load and type-check definitions/, compile, lint, and write out/
 * when there are no errors. Throws `UnusableInputError` for an unusable project.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const project = await loadProject({ cwd: options.cwd, config: options.config });
  const diagnostics: Diagnostic[] = [...project.diagnostics];
  const timings: BuildTimings = { ...project.timings, compile: 0, lint: 0, write: 0 };
  let outputs: OutputFile[] = [];

  if (!diagnostics.some((d) => d.severity === 'error')) {
    let started = performance.now();
    const compiled = compileProject(project);
    timings.compile = performance.now() - started;
    diagnostics.push(...compiled.diagnostics);
    outputs = compiled.outputs;
    started = performance.now();
    diagnostics.push(...lintCompiled(project, compiled, options.cwd));
    timings.lint = performance.now() - started;
  }

  const sources = new SourceIndex();
  const reported = resolveDiagnostics(diagnostics, sources, options.cwd);
  const summary = summarize(reported, project.files.length);
  const failed = summary.errors > 0;
  let diff: OutDiff | undefined;
  let wrote = false;
  const started = performance.now();
  if (options.check) {
    if (!failed) diff = diffOut(project.config.outDir, outputs);
  } else if (!failed) {
    diff = writeOut(project.config.outDir, outputs);
    wrote = !isClean(diff);
  }
  timings.write = performance.now() - started;
  const stale = options.check && diff !== undefined && !isClean(diff);
  return { project, diagnostics: reported, summary, outputs, diff, wrote, sources, timings, exitCode: failed || stale ? 1 : 0 };
}
