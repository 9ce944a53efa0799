import childProcess from 'node:child_process';
import cluster from 'node:cluster';
import fs, { existsSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import workerThreads, { parentPort, workerData } from 'node:worker_threads';
import type { Diagnostic } from '../model/diagnostic.js';
import { collectResources, listDefinitionFiles, systemOf } from './collect.js';
import type { LoadedResource } from '../model/project-model.js';
import type { EvaluationMessage, EvaluationRequest } from './evaluate.js';
import { forgetMade, hasRun, madeSoFar } from '../model/source-location.js';
import { ModuleRunner } from './modules.js';
import { isWithin, MONCODE_DIST } from './project.js';
import { encode, isThenable, toWire } from './transfer.js';
import { unexportedResources } from './unexported.js';

/**
 * Runs mon.config.ts and the definitions in a worker thread, so the main
 * thread can stop them (a time limit, a hang) and report what they did to the
 * process: `process.exit`, unhandled rejections, errors thrown later from
 * timers, timers still pending when the modules are done.
 */
// Held before worker_threads' `parentPort` is taken from the definitions (below): only moncode talks to the build.
const port = parentPort!;
const request = await requestOf(workerData as EvaluationRequest | { standby: true });
const post = (message: EvaluationMessage): void => port.postMessage(message);
process.setSourceMapsEnabled(true);
const runner = new ModuleRunner(request.root, request.cacheDir, request.overlay);
const problems: Diagnostic[] = [];
/** The module being evaluated, for problems that have no stack of their own. */
let current = request.configFile ?? request.root;

// `process.exit()` in a definition would end the build having printed nothing:
// it throws instead, so the module stops there and the call is reported.
class ExitCalled extends Error {}
const realExit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  // Node itself ends a worker this way after an error nothing caught; refusing that would abort the whole process.
  if (/^\s+at .*\(node:internal\//.test(new Error().stack?.split('\n')[2] ?? '')) return realExit(code as number);
  throw new ExitCalled(`process.exit(${code ?? ''}) called: definitions cannot end the build; throw an Error to report a problem`);
}) as typeof process.exit;
process.abort = (() => {
  throw new ExitCalled('process.abort() called: definitions cannot end the build');
}) as typeof process.abort;
// A worker shares its process with the build: signals and the process's exit code are not the definitions' to use.
const deny = (name: string, why: string): void => {
  Object.defineProperty(process, name, {
    configurable: false,
    enumerable: false,
    get: () => () => {
      throw new ExitCalled(`process.${name}() called: ${why}`);
    },
    set: () => {
      throw new ExitCalled(`process.${name} cannot be replaced by definitions`);
    },
  });
};
for (const name of ['kill', '_kill']) deny(name, 'definitions cannot send signals (a signal to the build would end it); throw an Error to report a problem');
for (const name of ['reallyExit', '_debugProcess', '_debugEnd', 'dlopen']) deny(name, 'not available to definitions');
for (const name of ['binding', '_linkedBinding']) deny(name, 'definitions cannot reach into Node internals');

// Processes, threads and cluster workers started by a definition could end, signal or impersonate the build (a
// worker's `parentPort` is the build's channel), and their results are not the definitions' to depend on: the
// same definitions must give the same out/. Each is refused where it is called, reported even if the definition
// catches the error. The modules stay importable (a package may import them and never call them).
class Refused extends Error {}
const refuse = (what: string): never => {
  const error = new Refused(
    `${what} called: definitions cannot start processes or threads (a build is the same every time, and a process could end or take over the build); generate data before the build and read it with fs`,
  );
  report('definition/invalid', error.message, error.stack ?? '');
  throw error;
};
const refusing = (module: object, moduleName: string, names: readonly string[]): void => {
  for (const name of names) {
    const refused = function (): never {
      return refuse(`${moduleName}.${name}()`);
    };
    Object.defineProperty(module, name, { value: refused, writable: false, configurable: false, enumerable: true });
  }
};
refusing(childProcess, 'child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork', 'ChildProcess']);
refusing(workerThreads, 'worker_threads', ['Worker']);
refusing(cluster, 'cluster', ['fork', 'setupPrimary', 'setupMaster']);
for (const name of ['parentPort', 'workerData'] as const) Object.defineProperty(workerThreads, name, { value: null, writable: false, configurable: false, enumerable: true });
// Output of definitions goes to the build (as messages, so none is lost when the worker is stopped), which shows it escaped on stderr (never inside --format json).
// `fs.writeSync(1, …)` would reach the terminal directly: it goes the same way.
const textOf = (data: unknown): string => (typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8'));
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((data: unknown, ...rest: unknown[]): boolean => {
    post({ type: 'output', text: textOf(data) });
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof stream.write;
}
for (const name of ['writeSync', 'write'] as const) {
  const original = fs[name] as (...args: unknown[]) => unknown;
  (fs as unknown as Record<string, unknown>)[name] = function (this: unknown, fd: unknown, data: unknown, ...rest: unknown[]): unknown {
    if (fd !== 1 && fd !== 2) return original.call(this, fd, data, ...rest);
    const text = textOf(data);
    process.stderr.write(text);
    const callback = rest.find((arg) => typeof arg === 'function') as ((error: null, written: number) => void) | undefined;
    if (name === 'write') return void (callback && queueMicrotask(() => callback(null, Buffer.byteLength(text))));
    return Buffer.byteLength(text);
  };
}
// Data files definitions read (a JSON of thresholds, a list of hosts) are inputs of the build like their modules:
// `mon-build --watch` rebuilds when one changes. Only files of the project count (not moncode's cache, not packages).
const dataFiles = new Set<string>();
const noteRead = (target: unknown): void => {
  if (typeof target !== 'string' && !(target instanceof URL) && !Buffer.isBuffer(target)) return;
  let file: string;
  try {
    file = path.resolve(target instanceof URL ? fileURLToPath(target) : target.toString());
  } catch {
    return;
  }
  if (isWithin(request.root, file) && !isWithin(request.cacheDir, file) && !isWithin(MONCODE_DIST, file) && !file.split(path.sep).includes('node_modules')) dataFiles.add(file);
};
for (const [owner, name] of [
  [fs, 'readFileSync'],
  [fs, 'readFile'],
  [fs, 'openSync'],
  [fs, 'open'],
  [fs, 'createReadStream'],
  [fs.promises, 'readFile'],
  [fs.promises, 'open'],
] as const) {
  const original = (owner as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
  (owner as unknown as Record<string, unknown>)[name] = function (this: unknown, target: unknown, ...rest: unknown[]): unknown {
    noteRead(target);
    return original.call(this, target, ...rest);
  };
}
syncBuiltinESMExports();

// Environment variables definitions read are inputs of the build like files (a cached build is replayed only
// when they are as they were); a definition that lists them all depends on every one.
const envRead: Record<string, string | null> = {};
let envListed = false;
const realEnv = process.env;
process.env = new Proxy(realEnv, {
  get(target, name, receiver) {
    if (typeof name === 'string') envRead[name] = target[name] ?? null;
    return Reflect.get(target, name, receiver);
  },
  has(target, name) {
    if (typeof name === 'string') envRead[name] = target[name] ?? null;
    return Reflect.has(target, name);
  },
  ownKeys(target) {
    envListed = true;
    return Reflect.ownKeys(target);
  },
  getOwnPropertyDescriptor(target, name) {
    if (typeof name === 'string') envRead[name] = target[name] ?? null;
    return Reflect.getOwnPropertyDescriptor(target, name);
  },
});
const envOfDefinitions = (): Record<string, string | null> => (envListed ? { ...envRead, ...Object.fromEntries(Object.entries(realEnv).map(([name, value]) => [name, value ?? null])) } : envRead);

const report = (rule: string, message: string, stack: string): void => {
  problems.push(runner.stackDiagnostic(rule, message, stack, current));
};
process.on('unhandledRejection', (reason) => {
  if (reason instanceof Refused) return; // reported where it was called
  const message = reason instanceof Error ? reason.message : String(reason);
  report('definition/invalid', `a promise was rejected and nothing handled it: ${firstLine(message)}`, reason instanceof Error ? (reason.stack ?? '') : '');
});
process.on('uncaughtException', (error) => {
  if (error instanceof Refused) return;
  const message = error instanceof Error ? error.message : String(error);
  const what = error instanceof ExitCalled ? message : `an error was thrown outside the module's evaluation (a timer or callback): ${firstLine(message)}`;
  report('definition/invalid', what, error instanceof Error ? (error.stack ?? '') : '');
});

// Timers a definition leaves behind would keep the build running (an interval)
// or change values after they were read (a timeout).
const timers = new Map<unknown, { stack: string; kind: string }>();
const track = <A extends unknown[], R>(kind: string, original: (callback: (...args: A) => void, ...rest: never[]) => R, clearsItself: boolean) =>
  function (this: unknown, callback: (...args: A) => void, ...rest: never[]): R {
    const stack = new Error().stack ?? '';
    let handle: R;
    const wrapped = typeof callback === 'function' && clearsItself ? (...args: A) => (timers.delete(handle), callback(...args)) : callback;
    handle = original.call(this, wrapped, ...rest);
    timers.set(handle, { stack, kind });
    return handle;
  };
const untrack = <H>(original: (handle: H) => void) =>
  function (this: unknown, handle: H): void {
    timers.delete(handle);
    original.call(this, handle);
  };
globalThis.setTimeout = track('setTimeout', globalThis.setTimeout as never, true) as unknown as typeof setTimeout;
globalThis.setInterval = track('setInterval', globalThis.setInterval as never, false) as unknown as typeof setInterval;
globalThis.setImmediate = track('setImmediate', globalThis.setImmediate as never, true) as unknown as typeof setImmediate;
globalThis.clearTimeout = untrack(globalThis.clearTimeout) as typeof clearTimeout;
globalThis.clearInterval = untrack(globalThis.clearInterval) as typeof clearInterval;
globalThis.clearImmediate = untrack(globalThis.clearImmediate) as typeof clearImmediate;
const realSetImmediate = setImmediate;

/** Runs one module and awaits the Promises it exports; undefined when it threw (reported). */
async function evaluate(file: string): Promise<Record<string, unknown> | undefined> {
  current = file;
  post({ type: 'module', file });
  const { exports, diagnostic, error } = await runner.run(file);
  if (diagnostic) {
    if (!(error instanceof Refused)) problems.push(error instanceof ExitCalled ? { ...diagnostic, rule: 'definition/invalid', message: error.message } : diagnostic);
    return undefined;
  }
  const settled: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(exports ?? {})) {
    let thenable: boolean;
    try {
      thenable = isThenable(value);
    } catch {
      // A Proxy whose traps throw: collecting the module's resources reports it, at the throw.
      thenable = false;
    }
    if (!thenable) {
      settled[name] = value;
      continue;
    }
    post({ type: 'module', file, awaiting: name });
    try {
      settled[name] = await value;
    } catch (error) {
      problems.push(runner.errorDiagnostic(error, file));
    }
  }
  post({ type: 'module', file });
  return settled;
}

/** Timers still pending, reported at the line that started them. */
function lingeringTimers(): void {
  for (const { stack, kind } of timers.values()) {
    if (!runner.hasLocalFrame(stack)) continue; // started by moncode or a package, not a definition
    problems.push(
      runner.stackDiagnostic(
        'definition/invalid',
        `${kind}() is still pending after the module ran: clear it (timers would keep the build running or change values after they were read)`,
        stack,
        current,
      ),
    );
  }
  timers.clear();
}

/** The exports of every other local module that ran (`shared/`, `_*.ts`, files outside definitions/): a library's export is there to be imported. */
async function libraryExports(systems: readonly string[]): Promise<unknown[]> {
  const exports: unknown[] = [];
  for (const file of runner.files) {
    if (systems.includes(file) || file === request.configFile || !hasRun(file)) continue;
    const ran = await runner.run(file); // already evaluated: its namespace, nothing runs again
    if (ran.exports) exports.push(...Object.values(ran.exports));
  }
  return exports;
}

/**
 * Whether another module this run imported (a library, or a system file the caller left out)
 * exports a resource: the modules that did not run may hold the same object from the last
 * evaluation (a shared receiver, a datasource), and a fresh copy beside it would count twice.
 */
async function reachableElsewhere(ran: ReadonlySet<string>): Promise<boolean> {
  for (const file of runner.files) {
    if (ran.has(file) || file === request.configFile || !hasRun(file)) continue;
    const { exports } = await runner.run(file); // already evaluated: its namespace, nothing runs again
    if (exports && collectResources(exports, file, '', new Set()).length > 0) return true;
  }
  return false;
}

/** Lets pending rejections and callbacks surface before the results are read. */
const settle = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

try {
  let definitions = 'definitions';
  if (request.configFile) {
    runner.prepare([request.configFile]);
    const before = problems.length;
    const exports = await evaluate(request.configFile);
    await settle();
    lingeringTimers();
    const config = exports?.default;
    const found = problems.splice(before);
    const encoded = encode([config], found, request.configFile);
    post({ type: 'config', config: toWire(encoded), diagnostics: found });
    const named = (config as { definitions?: unknown } | undefined)?.definitions;
    if (typeof named === 'string') definitions = named;
  }
  const definitionsDir = path.resolve(request.root, definitions);
  const resources: LoadedResource[] = [];
  let shared = false;
  if (!request.configOnly && existsSync(definitionsDir) && statSync(definitionsDir).isDirectory()) {
    const { systems } = listDefinitionFiles(definitionsDir);
    const files = (request.modules ? systems.filter((file) => request.modules!.includes(file)) : systems).filter((file) => !request.skip?.includes(file));
    if (request.transpiledAhead) {
      await new Promise((resolve) => port.once('message', resolve));
      runner.adoptManifest();
    }
    runner.prepare(files);
    forgetMade(); // what mon.config.ts built is not a definition's
    const seen = new Set<unknown>();
    for (const file of files) {
      const exports = await evaluate(file);
      if (!exports) continue;
      const system = systemOf(definitionsDir, file);
      const collected = collectResources(exports, file, system, seen, (error, at) => {
        const message = error instanceof Error ? error.message : String(error);
        problems.push(runner.stackDiagnostic('load/threw', `reading the export \`${at}\` threw: ${message.split('\n')[0]}`, error instanceof Error ? (error.stack ?? '') : '', file));
      });
      if (request.modules === undefined && !shared) shared = collectResources(exports, file, system, new Set()).length !== collected.length;
      resources.push(...collected);
    }
    if (request.modules && !request.callerChecksShared && !shared) shared = await reachableElsewhere(new Set(files));
    await settle();
    lingeringTimers();
    // After an error the build fails anyway; what the failed module built would only add noise.
    if (!problems.some((problem) => problem.severity === 'error'))
      problems.push(...unexportedResources(madeSoFar(), [...resources.map((resource) => resource.value), ...(await libraryExports(files))]));
    forgetMade();
  }
  const encoded = encode(
    resources.map((resource) => resource.value),
    problems,
    current,
  );
  post({
    type: 'done',
    resources: resources.map(({ kind, system, module, exportPath }) => ({ kind, system, module, exportPath })),
    values: toWire(encoded),
    diagnostics: problems,
    files: [...runner.files, ...dataFiles],
    env: envOfDefinitions(),
    imports: Object.fromEntries([...runner.files].map((file) => [file, runner.localImports(file)])),
    shared,
  });
  // Nothing more is asked of this worker: its heap (every module and value the definitions made) is given back now,
  // while the build's thread may still be type-checking, instead of when the build stops the worker. Node hands the
  // build the messages already posted before it reports the exit.
  realExit(0);
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error), file: current });
}

/**
 * A standby worker (the editor's next lint) starts before it has a request: it loads moncode's
 * authoring API, which every definition imports, then waits for the request on its port.
 */
async function requestOf(data: EvaluationRequest | { standby: true }): Promise<EvaluationRequest> {
  if (!('standby' in data)) return data;
  await import(pathToFileURL(path.join(MONCODE_DIST, 'index.js')).href);
  return new Promise((resolve) => port.once('message', resolve));
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
