import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LintMemo, type SystemLintRecord } from '../lint/engine.js';
import { listDefinitionFiles } from '../load/collect.js';
import type { LoadedProject } from '../load/index.js';
import { writeFileAtomic } from '../load/modules.js';
import type { ProjectPaths } from '../load/project.js';
import { inputHash, moncodeIdentity, readSystemRecord, removeSystemRecord, writeSystemRecord } from '../load/system-cache.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { OutputFile } from '../model/project-model.js';
import type { ReportedDiagnostic } from '../report/resolve.js';

/**
 * The last clean build of a project, replayed when nothing it read changed: every file the build
 * read or looked for (mon.config.ts, definitions and what they import, data files they read, tsconfig.json,
 * SLO files, runbook pages, also paths that did not exist) by the hash of its content, the files of
 * definitions/ (a new file is a new input), the environment variables definitions read, and moncode itself
 * (every file of its dist/, TypeScript's and Node's versions). A hit gives the recorded outputs and
 * diagnostics, which out/ is then compared with and written from as after a full build, so a hit cannot
 * give other bytes than the build it recorded; anything else is a full build.
 */
interface BuildRecord {
  key: string;
  definitionsDir: string;
  listing: string;
  inputs: Record<string, string | null>;
  env: Record<string, string | null>;
  project: Omit<LoadedProject, 'resources' | 'config'> & { config: Pick<LoadedProject['config'], 'definitionsDir' | 'outDir'> };
  diagnostics: Diagnostic[];
  reported?: RecordedReport;
  outputs: OutputFile[];
  fileCount: number;
  readFiles: string[];
}

/**
 * The diagnostics as resolved to lines and columns for a build run in `cwd`: locating a property
 * parses the definition with TypeScript, which a replayed build otherwise loads for that alone.
 * Recorded only when every file the locations were read from is an input of the build.
 */
export interface RecordedReport {
  cwd: string;
  /** MONCODE_MAX_INPUT_MIB, which decides which files are read for positions. */
  maxInput: string | null;
  diagnostics: ReportedDiagnostic[];
}

export interface CachedBuild {
  project: LoadedProject;
  diagnostics: Diagnostic[];
  outputs: OutputFile[];
  /** Definitions and SLO files, as the summary counts them. */
  fileCount: number;
  readFiles: string[];
  reported?: RecordedReport;
}

function recordFile(paths: ProjectPaths): string {
  const id = createHash('sha1')
    .update(JSON.stringify([paths.root, paths.configFile ?? null]))
    .digest('hex')
    .slice(0, 12);
  return path.join(paths.cacheDir, `build-${id}.json`);
}

function listingOf(definitionsDir: string): string {
  try {
    return createHash('sha1')
      .update(JSON.stringify(listDefinitionFiles(definitionsDir)))
      .digest('hex');
  } catch {
    return '';
  }
}

/** The recorded build, when everything it read is as it was. */
export function cachedBuild(paths: ProjectPaths): CachedBuild | undefined {
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordFile(paths), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
  try {
    if (typeof record !== 'object' || record === null || record.key !== moncodeIdentity(paths)) return undefined;
    for (const [name, value] of Object.entries(record.env)) if ((process.env[name] ?? null) !== value) return undefined;
    if (listingOf(record.definitionsDir) !== record.listing) return undefined;
    for (const [file, hash] of Object.entries(record.inputs)) if (inputHash(file) !== hash) return undefined;
    if (!Array.isArray(record.outputs) || !Array.isArray(record.diagnostics) || !Array.isArray(record.readFiles)) return undefined;
    const project = { ...record.project, resources: [] } as unknown as LoadedProject;
    const reported = record.reported && Array.isArray(record.reported.diagnostics) ? record.reported : undefined;
    return { project, diagnostics: record.diagnostics, outputs: record.outputs, fileCount: record.fileCount, readFiles: record.readFiles, reported };
  } catch {
    // A damaged record is no record.
    return undefined;
  }
}

/**
 * Records a clean build. Not when an input changed while it ran (modified after `startedAt`): its
 * outputs may be of the older content, so the next build is a full one.
 */
export function recordBuild(paths: ProjectPaths, startedAt: number, build: CachedBuild & { env: Record<string, string | null> }): void {
  const inputs: Record<string, string | null> = {};
  for (const file of build.readFiles) {
    try {
      if (statSync(file).mtimeMs >= startedAt) return;
    } catch {
      // absent: recorded as absent
    }
    inputs[file] = inputHash(file);
  }
  const { definitionsDir, outDir } = build.project.config;
  // A file added to definitions/ while the build ran is not in its outputs.
  const now = (() => {
    try {
      return listDefinitionFiles(definitionsDir);
    } catch {
      return undefined;
    }
  })();
  if (!now || !sameList(now.systems, build.project.files) || !sameList(now.yaml, build.project.yamlFiles)) return;
  const { resources: _resources, config: _config, ...project } = build.project;
  const record: BuildRecord = {
    key: moncodeIdentity(paths),
    definitionsDir,
    listing: listingOf(definitionsDir),
    inputs,
    env: build.env,
    project: { ...project, config: { definitionsDir, outDir } },
    diagnostics: build.diagnostics,
    reported: build.reported,
    outputs: build.outputs,
    fileCount: build.fileCount,
    readFiles: build.readFiles,
  };
  try {
    writeFileAtomic(recordFile(paths), JSON.stringify(record));
  } catch {
    // A cache that cannot be written costs the next build its speed, nothing else.
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * mon-build's lint findings per system (see `LintMemo`), kept from one build to the next as the `lint`
 * layer of the per-system records: one record per system, so an edit rewrites only its system's, and
 * an index naming the systems recorded. A lint record reads no file: it is valid while its content
 * digest is the system's, which `lint()` checks.
 */
const LINT_INDEX = '\0index';
const NO_INPUTS = { files: [], env: {} };

export function readLintMemo(paths: ProjectPaths): LintMemo {
  const memo = new LintMemo();
  const index = readSystemRecord<string[]>(paths, 'lint', LINT_INDEX)?.payload;
  if (!Array.isArray(index)) return memo;
  for (const system of index) {
    if (typeof system !== 'string') continue;
    const record = readSystemRecord<SystemLintRecord>(paths, 'lint', system)?.payload;
    if (typeof record?.content !== 'string' || !Array.isArray(record.container)) continue;
    if (record.facts !== undefined && (typeof record.facts?.digest !== 'string' || !Array.isArray(record.facts.problems))) continue;
    memo.systems.set(system, record);
  }
  return memo;
}

/** Writes the records the last lint changed, and removes those of systems that are gone. */
export function writeLintMemo(paths: ProjectPaths, memo: LintMemo): void {
  const before = readSystemRecord<string[]>(paths, 'lint', LINT_INDEX)?.payload;
  const startedAt = Date.now();
  for (const system of memo.written) {
    const record = memo.systems.get(system);
    if (record) writeSystemRecord(paths, 'lint', system, NO_INPUTS, record, startedAt);
    else removeSystemRecord(paths, 'lint', system);
  }
  const now = [...memo.systems.keys()].sort();
  if (Array.isArray(before)) for (const system of before) if (!memo.systems.has(system)) removeSystemRecord(paths, 'lint', system);
  if (JSON.stringify(before) !== JSON.stringify(now)) writeSystemRecord(paths, 'lint', LINT_INDEX, NO_INPUTS, now, startedAt);
}
