import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../model/project-model.js';
import { UnusableInputError } from '../model/diagnostic.js';

/** The file that marks a folder as made by mon-build, which then may replace it whole. */
const OUT_MARKER = '.moncode-out';
const MARKER_TEXT = 'Written by mon-build (moncode), which replaces this folder whole on every build: keep no other files here.\n';

/** Whether mon-build made this folder (its out/, of any name). */
export function isBuildOutput(dir: string): boolean {
  return existsSync(path.join(dir, OUT_MARKER));
}

/** Where moncode 0.1 wrote files, before out/ carried the marker: such a folder is taken over. */
const KNOWN_LAYOUT = [
  /^grafana\/dashboards\/[^/]+\/[^/]+\.json$/,
  /^grafana\/provisioning\/(?:dashboards|datasources|alerting)\/[^/]+\.yaml$/,
  /^prometheus\/rules\/[^/]+\.rules\.yml$/,
  /^prometheus\/tests\/[^/]+\.test\.yml$/,
  /^alertmanager\/[^/]+\/alertmanager\.yml$/,
];

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

/**
 * Refuses an out folder mon-build did not make: one without the marker,
 * unless every file in it is where mon-build writes (an out/ of moncode 0.1).
 */
function checkOwned(outDir: string, files: readonly OutputFile[]): void {
  if (!existsSync(outDir)) return;
  const shown = path.relative(process.cwd(), outDir) || '.';
  if (!statSync(outDir).isDirectory()) {
    throw new UnusableInputError(`out (${shown}) is a file, not a folder: remove it, or set \`out\` in mon.config.ts to another folder`);
  }
  if (existsSync(path.join(outDir, OUT_MARKER))) return;
  const ours = new Set(files.map((file) => file.path));
  const foreign = listFiles(outDir).filter((file) => !ours.has(file) && !KNOWN_LAYOUT.some((pattern) => pattern.test(file)));
  if (foreign.length === 0) return;
  const more = foreign.length > 1 ? ` and ${foreign.length - 1} more` : '';
  throw new UnusableInputError(
    `out (${shown}) was not made by mon-build (no ${OUT_MARKER} in it) and holds ${foreign.sort()[0]}${more}, which mon-build would delete: move those files away, or set \`out\` in mon.config.ts to a folder of its own`,
  );
}

/** How out/ differs from what the build would write. */
export function diffOut(outDir: string, files: readonly OutputFile[]): OutDiff {
  recover(outDir);
  checkOwned(outDir, files);
  const existing = new Set(listFiles(outDir));
  existing.delete(OUT_MARKER);
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
  if (isClean(diff)) {
    // An out/ of moncode 0.1 that is current gets its marker.
    if (!existsSync(path.join(outDir, OUT_MARKER))) writeMarker(outDir);
    return diff;
  }
  const parent = path.dirname(outDir);
  const base = path.basename(outDir);
  const staging = path.join(parent, `.${base}.staging-${process.pid}`);
  const previous = path.join(parent, `.${base}.previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const rewritten = new Set([...diff.changed, ...diff.added]);
  for (const file of files) {
    const target = path.join(staging, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    // A file out/ already holds with this content (diffOut read it) is linked, not written again: an
    // edit of one definition writes its own files. Files are never changed in place, so the old
    // out/ and the new one sharing one is safe; where links fail, it is written.
    if (!rewritten.has(file.path) && linked(path.join(outDir, file.path), target)) continue;
    writeFileSync(target, file.content);
  }
  writeMarker(staging);
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
  return diff;
}

function linked(existing: string, target: string): boolean {
  try {
    linkSync(existing, target);
    return true;
  } catch {
    return false;
  }
}

function writeMarker(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const temporary = path.join(dir, `${OUT_MARKER}.${process.pid}.tmp`);
  writeFileSync(temporary, MARKER_TEXT);
  renameSync(temporary, path.join(dir, OUT_MARKER));
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
