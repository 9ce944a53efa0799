import { workerData, type MessagePort } from 'node:worker_threads';
import { lintForEditor, prepareNextLint, type EditorLint } from '../commands/editor.js';

/** A lint request from the tsserver plugin: the project of `file`, with the editor's open buffers. */
export interface LintRequest {
  id: number;
  file: string;
  overlay: Record<string, string>;
}

export type LintResponse = { id: number; result: EditorLint } | { id: number; error: string };

/**
 * The tsserver plugin's lint thread (plugin.cts starts it): moncode is ES modules and its
 * load runs definitions in a worker of its own, while tsserver requires plugins
 * synchronously. Requests are answered in order on `port`; `signal` is bumped after each
 * answer, so the plugin can wait for one without returning to its event loop.
 */
const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

port.on('message', async (request: LintRequest) => {
  let response: LintResponse;
  try {
    response = { id: request.id, result: await lintForEditor(request) };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
  port.postMessage(response);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
  prepareNextLint();
});
