import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildIdentity, gitDirOf, invocationKey, MON_LINT_BIN, PROTOCOL_VERSION, type DaemonReply, type DaemonRequest, type LintInvocation } from './lint-daemon-protocol.js';

/**
 * The resident process behind `mon-lint --staged` in one repository (lint-client.ts starts it):
 * each time the index changes it runs the last invocation it was asked, as a child process
 * exactly as the hook would run it cold, and keeps that answer with the content it was for (the
 * index's entries, HEAD, the installed packages, the invocation). A hook whose index and
 * invocation match gets the answer at once; any other gets none and lints cold. It loads nothing
 * of moncode and runs no definition itself. It ends after IDLE_MS without a request, when moncode
 * is rebuilt, or when the repository is gone.
 */

const IDLE_MS = 15 * 60_000;
const SETTLE_MS = 300;
const [top, socket] = process.argv.slice(2) as [string, string];
const identity = buildIdentity();

type Answer = Extract<DaemonReply, { hit: true }>;
/** The invocation linted ahead: the last one asked (the first from the client that started it, on stdin). */
let watched: LintInvocation | undefined;
const given: Buffer[] = [];
process.stdin.on('data', (chunk: Buffer) => given.push(chunk));
process.stdin.on('end', () => {
  try {
    const first = JSON.parse(Buffer.concat(given).toString('utf8')) as LintInvocation;
    watched ??= { ...first, env: withoutIndexFile(first.env) };
  } catch {
    return;
  }
});
process.stdin.on('error', () => undefined);
let cached: { key: string; answer: Answer } | undefined;
let running: { key: string; done: Promise<void> } | undefined;
let again = false;

const server = net.createServer({ allowHalfOpen: true }, (connection) => {
  const chunks: Buffer[] = [];
  connection.on('data', (chunk) => chunks.push(chunk));
  connection.on('end', () => {
    void answer(chunks)
      .then((reply) => connection.end(JSON.stringify(reply)))
      .catch(() => connection.end(JSON.stringify({ hit: false })));
  });
  connection.on('error', () => undefined);
});
server.on('error', () => process.exit(0)); // another daemon holds the socket
server.listen(socket, () => chmodSync(socket, 0o600));

// Whatever goes wrong here, the hook lints cold: the daemon ends, and takes its socket with it.
process.on('uncaughtException', stop);
process.on('unhandledRejection', stop);
let idle = setTimeout(stop, IDLE_MS);
setInterval(() => {
  if (!existsSync(path.join(top, '.git')) || buildIdentity() !== identity) stop();
}, 5_000).unref();
try {
  watch(gitDirOf(top), (_, name) => {
    if (name === null || name === 'index' || name === 'HEAD') schedule();
  }).on('error', stop);
} catch {
  stop();
}

async function answer(chunks: Buffer[]): Promise<DaemonReply> {
  clearTimeout(idle);
  idle = setTimeout(stop, IDLE_MS);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DaemonRequest;
  if (request.version !== PROTOCOL_VERSION || buildIdentity() !== identity) {
    setImmediate(stop);
    return { hit: false };
  }
  watched = { ...request.invocation, env: withoutIndexFile(request.invocation.env) };
  const key = await contentKey(request.invocation);
  const underWay = running;
  if (underWay && underWay.key === key) await underWay.done;
  if (key !== undefined && cached?.key === key) return cached.answer;
  // The hook lints cold now; linting the same index here too would only halve its CPU. The next change of the index is linted ahead.
  return { hit: false };
}

let timer: NodeJS.Timeout | undefined;
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void precompute(), SETTLE_MS);
}

/** Lints the index as it is now for the watched invocation, unless that answer is kept or under way. */
async function precompute(): Promise<void> {
  if (!watched) return;
  if (running) {
    again = true;
    return;
  }
  const invocation = watched;
  const key = await contentKey(invocation);
  if (key === undefined || cached?.key === key) return;
  let finish: () => void = () => undefined;
  running = { key, done: new Promise<void>((resolve) => (finish = resolve)) };
  try {
    const answer = await runCold(invocation);
    // The index may have changed while it ran: the answer is kept only for the content it started from.
    if (answer && (await contentKey(invocation)) === key) cached = { key, answer };
    else again = true;
  } finally {
    running = undefined;
    finish();
  }
  if (again) {
    again = false;
    schedule();
  }
}

/** `mon-lint` as the hook runs it, in a process of its own (told not to ask this daemon). */
function runCold(invocation: LintInvocation): Promise<Answer | undefined> {
  const env: Record<string, string> = { ...invocation.env, MONCODE_LINT_DAEMON: '0' };
  // Its stdout is a pipe: a terminal's colours are asked for as the terminal would get them.
  if (invocation.tty && !env.NO_COLOR && env.TERM !== 'dumb' && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MON_LINT_BIN, ...invocation.argv], { cwd: invocation.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      if (code === null) return resolve(undefined);
      resolve({ hit: true, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
  });
}

/** The last key git was asked for, with the stat of the files it read (an index is rewritten by rename: a new inode and time). */
let lastGit: { stamp: string; entries: string; head: string | undefined } | undefined;

/** The index file, HEAD and what HEAD names, by inode, size and time; undefined when one cannot be read. */
function gitStamp(invocation: LintInvocation): string | undefined {
  try {
    const gitDir = gitDirOf(top);
    const index = invocation.env.GIT_INDEX_FILE ? path.resolve(invocation.cwd, invocation.env.GIT_INDEX_FILE) : path.join(gitDir, 'index');
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8');
    const ref = /^ref:\s*(\S+)/.exec(head)?.[1];
    const files = [index, ...(ref ? [path.join(gitDir, ref), path.join(gitDir, 'packed-refs')] : [])];
    const stats = files.map((file) => {
      try {
        const stat = statSync(file);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return 'absent';
      }
    });
    return JSON.stringify([head, ...stats, invocation.env.GIT_DIR ?? null, invocation.env.GIT_WORK_TREE ?? null]);
  } catch {
    return undefined;
  }
}

/** What the answer depends on: the invocation, the index's entries, HEAD, the installed packages; undefined when git cannot say. */
async function contentKey(invocation: LintInvocation): Promise<string | undefined> {
  const stamp = gitStamp(invocation);
  let entries: string | undefined;
  let head: string | undefined;
  if (stamp !== undefined && lastGit?.stamp === stamp) ({ entries, head } = lastGit);
  else {
    ({ entries, head } = await gitState(invocation));
    // Read again after git answered: a change while it ran is not cached under the earlier stamp.
    if (entries !== undefined && stamp !== undefined && gitStamp(invocation) === stamp) lastGit = { stamp, entries, head };
  }
  if (entries === undefined) return undefined;
  return createHash('sha1')
    .update(JSON.stringify([invocationKey(invocation), head ?? null, packages(invocation.cwd), identity]))
    .update(entries)
    .digest('hex');
}

async function gitState(invocation: LintInvocation): Promise<{ entries: string | undefined; head: string | undefined }> {
  const git = (args: string[]) =>
    new Promise<string | undefined>((resolve) =>
      execFile('git', args, { cwd: invocation.cwd, env: invocation.env, encoding: 'utf8', maxBuffer: 1 << 28 }, (error, stdout) => resolve(error ? undefined : stdout)),
    );
  const [entries, head] = await Promise.all([git(['ls-files', '--stage', '-z']), git(['rev-parse', '--verify', '--quiet', 'HEAD'])]);
  return { entries, head };
}

/** The installed packages the staged tree links to (node_modules from the project up to the top), by their folders' and lock files' times. */
function packages(cwd: string): string[] {
  const seen: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const file of [path.join(dir, 'node_modules'), path.join(dir, 'node_modules', '.package-lock.json')]) {
      try {
        seen.push(`${file}:${statSync(file).mtimeMs}`);
      } catch {
        continue;
      }
    }
    if (dir === top || path.dirname(dir) === dir) break;
  }
  return seen;
}

function withoutIndexFile(env: Record<string, string>): Record<string, string> {
  const { GIT_INDEX_FILE: _, ...rest } = env;
  return rest;
}

function stop(): void {
  try {
    server.close();
    rmSync(socket, { force: true });
  } finally {
    process.exit(0);
  }
}
