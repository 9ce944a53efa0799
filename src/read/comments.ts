import { LINT_RULE_IDS, type LintRuleId, type Suppression } from '../model/suppression.js';
import type { Span } from '../model/source-location.js';
import type { PositionNode } from './yaml.js';

/**
 * `# mon-lint disable <id>[, <id>…] [-- reason]` above or inside a rule (or
 * group) disables those lint rules for it; `# mon-lint disable-file …` for
 * every rule in the file.
 */
export interface Directive {
  suppression: Suppression;
  /** Where the comment is. */
  where: Span;
  /** The offset the comment applies to: the next line's content, or its own line for a trailing comment. */
  target: number;
  fileWide: boolean;
  /** Ids that are not lint rules (reported). */
  unknown: string[];
}

const DIRECTIVE = /#\s*mon-lint\s+(disable-file|disable)\s+([^\n]*)/g;

export function commentDirectives(file: string, text: string, root: PositionNode | undefined): Directive[] {
  if (!text.includes('mon-lint')) return [];
  const scalars = scalarRanges(root);
  const directives: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    const at = match.index;
    if (insideScalar(scalars, at)) continue;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    const before = text.slice(lineStart, at);
    if (before.trim() !== '' && !/\s$/.test(before)) continue; // `#` inside a token is not a comment
    const [ids, reason = ''] = match[2]!.split(/\s+--\s*/, 2) as [string, string?];
    const listed = ids.split(/[\s,]+/).filter(Boolean);
    const known = listed.filter((id): id is LintRuleId => (LINT_RULE_IDS as readonly string[]).includes(id));
    const unknown = listed.filter((id) => !(LINT_RULE_IDS as readonly string[]).includes(id));
    let target = lineStart;
    if (before.trim() === '') {
      // A comment on its own line applies to what follows it.
      const next = /\n[ \t]*(?!#)\S/.exec(text.slice(at));
      target = next ? at + next.index + next[0].length - 1 : text.length;
    }
    directives.push({
      suppression: { disable: known, reason: reason.trim() },
      where: { file, start: at, end: at + match[0].trimEnd().length },
      target,
      fileWide: match[1] === 'disable-file',
      unknown,
    });
  }
  return directives;
}

function scalarRanges(root: PositionNode | undefined): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const seen = new Set<PositionNode>();
  const visit = (node: PositionNode): void => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'scalar') {
      if (node.end - node.start > 0) ranges.push([node.start, node.end]);
      return;
    }
    for (const child of node.entries?.values() ?? []) visit(child);
    for (const child of node.items ?? []) visit(child);
  };
  if (root) visit(root);
  return ranges.sort((a, b) => a[0] - b[0]);
}

function insideScalar(ranges: Array<[number, number]>, offset: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const [start, end] = ranges[mid]!;
    if (offset < start) high = mid - 1;
    else if (offset >= end) low = mid + 1;
    else return true;
  }
  return false;
}
