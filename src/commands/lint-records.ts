import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { LintMemo, type SystemLintRecord } from '../lint/engine.js';
import { writeFileAtomic } from '../load/modules.js';
import type { ProjectPaths } from '../load/project.js';
import { moncodeIdentity } from '../load/system-cache.js';

/**
 * mon-build's lint findings per system, kept in the cache folder from one build to the next (see
 * `LintMemo`): one file per system, so an edit rewrites only its system's. A record of another moncode
 * (its dist/ or versions changed) is no record.
 */
interface StoredRecord {
  key: string;
  system: string;
  record: SystemLintRecord;
}

function folderOf(paths: ProjectPaths): string {
  const id = createHash('sha1')
    .update(JSON.stringify([paths.root, paths.configFile ?? null]))
    .digest('hex')
    .slice(0, 12);
  return path.join(paths.cacheDir, `lint-${id}`);
}

const fileOf = (folder: string, system: string) => path.join(folder, `${createHash('sha1').update(system).digest('hex').slice(0, 16)}.json`);

export function readLintMemo(paths: ProjectPaths): LintMemo {
  const memo = new LintMemo();
  const folder = folderOf(paths);
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    return memo;
  }
  const key = moncodeIdentity(paths);
  for (const name of names) {
    try {
      const stored = JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as StoredRecord;
      const record = stored.record;
      if (stored.key !== key || typeof stored.system !== 'string' || typeof record?.content !== 'string' || !Array.isArray(record.container)) continue;
      if (record.facts !== undefined && (typeof record.facts?.digest !== 'string' || !Array.isArray(record.facts.problems))) continue;
      memo.systems.set(stored.system, record);
    } catch {
      // A damaged record is no record.
    }
  }
  return memo;
}

/** Writes the records the last lint changed, and removes those of systems that are gone. */
export function writeLintMemo(paths: ProjectPaths, memo: LintMemo): void {
  const folder = folderOf(paths);
  const key = moncodeIdentity(paths);
  try {
    for (const system of memo.written) {
      const record = memo.systems.get(system);
      const file = fileOf(folder, system);
      if (record) writeFileAtomic(file, JSON.stringify({ key, system, record } satisfies StoredRecord));
      else rmSync(file, { force: true });
    }
    const kept = new Set([...memo.systems.keys()].map((system) => path.basename(fileOf(folder, system))));
    for (const name of readdirSync(folder)) if (name.endsWith('.json') && !kept.has(name)) rmSync(path.join(folder, name), { force: true });
  } catch {
    // Records that cannot be written cost the next build its speed, nothing else.
  }
}
