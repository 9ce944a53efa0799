import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { MONCODE_DIST } from './project.js';

interface RunningAt {
  /** The definition's TS file. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

interface CallFrame {
  location: { scriptId: string; lineNumber: number; columnNumber: number };
}

/**
 * Where the worker's JavaScript is running now, for a definition stopped at
 * its time limit: the main thread attaches to the worker through the inspector
 * (`NodeWorker`), pauses it (`Debugger.pause` interrupts a busy loop), and maps
 * the innermost frame in a transpiled definition back through the copy's
 * source map. Undefined when the worker does not pause within `waitMs` (it is
 * idle, waiting on a timer) or the inspector is not available; the worker is
 * left running, to be terminated.
 */
export async function runningAt(worker: Worker, waitMs = 5_000): Promise<RunningAt | undefined> {
  let inspector: typeof import('node:inspector');
  try {
    inspector = await import('node:inspector');
  } catch {
    return undefined;
  }
  const session = new inspector.Session();
  try {
    session.connect();
  } catch {
    return undefined;
  }
  const scripts = new Map<string, string>();
  let sessionId: string | undefined;
  let id = 0;
  const send = (method: string): void => {
    if (sessionId) session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id: ++id, method }) }, () => undefined);
  };
  try {
    return await new Promise<RunningAt | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      const done = (where: RunningAt | undefined): void => {
        clearTimeout(timer);
        resolve(where);
      };
      session.on('NodeWorker.attachedToWorker', ({ params }) => {
        // The inspector numbers workers per session; its title names the thread ("[worker 2]").
        if (!params.workerInfo.title.startsWith(`[worker ${worker.threadId}]`) || sessionId) return;
        sessionId = params.sessionId;
        send('Debugger.enable');
        send('Debugger.pause');
      });
      session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
        if (params.sessionId !== sessionId) return;
        const message = JSON.parse(params.message) as { method?: string; params?: { scriptId?: string; url?: string; callFrames?: CallFrame[] } };
        if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId && message.params.url) scripts.set(message.params.scriptId, message.params.url);
        else if (message.method === 'Debugger.paused') done(innermostDefinitionFrame(message.params?.callFrames ?? [], scripts));
      });
      session.post('NodeWorker.enable', { waitForDebuggerOnStart: false }, (error) => error && done(undefined));
    });
  } finally {
    // A paused worker cannot be terminated: let it run again, then let go of it.
    send('Debugger.resume');
    if (sessionId) session.post('NodeWorker.detach', { sessionId }, () => undefined);
    session.disconnect();
  }
}

function innermostDefinitionFrame(frames: readonly CallFrame[], scripts: ReadonlyMap<string, string>): RunningAt | undefined {
  for (const { location } of frames) {
    const url = scripts.get(location.scriptId);
    if (!url?.startsWith('file:')) continue;
    const where = mapped(fileURLToPath(url.replace(/\?.*$/, '')), location.lineNumber, location.columnNumber);
    if (where && !where.file.startsWith(MONCODE_DIST) && !where.file.includes(`${path.sep}node_modules${path.sep}`)) return where;
  }
  return undefined;
}

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/;

/** A position in a transpiled copy (0-based), in the TS file its inline source map names. */
function mapped(copy: string, line: number, column: number): RunningAt | undefined {
  let map: SourceMap;
  try {
    const inline = INLINE_MAP.exec(readFileSync(copy, 'utf8'));
    if (!inline) return undefined;
    map = new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')));
  } catch {
    return undefined;
  }
  const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const root = (map.payload as { sourceRoot?: string }).sourceRoot ?? path.dirname(copy);
  return { file: path.resolve(root, entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}
