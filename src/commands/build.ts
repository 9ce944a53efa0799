import path from 'node:path';
import { diffOut, isClean, writeOut, type OutDiff } from '../emit/out-dir.js';
import type { LoadedProject } from '../load/index.js';
import type { OutputFile } from '../model/project-model.js';
import { SourceIndex } from '../source/source-index.js';
import { lintCompiled } from './lint.js';
import { loadAndCompile } from './project.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic, type Summary } from '../report/resolve.js';

export interface BuildOptions {
  cwd: string;
  config?: string;
  /** Compare out/ with what would be written instead of writing. */
  check?: boolean;
  /** How long mon.config.ts, and then the definitions, may run. */
  timeLimitMs?: number;
}

interface BuildTimings {
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
  /**
   * Every file the build read or looked for, sorted: mon.config.ts, definitions and what they
   * import, tsconfig.json, OpenSLO and Sloth files, runbook pages the runbook rules resolved (also paths that did not exist).
   */
  readFiles: string[];
  exitCode: 0 | 1;
}

/**
 * `mon-build`: load and type-check definitions/, compile, lint, and write out/
 * when there are no errors. Throws `UnusableInputError` for an unusable project.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const { project, compiled, diagnostics, compileTime, sloFiles } = await loadAndCompile({ cwd: options.cwd, config: options.config, timeLimitMs: options.timeLimitMs });
  const timings: BuildTimings = { ...project.timings, compile: compileTime, lint: 0, write: 0 };
  let outputs: OutputFile[] = [];
  const read = new Set([...project.readFiles, ...sloFiles]);

  if (compiled) {
    outputs = compiled.outputs;
    const started = performance.now();
    diagnostics.push(...lintCompiled(project, compiled, options.cwd, (file) => read.add(path.resolve(file))));
    timings.lint = performance.now() - started;
  }

  const sources = new SourceIndex();
  const reported = resolveDiagnostics(diagnostics, sources, options.cwd);
  const summary = summarize(reported, project.files.length + sloFiles.length);
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
  return { project, diagnostics: reported, summary, outputs, diff, wrote, sources, timings, readFiles: [...read].sort(), exitCode: failed || stale ? 1 : 0 };
}
