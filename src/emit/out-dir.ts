import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../model/project-model.js';

export interface OutDiff {
  /** Files whose content would change. */
  changed: string[];
  /** Files a build would add. */
  added: string[];
  /** Files a build would remove (their definitions are gone). */
  removed: string[];
}

/** Every file under `dir`, as forward-slash paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(path.join(dir, entry.name), relative));
    else files.push(relative);
  }
  return files;
}

/** How out/ differs from what the build would write. */
export function diffOut(outDir: string, files: readonly OutputFile[]): OutDiff {
  recover(outDir);
  const existing = new Set(listFiles(outDir));
  const diff: OutDiff = { changed: [], added: [], removed: [] };
  for (const file of files) {
    if (!existing.has(file.path)) diff.added.push(file.path);
    else if (readFileSync(path.join(outDir, file.path), 'utf8') !== file.content) diff.changed.push(file.path);
    existing.delete(file.path);
  }
  diff.removed = [...existing].sort();
  return diff;
}

export function isClean(diff: OutDiff): boolean {
  return diff.changed.length + diff.added.length + diff.removed.length === 0;
}

/**
 * Replaces out/ with exactly `files`, all at once: the new tree is written
 * beside it and swapped in by renames, so a failed or interrupted build never
 * leaves a half-written out/. Nothing is touched when out/ is already current.
 */
export function writeOut(outDir: string, files: readonly OutputFile[]): OutDiff {
  const diff = diffOut(outDir, files);
  if (isClean(diff)) return diff;
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  const staging = path.join(parent, `.${base}.staging-${process.pid}`);
  const previous = path.join(parent, `.${base}.previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(staging, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  mkdirSync(staging, { recursive: true });
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
  return diff;
}

/** Undoes an interrupted swap: puts the previous out/ back and drops half-written staging trees. */
function recover(outDir: string): void {
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    const full = path.join(parent, entry);
    const owner = Number(/-(\d+)$/.exec(entry)?.[1]);
    if (owner !== process.pid && isRunning(owner)) continue; // another build is mid-swap
    if (entry.startsWith(`.${base}.staging-`)) rmSync(full, { recursive: true, force: true });
    else if (entry.startsWith(`.${base}.previous-`)) {
      if (existsSync(outDir)) rmSync(full, { recursive: true, force: true });
      else renameSync(full, outDir);
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
