import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// What `mon-lint --staged` and its resident process (lint-daemon.ts) share. Node built-ins only: the
// client loads this before anything of moncode, so a pre-commit hook answered by the daemon costs
// little more than Node's start-up.

/** A `mon-lint --staged` invocation: everything its output depends on besides the repository's content. */
export interface LintInvocation {
  cwd: string;
  argv: string[];
  env: Record<string, string>;
  /** Whether the client's stdout is a terminal (colour). */
  tty: boolean;
}

export type DaemonRequest = { version: number; invocation: LintInvocation };
export type DaemonReply = { hit: true; stdout: string; stderr: string; code: number } | { hit: false };

export const PROTOCOL_VERSION = 1;

/** moncode's own folder (bin/, dist/): the daemon serves one build of it. */
export const MONCODE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MON_LINT_BIN = path.join(MONCODE_ROOT, 'bin', 'mon-lint.js');

/**
 * Variables git sets afresh for every commit (the date, which index file, the editor) and the shell's
 * bookkeeping: they are not part of what is linted (the index's content is, compared by itself).
 */
const VOLATILE_ENV = new Set(['_', 'OLDPWD', 'SHLVL', 'GIT_INDEX_FILE', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE', 'GIT_EDITOR', 'GIT_REFLOG_ACTION']);

/** The invocation as a key: argv, folder, terminal, and the environment without its volatile variables. */
export function invocationKey(invocation: LintInvocation): string {
  const env = Object.entries(invocation.env)
    .filter(([name]) => !VOLATILE_ENV.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha1')
    .update(JSON.stringify([invocation.cwd, invocation.argv, invocation.tty, env]))
    .digest('hex');
}

/** The folder holding `.git` (a folder, or a worktree's file), from `cwd` up. */
export function repositoryTop(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The git folder of a repository top (a worktree's `.git` file names it). */
export function gitDirOf(top: string): string {
  const dotGit = path.join(top, '.git');
  if (statSync(dotGit).isDirectory()) return dotGit;
  const named = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  return named ? path.resolve(top, named[1]!.trim()) : dotGit;
}

/** The daemon's socket: one per user, repository and moncode build. */
export function socketPath(top: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const id = createHash('sha1').update(`${top}\0${MONCODE_ROOT}`).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `moncode-lint-${uid}-${id}.sock`);
}

/** The build of moncode the answers come from: a rebuild or an upgrade ends the daemon. */
export function buildIdentity(): string {
  const parts = ['package.json', 'bin/mon-lint.js', 'dist/cli/mon-lint.js', 'dist/commands/lint.js', 'dist/cli/lint-daemon.js'].map((file) => {
    try {
      const stat = statSync(path.join(MONCODE_ROOT, file));
      return `${file}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return `${file}:missing`;
    }
  });
  return parts.join('|');
}
