import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A real server (Prometheus, Alertmanager) on 127.0.0.1, started by a test and stopped by it. */
export interface RunningServer {
  url: string;
  /** What the server printed, for the failure message. */
  log(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `binary` with `args(port)` and waits until `readyPath` answers 200. A server that exits
 * first, or is not ready by the deadline, fails with its own output.
 */
export async function startServer(binary: string, args: (port: number) => string[], readyPath: string, deadlineMs = 60_000): Promise<RunningServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(binary, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let exited: number | string | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    url,
    log: () => output,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${binary} exited (${exited}) before it was ready:\n${output}`);
    try {
      const response = await fetch(url + readyPath);
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await server.stop();
  throw new Error(`${binary} was not ready after ${deadlineMs / 1000} s:\n${output}`);
}

/** Polls `probe` until it returns a value or the deadline passes (then the last error is thrown). */
export async function eventually<T>(probe: () => Promise<T | undefined>, deadlineMs: number, what: string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
