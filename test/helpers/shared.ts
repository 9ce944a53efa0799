import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './project.js';

/** `../shared` next to the repository: the corpus and the research notes, read in place, never copied. */
export const SHARED = path.resolve(REPO_ROOT, '..', 'shared');

/**
 * A path under `../shared`, and whether it is there. In CI a missing one fails the test file
 * (a corpus test that silently skips proves nothing); on a developer machine its tests are
 * skipped with a notice.
 */
export function requireShared(relative: string, env: NodeJS.ProcessEnv = process.env, root = SHARED): { path: string; present: boolean } {
  const full = path.join(root, relative);
  if (existsSync(full)) return { path: full, present: true };
  if (env.CI) throw new Error(`${full} is missing: in CI the tests that read ../shared fail rather than skip`);
  console.warn(`NOTICE: ${full} is missing: the tests that read it are skipped`);
  return { path: full, present: false };
}
