import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MONCODE_VERSION } from '../load/project.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { projectFiles } from './init-files.js';

interface InitOptions {
  /** The folder to start the project in (made when missing). */
  dir: string;
  /** How package.json asks for moncode; default `^<the running version>`. */
  moncodeSpec?: string;
}

interface InitResult {
  /** The files written, relative to `dir`, in the order written. */
  files: string[];
  /** What was added to a package.json that was there already (`npm init -y`, then `npm install moncode`). */
  packageJson?: string[];
  /** What was done about git: the repository made, the hook folder set. */
  git: string[];
}

/**
 * Writes a new project: package.json, tsconfig.json, mon.config.ts, an example system with
 * its runbook, .gitignore and the pre-commit hook. Writes nothing when any of its files
 * already exists, except package.json: an existing one is kept, with what the project needs added.
 */
export function initProject(options: InitOptions): InitResult {
  const dir = path.resolve(options.dir);
  const name = packageName(path.basename(dir));
  const files = projectFiles(name, options.moncodeSpec ?? `^${MONCODE_VERSION}`);
  const existingManifest = path.join(dir, 'package.json');
  const merged = existsSync(existingManifest) ? mergedPackageJson(existingManifest, path.join(options.dir, 'package.json'), files['package.json']!.text) : undefined;
  if (merged) delete files['package.json'];
  const taken = Object.keys(files).filter((file) => existsSync(path.join(dir, file)));
  if (taken.length > 0) {
    const more = taken.length > 1 ? ` (and ${taken.length - 1} more of its files)` : '';
    throw new UnusableInputError(`${path.join(options.dir, taken[0]!)} already exists${more}: mon-init writes only into a folder without them; nothing was written`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'is a file or lies under one, not a folder'
        : code === 'EACCES' || code === 'EPERM'
          ? 'cannot be made: permission denied'
          : `cannot be made (${code ?? (error as Error).message})`;
    throw new UnusableInputError(`${options.dir} ${why}: mon-init makes a new project in a folder; nothing was written`);
  }
  const written: string[] = [];
  for (const [file, { text, mode }] of Object.entries(files)) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    // 'wx': a file that appeared since the check above is not overwritten either.
    writeFileSync(full, text, { flag: 'wx' });
    if (mode !== undefined) chmodSync(full, mode);
    written.push(file);
  }
  if (merged && merged.added.length > 0) writeFileSync(existingManifest, merged.text);
  const git: string[] = [];
  if (gitTop(dir) === undefined && readdirSync(dir).length > 0 && run(['init', '--quiet'], dir) !== undefined) git.push('made a git repository');
  const hooks = installHooks(dir);
  if (hooks) git.push(hooks);
  return { files: written, git, packageJson: merged?.added };
}

/**
 * An existing package.json with what a moncode project needs: ES modules (definitions and
 * mon.config.ts are), moncode as a dependency (an installed one's spec is kept, a tarball's
 * `file:` say) and the scripts, none of its own replaced. Unreadable, it is bad input.
 */
function mergedPackageJson(file: string, shown: string, fresh: string): { text: string; added: string[] } {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    throw new UnusableInputError(`${shown} is not JSON: mon-init adds to a package.json it can read; nothing was written`);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) throw new UnusableInputError(`${shown} is not a package.json object: nothing was written`);
  const wanted = JSON.parse(fresh) as { type: string; scripts: Record<string, string>; dependencies: Record<string, string> };
  const added: string[] = [];
  if (manifest.type !== 'module') {
    manifest.type = 'module';
    added.push('"type": "module"');
  }
  const dependencies = { ...(manifest.dependencies as Record<string, string> | undefined) };
  const devDependencies = (manifest.devDependencies as Record<string, string> | undefined) ?? {};
  if (dependencies.moncode === undefined && devDependencies.moncode === undefined) {
    dependencies.moncode = wanted.dependencies.moncode!;
    manifest.dependencies = dependencies;
    added.push(`dependency moncode ${wanted.dependencies.moncode}`);
  }
  const scripts = { ...(manifest.scripts as Record<string, string> | undefined) };
  for (const [name, command] of Object.entries(wanted.scripts)) {
    // npm init's placeholder test script is replaced; any other script of the package is its own.
    const placeholder = name === 'test' && /no test specified/.test(scripts.test ?? '');
    if (scripts[name] !== undefined && !placeholder) continue;
    scripts[name] = command;
    added.push(`script ${name}`);
  }
  manifest.scripts = scripts;
  return { text: `${JSON.stringify(manifest, null, 2)}\n`, added };
}

/**
 * Points git at the project's .githooks/ (core.hooksPath, relative to the repository's top
 * folder). Outside a git repository, or without git, it does nothing.
 */
export function installHooks(projectDir: string): string | undefined {
  const dir = path.resolve(projectDir);
  const top = gitTop(dir);
  if (top === undefined || !existsSync(path.join(dir, '.githooks', 'pre-commit'))) return undefined;
  const hooksPath = path
    .relative(top, path.join(realpathSync(dir), '.githooks'))
    .split(path.sep)
    .join('/');
  if (run(['config', '--get', 'core.hooksPath'], dir)?.trim() === hooksPath) return undefined;
  return run(['config', 'core.hooksPath', hooksPath], dir) === undefined ? undefined : `git core.hooksPath set to ${hooksPath}`;
}

function gitTop(dir: string): string | undefined {
  const top = run(['rev-parse', '--show-toplevel'], dir)?.trim();
  return top ? realpathSync(top) : undefined;
}

function run(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** A valid npm package name made of a folder's name. */
function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name || 'monitoring';
}
