import { createHash } from 'node:crypto';
import path from 'node:path';
import { serialize } from 'node:v8';
import type { Diagnostic } from '../model/diagnostic.js';
import type { LoadedResource } from '../model/project-model.js';
import type { ResourceKind } from '../model/resource.js';
import { originOf } from '../model/source-location.js';
import { listDefinitionFiles, systemOf } from './collect.js';
import type { EvaluatedDefinitions } from './evaluate.js';
import type { ProjectPaths } from './project.js';
import { readSystemRecord, writeSystemRecord } from './system-cache.js';
import { decode, encode, type Encoded } from './transfer.js';

/**
 * mon-build's evaluation, one system at a time: a system (a folder of definitions/, or a file
 * directly in it) whose inputs did not change since it was last evaluated gives the resources it
 * gave then, and only the system files of the others run (the worker's `modules`, as for an
 * editor's evaluation, see editor-evaluation.ts). A system's record holds its resources as the
 * worker transfers them and is valid while everything it read is as it was: its system files and
 * every local module they import (libraries included), mon.config.ts and what it imports, every data
 * file and environment variable the evaluation that wrote it read (of any system: a read is not
 * always attributable to one), and moncode itself (system-cache.ts). The index record holds the
 * definitions folder mon.config.ts named, valid while mon.config.ts, what it imports and every path the
 * type-check's module resolution found absent are as they were.
 *
 * The merge equals a full evaluation or is not used: an evaluation with any problem, a module that ran
 * reaching a module of a system that did not (or the other way round: they would share objects), a
 * resource that ran equal to one of a system that did not (a full evaluation counts an object exported
 * twice once), a definitions folder or listing other than planned: each is evaluated again in full.
 */
interface SystemEvaluation {
  definitionsDir: string;
  /** The system's files, in listing order. */
  modules: string[];
  resources: Array<Omit<LoadedResource, 'value'>>;
  values: Encoded;
  /** Where each resource was made (`madeAt`). */
  hashes: string[];
  /**
   * Where each object its resources hold that a module of another system or a library made was made
   * (`madeAt`): a full evaluation gives every system importing that module the same object (one
   * datasource, one rule), which the compiler tells apart by identity, so systems that share one run together.
   */
  foreign: string[];
  /** Each of its system files and the local modules it imports, transitively. */
  reaches: Record<string, string[]>;
  /** What the evaluation that wrote it read for it: modules, data files. */
  files: string[];
  /** `resourcesDigest` of its resources, and of its datasources alone: what compiling reads of it (compile/memo.ts). */
  digest: SystemDigest;
  env: Record<string, string | null>;
}

interface IndexRecord {
  definitionsDir: string;
}

const INDEX = '\0index';

export interface EvaluationPlan {
  definitionsDir: string;
  systems: string[];
  /** Systems taken from their records, by name. */
  cached: Map<string, SystemEvaluation>;
  /** The system files to run (those of the other systems). */
  run: string[];
}

function bySystem(definitionsDir: string, files: readonly string[]): Map<string, string[]> {
  const systems = new Map<string, string[]>();
  for (const file of files) {
    const system = systemOf(definitionsDir, file);
    systems.set(system, [...(systems.get(system) ?? []), file]);
  }
  return systems;
}

/** Which systems can be taken from their records; undefined: none, run everything. */
export function planEvaluation(paths: ProjectPaths): EvaluationPlan | undefined {
  const hashes = new Map<string, string | null>();
  const index = readSystemRecord<IndexRecord>(paths, 'evaluation', INDEX, hashes);
  if (!index || typeof index.payload.definitionsDir !== 'string') return undefined;
  const { definitionsDir } = index.payload;
  let systems: string[];
  try {
    systems = listDefinitionFiles(definitionsDir).systems;
  } catch {
    return undefined;
  }
  const cached = new Map<string, SystemEvaluation>();
  /** Each system's `foreign` as last recorded, also of systems whose record is out of date. */
  const previousForeign = new Map<string, string[]>();
  for (const [system, modules] of bySystem(definitionsDir, systems)) {
    const read = readSystemRecord<SystemEvaluation>(paths, 'evaluation', system, hashes, true);
    if (Array.isArray(read?.payload.foreign)) previousForeign.set(system, read!.payload.foreign);
    const record = read?.current ? read.payload : undefined;
    if (
      record &&
      record.definitionsDir === definitionsDir &&
      sameList(record.modules, modules) &&
      Array.isArray(record.resources) &&
      record.hashes?.length === record.resources.length &&
      typeof record.digest?.resources === 'string' &&
      typeof record.digest.datasources === 'string'
    )
      cached.set(system, record);
  }
  // A system that runs, runs with every system sharing an object with it (see `foreign`).
  for (let grown = true; grown;) {
    grown = false;
    const running = new Set(systems.map((file) => systemOf(definitionsDir, file)).filter((system) => !cached.has(system)));
    const runningForeign = new Set([...running].flatMap((system) => previousForeign.get(system) ?? []));
    // Two records decoded apart give two objects where a full evaluation gives one: systems sharing one are not both taken from records.
    const seen = new Set<string>();
    const sharedCached = new Set<string>();
    for (const record of cached.values()) for (const key of new Set(record.foreign)) (seen.has(key) ? sharedCached : seen).add(key);
    for (const [system, record] of cached) {
      if (!record.foreign.some((key) => runningForeign.has(key) || sharedCached.has(key))) continue;
      cached.delete(system);
      grown = true;
    }
  }
  if (cached.size === 0) return undefined;
  return { definitionsDir, systems, cached, run: systems.filter((file) => !cached.has(systemOf(definitionsDir, file))) };
}

/**
 * The whole project's evaluation from `ran` (the plan's `run`) and the records of the others, or
 * undefined when it might differ from a full evaluation (see above).
 */
export function mergePlanned(plan: EvaluationPlan, definitionsDir: string, systems: readonly string[], ran: EvaluatedDefinitions): EvaluatedDefinitions | undefined {
  if (definitionsDir !== plan.definitionsDir || !sameList(systems, plan.systems) || ran.diagnostics.length > 0 || ran.shared) return undefined;
  const imports = new Map(Object.entries(ran.imports));
  const cachedModules = new Set([...plan.cached.values()].flatMap((record) => record.modules));
  const ranModules = new Set(plan.run);
  for (const file of plan.run) for (const reached of closure(file, imports)) if (cachedModules.has(reached)) return undefined;
  for (const record of plan.cached.values()) for (const reached of Object.values(record.reaches).flat()) if (ranModules.has(reached)) return undefined;
  const cachedHashes = new Set([...plan.cached.values()].flatMap((record) => record.hashes));
  for (const resource of ran.resources) if (cachedHashes.has(madeAt(resource.value))) return undefined;
  const cachedForeign = new Set([...plan.cached.values()].flatMap((record) => record.foreign));
  for (const [system, modules] of bySystem(definitionsDir, plan.run)) {
    if (
      foreignMade(
        ran.resources.filter((resource) => resource.system === system),
        modules,
      ).some((key) => cachedForeign.has(key))
    )
      return undefined;
  }

  const byModule = new Map<string, LoadedResource[]>(systems.map((file) => [file, []]));
  for (const record of plan.cached.values()) {
    const values = decode(record.values);
    record.resources.forEach((resource, i) => byModule.get(resource.module)?.push({ ...resource, kind: resource.kind as ResourceKind, value: values[i] }));
  }
  for (const resource of ran.resources) byModule.get(resource.module)?.push(resource);
  const files = new Set(ran.files);
  const env: Record<string, string | null> = {};
  for (const record of plan.cached.values()) {
    for (const file of record.files) files.add(file);
    Object.assign(env, record.env);
  }
  Object.assign(env, ran.env);
  return { ...ran, resources: systems.flatMap((file) => byModule.get(file) ?? []), files: [...files], env };
}

/**
 * Records the systems that ran (all of them, or the plan's `run`) and the index, after an
 * evaluation without problems whose resources are each exported once. Returns the `resourcesDigest`
 * of each system that ran and could be recorded (by system).
 */
export function recordEvaluation(
  paths: ProjectPaths,
  startedAt: number,
  definitionsDir: string,
  systems: readonly string[],
  ranFiles: readonly string[],
  ran: EvaluatedDefinitions,
  absent: readonly string[],
): Map<string, SystemDigest> {
  const digests = new Map<string, SystemDigest>();
  if (ran.diagnostics.length > 0 || ran.shared) return digests;
  const imports = new Map(Object.entries(ran.imports));
  const configReaches = paths.configFile ? [...closure(paths.configFile, imports)] : [];
  const packages = [path.join(paths.root, 'package.json'), path.join(paths.root, 'node_modules', '.package-lock.json')];
  const dataFiles = ran.files.filter((file) => !imports.has(file));
  const resourcesOf = new Map<string, LoadedResource[]>();
  for (const resource of ran.resources) resourcesOf.set(resource.system, [...(resourcesOf.get(resource.system) ?? []), resource]);
  for (const [system, modules] of bySystem(definitionsDir, ranFiles)) {
    const resources = resourcesOf.get(system) ?? [];
    const problems: Diagnostic[] = [];
    const values = encode(
      resources.map((resource) => resource.value),
      problems,
      modules[0]!,
    );
    if (problems.length > 0) continue;
    const meta = resources.map(({ kind, system: of, module, exportPath }) => ({ kind, system: of, module, exportPath }));
    const datasources = resources.filter((resource) => resource.kind === 'datasource');
    const datasourceValues = encode(
      datasources.map((resource) => resource.value),
      problems,
      modules[0]!,
    );
    if (problems.length > 0) continue;
    const digest: SystemDigest = {
      resources: resourcesDigest(meta, values),
      datasources: resourcesDigest(
        datasources.map(({ kind, system: of, module, exportPath }) => ({ kind, system: of, module, exportPath })),
        datasourceValues,
      ),
    };
    digests.set(system, digest);
    const reaches = Object.fromEntries(modules.map((file) => [file, [...closure(file, imports)]]));
    const read = [...new Set([...Object.values(reaches).flat(), ...dataFiles])];
    const record: SystemEvaluation = {
      definitionsDir,
      modules,
      resources: meta,
      values,
      hashes: resources.map((resource) => madeAt(resource.value)),
      foreign: foreignMade(resources, modules),
      reaches,
      files: read,
      env: ran.env,
      digest,
    };
    if (!writeSystemRecord(paths, 'evaluation', system, { files: [...read, ...configReaches, ...packages], env: ran.env }, record, startedAt)) return digests;
  }
  // Systems that are gone keep their records: a record names its modules, and a system folder coming back is checked like any other.
  if (systems.length > 0) writeSystemRecord<IndexRecord>(paths, 'evaluation', INDEX, { files: [...configReaches, ...absent, ...packages], env: {} }, { definitionsDir }, startedAt);
  return digests;
}

/** Digests of a system's evaluated resources: all of them, and its datasources alone. */
export interface SystemDigest {
  resources: string;
  datasources: string;
}

/**
 * One system's resources as evaluated (what each is, where it was exported, and its value with
 * moncode's marks, where each part was written among them): equal digests, equal input to its compile.
 */
function resourcesDigest(resources: ReadonlyArray<Omit<LoadedResource, 'value'>>, values: Encoded): string {
  return createHash('sha1')
    .update(serialize([resources, values]))
    .digest('hex');
}

/** `madeAt` of every object the resources hold that none of `modules` made (see SystemEvaluation's `foreign`). */
function foreignMade(resources: readonly LoadedResource[], modules: readonly string[]): string[] {
  const own = new Set(modules);
  const found = new Set<string>();
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    const origin = originOf(value);
    if (origin && !own.has(origin.file)) found.add(madeAt(value));
    for (const item of Array.isArray(value) ? value : Object.values(value)) visit(item);
  };
  for (const resource of resources) visit(resource.value);
  return [...found].sort();
}

/**
 * Where a resource was made (its call site and the helper calls around it), or its content when it
 * does not say: one object exported twice gives the same key both times.
 */
function madeAt(value: unknown): string {
  const origin = originOf(value);
  if (origin) return JSON.stringify([origin.file, origin.start, origin.end, ...(origin.via ?? []).map((call) => [call.file, call.start, call.end])]);
  return createHash('sha1')
    .update(serialize(encode([value], [], '')))
    .digest('hex');
}

/** `file` and every module it imports, directly or not. */
export function closure(file: string, imports: ReadonlyMap<string, string[]>): Set<string> {
  const reached = new Set<string>();
  const visit = (at: string): void => {
    if (reached.has(at)) return;
    reached.add(at);
    for (const next of imports.get(at) ?? []) visit(next);
  };
  visit(file);
  return reached;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
