import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type * as TS from 'typescript/lib/tsserverlibrary';
import type { EditorDiagnostic, EditorLint } from '../commands/editor.js';
import type { LintRequest, LintResponse } from './lint-worker.js';
import { fixesFor } from './fixes.cjs';

/** The code every moncode diagnostic carries in the editor (the rule id is in the message and `source`). */
const MONCODE_CODE = 970001;

interface PluginConfig {
  /** How long a diagnostics request may wait for a fresh lint before showing the last one (ms). */
  waitMs?: number;
}

interface Linted {
  key: string;
  lint: EditorLint;
  /** The buffers it linted, to tell which of its positions still hold. */
  overlay: Record<string, string>;
  /** The versions tsserver had for the project's files that were not open (see `ProjectLinter.current`). */
  closed: string;
}

/**
 * Lints a tsserver project with moncode in a worker thread (lint-worker.js): once per
 * project version (an edit bumps it), started as soon as the edit is made (`start`), and
 * waited for up to `waitMs` when diagnostics are asked; a slower lint shows when it arrives
 * (tsserver is asked to refresh its diagnostics). Edits made while a lint runs are linted
 * together once it ends, as the last of them left the buffers.
 */
class ProjectLinter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private inFlight: { id: number; key: string; overlay: Record<string, string>; closed: string } | undefined;
  private queued: { key: string; closed: string; request: Omit<LintRequest, 'id'> } | undefined;
  latest: Linted | undefined;
  /** A diagnostics request was answered without the lint it asked for: tsserver asks again when that lint lands. */
  private answeredStale = false;

  constructor(
    private readonly project: TS.server.Project,
    private readonly waitMs: number,
    private readonly log: (message: string) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(path.join(__dirname, 'lint-worker.js'), { workerData: { port: port2, signal: this.signal }, transferList: [port2], stdout: true, stderr: true });
    // What definitions print is not tsserver's protocol output: it goes to the log.
    this.worker.stdout.on('data', (chunk: Buffer) => this.log(`output: ${chunk.toString().trimEnd()}`));
    this.worker.stderr.on('data', (chunk: Buffer) => this.log(`output: ${chunk.toString().trimEnd()}`));
    this.worker.on('error', (error) => this.log(`lint worker failed: ${error.message}`));
    this.worker.unref();
    this.port.on('message', (response: LintResponse) => this.accept(response, true));
    this.port.unref();
  }

  /**
   * The lint of the project as it is now, or the last one when a fresh one takes longer than `waitMs`.
   * `closed` names the versions of the project's files that are not open: with it and the open
   * buffers as the last lint had them (an edit that does not parse is linted as the file last
   * parsed), the last lint is the answer.
   */
  current(file: string, key: string, overlay: Record<string, string>, closed: string): Linted | undefined {
    if (this.start(file, key, overlay, closed)) return this.latest;
    const deadline = Date.now() + this.waitMs;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      let message: { message: LintResponse } | undefined;
      while ((message = receiveMessageOnPort(this.port) as { message: LintResponse } | undefined)) this.accept(message.message, false);
      if (this.latest?.key === key) return this.latest;
      const left = deadline - Date.now();
      if (left <= 0) {
        this.answeredStale = true;
        return this.latest;
      }
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  /**
   * Starts the lint of the project as it is now, unless it is running or queued already;
   * true when the last lint is its answer (nothing to wait for).
   */
  start(file: string, key: string, overlay: Record<string, string>, closed: string): boolean {
    if (this.latest?.key === key) return true;
    if (this.latest && this.latest.closed === closed && sameTexts(this.latest.overlay, overlay)) {
      this.latest = { ...this.latest, key };
      return true;
    }
    if (this.inFlight?.key !== key && this.queued?.key !== key) this.request(key, closed, { file, overlay });
    return false;
  }

  stop(): void {
    void this.worker.terminate();
  }

  private request(key: string, closed: string, request: Omit<LintRequest, 'id'>): void {
    if (this.inFlight) {
      this.queued = { key, closed, request };
      return;
    }
    const id = this.nextId++;
    this.inFlight = { id, key, overlay: request.overlay, closed };
    this.port.postMessage({ id, ...request } satisfies LintRequest);
  }

  private accept(response: LintResponse, later: boolean): void {
    const flight = this.inFlight;
    if (!flight || flight.id !== response.id) return;
    this.inFlight = undefined;
    if ('error' in response) this.log(`lint failed: ${response.error}`);
    else {
      this.latest = { key: flight.key, lint: response.result, overlay: flight.overlay, closed: flight.closed };
      const { took, timings, modules } = response.result;
      const ran = modules ? `; ran ${modules.ran} of ${modules.of} system files` : '';
      this.log(`linted in ${Math.round(took)} ms${timings ? ` (load ${Math.round(timings.load)}, compile ${Math.round(timings.compile)}, lint ${Math.round(timings.lint)}${ran})` : ''}`);
    }
    const next = this.queued;
    this.queued = undefined;
    if (next) this.request(next.key, next.closed, next.request);
    // A request was answered without it: tsserver asks again for the open files' diagnostics.
    else if (later && this.answeredStale) {
      this.answeredStale = false;
      this.project.refreshDiagnostics();
    }
  }
}

function init(modules: { typescript: typeof TS }): TS.server.PluginModule {
  const ts = modules.typescript;

  function create(info: TS.server.PluginCreateInfo): TS.LanguageService {
    const config = (info.config ?? {}) as PluginConfig;
    const log = (message: string) => info.project.projectService.logger.info(`[moncode] ${message}`);
    const linter = new ProjectLinter(info.project, typeof config.waitMs === 'number' ? config.waitMs : 2000, log);
    const ls = info.languageService;
    const proxy = Object.create(null) as TS.LanguageService;
    for (const key of Object.keys(ls) as Array<keyof TS.LanguageService>) {
      const member = ls[key];
      (proxy as unknown as Record<string, unknown>)[key] = typeof member === 'function' ? (...args: unknown[]) => (member as (...a: unknown[]) => unknown).apply(ls, args) : member;
    }

    const isDefinition = (fileName: string) => /\.[mc]?ts$/.test(fileName) && !/\.d\.[mc]?ts$/.test(fileName) && !fileName.split(/[\\/]/).includes('node_modules');

    /** The last text of each open buffer that parsed. */
    const parsed = new Map<string, string>();
    const parses = (source: TS.SourceFile): boolean => (ls.getProgram()?.getSyntacticDiagnostics(source).length ?? 0) === 0;

    /**
     * The open buffers of the project's own files: what the user sees, saved or not. A buffer
     * that does not parse (the user is typing) is linted as it last parsed, else as on disk:
     * running it would only say that it threw, which TypeScript's syntax error already says better.
     */
    const overlay = (): { texts: Record<string, string>; closed: string } => {
      const texts: Record<string, string> = {};
      const closed: string[] = [];
      for (const source of ls.getProgram()?.getSourceFiles() ?? []) {
        if (!isDefinition(source.fileName)) continue;
        const script = info.project.getScriptInfo(source.fileName);
        if (!script?.isScriptOpen()) {
          closed.push(`${source.fileName}@${script?.getLatestVersion() ?? ''}`);
          continue;
        }
        const file = path.resolve(source.fileName);
        if (parses(source)) parsed.set(file, source.text);
        const text = parsed.get(file);
        if (text !== undefined) texts[file] = text;
      }
      return { texts, closed: closed.join('\n') };
    };

    let closing = false;
    /** Starts the lint of the project as it now is, for diagnostics asked later; `file` finds the project (an open definition when none is named). */
    const startLint = (file?: string): void => {
      try {
        const { texts, closed } = overlay();
        const of = file ?? Object.keys(texts)[0];
        if (of !== undefined && isDefinition(of)) linter.start(of, info.project.getProjectVersion(), texts, closed);
      } catch (error) {
        log(`lint failed: ${(error as Error).message}`);
      }
    };
    // tsserver marks the project dirty at each edit of a buffer (or of a file on disk): the lint starts then, beside tsserver's
    // own work and the editor's wait before it asks for diagnostics. markAsDirty is internal to tsserver; without it the lint
    // starts when diagnostics are asked.
    const dirtying = info.project as unknown as { markAsDirty?: () => void };
    const markAsDirty = dirtying.markAsDirty;
    if (typeof markAsDirty === 'function') {
      let scheduled = false;
      dirtying.markAsDirty = function (this: unknown, ...args: unknown[]) {
        markAsDirty.apply(this, args as []);
        if (scheduled || closing) return;
        scheduled = true;
        // After the request that edited (and any others already read): one lint for a burst of changes.
        setImmediate(() => {
          scheduled = false;
          if (closing) return;
          try {
            info.project.updateGraph();
          } catch (error) {
            log(`lint failed: ${(error as Error).message}`);
            return;
          }
          startLint();
        });
      };
    }

    /** moncode's problems in one file, at positions of its current text (none that may have moved). */
    const lintOf = (fileName: string): Array<{ diagnostic: EditorDiagnostic; start: number; end: number; source: TS.SourceFile }> => {
      if (!isDefinition(fileName)) return [];
      const source = ls.getProgram()?.getSourceFile(fileName);
      // A file that does not parse shows TypeScript's syntax error alone (the lint of its last parsing text, positioned
      // on text since changed, would mislead).
      if (!source || !parses(source)) return [];
      let linted: Linted | undefined;
      try {
        const { texts, closed } = overlay();
        linted = linter.current(fileName, info.project.getProjectVersion(), texts, closed);
      } catch (error) {
        log(`lint failed: ${(error as Error).message}`);
        return [];
      }
      if (!linted) return [];
      const absolute = path.resolve(fileName);
      const then = linted.overlay[absolute] ?? readText(absolute);
      if (then !== source.text) return [];
      const starts = source.getLineStarts();
      const offset = (line: number, column: number) => Math.min(source.text.length, (starts[Math.min(line, starts.length) - 1] ?? 0) + column - 1);
      return linted.lint.diagnostics
        .filter((d) => d.file === absolute)
        .map((diagnostic) => {
          const start = offset(diagnostic.line, diagnostic.column);
          return { diagnostic, start, end: Math.max(start, offset(diagnostic.endLine, diagnostic.endColumn)), source };
        });
    };

    const toTs = ({ diagnostic, start, end, source }: ReturnType<typeof lintOf>[number]): TS.DiagnosticWithLocation => ({
      file: source,
      start,
      length: end - start,
      messageText: `${diagnostic.message} (${diagnostic.rule}${diagnostic.docs ? `: ${diagnostic.docs}` : ''})`,
      category: diagnostic.severity === 'error' ? ts.DiagnosticCategory.Error : diagnostic.severity === 'warning' ? ts.DiagnosticCategory.Warning : ts.DiagnosticCategory.Suggestion,
      code: MONCODE_CODE,
      source: `moncode ${diagnostic.rule}`,
    });

    proxy.getSyntacticDiagnostics = (fileName) => {
      const diagnostics = ls.getSyntacticDiagnostics(fileName);
      // tsserver asks for these first: the lint runs while it checks types.
      if (isDefinition(fileName)) startLint(fileName);
      return diagnostics;
    };
    proxy.getSemanticDiagnostics = (fileName) => {
      if (isDefinition(fileName)) startLint(fileName);
      const typeErrors = ls.getSemanticDiagnostics(fileName);
      // A value the types reject is also invalid when it runs: the type error already says so, at the same place (as mon-build reports it).
      const restated = (d: ReturnType<typeof lintOf>[number]) =>
        d.diagnostic.rule === 'definition/invalid' && typeErrors.some((t) => t.category === ts.DiagnosticCategory.Error && t.start === d.start);
      return [
        ...typeErrors,
        ...lintOf(fileName)
          .filter((d) => d.diagnostic.severity !== 'info' && !restated(d))
          .map(toTs),
      ];
    };
    proxy.getSuggestionDiagnostics = (fileName) => [
      ...ls.getSuggestionDiagnostics(fileName),
      ...lintOf(fileName)
        .filter((d) => d.diagnostic.severity === 'info')
        .map(toTs),
    ];
    proxy.getSupportedCodeFixes = (fileName) => [...ls.getSupportedCodeFixes(fileName), String(MONCODE_CODE)];
    proxy.getCodeFixesAtPosition = (fileName, start, end, errorCodes, formatOptions, preferences) => {
      const fixes = [
        ...ls.getCodeFixesAtPosition(
          fileName,
          start,
          end,
          errorCodes.filter((code) => code !== MONCODE_CODE),
          formatOptions,
          preferences,
        ),
      ];
      if (!errorCodes.includes(MONCODE_CODE)) return fixes;
      const checker = ls.getProgram()?.getTypeChecker();
      if (!checker) return fixes;
      for (const placed of lintOf(fileName)) {
        if (placed.end < start || placed.start > end) continue;
        const { rule, message, subject, docs } = placed.diagnostic;
        fixes.push(...fixesFor(ts, placed.source, checker, { rule, message, subject, start: placed.start, end: placed.end, suppressible: docs !== undefined }));
      }
      return fixes;
    };
    proxy.getDefinitionAndBoundSpan = (fileName, position) => {
      const found = runbookAt(fileName, position);
      return found ? { definitions: [found.definition], textSpan: found.span } : ls.getDefinitionAndBoundSpan(fileName, position);
    };
    proxy.getDefinitionAtPosition = (fileName, position) => {
      const found = runbookAt(fileName, position);
      return found ? [found.definition] : ls.getDefinitionAtPosition(fileName, position);
    };

    /** A repo-relative Markdown path written in a string (a runbook_url): the page it names, at its #anchor's heading. */
    const runbookAt = (fileName: string, position: number): { definition: TS.DefinitionInfo; span: TS.TextSpan } | undefined => {
      const source = ls.getProgram()?.getSourceFile(fileName);
      if (!source) return undefined;
      let literal: TS.StringLiteralLike | undefined;
      const visit = (node: TS.Node): void => {
        if (literal || position < node.getStart(source) || position >= node.getEnd()) return;
        if (ts.isStringLiteralLike(node)) literal = node;
        else ts.forEachChild(node, visit);
      };
      ts.forEachChild(source, visit);
      const match = literal && /^([^:#?\s]+\.md)(?:#([^#\s]+))?$/.exec(literal.text);
      if (!literal || !match || path.isAbsolute(match[1]!)) return undefined;
      const page = markdownPage(path.dirname(path.resolve(fileName)), match[1]!);
      if (!page) return undefined;
      const start = headingOffset(page.text, match[2]);
      const definition: TS.DefinitionInfo = {
        fileName: page.file,
        textSpan: { start, length: 0 },
        kind: ts.ScriptElementKind.externalModuleName,
        name: match[1]! + (match[2] ? `#${match[2]}` : ''),
        containerKind: ts.ScriptElementKind.unknown,
        containerName: '',
      };
      return { definition, span: { start: literal.getStart(source) + 1, length: literal.getEnd() - literal.getStart(source) - 2 } };
    };
    const close = info.project.close.bind(info.project);
    info.project.close = () => {
      closing = true;
      linter.stop();
      close();
    };
    return proxy;
  }

  return { create };
}

/**
 * A repo-relative page, as runbook/unresolved reads it: from the repository's top folder (the
 * first folder up from the file with a `.git`), else from the folders up to there.
 */
function markdownPage(from: string, relative: string): { file: string; text: string } | undefined {
  const tried: string[] = [];
  for (let dir = from; ; dir = path.dirname(dir)) {
    tried.push(path.join(dir, relative));
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  for (const file of tried.reverse()) {
    const text = readText(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

/** The offset of the heading whose GitHub anchor is `anchor` (0 without one, or when none matches). */
function headingOffset(text: string, anchor: string | undefined): number {
  if (!anchor) return 0;
  const slug = (heading: string) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
  for (const match of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) if (slug(match[1]!) === decodeURIComponent(anchor).toLowerCase()) return match.index!;
  return 0;
}

function sameTexts(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export = init;
