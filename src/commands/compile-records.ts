import { CompileMemo, type SystemCompileRecord } from '../compile/memo.js';
import type { ProjectPaths } from '../load/project.js';
import { readSystemRecord, writeSystemRecord } from '../load/system-cache.js';

/**
 * mon-build's compile records (see CompileMemo), in the cache's per-system records: one per system,
 * and one of the rendered files. Each is valid by its key (a digest of what it was made from), so it
 * reads no file; a record of another moncode, damaged or partial, is no record.
 */
const RENDERED = '\0rendered';

export function readCompileMemo(paths: ProjectPaths, systems: Iterable<string>): CompileMemo {
  const memo = new CompileMemo();
  for (const system of systems) {
    const read = readSystemRecord<SystemCompileRecord>(paths, 'compile', system);
    if (typeof read?.payload?.key === 'string' && read.payload.payload instanceof Uint8Array) memo.systems.set(system, read.payload);
  }
  const rendered = readSystemRecord<Map<string, string>>(paths, 'compile', RENDERED);
  if (rendered?.payload instanceof Map) for (const [key, content] of rendered.payload) if (typeof content === 'string') memo.rendered.set(key, content);
  return memo;
}

/** Writes the records the last compile made, and the rendered files it used (older ones are dropped). */
export function writeCompileMemo(paths: ProjectPaths, memo: CompileMemo): void {
  const startedAt = Date.now();
  const none = { files: [], env: {} };
  for (const [system, record] of memo.written) writeSystemRecord(paths, 'compile', system, none, record, startedAt);
  const same = memo.renderedNow.size === memo.rendered.size && [...memo.renderedNow.keys()].every((key) => memo.rendered.has(key));
  if (!same) writeSystemRecord(paths, 'compile', RENDERED, none, memo.renderedNow, startedAt);
}
