import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { writeFileAtomic } from './modules.js';
import { MONCODE_DIST, MONCODE_VERSION, type ProjectPaths } from './project.js';

/**
 * Records of one system's share of a build (its evaluated resources, its compiled files, its lint
 * findings), each valid while everything it read is as it was: the hash of every file it read or
 * looked for (null: absent, `dir:…`: a folder's listing), the environment variables it read, and
 * moncode itself. All of them live in one folder of the cache, one file per layer and system, and
 * are read and written only here: a record that cannot be read, is partial, or was written by
 * another moncode is a miss, never an error.
 */
export type RecordLayer = 'evaluation' | 'compile' | 'lint';

export interface RecordInputs {
  /** Absolute path → content hash (`inputHash`), null when there was nothing there. */
  files: Record<string, string | null>;
  /** Variable name → value, null when unset. */
  env: Record<string, string | null>;
}

interface StoredRecord<T> {
  identity: string;
  layer: RecordLayer;
  name: string;
  inputs: RecordInputs;
  payload: T;
}

const RECORD_VERSION = 2;

/** The folder every per-system record lives in. */
export function systemRecordsDir(paths: ProjectPaths): string {
  return path.join(paths.cacheDir, 'systems');
}

/** The file of one layer's record of one system (any name: a system, or a name a layer gives a group of them). */
export function systemRecordFile(paths: ProjectPaths, layer: RecordLayer, name: string): string {
  const id = createHash('sha1').update(name).digest('hex').slice(0, 20);
  return path.join(systemRecordsDir(paths), `${layer}-${id}.bin`);
}

let distHash: string | undefined;

/**
 * moncode as it runs, for one project: its version, every file of dist/, TypeScript's and Node's
 * versions, the project's root and config file, what limits reading. A record made by any other
 * moncode is not used.
 */
export function moncodeIdentity(paths: ProjectPaths): string {
  if (!distHash) {
    const hash = createHash('sha1').update(JSON.stringify([RECORD_VERSION, MONCODE_VERSION, MONCODE_DIST, process.version, typescriptVersion()]));
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (!entry.name.endsWith('.map')) hash.update(entry.name).update(readFileSync(full));
      }
    };
    walk(MONCODE_DIST);
    distHash = hash.digest('hex');
  }
  return createHash('sha1')
    .update(JSON.stringify([distHash, paths.root, paths.configFile ?? null, process.env.MONCODE_MAX_INPUT_MIB ?? null]))
    .digest('hex');
}

function typescriptVersion(): string {
  const manifest = createRequire(import.meta.url).resolve('typescript/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** A file's content hash, a folder's listing, or null for nothing there. */
export function inputHash(file: string): string | null {
  try {
    if (statSync(file).isDirectory()) return `dir:${createHash('sha1').update(readdirSync(file).sort().join('\0')).digest('hex')}`;
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** Whether every input is as recorded (`hashes` caches file hashes across records of one build). */
export function inputsCurrent(inputs: RecordInputs, hashes = new Map<string, string | null>()): boolean {
  for (const [name, value] of Object.entries(inputs.env)) if ((process.env[name] ?? null) !== value) return false;
  for (const [file, hash] of Object.entries(inputs.files)) {
    let now = hashes.get(file);
    if (now === undefined) hashes.set(file, (now = inputHash(file)));
    if (now !== hash) return false;
  }
  return true;
}

/**
 * The payload of a record whose inputs are all as they were, else undefined; with `stale`, also
 * of a record whose inputs changed (`current` says which).
 */
export function readSystemRecord<T>(
  paths: ProjectPaths,
  layer: RecordLayer,
  name: string,
  hashes?: Map<string, string | null>,
  stale = false,
): { payload: T; inputs: RecordInputs; current: boolean } | undefined {
  try {
    const record = deserialize(readFileSync(systemRecordFile(paths, layer, name))) as StoredRecord<T>;
    if (typeof record !== 'object' || record === null || record.identity !== moncodeIdentity(paths) || record.layer !== layer || record.name !== name) return undefined;
    if (typeof record.inputs?.files !== 'object' || typeof record.inputs.env !== 'object') return undefined;
    const current = inputsCurrent(record.inputs, hashes);
    if (!current && !stale) return undefined;
    return { payload: record.payload, inputs: record.inputs, current };
  } catch {
    // A damaged or partial record is no record.
    return undefined;
  }
}

/**
 * Writes a record of `files` (hashed now) and `env`. Not when one of the files changed while the
 * build ran (modified at or after `startedAt`): what the build made of it may be of the older content.
 * Returns whether it was written.
 */
export function writeSystemRecord<T>(
  paths: ProjectPaths,
  layer: RecordLayer,
  name: string,
  read: { files: Iterable<string>; env: Record<string, string | null> },
  payload: T,
  startedAt: number,
): boolean {
  const files: Record<string, string | null> = {};
  for (const file of [...new Set(read.files)].sort()) {
    try {
      if (statSync(file).mtimeMs >= startedAt) return false;
    } catch {
      // absent: recorded as absent
    }
    files[file] = inputHash(file);
  }
  const record: StoredRecord<T> = { identity: moncodeIdentity(paths), layer, name, inputs: { files, env: { ...read.env } }, payload };
  try {
    writeFileAtomic(systemRecordFile(paths, layer, name), serialize(record));
    return true;
  } catch {
    // A cache that cannot be written costs the next build its speed, nothing else.
    return false;
  }
}

/** Removes one layer's record of one system (a system that is gone). */
export function removeSystemRecord(paths: ProjectPaths, layer: RecordLayer, name: string): void {
  try {
    rmSync(systemRecordFile(paths, layer, name), { force: true });
  } catch {
    // A record left behind is never read: its name is in no index.
  }
}
