import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { UnusableInputError } from '../model/diagnostic.js';

const CONFIG_FILE = 'mon.config.ts';

const here = fileURLToPath(new URL('../', import.meta.url));

/** Where moncode's compiled runtime is (its `dist/` folder), also when these sources run under a test runner. */
export const MONCODE_DIST = path.basename(here) === 'src' ? path.join(here, '..', 'dist') + path.sep : here;

export const MONCODE_VERSION: string = (JSON.parse(readFileSync(path.join(MONCODE_DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface ProjectPaths {
  /** The folder holding mon.config.ts (or the working directory when there is none). */
  root: string;
  /** Absolute path of mon.config.ts, when the project has one. */
  configFile?: string;
  /** Build caches: transpiled definitions, type-check state. */
  cacheDir: string;
}

/**
 * Finds the project: the nearest folder upwards that has mon.config.ts or a
 * definitions/ folder, else the working directory.
 */
export function findProject(cwd: string, configOption?: string): ProjectPaths {
  let configFile: string | undefined;
  let found: string | undefined;
  if (configOption !== undefined) {
    configFile = path.resolve(cwd, configOption);
    const problem = configFileProblem(configFile, configOption);
    if (problem) throw new UnusableInputError(`config file ${configOption} ${problem}`);
  } else {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, CONFIG_FILE);
      if (existsSync(candidate)) {
        configFile = candidate;
        break;
      }
      if (isDirectory(path.join(dir, 'definitions'))) {
        found = dir;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  const root = configFile ? path.dirname(configFile) : (found ?? path.resolve(cwd));
  return { root, configFile, cacheDir: cacheDirFor(root) };
}

/** Why `--config FILE` names no config file, or undefined when it names one. */
function configFileProblem(file: string, given: string): string | undefined {
  let stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return lstatExists(file) ? 'is a link to nothing' : 'does not exist';
    if (code === 'ENOTDIR') return 'does not exist (a part of its path is a file)';
    if (code === 'ELOOP') return 'is a link that loops';
    if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
    return `cannot be read: ${code ?? (error as Error).message}`;
  }
  if (stats.isDirectory()) return `is a folder: name the file in it (--config ${path.join(given, CONFIG_FILE)}), or run in that folder without --config`;
  if (!stats.isFile()) return 'is not a file (a device, pipe or socket)';
  return undefined;
}

function lstatExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  return existsSync(file) && statSync(file).isDirectory();
}

function cacheDirFor(root: string): string {
  const nodeModules = path.join(root, 'node_modules');
  const dir = existsSync(nodeModules) ? path.join(nodeModules, '.cache', 'moncode') : path.join(os.tmpdir(), `moncode-${createHash('sha1').update(root).digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Whether `inner` is `outer` or a path below it. */
export function isWithin(outer: string, inner: string): boolean {
  const relative = path.relative(outer, inner);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A path as reports show it: relative to `base` (the working directory), with forward slashes. */
export function displayPath(base: string, absolute: string): string {
  const relative = path.relative(base, absolute);
  return (relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative).split(path.sep).join('/');
}
