import path from 'node:path';
import { diffOut, isClean, writeOut, type OutDiff } from '../emit/out-dir.js';
import type { LoadedProject } from '../load/index.js';
import { findProject } from '../load/project.js';
import { INPUT_UNREADABLE, NO_DEFINITIONS, type Diagnostic } from '../model/diagnostic.js';
import { cachedBuild, readLintMemo, recordBuild, writeLintMemo, type RecordedReport } from './build-cache.js';
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
  /** Told what the build does next, for a progress display. */
  onPhase?: (phase: string) => void;
}

interface BuildTimings {
  typecheck: number;
  typecheckCached: boolean;
  load: number;
  compile: number;
  lint: number;
  write: number;
  /** The systems the lint ran `container` and `facts` rules over (the others' findings were reused), of how many. */
  lintSystems?: { linted: string[]; total: number };
  /** The systems whose dashboards and rule groups were taken from the last build's compile (compile-records.ts), of how many. */
  compileSystems?: { reused: number; total: number };
  /** Nothing the build reads changed since the last clean build: its outputs and diagnostics were replayed. */
  cached?: boolean;
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
  /** 2: a definition could not be read (it does not parse). */
  exitCode: 0 | 1 | 2;
}

/**
 * `mon-build`: load and type-check definitions/, compile, lint, and write out/
 * when there are no errors. Throws `UnusableInputError` for an unusable project.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const startedAt = Date.now();
  const paths = findProject(options.cwd, options.config);
  const hit = cachedBuild(paths);
  if (hit) {
    const timings: BuildTimings = { typecheck: 0, typecheckCached: true, load: 0, compile: 0, lint: 0, write: 0, cached: true };
    const reported = hit.reported && hit.reported.cwd === options.cwd && hit.reported.maxInput === maxInput() ? hit.reported.diagnostics : undefined;
    return finish(options, hit.project, hit.diagnostics, hit.outputs, hit.fileCount, hit.readFiles, timings, reported);
  }
  options.onPhase?.('type-checking and running definitions');
  const { project, compiled, diagnostics, compileTime, sloFiles, compileReused } = await loadAndCompile({
    cwd: options.cwd,
    config: options.config,
    timeLimitMs: options.timeLimitMs,
    onPhase: options.onPhase,
    compileRecords: true,
  });
  const timings: BuildTimings = { ...project.timings, compile: compileTime, lint: 0, write: 0 };
  if (compileReused) timings.compileSystems = { reused: compileReused.length, total: project.digests?.size ?? 0 };
  if (project.files.length + sloFiles.length === 0) {
    const folder = path.relative(options.cwd, project.config.definitionsDir) || '.';
    diagnostics.push({ rule: NO_DEFINITIONS, severity: 'warning', message: `${folder}/ holds no definitions (no .ts module, OpenSLO or Sloth file): nothing was built` });
  }
  let outputs: OutputFile[] = [];
  const read = new Set([...project.readFiles, ...sloFiles]);

  if (compiled) {
    outputs = compiled.outputs;
    const started = performance.now();
    options.onPhase?.('linting');
    // Each system's findings are reused while it and what it reads of the others are unchanged.
    const memo = readLintMemo(paths);
    diagnostics.push(...lintCompiled(project, compiled, options.cwd, (file) => read.add(path.resolve(file)), memo));
    writeLintMemo(paths, memo);
    timings.lintSystems = {
      linted: [...memo.linted.facts].sort(),
      total: new Set([...compiled.dashboards, ...compiled.ruleGroups, ...compiled.alertmanagers, ...compiled.slos].map((c) => c.system)).size,
    };
    timings.lint = performance.now() - started;
  }

  const result = finish(options, project, diagnostics, outputs, project.files.length + sloFiles.length, [...read].sort(), timings);
  if (result.summary.errors === 0) {
    const inputs = new Set(result.readFiles);
    const reported: RecordedReport | undefined = result.sources.textFiles().every((file) => inputs.has(path.resolve(file)))
      ? { cwd: options.cwd, maxInput: maxInput(), diagnostics: result.diagnostics }
      : undefined;
    recordBuild(paths, startedAt, { project, diagnostics, outputs, fileCount: project.files.length + sloFiles.length, readFiles: result.readFiles, env: project.env, reported });
  }
  return result;
}

function maxInput(): string | null {
  return process.env.MONCODE_MAX_INPUT_MIB ?? null;
}

/** Reports, then writes out/ (or compares it, for --check) when there are no errors. */
function finish(
  options: BuildOptions,
  project: LoadedProject,
  diagnostics: Diagnostic[],
  outputs: OutputFile[],
  fileCount: number,
  readFiles: string[],
  timings: BuildTimings,
  recorded?: ReportedDiagnostic[],
): BuildResult {
  const sources = new SourceIndex();
  const reported = recorded ?? resolveDiagnostics(diagnostics, sources, options.cwd);
  const summary = summarize(reported, fileCount);
  const failed = summary.errors > 0;
  let diff: OutDiff | undefined;
  let wrote = false;
  const started = performance.now();
  if (!failed) options.onPhase?.(options.check ? 'comparing out/' : 'writing out/');
  if (options.check) {
    if (!failed) diff = diffOut(project.config.outDir, outputs);
  } else if (!failed) {
    diff = writeOut(project.config.outDir, outputs);
    wrote = !isClean(diff);
  }
  timings.write = performance.now() - started;
  const stale = options.check && diff !== undefined && !isClean(diff);
  return { project, diagnostics: reported, summary, outputs, diff, wrote, sources, timings, readFiles, exitCode: diagnostics.some((d) => d.rule === INPUT_UNREADABLE) ? 2 : failed || stale ? 1 : 0 };
}
