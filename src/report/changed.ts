import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { SourceIndex } from '../source/source-index.js';
import { UnusableInputError, type Diagnostic } from '../model/diagnostic.js';
import { callSitesOf, type Where } from '../model/source-location.js';

interface ChangedOptions {
  /** Compare the ref with the index (what is staged) instead of the working tree; untracked files are not part of it. */
  staged?: boolean;
  /** The folder the repository's files are read from (a tree the index was written to); its top folder when absent. */
  tree?: string;
}

/** Lines added or changed since a git ref, per absolute file path; `all` for files that are new. */
function changedLines(ref: string, cwd: string, options: ChangedOptions = {}): Map<string, Array<[number, number]> | 'all'> {
  const git = (args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')[0];
      throw new UnusableInputError(`--changed-since ${ref}: ${stderr || (error as Error).message}`);
    }
  };
  const top = options.tree ?? git(['rev-parse', '--show-toplevel']).trim();
  const changed = new Map<string, Array<[number, number]> | 'all'>();
  let current: string | undefined;
  for (const line of git(['diff', ...(options.staged ? ['--cached'] : []), '--unified=0', '--no-color', '--no-ext-diff', ref, '--']).split('\n')) {
    if (line.startsWith('+++ ')) {
      current = line === '+++ /dev/null' ? undefined : path.join(top, line.slice(6));
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      const ranges = changed.get(current);
      const list = Array.isArray(ranges) ? ranges : [];
      // Lines only deleted (`+N,0`): the lines either side of the cut changed what they belong to.
      list.push(count === 0 ? [Math.max(1, start), start + 1] : [start, start + count - 1]);
      changed.set(current, list);
    }
  }
  if (!options.staged) {
    for (const file of git(['ls-files', '--others', '--exclude-standard', '--full-name', ':/']).split('\n').filter(Boolean)) changed.set(path.join(top, file), 'all');
  }
  return changed;
}

/** Problems of a whole file rather than of the lines they point at: type errors, modules that cannot load. */
const WHOLE_FILE_RULES = /^(typescript|load\/)/;

/**
 * Keeps problems about what changed: a problem counts when the rule, panel or
 * object it belongs to, or a helper call that built it, overlaps a changed line. Everything is still analysed,
 * so a changed recording rule can surface a problem in an unchanged alert's file only if that alert changed too.
 */
export function changedFilter(ref: string, cwd: string, sources: SourceIndex, options: ChangedOptions = {}): (diagnostic: Diagnostic) => boolean {
  const changed = changedLines(ref, cwd, options);
  const touched = (where: Where): boolean => {
    const location = sources.locate(where);
    const ranges = changed.get(path.resolve(location.file));
    if (!ranges) return false;
    if (ranges === 'all') return true;
    return ranges.some(([start, end]) => start <= location.endLine && end >= location.line);
  };
  return (diagnostic) => {
    const where = diagnostic.scope ?? diagnostic.where;
    if (!where) return true;
    // A file that does not type-check or load does not build, whichever of its lines the change touched.
    if (WHOLE_FILE_RULES.test(diagnostic.rule)) return changed.has(path.resolve(sources.locate(where).file));
    // An object a shared helper built changed when the helper or the call that built it did.
    return touched(where) || callSitesOf(where).some(touched);
  };
}
