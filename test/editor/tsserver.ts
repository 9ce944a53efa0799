import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, writeFiles } from '../helpers/project.js';

/** A protocol message tsserver wrote: a response to a request, or an event. */
interface Message {
  seq: number;
  type: 'response' | 'event';
  command?: string;
  event?: string;
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: unknown;
}

/** A protocol diagnostic (1-based lines and offsets). */
export interface ProtocolDiagnostic {
  start: { line: number; offset: number };
  end: { line: number; offset: number };
  text: string;
  code: number;
  category: string;
  source?: string;
}

/**
 * A folder laid out as a user's project: moncode installed (linked to this checkout) and
 * TypeScript installed (a copy of its files, as npm would leave it, so tsserver looks
 * for plugins in this node_modules), a tsconfig.json enabling the plugin.
 */
export function editorProject(files: Record<string, string>, pluginConfig: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-editor-'));
  mkdirSync(path.join(dir, 'node_modules'));
  mkdirSync(path.join(dir, '.git'));
  symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'moncode'));
  cpSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(dir, 'node_modules', 'typescript'), { recursive: true });
  writeFiles(dir, {
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        skipLibCheck: true,
        plugins: [{ name: 'moncode/tsserver-plugin', ...pluginConfig }],
      },
      include: ['definitions', 'mon.config.ts'],
    }),
    ...files,
  });
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A real tsserver (the project's own node_modules/typescript/lib/tsserver.js) spoken to over stdin/stdout. */
export class TsServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, (message: Message) => void>();
  readonly events: Array<{ message: Message; at: number }> = [];
  private eventWaiters: Array<{ test: (message: Message) => boolean; resolve: (message: Message) => void }> = [];
  stderr = '';

  constructor(readonly project: string) {
    const logFile = path.join(project, 'tsserver.log');
    this.child = spawn(
      process.execPath,
      [path.join(project, 'node_modules', 'typescript', 'lib', 'tsserver.js'), '--disableAutomaticTypingAcquisition', '--logVerbosity', 'normal', '--logFile', logFile],
      {
        cwd: project,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child.stdout.on('data', (chunk: Buffer) => this.read(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  request<T = unknown>(command: string, args: unknown): Promise<T> {
    const seq = ++this.seq;
    const answer = new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, (message) => (message.success ? resolve(message.body as T) : reject(new Error(`${command}: ${message.message}`))));
    });
    this.child.stdin.write(`${JSON.stringify({ seq, type: 'request', command, arguments: args })}\n`);
    return answer;
  }

  /** A request tsserver answers only with events (open, change, geterr). */
  notify(command: string, args: unknown): void {
    this.child.stdin.write(`${JSON.stringify({ seq: ++this.seq, type: 'request', command, arguments: args })}\n`);
  }

  nextEvent(test: (message: Message) => boolean): Promise<Message> {
    return new Promise((resolve) => this.eventWaiters.push({ test, resolve }));
  }

  /** `geterr` for one file: the semanticDiag event tsserver sends for it. */
  async semanticDiagnostics(file: string): Promise<ProtocolDiagnostic[]> {
    const event = this.nextEvent((m) => m.event === 'semanticDiag' && (m.body as { file: string }).file === file);
    this.notify('geterr', { files: [file], delay: 0 });
    return ((await event).body as { diagnostics: ProtocolDiagnostic[] }).diagnostics;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.notify('exit', {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(header + 4, header + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(header + 4 + length);
      if (message.type === 'response' && message.request_seq !== undefined) {
        this.waiting.get(message.request_seq)?.(message);
        this.waiting.delete(message.request_seq);
      } else if (message.type === 'event') {
        this.events.push({ message, at: performance.now() });
        const matched = this.eventWaiters.filter((w) => w.test(message));
        this.eventWaiters = this.eventWaiters.filter((w) => !matched.includes(w));
        for (const waiter of matched) waiter.resolve(message);
      }
    }
  }
}

/** A code fix as tsserver sends it. */
export interface ProtocolCodeFix {
  fixName: string;
  description: string;
  changes: Array<{ fileName: string; textChanges: Array<{ start: { line: number; offset: number }; end: { line: number; offset: number }; newText: string }> }>;
}

/** `text` with the fix's edits of `file` made (last first, so earlier positions hold). */
export function applyFix(text: string, fix: ProtocolCodeFix, file: string): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: { line: number; offset: number }) => starts[p.line - 1]! + p.offset - 1;
  const edits = fix.changes.filter((c) => c.fileName === file).flatMap((c) => c.textChanges);
  let result = text;
  for (const edit of [...edits].sort((a, b) => offset(b.start) - offset(a.start))) result = result.slice(0, offset(edit.start)) + edit.newText + result.slice(offset(edit.end));
  return result;
}
