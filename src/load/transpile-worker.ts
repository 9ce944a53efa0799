import { parentPort, workerData } from 'node:worker_threads';
import { ModuleRunner } from './modules.js';

/**
 * Transpiles definitions in a worker thread while the main thread type-checks
 * them (see `transpileInBackground`): the two are the bulk of a cold build.
 */
const { root, cacheDir, files } = workerData as { root: string; cacheDir: string; files: string[] };
new ModuleRunner(root, cacheDir).prepare(files);
parentPort!.postMessage('done');
