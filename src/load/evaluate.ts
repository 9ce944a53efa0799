import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LOAD_STOPPED, type Diagnostic } from '../model/diagnostic.js';
import { escapeControls } from '../model/escape.js';
import type { ResourceKind } from '../model/resource.js';
import type { LoadedResource } from '../model/project-model.js';
import { offsetOf } from './modules.js';
import { MONCODE_DIST } from './project.js';
import { runningAt } from './running-at.js';
import { decode, fromWire, type Wire } from './transfer.js';

/** How long mon.config.ts, and then the definitions, may take to evaluate, unless told otherwise. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;

export interface EvaluationRequest {
  root: string;
  cacheDir: string;
  configFile?: string;
  /** Only mon.config.ts. */
  configOnly?: boolean;
  /** Texts to run instead of what is on disk (an editor's unsaved buffers), by absolute path. */
  overlay?: Record<string, string>;
  /**
   * Only these system files run (an editor's evaluation of what an edit reaches); the
   * resources of the others are the caller's, from its previous evaluation.
   */
  modules?: string[];
  /** The definitions are transpiled ahead by the caller: the worker waits for `Evaluation.transpiled()` before it transpiles what is still stale. */
  transpiledAhead?: boolean;
  /**
   * The caller tells by itself whether a resource that ran is one of a module that did not (see
   * evaluation-cache.ts): `shared` does not look at the exports of other modules.
   */
  callerChecksShared?: boolean;
  /** System files not to run: each stopped an earlier worker (a loop, a wait that never ends), which is reported. */
  skip?: string[];
}

export type EvaluationMessage =
  | { type: 'module'; file: string; awaiting?: string }
  | { type: 'output'; text: string }
  | { type: 'config'; config: Wire; diagnostics: Diagnostic[] }
  | {
      type: 'done';
      resources: Array<Omit<LoadedResource, 'value'>>;
      values: Wire;
      diagnostics: Diagnostic[];
      files: string[];
      env: Record<string, string | null>;
      /** The local TS files each module that ran imports. */
      imports: Record<string, string[]>;
      /**
       * A module exported a resource an earlier module had exported (it counts for the earlier one
       * only), or, running only `modules`, another module they import exports resources.
       */
      shared: boolean;
    }
  | { type: 'failed'; message: string; file: string };

interface EvaluatedConfig {
  config: unknown;
  diagnostics: Diagnostic[];
}

export interface EvaluatedDefinitions {
  resources: LoadedResource[];
  diagnostics: Diagnostic[];
  /** Every local module the evaluation ran (mon.config.ts, definitions and their imports), and the project's files they read. */
  files: string[];
  /** The environment variables they read (null: not set). */
  env: Record<string, string | null>;
  /** The local TS files each module that ran imports. */
  imports: Record<string, string[]>;
  /** See the `done` message's `shared`: the caller cannot take some modules' resources from an earlier evaluation. */
  shared: boolean;
}

const WORKER = path.join(MONCODE_DIST, 'load', 'evaluate-worker.js');

let spare: Worker | undefined;

/**
 * An evaluation for an editor, which lints again at every edit: it runs in the worker started
 * after the previous one (its start-up and moncode's modules already paid for, while the user
 * typed), when there is one.
 */
export function editorEvaluation(request: EvaluationRequest, timeLimitMs?: number): Evaluation {
  const standby = spare;
  spare = undefined;
  return new Evaluation(request, timeLimitMs, standby);
}

/** Starts the worker the next `editorEvaluation` runs in. It holds nothing open: an idle editor process can end. */
export function startSpareEvaluation(): void {
  if (spare) return;
  const worker = new Worker(WORKER, { workerData: { standby: true }, stdout: true, stderr: true });
  worker.unref();
  worker.once('exit', () => {
    if (spare === worker) spare = undefined;
  });
  worker.on('error', () => undefined);
  spare = worker;
}

/**
 * mon.config.ts and the definitions, evaluated in a worker thread (started at
 * once, so it runs beside the type-check): a definition that loops forever,
 * never settles or calls `process.exit` is stopped or reported, with the
 * module it was evaluating, and the build goes on to say so.
 */
export class Evaluation {
  private worker!: Worker;
  private messages: EvaluationMessage[] = [];
  private waiting: (() => void) | undefined;
  private exited: number | undefined;
  private where!: { file: string; awaiting?: string };
  private startError: Error | undefined;
  private toldTranspiled = false;

  constructor(
    private request: EvaluationRequest,
    private readonly timeLimitMs = DEFAULT_TIME_LIMIT_MS,
    /** A standby worker to run it in (see `editorEvaluation`). */
    standby?: Worker,
  ) {
    this.start(standby);
  }

  private start(standby?: Worker): void {
    const request = this.request;
    this.where = { file: request.configFile ?? request.root };
    this.messages = [];
    this.exited = undefined;
    this.startError = undefined;
    let worker: Worker;
    if (standby) {
      worker = standby;
      standby.postMessage(request);
      standby.ref();
    } else {
      worker = new Worker(WORKER, { workerData: request, stdout: true, stderr: true });
    }
    this.worker = worker;
    // A worker stopped for a module that never finished may still say something on its way out: only the current one counts.
    const current = (): boolean => this.worker === worker;
    // What definitions print (console, process.stdout, process.stderr) is theirs, not the build's
    // output: it goes to stderr with control characters escaped, never into --format json.
    const relay = (chunk: Buffer | string): void => void process.stderr.write(escapeControls(chunk.toString()));
    worker.stdout.on('data', relay);
    worker.stderr.on('data', relay);
    worker.on('message', (message: EvaluationMessage) => {
      if (!current()) return;
      if (message.type === 'output') relay(message.text);
      else if (message.type === 'module') this.where = { file: message.file, awaiting: message.awaiting };
      else this.messages.push(message);
      this.wake();
    });
    worker.on('error', (error) => {
      if (!current()) return;
      this.startError = error;
      this.wake();
    });
    worker.on('exit', (code) => {
      if (!current()) return;
      this.exited = code;
      this.wake();
    });
  }

  /** The config's default export (still encoded problems decoded), or a diagnostic why there is none. */
  async config(): Promise<EvaluatedConfig> {
    const message = await this.next('config', 'mon.config.ts');
    if (message.type !== 'config') return { config: undefined, diagnostics: message.diagnostics };
    return { config: decode(fromWire(message.config))[0], diagnostics: message.diagnostics };
  }

  /** Everything the definitions export, with the problems found while running them. */
  async definitions(): Promise<EvaluatedDefinitions> {
    // A system file that never finishes is reported, and the others run again without it in a fresh worker
    // (the stopped one's results are lost with it), so one loop does not hide every other file's findings.
    const stopped: Diagnostic[] = [];
    for (;;) {
      const message = await this.next('done', 'the definitions');
      if (message.type === 'problem' && message.hung) {
        for (const diagnostic of message.diagnostics) if (!stopped.some((seen) => sameProblem(seen, diagnostic))) stopped.push(diagnostic);
        // Ended before the next starts: the inspector that finds where a module is running attaches to one worker at a time.
        await this.worker.terminate();
        // The copies were transpiled for the first worker: this one finds them current.
        this.request = { ...this.request, transpiledAhead: false, skip: [...(this.request.skip ?? []), message.hung] };
        this.start();
        continue;
      }
      if (message.type !== 'done') return { resources: [], diagnostics: [...stopped, ...message.diagnostics], files: [], env: {}, imports: {}, shared: false };
      const values = decode(fromWire(message.values));
      const resources = message.resources.map((resource, i) => ({ ...resource, kind: resource.kind as ResourceKind, value: values[i] }));
      const diagnostics = [...stopped, ...message.diagnostics];
      return { resources, diagnostics, files: message.files, env: message.env, imports: message.imports, shared: message.shared };
    }
  }

  /** Tells a worker started with `transpiledAhead` that the transpiled copies are written (once; later calls do nothing). */
  transpiled(): void {
    if (this.toldTranspiled) return;
    this.toldTranspiled = true;
    this.worker.postMessage({ type: 'transpiled' });
  }

  /** Ends the worker (lingering timers, a loop, work no longer needed). */
  stop(): void {
    void this.worker.terminate();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** The next message of `type`, or a stand-in carrying the reason it will not come. */
  private async next<T extends 'config' | 'done'>(type: T, what: string): Promise<Extract<EvaluationMessage, { type: T }> | Problem> {
    const deadline = Date.now() + this.timeLimitMs;
    for (;;) {
      const index = this.messages.findIndex((message) => message.type === type || message.type === 'failed');
      if (index >= 0) {
        const message = this.messages.splice(index, 1)[0]!;
        if (message.type === 'failed') return this.problem(`evaluating ${what} failed: ${message.message.split('\n')[0]}`, message.file);
        return message as Extract<EvaluationMessage, { type: T }>;
      }
      if (this.startError) return this.problem(`evaluating ${what} failed: ${this.startError.message.split('\n')[0]}`, this.where.file);
      if (this.exited !== undefined) return { ...this.stoppedEarly(), hung: this.hungSystem(type) };
      const left = deadline - Date.now();
      if (left <= 0) {
        // Where it was running (a loop's line), else the module being evaluated.
        const at = await runningAt(this.worker);
        this.stop();
        const seconds = Math.round(this.timeLimitMs / 100) / 10;
        const doing = this.where.awaiting ? `awaiting its export \`${this.where.awaiting}\`` : 'running it';
        const message = `did not finish within ${seconds} s (stopped ${doing}): a loop or a wait that never ends? The limit is --time-limit`;
        const hung = this.hungSystem(type);
        if (!at) return { ...this.problem(message, this.where.file, 0, LOAD_STOPPED), hung };
        let offset = 0;
        try {
          offset = offsetOf(readFileSync(at.file, 'utf8'), at.line, at.column);
        } catch {
          offset = 0;
        }
        return { ...this.problem(message, at.file, offset, LOAD_STOPPED), hung };
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The system file the worker was running when it stopped (not mon.config.ts, which every other file needs). */
  private hungSystem(type: 'config' | 'done'): string | undefined {
    if (type !== 'done') return undefined;
    const { file } = this.where;
    return file === this.request.configFile || file === this.request.root ? undefined : file;
  }

  /** The worker ended before it sent its results: nothing was left to run, with a module still waiting. */
  private stoppedEarly(): Problem {
    if (this.where.awaiting) return this.problem(`its export \`${this.where.awaiting}\` is a Promise that never settles`, this.where.file, 0, LOAD_STOPPED);
    return this.problem('never finished evaluating: a top-level `await` waits for something that never happens', this.where.file, 0, LOAD_STOPPED);
  }

  private problem(message: string, file: string, offset = 0, rule = 'definition/invalid'): Problem {
    return { type: 'problem', diagnostics: [{ rule, severity: 'error', message, where: { file, start: offset, end: offset } }] };
  }
}

/** A result that will not come, and why; `hung`: the system file that never finished, which the others can run without. */
interface Problem {
  type: 'problem';
  diagnostics: Diagnostic[];
  hung?: string;
}

function sameProblem(a: Diagnostic, b: Diagnostic): boolean {
  return a.message === b.message && JSON.stringify(a.where) === JSON.stringify(b.where);
}
