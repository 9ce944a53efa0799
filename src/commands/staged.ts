import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnusableInputError } from '../model/diagnostic.js';

/** The git index written out as a tree of files: what `git commit` would record. */
interface StagedTree {
  /** The repository's top folder. */
  top: string;
  /** The folder the index was written to, laid out as `top`. */
  root: string;
  /** A path in the repository → the same path in the staged tree. */
  toStaged(file: string): string;
  /** A path in the staged tree → the same path in the repository (others unchanged). */
  toRepository(file: string): string;
  remove(): void;
}

/**
 * Writes every file of the index (staged blobs, and the rest of the repository as it is
 * committed) to a temporary folder. Installed packages are linked in, so definitions that
 * import them resolve as they do in the working tree; build caches stay in the folder.
 */
export function materializeStaged(cwd: string): StagedTree {
  const git = (args: string[], at: string): string => {
    try {
      return execFileSync('git', args, { cwd: at, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')[0];
      throw new UnusableInputError(`--staged: ${stderr || (error as Error).message}`);
    }
  };
  const top = realpathSync(git(['rev-parse', '--show-toplevel'], cwd).trim());
  const root = mkdtempSync(path.join(os.tmpdir(), 'moncode-staged-'));
  try {
    git(['checkout-index', '--all', '--force', `--prefix=${root}${path.sep}`], top);
    // Runbook links are resolved against the repository's top folder, found by its `.git`.
    mkdirSync(path.join(root, '.git'), { recursive: true });
    linkPackages(top, realpathSync(cwd), root);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const inside = (base: string, file: string): string | undefined => {
    const relative = path.relative(base, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? undefined : relative;
  };
  return {
    top,
    root,
    toStaged: (file) => {
      const absolute = path.resolve(file);
      const relative = inside(top, existsSync(absolute) ? realpathSync(absolute) : absolute) ?? inside(top, absolute);
      return relative === undefined ? absolute : path.join(root, relative);
    },
    toRepository: (file) => {
      const relative = inside(root, file);
      return relative === undefined ? file : path.join(top, relative);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Mirrors each `node_modules` from `cwd` up to `top` with links to its packages (not its `.cache`). */
function linkPackages(top: string, cwd: string, root: string): void {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const relative = path.relative(top, dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) break;
    const packages = path.join(dir, 'node_modules');
    const mirror = path.join(root, relative, 'node_modules');
    if (existsSync(packages) && statSync(packages).isDirectory() && !existsSync(mirror)) {
      mkdirSync(mirror, { recursive: true });
      for (const entry of readdirSync(packages)) {
        if (entry === '.cache') continue;
        symlinkSync(path.join(packages, entry), path.join(mirror, entry));
      }
    }
    if (dir === top) break;
  }
}
