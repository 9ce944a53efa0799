import { spawn } from 'node:child_process';
import { realpathSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MONCODE_ROOT, PROTOCOL_VERSION, repositoryTop, socketPath, type DaemonReply, type LintInvocation } from './lint-daemon-protocol.js';

/** How long a hook waits for the daemon's answer (it may be finishing the lint of this very index) before linting itself. */
const REPLY_TIMEOUT_MS = 60_000;

/**
 * `mon-lint --staged` through the repository's resident process (lint-daemon.ts), which lints the
 * index ahead, each time it changes, by running this same command cold: when its answer is for the
 * index as it is now, it is printed and nothing else runs. Otherwise (no daemon, another index, an
 * error) the caller lints cold, and a daemon is started for the next time, unless `CI` is set or
 * `MONCODE_LINT_DAEMON=0`.
 */
export async function answeredByDaemon(argv: string[]): Promise<boolean> {
  if (process.env.MONCODE_LINT_DAEMON === '0') return false;
  const found = repositoryTop(process.cwd());
  if (!found) return false;
  const top = realpathSync(found);
  const socket = socketPath(top);
  const invocation: LintInvocation = { cwd: process.cwd(), argv, env: definedEnv(), tty: process.stdout.isTTY === true };
  const reply = await ask(socket, invocation);
  if (reply === 'absent') {
    if (process.env.CI === undefined || process.env.MONCODE_LINT_DAEMON === '1') startDaemon(top, socket, invocation);
    return false;
  }
  if (!reply || !reply.hit) return false;
  process.stdout.write(reply.stdout);
  process.stderr.write(reply.stderr);
  process.exitCode = reply.code;
  return true;
}

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The daemon's reply; 'absent' when none listens (or the socket is not this user's), undefined on any other failure. */
function ask(socket: string, invocation: LintInvocation): Promise<DaemonReply | 'absent' | undefined> {
  try {
    const stat = statSync(socket);
    if (!stat.isSocket() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return Promise.resolve(undefined);
  } catch {
    return Promise.resolve('absent');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (value: DaemonReply | 'absent' | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), REPLY_TIMEOUT_MS);
    const connection = net.createConnection(socket);
    connection.on('connect', () => connection.end(`${JSON.stringify({ version: PROTOCOL_VERSION, invocation })}\n`));
    connection.on('data', (chunk) => chunks.push(chunk));
    connection.on('end', () => {
      try {
        done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as DaemonReply);
      } catch {
        done(undefined);
      }
    });
    connection.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') {
        // A daemon that ended without removing its socket.
        rmSync(socket, { force: true });
        done('absent');
      } else done(undefined);
    });
  });
}

function startDaemon(top: string, socket: string, invocation: LintInvocation): void {
  try {
    // The invocation (its environment may hold credentials) goes through a pipe, not the command line others can list.
    const child = spawn(process.execPath, [path.join(MONCODE_ROOT, 'dist', 'cli', 'lint-daemon.js'), top, socket], { cwd: top, detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', () => undefined);
    child.stdin.on('error', () => undefined);
    child.stdin.end(JSON.stringify(invocation));
    child.unref();
  } catch {
    // Linting cold is the answer anyway.
  }
}
