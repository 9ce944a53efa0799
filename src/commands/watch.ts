import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { loadConfigOnly } from '../load/index.js';
import { findProject, isWithin } from '../load/project.js';
import { build, type BuildOptions, type BuildResult } from './build.js';

interface WatchOptions extends BuildOptions {
  /** Each finished build, to report. */
  onBuild(result: BuildResult): void;
  /** A build that could not run (unusable input, a moncode bug): reported, and the watch goes on. */
  onFailure(error: unknown): void;
  /** After each build, when nothing is waiting: the watch is idle again. */
  onIdle(): void;
  /** Milliseconds of quiet after a change before the rebuild (an atomic save is several events). */
  debounceMs?: number;
}

interface Watch {
  /** Stops watching; a build under way finishes first. */
  close(): Promise<void>;
}

/** Files of the definitions folder a build reads (TS modules, JSON, YAML looked at for OpenSLO and Sloth specs). */
const DEFINITION_SOURCE = /\.(m?ts|cts|tsx|json|ya?ml)$/;

/**
 * `mon-build --watch`: builds, then rebuilds whenever a file the last build read
 * changes, appears or disappears (mon.config.ts, definitions and everything they
 * import, tsconfig.json, runbook pages), or a definition file is added to the
 * definitions folder. The set is replaced after every build, so a newly imported
 * file is watched and a dropped one is not; out/ is never watched.
 *
 * Folders are watched, not files, so atomic saves (rename over the file, delete and
 * create, `sed -i`, backup-then-write) keep being seen, save after save.
 * Builds run in this process one at a time: the definitions run in a fresh worker each build.
 */
export async function watchProject(options: WatchOptions): Promise<Watch> {
  const paths = findProject(options.cwd, options.config);
  let definitionsDir = path.join(paths.root, 'definitions');
  let outDir = path.join(paths.root, 'out');
  try {
    const { config } = await loadConfigOnly({ cwd: options.cwd, config: options.config, timeLimitMs: options.timeLimitMs });
    definitionsDir = config.definitionsDir;
    outDir = config.outDir;
  } catch {
    // The builds report why the config does not load.
  }

  // Folders, not files: a file watch follows the inode an atomic save replaces (and chokidar
  // loses a file watched on its own after a delete-and-create), a folder's watch stays. Events
  // are then filtered to the files the last build read. One watcher per folder: chokidar's
  // depth counts from the first folder given, so a folder inside another would go unseen.
  const ignored = (file: string): boolean => isWithin(outDir, path.resolve(file)) || path.basename(file) === 'node_modules';
  // A watcher reports changes once it has scanned its folder; until then a save would go unseen.
  const listening = new WeakMap<FSWatcher, Promise<void>>();
  const start = (dir: string, depth?: number): FSWatcher => {
    const watcher = watchFiles(dir, { ignoreInitial: true, ignored, ...(depth === undefined ? {} : { depth }) });
    watcher.on('error', () => undefined);
    listening.set(watcher, new Promise((resolve) => watcher.once('ready', () => resolve(void watcher.on('all', changed)))));
    return watcher;
  };
  const folders = new Map<string, FSWatcher>();
  let read = new Set<string>(paths.configFile ? [path.resolve(paths.configFile)] : []);

  /** Watches the folders of `files` (the last build's reads); resolves when the new watchers see changes. */
  const updateWatched = (files: readonly string[]): Promise<unknown> => {
    read = new Set(files.map((file) => path.resolve(file)).filter((file) => !isWithin(outDir, file)));
    if (paths.configFile) read.add(path.resolve(paths.configFile));
    // Paths looked for outside the project and absent (package.json scopes, node_modules folders up to /) are left to the
    // next build's check: watching their nearest folders would watch the home folder, /tmp, /.
    const watched = [...read].filter((file) => !isWithin(definitionsDir, file) && (isWithin(paths.root, file) || existsSync(file)));
    const next = new Set(watched.map((file) => existingFolderOf(file)));
    for (const [dir, watcher] of folders) {
      if (next.has(dir)) continue;
      void watcher.close();
      folders.delete(dir);
    }
    const started: Array<Promise<void> | undefined> = [];
    for (const dir of next) {
      if (folders.has(dir)) continue;
      const watcher = start(dir, 0);
      folders.set(dir, watcher);
      started.push(listening.get(watcher));
    }
    return Promise.all(started);
  };

  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;

  const runBuild = async (): Promise<void> => {
    try {
      const result = await build({ cwd: options.cwd, config: options.config, check: options.check, timeLimitMs: options.timeLimitMs });
      // Reported only when every file it read is watched: a save right after the report is seen.
      await updateWatched(result.readFiles);
      options.onBuild(result);
    } catch (error) {
      options.onFailure(error);
    }
  };

  const rebuild = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await runBuild();
      } while (again && !closed);
      running = undefined;
      if (!closed) options.onIdle();
    })();
  };

  const changed = (event: string, file: string): void => {
    const full = path.resolve(file);
    if (isWithin(outDir, full)) return;
    const relevant = read.has(full) || (isWithin(definitionsDir, full) && (event === 'addDir' || event === 'unlinkDir' || DEFINITION_SOURCE.test(full)));
    if (!relevant) return;
    clearTimeout(timer);
    timer = setTimeout(rebuild, options.debounceMs ?? 150);
  };

  const definitions = start(definitionsDir);
  folders.set(paths.root, start(paths.root, 0));
  await Promise.all([definitions, ...folders.values()].map((watcher) => listening.get(watcher)));
  rebuild();

  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      await Promise.all([definitions, ...folders.values()].map((watcher) => watcher.close()));
    },
  };
}

/** The folder holding `file`, or the nearest one above it that exists (a runbook page in a folder not made yet). */
function existingFolderOf(file: string): string {
  let dir = path.dirname(file);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
