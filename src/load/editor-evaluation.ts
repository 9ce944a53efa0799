import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../model/diagnostic.js';
import type { LoadedResource } from '../model/project-model.js';
import type { EvaluatedDefinitions } from './evaluate.js';
import { closure } from './evaluation-cache.js';

/**
 * What the editor's last evaluation of a project left: the resources of each system file and
 * the hash of every file it ran or read, so that the next one runs only the system files an
 * edit reaches (they, or a module they import, changed) and takes the others' resources as
 * they were. Kept per project in the editor's lint thread, which lints again at every edit.
 */
interface Previous {
  configFile: string | undefined;
  systems: string[];
  /** Each system file's resources, in the order the evaluation collected them. */
  resources: Map<string, LoadedResource[]>;
  /** Each system file and the local modules it imports, transitively. */
  reaches: Map<string, Set<string>>;
  /** Every local module and data file the evaluations read, with the hash of its text then. */
  hashes: Map<string, string | undefined>;
  /** Data files (read by definitions, not run): a change to one runs everything. */
  dataFiles: Set<string>;
  files: string[];
  env: Record<string, string | null>;
}

const previous = new Map<string, Previous>();

/** How many system files the last editor evaluation ran, of how many (the plugin logs it). */
export const lastEditorEvaluation = { ran: 0, of: 0 };

/** Forgets every project's last evaluation: the next one runs every module. */
export function forgetEditorEvaluations(): void {
  previous.clear();
}

/**
 * The system files to run now (undefined: all of them), given the last evaluation of the
 * project, and the hashes of the files it read as they are now (before this evaluation reads them).
 */
export function modulesToRun(
  key: string,
  configFile: string | undefined,
  systems: readonly string[],
  overlay: Readonly<Record<string, string>>,
): { modules: string[] | undefined; hashes: Map<string, string | undefined> } {
  const last = previous.get(key);
  const hashes = new Map<string, string | undefined>();
  if (!last || last.configFile !== configFile || last.systems.join('\n') !== systems.join('\n')) return { modules: undefined, hashes };
  const changed = new Set<string>();
  for (const [file, hash] of last.hashes) {
    const now = hashOf(file, overlay);
    hashes.set(file, now);
    if (now !== hash) changed.add(file);
  }
  if ((configFile && changed.has(configFile)) || [...changed].some((file) => last.dataFiles.has(file))) return { modules: undefined, hashes };
  const reaches = (system: string, file: string) => last.reaches.get(system)?.has(file) === true;
  const run = new Set(systems.filter((system) => [...changed].some((file) => reaches(system, file))));
  // A changed file no system file reaches (it was read some other way): run everything.
  if ([...changed].some((file) => ![...run].some((system) => reaches(system, file)))) return { modules: undefined, hashes };
  // System files importing one another share objects (a dashboard's datasource is the one its
  // datasources module exports): they run together, or a fresh object would meet a stale one.
  for (let grown = true; grown;) {
    grown = false;
    for (const system of systems) {
      if (run.has(system)) continue;
      if ([...run].some((other) => reaches(other, system) || reaches(system, other))) {
        run.add(system);
        grown = true;
      }
    }
  }
  return { modules: systems.filter((system) => run.has(system)), hashes };
}

/** What the editor's evaluation gives: what a whole evaluation gives, some of it taken from the previous lint. */
export type EditorEvaluated = EvaluatedDefinitions;

/**
 * The evaluation of every system file: `ran` (of the system files `modules`, or all of them)
 * merged with the last evaluation's resources of the others. It is remembered for the next
 * edit only when it can be reused: without problems (which may have come from any module) and
 * without a resource two modules export (a full evaluation counts it for the first one only).
 */
export function mergeEvaluation(
  key: string,
  configFile: string | undefined,
  systems: readonly string[],
  modules: readonly string[] | undefined,
  /** The hashes `modulesToRun` read before the evaluation (files it had not read are read now). */
  before: ReadonlyMap<string, string | undefined>,
  overlay: Readonly<Record<string, string>>,
  ran: EditorEvaluated,
): EditorEvaluated {
  const last = modules ? previous.get(key) : undefined;
  const byModule = new Map<string, LoadedResource[]>(modules && last ? [...last.resources] : []);
  for (const system of modules ?? systems) byModule.set(system, []);
  for (const resource of ran.resources) byModule.get(resource.module)?.push(resource);
  const resources = systems.flatMap((system) => byModule.get(system) ?? []);
  const files = [...new Set([...(last?.files ?? []), ...ran.files])];
  const env = { ...last?.env, ...ran.env };
  previous.delete(key);
  lastEditorEvaluation.ran = (modules ?? systems).length;
  lastEditorEvaluation.of = systems.length;
  if (ran.diagnostics.length === 0 && !ran.shared) {
    const imports = new Map<string, string[]>(Object.entries(ran.imports));
    const reaches = new Map<string, Set<string>>(modules && last ? [...last.reaches] : []);
    for (const system of modules ?? systems) reaches.set(system, closure(system, imports));
    const modulesRead = new Set([...reaches.values()].flatMap((set) => [...set]));
    const dataFiles = new Set(files.filter((file) => !modulesRead.has(file) && file !== configFile));
    const hashes = new Map<string, string | undefined>();
    for (const file of [...modulesRead, ...dataFiles, ...(configFile ? [configFile] : [])]) hashes.set(file, before.has(file) ? before.get(file) : hashOf(file, overlay));
    previous.set(key, { configFile, systems: [...systems], resources: byModule, reaches, hashes, dataFiles, files, env });
  }
  return { ...ran, resources, files, env };
}

function hashOf(file: string, overlay: Readonly<Record<string, string>>): string | undefined {
  let text = overlay[file];
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }
  return createHash('sha1').update(text).digest('hex');
}
