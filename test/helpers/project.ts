import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    rmSync(dir, { recursive: true, force: true });
    // A project without node_modules/ keeps its build cache in the temp folder (src/load/project.ts).
    rmSync(path.join(os.tmpdir(), `moncode-${createHash('sha1').update(dir).digest('hex').slice(0, 12)}`), { recursive: true, force: true });
  }
});

/** A throwaway project folder holding `files` (paths relative to it). Removed after the test file. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-test-'));
  made.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** Every file below `dir` with its content, keyed by forward-slash relative path. */
export function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (current: string, prefix: string): void => {
    for (const entry of readdirSync(current).sort()) {
      const full = path.join(current, entry);
      const relative = prefix ? `${prefix}/${entry}` : entry;
      if (statSync(full).isDirectory()) walk(full, relative);
      else tree[relative] = readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return tree;
}

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
